// A write the built-in table gets wrong is still caught at run time, by the real server's own
// command table (COMMAND INFO): for `redis` steps and for the `redis` client of TS steps. A stale
// built-in table that calls SET read-only is injected — so plan-time detection misses the write —
// against the real Redis at RB_TEST_REDIS_URL (keys under a random prefix).
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createRedisExecutor } from '../../src/runner/executors/redis.js'
import { beginStep, closeClients, endStep, stepGlobals, type ClientStep } from '../../src/runner/executors/ts/clients.js'
import { detectRedis, STATIC_REDIS_TABLE, type RedisCommandTable } from '../../src/runner/judge/redis.js'
import { detectTs } from '../../src/runner/judge/ts.js'
import type { Question } from '../../src/runner/model/run-record.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { consent, makeContext, plannedStep } from '../executors/context.js'
import { clearKeys, connectRedis, randomSuffix, REDIS_URL } from '../helpers/servers.js'

/** Names the reduced table was asked about (proves the code under test used it). */
const consulted = new Set<string>()

/** The built-in table with SET as a read, injected where the real one is the default. */
const reduced: RedisCommandTable = {
  get: (name) => {
    consulted.add(name)
    return name === 'set' ? { flags: ['readonly'], categories: ['@read'] } : STATIC_REDIS_TABLE.get(name)
  },
}

const K = `rb:runtime:${randomSuffix()}`
const writesSet = msg.judge.redis.command('SET', [msg.judge.redis.writesData])

let direct: Redis

beforeAll(async () => {
  direct = await connectRedis()
})

beforeEach(async () => {
  await clearKeys(direct, K)
  await direct.set(`${K}:a`, 'one')
  consulted.clear()
})

afterAll(async () => {
  await clearKeys(direct, K)
  await closeClients()
  direct?.disconnect()
})

describe('a write the built-in table gets wrong', () => {
  it('the stale table really calls SET a read, so plan-time detection misses the write', async () => {
    expect(reduced.get('set')?.flags).toEqual(['readonly'])
    expect(reduced.get('del')).toBeDefined()
    expect(detectRedis(`GET ${K}:a\nSET ${K}:a changed`, reduced).destructive).toBe(false)
    expect((await detectTs(`await redis.set('${K}:a', 'changed')`, 'ts', reduced)).destructive).toBe(false)
  })

  it('in a redis step is caught by the server table: blocked before anything is sent', async () => {
    const code = `GET ${K}:a\nSET ${K}:a changed`
    const detection = detectRedis(code, reduced)
    const executor = createRedisExecutor({ table: reduced })
    try {
      const planned = await plannedStep({ kind: 'redis', code, detection })
      const { ctx, rec } = makeContext(planned, { env: { REDIS_URL } })
      const outcome = await executor.run(ctx)
      expect(planned.destructive).toBe(false)
      expect(outcome.status).toBe('blocked')
      expect(rec.questions).toHaveLength(1)
      expect((rec.questions[0] as Extract<Question, { kind: 'command' }>).reasons.join('\n')).toContain(writesSet)
      expect(rec.stdout).not.toMatch(/GET/) // judged before anything was sent
      expect(await direct.get(`${K}:a`)).toBe('one')

      // With consent the same command runs: the table only decides what is asked.
      const allowed = makeContext(planned, { env: { REDIS_URL }, answer: () => ({ allow: true, consent }) })
      expect((await executor.run(allowed.ctx)).status).toBe('passed')
      expect(await direct.get(`${K}:a`)).toBe('changed')
    } finally {
      await executor.close?.()
    }
  })

  it('in a TS step is caught by the server table: the call is put to the operator, and not sent when denied', async () => {
    const gated: { command: string; reasons: string[] }[] = []
    const step: ClientStep = {
      runId: 1,
      env: { REDIS_URL },
      destructive: false,
      safe: false,
      dbVar: 'DATABASE_URL',
      redisVar: 'REDIS_URL',
      timeoutMs: 10_000,
      applicationName: 'runbook-test',
      connectionName: 'runbook-test',
      redisTable: reduced,
      gate: (command, reasons) => {
        gated.push({ command, reasons })
        throw new Error('denied by the test')
      },
      blocked: () => undefined,
      post: () => undefined,
    }
    beginStep(step)
    try {
      const redis = stepGlobals(step).redis as Redis
      expect(await redis.get(`${K}:a`)).toBe('one')
      await expect(redis.set(`${K}:a`, 'changed')).rejects.toThrow('denied by the test')
    } finally {
      endStep(step)
    }
    expect(gated).toHaveLength(1)
    expect(gated[0]!.reasons.join('\n')).toContain(writesSet)
    expect(consulted.size).toBeGreaterThan(0) // the client judged with the reduced built-in table
    expect(await direct.get(`${K}:a`)).toBe('one')
  })
})
