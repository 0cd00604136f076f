// The `sql` and `redis` helpers of TS steps, in-process through the TS executor (its worker thread
// is dist/ts-worker.js) against the real PostgreSQL and Redis: a scratch database with a table of
// 10 rows, and Redis keys under a random prefix in the test db (RB_TEST_REDIS_URL).
import type { Redis } from 'ioredis'
import type pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTsExecutor } from '../../src/runner/executors/ts.js'
import type { StepAttributes } from '../../src/runner/model/runbook.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { clearKeys, connectRedis, createItems, expectWritesCommitted, itemCount, randomSuffix, REDIS_URL, resetItems, resetKeys, scratchDatabase, writesStepCode } from '../helpers/servers.js'
import { buildWorker } from './build-worker.js'
import { makeContext, plannedStep, type ContextOptions } from './context.js'

const suffix = randomSuffix()
const database = scratchDatabase(`rb_tsclients_${suffix}`)
const DB_URL = database.url
const K = `rb:tsclients:${suffix}`
const says = msg.executors

const executor = createTsExecutor()
let db: pg.Client
let redis: Redis

const rowCount = (): Promise<number> => itemCount(db)

async function runTs(code: string, attrs: StepAttributes = {}, options: ContextOptions = {}) {
  const planned = await plannedStep({ kind: 'ts', code, attrs })
  const { ctx, rec } = makeContext(planned, { env: { DATABASE_URL: DB_URL, REDIS_URL }, ...options })
  const outcome = await executor.run(ctx)
  return { outcome, rec }
}

beforeAll(async () => {
  await buildWorker()
  db = await database.create()
  await createItems(db)
  // A write that no detection can see: only the server's read-only mode stops it.
  await db.query(`CREATE FUNCTION sneaky() RETURNS int AS $$ DELETE FROM items WHERE id > 5 RETURNING 1 $$ LANGUAGE sql`)
  redis = await connectRedis()
})

beforeEach(async () => {
  await resetItems(db)
  await resetKeys(redis, K)
})

afterAll(async () => {
  await executor.close?.()
  await clearKeys(redis, K)
  redis?.disconnect()
  await db?.end()
  await database.drop()
})

