// The redis executor against the real Redis on 127.0.0.1:6379, in database 13 (flushed here,
// and only that one).
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { detectRedis, STATIC_REDIS_TABLE, type RedisCommandSpec, type RedisCommandTable } from '../../src/runner/judge/redis.js'
import { createRedisExecutor } from '../../src/runner/executors/redis.js'
import { formatRedisCommand, formatRedisReply, quoteRedisString } from '../../src/runner/executors/redis/render.js'
import type { Answer, StepExecutor } from '../../src/runner/model/run-record.js'
import type { StepAttributes } from '../../src/runner/model/runbook.js'
import { allMessages, msg } from '../../src/runner/terminal/messages/index.js'
import { connectRedis, REDIS_URL } from '../helpers/servers.js'
import { consent, makeContext, plannedStep, type ContextOptions } from './context.js'

const says = msg.executors
/** A reason that starts at this file line. */
const at = (line: number, rest = '') => `${says.atLine(line)}${rest}`

/** A built-in table out of date: it calls these write commands read-only. */
function staleTable(...names: string[]): RedisCommandTable {
  const map = new Map<string, RedisCommandSpec>(STATIC_REDIS_TABLE)
  for (const n of names) map.set(n, { flags: ['readonly'], categories: ['@read'] })
  return map
}

let direct: Redis
const executors: StepExecutor[] = []
const standard = createRedisExecutor()
executors.push(standard)

async function runRedis(
  code: string,
  attrs: StepAttributes = {},
  options: ContextOptions & { executor?: StepExecutor; table?: RedisCommandTable } = {},
) {
  const detection = detectRedis(code, options.table)
  const planned = await plannedStep({ kind: 'redis', code, attrs, detection })
  const { ctx, rec } = makeContext(planned, { env: { REDIS_URL }, ...options })
  const started = Date.now()
  const outcome = await (options.executor ?? standard).run(ctx)
  return { outcome, rec, planned, ms: Date.now() - started }
}

beforeAll(async () => {
  direct = await connectRedis()
})

beforeEach(async () => {
  await direct.flushdb()
})

afterAll(async () => {
  await direct.flushdb()
  await Promise.all(executors.map((e) => e.close?.()))
  direct.disconnect()
})

