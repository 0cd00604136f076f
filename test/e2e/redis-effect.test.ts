// Redis judged by effect, through the real binary without a TTY and without --yes (as cron runs
// it), against the real Redis at RB_TEST_REDIS_URL (keys under a random prefix). The read-only
// diagnostics the guide uses run without a question, in a `redis` step, as redis-cli lines of a
// bash step and through the redis client of a TS step; commands that change the server or reach
// other connections are blocked (exit 3) with the data, the configuration and the victims
// unchanged; KEYS gets a lint warning naming SCAN.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'
import { clearKeys, connectRedis, randomSuffix, REDIS_URL } from '../helpers/servers.js'

const K = `rb:effect:${randomSuffix()}`
const fence = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`

let redis: Redis

beforeAll(async () => {
  redis = await connectRedis()
})

beforeEach(async () => {
  await clearKeys(redis, K)
  await redis.set(`${K}:a`, 'one')
})

afterAll(async () => {
  await clearKeys(redis, K)
  redis?.disconnect()
})

async function run(body: string) {
  const dir = tempDir('rb-redis-effect-')
  const file = writeRunbook(dir, 'rb.md', `# Redis by effect\n\n${body}`)
  const reports = path.join(dir, 'reports')
  const r = await runCli(['run', file, '--reports', reports, '--set', `REDIS_URL=${REDIS_URL}`])
  const [report] = reportFiles(reports)
  if (!report) throw new Error(`no report was written:\n${r.stdout}\n${r.stderr}`)
  return { r, file, report: readReport(report) }
}

const output = (json: { steps: { id: string; output: string }[] }, id: string): string => json.steps.find((s) => s.id === id)?.output ?? ''
const reason = (json: { steps: { id: string; reason?: string }[] }, id: string): string => json.steps.find((s) => s.id === id)?.reason ?? ''

const DIAGNOSTICS = ['INFO memory', 'CONFIG GET maxmemory', 'CLIENT LIST', 'SLOWLOG GET 10']

describe('read-only diagnostics run without a question', () => {
  test('in a redis step and as redis-cli lines of a bash step: exit 0, output recorded', async () => {
    const cli = DIAGNOSTICS.map((c) => `redis-cli -u "$REDIS_URL" ${c}`).join('\n')
    const { r, report } = await run(`${fence('redis {id=diag}', DIAGNOSTICS.join('\n'))}\n${fence('bash {id=diag-cli}', cli)}`)
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
    expect(stepStatus(report.json)).toEqual({ diag: 'passed', 'diag-cli': 'passed' })
    for (const id of ['diag', 'diag-cli']) {
      const out = output(report.json, id)
      expect(out, id).toContain('used_memory:')
      expect(out, id).toContain('maxmemory')
      expect(out, id).toMatch(/id=\d+ addr=/)
      expect(report.json.steps.find((s) => s.id === id)?.consent, id).toBeUndefined()
    }
  })

  test('through the redis client of a TS step too', async () => {
    const code = [
      "console.log(String(await redis.info('memory')).includes('used_memory:') ? 'info ok' : 'info missing')",
      "console.log(JSON.stringify(await redis.config('GET', 'maxmemory')))",
      "console.log(String(await redis.client('LIST')).split(' ')[0])",
      "console.log(JSON.stringify(await redis.call('SLOWLOG', 'GET', '10')).length > 0 ? 'slowlog ok' : 'slowlog missing')",
    ].join('\n')
    const { r, report } = await run(fence('ts {id=diag-ts}', code))
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
    expect(stepStatus(report.json)).toEqual({ 'diag-ts': 'passed' })
    const out = output(report.json, 'diag-ts')
    expect(out).toContain('info ok')
    expect(out).toContain('["maxmemory",')
    expect(out).toMatch(/id=\d+/)
    expect(out).toContain('slowlog ok')
  })
})