describe('sql and redis in TS steps', () => {
  it('reads in a step that is not destructive; parameters are bound; calls are recorded', async () => {
    const code = [
      `const rows = await sql\`SELECT id, v FROM items WHERE id <= \${3} OR v = \${"x' OR 1=1 --"} ORDER BY id\``,
      `check('three rows', rows.length === 3 && rows.count === 3 && rows.command === 'SELECT', JSON.stringify(rows))`,
      `check('redis read', (await redis.get('${K}:a')) === 'one')`,
      `const [[, a], [, b]] = await redis.pipeline().get('${K}:a').get('${K}:b').exec()`,
      `check('pipeline read', a === 'one' && b === 'two')`,
      'table(rows)',
    ].join('\n')
    const { outcome, rec } = await runTs(code)
    expect(outcome.status).toBe('passed')
    expect(rec.checks.map((c) => [c.name, c.ok])).toEqual([
      ['three rows', true],
      ['redis read', true],
      ['pipeline read', true],
    ])
    expect(rec.statements).toEqual([expect.objectContaining({ command: 'SELECT', rowCount: 3, line: 10 })])
    expect(rec.tables[0]!.rows).toHaveLength(3)
    expect(rec.questions).toEqual([])
  })

  it('refuses a sql write in a step that is not destructive, even one declared safe; rows unchanged', async () => {
    // The judge cannot prove sneaky() read-only: refused before it runs…
    const unproven = await runTs('await sql`SELECT sneaky()`')
    expect(unproven.outcome.status).toBe('failed')
    expect(unproven.outcome.reason).toContain(msg.judge.sql.unknownFunction('sneaky'))
    // …and declared safe, the read-only transaction still stops its write.
    const hidden = await runTs('await sql`SELECT sneaky()`', { safe: 'test: the read-only transaction is the backstop' })
    expect(hidden.outcome.status).toBe('failed')
    expect(hidden.outcome.reason).toContain(says.sqlCallWritesInReadOnly)
    const vouched = await runTs('await sql`DELETE FROM items`', { safe: 'test: the author overrides detection' })
    expect(vouched.outcome.status).toBe('failed')
    expect(vouched.outcome.reason).toContain(says.sqlCallWritesInReadOnly)
    const escape = await runTs('await sql`COMMIT`', { destructive: true })
    expect(escape.outcome.status).toBe('failed')
    expect(escape.outcome.reason).toContain(`sql: ${says.sqlRefused('')}`)
    expect(await rowCount()).toBe(10)
  })

  it('refuses a destructive sql call before it runs, and one call with two statements', async () => {
    const destructive = await runTs('await sql`DELETE FROM items`')
    expect(destructive.outcome.status).toBe('failed')
    expect(destructive.outcome.reason).toContain(says.sqlDestructiveInReadOnly(''))
    const two = await runTs('await sql`SELECT 1; SELECT 2`', { destructive: true })
    expect(two.outcome.reason).toContain(says.sqlOneStatement)
    expect(await rowCount()).toBe(10)
  })

  it('asks about a redis write hidden from detection; without consent it is blocked and not sent', async () => {
    const { outcome, rec } = await runTs(`const name = ['s', 'e', 't'].join('')\nawait redis.call(name, '${K}:a', 'changed')`)
    expect(outcome.status).toBe('blocked')
    expect(rec.questions).toEqual([
      { kind: 'command', command: `SET ${K}:a changed`, reasons: [`redis: ${msg.judge.redis.command('SET', [msg.judge.redis.writesData])}`, says.redisConsentCovers('SET')] },
    ])
    expect(await redis.get(`${K}:a`)).toBe('one')
  })

  it('judges a pipeline with a hidden write as a whole: nothing of it is sent', async () => {
    const code = `const name = 'del'\nawait redis.pipeline().set('${K}:c', 'x').call(name, '${K}:a').exec()`
    const { outcome } = await runTs(code, { safe: 'test' })
    expect(outcome.status).toBe('blocked')
    expect(await redis.get(`${K}:a`)).toBe('one')
    expect(await redis.get(`${K}:c`)).toBeNull()
  })

  it('runs writes in a destructive step; sql.begin commits as one', async () => {
    const code = writesStepCode(K)
    const { outcome, rec } = await runTs(code, { destructive: true })
    expect(outcome.status).toBe('passed')
    expect(rec.questions).toEqual([])
    await expectWritesCommitted(db, redis, K, rec.statements)
  })

  it('rolls sql.begin back when its callback throws', async () => {
    const code = "await sql.begin(async () => {\n  await sql`DELETE FROM items`\n  throw new Error('changed my mind')\n})"
    const { outcome } = await runTs(code, { destructive: true })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain('changed my mind')
    expect(await rowCount()).toBe(10)
  })

  it("stops the step's sql statement on the server when the step times out", async () => {
    const { outcome } = await runTs('await sql`SELECT pg_sleep(60)`', {}, { timeoutMs: 1500 })
    expect(outcome.status).toBe('timed-out')
    const left = async () =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()`)).rows[0]!.n)
    for (let i = 0; i < 30 && (await left()) > 0; i++) await new Promise((r) => setTimeout(r, 100))
    expect(await left()).toBe(0)
    const after = await runTs("check('sql works again', (await sql`SELECT 1 AS one`)[0].one === 1)")
    expect(after.outcome.status).toBe('passed')
  })

  it('names host, port and database of a server that is not there, never the password', async () => {
    const env = { DATABASE_URL: 'postgres://runner:s3cr3t-pw@127.0.0.1:1/appdb', REDIS_URL: 'redis://:s3cr3t-pw@127.0.0.1:1/4' }
    const started = performance.now()
    const pgStep = await runTs('await sql`SELECT 1`', {}, { env })
    const redisStep = await runTs("await redis.get('x')", {}, { env })
    expect(performance.now() - started).toBeLessThan(12_000)
    expect(pgStep.outcome.status).toBe('failed')
    expect(pgStep.outcome.reason).toContain(says.pgWhere('127.0.0.1', '1', 'appdb'))
    expect(redisStep.outcome.status).toBe('failed')
    expect(redisStep.outcome.reason).toContain(says.redisWhere('127.0.0.1', '1', '4'))
    for (const step of [pgStep, redisStep]) expect(JSON.stringify(step)).not.toContain('s3cr3t-pw')
  })

  it('names a missing URL variable', async () => {
    const { outcome } = await runTs('await sql`SELECT 1`', { db: 'REPORTING_DB' })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.urlNotSet('PostgreSQL', 'REPORTING_DB', 'db'))
  })
})