describe('redis steps', () => {
  it('PING → PONG', async () => {
    const { outcome, rec } = await runRedis('PING')
    expect(outcome.status).toBe('passed')
    expect(rec.stdout).toBe('> PING\nPONG\n')
    expect(rec.tables).toEqual([{ title: 'redis', columns: says.redisTableColumns, rows: [['10', 'PING', 'PONG']], totalRows: 1 }])
    expect(rec.questions).toEqual([])
  })

  it('runs the read-only diagnostics without a question, checked by the server table too', async () => {
    const { outcome, rec, planned } = await runRedis('INFO memory\nCONFIG GET maxmemory\nCLIENT LIST\nSLOWLOG GET 10')
    expect(planned.destructive).toBe(false)
    expect(outcome.status).toBe('passed')
    expect(rec.questions).toEqual([])
    expect(rec.stdout).toContain('used_memory:')
    expect(rec.stdout).toContain('maxmemory')
    expect(rec.stdout).toMatch(/id=\d+ addr=/)
    expect(rec.tables[0]!.rows.map((r) => r[1])).toEqual(['INFO memory', 'CONFIG GET maxmemory', 'CLIENT LIST', 'SLOWLOG GET 10'])
  })

  it('at run time, asks before CONFIG SET (as if the plan had missed it) and changes nothing without consent', async () => {
    const before = await direct.config('GET', 'maxmemory-samples')
    const code = 'CONFIG GET maxmemory-samples\nCONFIG SET maxmemory-samples 7'
    const planned = await plannedStep({ kind: 'redis', code })
    expect(planned.destructive).toBe(false)
    const { ctx, rec } = makeContext(planned, { env: { REDIS_URL } })
    const outcome = await standard.run(ctx)
    expect(outcome.status).toBe('blocked')
    expect(rec.questions).toEqual([{ kind: 'command', command: 'CONFIG SET maxmemory-samples 7', reasons: [at(11, msg.judge.redis.command('CONFIG SET', [msg.judge.redis.changesConfig]))] }])
    expect(rec.stdout).toBe('')
    expect(await direct.config('GET', 'maxmemory-samples')).toEqual(before)
  })

  it('renders replies like redis-cli', async () => {
    const code = [
      'SET greeting "hello world"',
      'GET greeting',
      'GET missing',
      '# a comment',
      'RPUSH list a b "c d"',
      'LRANGE list 0 -1',
      'LRANGE nothing 0 -1',
      'TYPE list',
      'SET ok OK',
      'GET ok',
    ].join('\n')
    const { outcome, rec } = await runRedis(code, { destructive: true })
    expect(outcome.status).toBe('passed')
    expect(rec.questions).toEqual([])
    expect(rec.stdout).toBe(
      [
        '> SET greeting "hello world"',
        'OK',
        '> GET greeting',
        '"hello world"',
        '> GET missing',
        '(nil)',
        '> RPUSH list a b "c d"',
        '(integer) 3',
        '> LRANGE list 0 -1',
        '1) "a"\n2) "b"\n3) "c d"',
        '> LRANGE nothing 0 -1',
        '(empty array)',
        '> TYPE list',
        'list',
        '> SET ok OK',
        'OK',
        '> GET ok',
        '"OK"',
        '',
      ].join('\n'),
    )
    const rows = rec.tables[0]!.rows
    expect(rows.map((r) => r[0])).toEqual(['10', '11', '12', '14', '15', '16', '17', '18', '19'])
    expect(rows[4]).toEqual(['15', 'LRANGE list 0 -1', '1) "a"↵2) "b"↵3) "c d"'])
    expect(await direct.get('greeting')).toBe('hello world')
  })

  it('catches at run time a write the built-in table missed, and sends nothing without consent', async () => {
    const table = staleTable('set')
    const executor = createRedisExecutor({ table })
    executors.push(executor)
    await direct.set('k', 'before')
    const code = 'GET k\nSET k after\nGET k'
    const { outcome, rec, planned } = await runRedis(code, {}, { executor, table })
    expect(planned.destructive).toBe(false)
    expect(outcome.status).toBe('blocked')
    expect(outcome.reason).toBe(says.redisNotSent('no answer scripted', 11, 'SET k after'))
    expect(rec.questions).toEqual([{ kind: 'command', command: 'SET k after', reasons: [at(11, msg.judge.redis.command('SET', [msg.judge.redis.writesData]))] }])
    expect(rec.stdout).toBe('')
    expect(await direct.get('k')).toBe('before')

    const declined = await runRedis(code, {}, { executor, table, answer: () => ({ allow: false, status: 'declined', reason: 'operator said no' }) })
    expect(declined.outcome.status).toBe('declined')
    expect(await direct.get('k')).toBe('before')
  })

  it('runs such a command with consent and records it', async () => {
    const table = staleTable('set')
    const executor = createRedisExecutor({ table })
    executors.push(executor)
    const { outcome, rec } = await runRedis('SET k after\nGET k', {}, { executor, table, answer: (): Answer => ({ allow: true, consent }) })
    expect(outcome.status).toBe('passed')
    expect(outcome.consent).toEqual(consent)
    expect(rec.questions).toHaveLength(1)
    expect(await direct.get('k')).toBe('after')
  })

  it('falls back to the built-in table when the server table is not used', async () => {
    const executor = createRedisExecutor({ serverTable: false })
    executors.push(executor)
    // Planned with a table that calls DEL read-only; the built-in table still knows it at run time.
    const { outcome } = await runRedis('DEL k', {}, { executor, table: staleTable('del') })
    expect(outcome.status).toBe('blocked')
  })

  it('stops at the first error reply', async () => {
    const { outcome, rec } = await runRedis('PING\nNOSUCHCOMMAND arg\nSET after 1', { destructive: true })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason!.startsWith(at(11, says.redisCommandFailed('NOSUCHCOMMAND', 'ERR unknown command')))).toBe(true)
    expect(rec.stdout).toContain("(error) ERR unknown command 'NOSUCHCOMMAND'")
    expect(rec.tables[0]!.rows).toHaveLength(2)
    expect(await direct.exists('after')).toBe(0)
  })

  it('reports a wrong-type error', async () => {
    await direct.set('str', 'x')
    const { outcome, rec } = await runRedis('LLEN str')
    expect(outcome.status).toBe('failed')
    expect(rec.stdout).toContain('(error) WRONGTYPE')
  })

  it('fails on unbalanced quotes before sending anything', async () => {
    const { outcome, rec } = await runRedis('PING\nSET k "oops', { destructive: true })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason!.startsWith(says.redisUnreadable(at(11)))).toBe(true)
    expect(rec.stdout).toBe('')
  })

  it('names a missing URL variable', async () => {
    const { ctx } = makeContext(await plannedStep({ kind: 'redis', code: 'PING', attrs: { redis: 'CACHE_URL' } }), { env: { REDIS_URL } })
    const outcome = await standard.run(ctx)
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain('CACHE_URL')
  })

  it('fails fast when no server listens, naming host, port and db but not the password', async () => {
    const { ctx } = makeContext(await plannedStep({ kind: 'redis', code: 'PING' }), { env: { REDIS_URL: 'redis://:pa55word@127.0.0.1:1/13' } })
    const started = Date.now()
    const outcome = await standard.run(ctx)
    expect(Date.now() - started).toBeLessThan(3500)
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.redisWhere('127.0.0.1', '1', '13'))
    expect(outcome.reason).toContain('redis://:***@127.0.0.1:1/13')
    expect(outcome.reason).not.toContain('pa55word')
  })

  it('times out a blocking command and recovers on the next step', async () => {
    const { outcome, ms } = await runRedis('BLPOP nothing 0', { destructive: true }, { timeoutMs: 400 })
    expect(outcome.status).toBe('timed-out')
    expect(outcome.reason).toBe(at(10, says.redisTimedOut('400ms')))
    expect(ms).toBeLessThan(2000)
    const next = await runRedis('PING')
    expect(next.outcome.status).toBe('passed')
  })

  it('stops when interrupted', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const { outcome, ms } = await runRedis('BLPOP nothing 0', { destructive: true }, { signal: controller.signal })
    expect(outcome.status).toBe('interrupted')
    expect(ms).toBeLessThan(2000)
  })

  it('does not hand a SELECTed connection to the next step', async () => {
    const first = await runRedis('SELECT 14\nPING', { destructive: true })
    expect(first.outcome.status).toBe('passed')
    await direct.set('here', '13')
    const next = await runRedis('GET here')
    expect(next.rec.stdout).toContain('"13"')
  })
})