describe('commands that change the server are blocked without a TTY', () => {
  test('CONFIG SET in a redis step: exit 3, the configuration unchanged', async () => {
    const before = await redis.config('GET', 'maxmemory-samples')
    const { r, report } = await run(fence('redis {id=tune}', 'CONFIG GET maxmemory-samples\nCONFIG SET maxmemory-samples 9'))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ tune: 'blocked' })
    expect(await redis.config('GET', 'maxmemory-samples')).toEqual(before)
  })

  test('CLIENT KILL of a victim connection, in a redis step and through redis-cli: the victim lives', async () => {
    const victim = new Redis(REDIS_URL, { connectionName: `${K}:victim`.replace(/:/g, '-'), maxRetriesPerRequest: 0, retryStrategy: () => null })
    try {
      const id = Number(await victim.client('ID'))
      const { r, report } = await run(`${fence('redis {id=kill}', `CLIENT KILL ID ${id}`)}\n${fence('bash {id=kill-cli}', `redis-cli -u "$REDIS_URL" CLIENT KILL ID ${id}`)}`)
      expect(r.code).toBe(3)
      expect(stepStatus(report.json)).toEqual({ kill: 'blocked', 'kill-cli': 'not-run' })
      expect(await victim.ping()).toBe('PONG')
      expect(Number(await victim.client('ID'))).toBe(id)
    } finally {
      victim.disconnect()
    }

    const victim2 = new Redis(REDIS_URL, { maxRetriesPerRequest: 0, retryStrategy: () => null })
    try {
      const id = Number(await victim2.client('ID'))
      const { r, report } = await run(fence('bash {id=kill-cli}', `redis-cli -u "$REDIS_URL" CLIENT KILL ID ${id}`))
      expect(r.code).toBe(3)
      expect(stepStatus(report.json)).toEqual({ 'kill-cli': 'blocked' })
      expect(Number(await victim2.client('ID'))).toBe(id)
    } finally {
      victim2.disconnect()
    }
  })

  test('PUBLISH with a subscriber listening: blocked, the subscriber hears nothing', async () => {
    const subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: 0, retryStrategy: () => null })
    const heard: string[] = []
    try {
      subscriber.on('message', (_channel: string, message: string) => heard.push(message))
      await subscriber.subscribe(`${K}:deploys`)
      // The subscriber really listens: a message from the test arrives.
      await redis.publish(`${K}:deploys`, 'probe')
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(heard).toEqual(['probe'])
      const { r, report } = await run(fence('redis {id=announce}', `PUBLISH ${K}:deploys done`))
      expect(r.code).toBe(3)
      expect(stepStatus(report.json)).toEqual({ announce: 'blocked' })
      expect(reason(report.json, 'announce')).not.toBe('')
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(heard).toEqual(['probe'])
    } finally {
      subscriber.disconnect()
    }
  })

  test('SLOWLOG RESET: blocked, the slow log keeps its entries', async () => {
    // A command slower than the default 10 ms threshold puts an entry into the slow log.
    await redis.eval('local n = 0 for i = 1, 3000000 do n = n + i end return n', 0)
    const before = await redis.call('SLOWLOG', 'LEN')
    expect(Number(before)).toBeGreaterThan(0)
    const { r, report } = await run(fence('redis {id=reset}', 'SLOWLOG LEN\nSLOWLOG RESET'))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ reset: 'blocked' })
    expect(Number(await redis.call('SLOWLOG', 'LEN'))).toBeGreaterThanOrEqual(Number(before))
  })

  test('an unknown command: blocked before anything is sent, named as unknown', async () => {
    const { r, report } = await run(fence('redis {id=odd}', `GET ${K}:a\nFOO.BAR ${K}:a`))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ odd: 'blocked' })
    expect(`${r.stdout}\n${r.stderr}\n${report.md}`).toContain(msg.judge.redis.command('FOO.BAR', [msg.judge.redis.unknownCommand]))
    expect(output(report.json, 'odd')).not.toContain('one')
    expect(await redis.get(`${K}:a`)).toBe('one')
  })
})

describe('slow commands', () => {
  test('KEYS gets a lint warning naming SCAN; lint still exits 0', async () => {
    const dir = tempDir('rb-redis-effect-lint-')
    const file = writeRunbook(dir, 'rb.md', `# Redis lint\n\n${fence('redis {id=sessions}', 'KEYS session:*')}\n${fence('bash {id=sessions-cli}', 'redis-cli -u "$REDIS_URL" KEYS "session:*" | wc -l')}`)
    const lint = await runCli(['lint', file])
    expect(lint.code, `${lint.stdout}\n${lint.stderr}`).toBe(0)
    const text = `${lint.stdout}\n${lint.stderr}`
    expect(text).toContain(msg.judge.redis.slowCommand('sessions', 'KEYS', 'SCAN'))
    expect(text).toContain(msg.judge.redis.slowCommand('sessions-cli', 'KEYS', 'SCAN'))
    expect(text).toContain('redis-slow-command')
  })

  test('redis-cli is on this machine (the bash steps above use the real one)', () => {
    expect(execFileSync('redis-cli', ['--version'], { encoding: 'utf8' })).toMatch(/redis-cli 7\./)
  })
})