describe('redis-cli formatting', () => {
  it('nests arrays with aligned indexes', () => {
    const reply = [Buffer.from('a'), [Buffer.from('b'), 2, null], [], ...Array.from({ length: 8 }, (_, i) => i)]
    expect(formatRedisReply(reply)).toBe(
      [' 1) "a"', ' 2) 1) "b"', '    2) (integer) 2', '    3) (nil)', ' 3) (empty array)', ...Array.from({ length: 8 }, (_, i) => `${String(i + 4).padStart(2)}) (integer) ${i}`)].join('\n'),
    )
  })

  it('quotes binary and escapes like sdscatrepr, keeping readable UTF-8', () => {
    expect(quoteRedisString(Buffer.from([0x61, 0x00, 0xff, 0x0a, 0x22, 0x5c]))).toBe('"a\\x00\\xff\\n\\"\\\\"')
    expect(quoteRedisString('한글 ok')).toBe('"한글 ok"')
    expect(formatRedisCommand(['SET', 'a b', 'x'])).toBe('SET "a b" x')
    expect(formatRedisCommand(['SET', 'ko', '한글', ''])).toBe('SET ko 한글 ""')
    expect(formatRedisReply(Buffer.from('# Server\r\nredis_version:7\r\n'), ['INFO', 'server'])).toBe('# Server\nredis_version:7')
    expect(formatRedisReply(new Error('ERR boom'))).toBe('(error) ERR boom')
    expect(formatRedisReply(Buffer.from('PONG'), ['PING', 'PONG'])).toBe('"PONG"')
    expect(formatRedisReply(Array.from({ length: 5 }, () => 1), [], 2)).toBe(`1) (integer) 1\n2) (integer) 1\n${says.redisMoreElements(3)}`)
    expect(allMessages.en.executors.redisMoreElements(3)).toBe('… (3 more elements)')
    expect(allMessages.en.executors.redisMoreElements(1)).toBe('… (1 more element)')
  })
})
