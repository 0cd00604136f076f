// SQL and Redis on real connections: `sql` and `redis` steps and the `sql` / `redis` helpers of TS
// steps, through the real CLI (no TTY, as cron runs them) and in-process with the real prompts
// driven by @inquirer/testing. A scratch database rb_sqlredis_<random> with a table of 10 rows,
// and Redis keys under a random prefix in the test db (RB_TEST_REDIS_URL). What the executors do
// on their own (refusals, max-rows, rendering, the TS helpers' checks, timeouts) is tested
// in-process in test/executors/; here each promise is kept once through the binary.
import { screen } from '@inquirer/testing/vitest'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import type { Redis } from 'ioredis'
import type pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { freePort } from '../../src/sandbox/servers.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook, type CliResult } from '../helpers/cli.js'
import { clearKeys, connectRedis, createItems, expectWritesCommitted, itemCount, randomSuffix, REDIS_URL, resetItems, resetKeys, scratchDatabase, writesStepCode } from '../helpers/servers.js'

// The runner's own single-key prompt drawn on the same test screen as the library's prompts.
vi.mock('../../src/runner/terminal/key-prompt.js', async (importOriginal) => {
  const { wrapPrompt } = await import('@inquirer/testing/vitest')
  const actual = await importOriginal<typeof import('../../src/runner/terminal/key-prompt.js')>()
  return { ...actual, keyPrompt: wrapPrompt(actual.keyPrompt as never) }
})

const { runRunbook } = await import('../../src/runner/run/run.js')
const { inquirerPrompts } = await import('../../src/runner/terminal/prompts.js')

const suffix = randomSuffix()
const database = scratchDatabase(`rb_sqlredis_${suffix}`)
const DB_URL = database.url
const K = `rb:sqlredis:${suffix}`

let db: pg.Client
let redis: Redis

const rowCount = (): Promise<number> => itemCount(db)

beforeAll(async () => {
  db = await database.create()
  await createItems(db)
  redis = await connectRedis()
})

beforeEach(async () => {
  await resetItems(db)
  await resetKeys(redis, K)
})

afterAll(async () => {
  await clearKeys(redis, K)
  redis?.disconnect()
  await db?.end()
  await database.drop()
})

function runbookFile(body: string, name = 'rb.md') {
  const dir = tempDir('rb-sqlredis-')
  const file = writeRunbook(dir, name, `# SQL and Redis\n\n${body}`)
  return { dir, file, reports: path.join(dir, 'reports') }
}

const fence = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`

async function run(body: string, args: string[] = [], env: Record<string, string> = {}) {
  const { dir, file, reports } = runbookFile(body)
  const r = await runCli(['run', file, '--reports', reports, '--set', `DATABASE_URL=${DB_URL}`, '--set', `REDIS_URL=${REDIS_URL}`, ...args], { env })
  const [report] = reportFiles(reports)
  if (!report) throw new Error(`no report was written:\n${r.stdout}\n${r.stderr}`)
  return { r, dir, file, report: readReport(report), reportPath: report }
}

function reasonOf(json: { steps: { id: string; reason?: string }[] }, id: string): string {
  return json.steps.find((s) => s.id === id)?.reason ?? ''
}

function all(r: CliResult): string {
  return `${r.stdout}\n${r.stderr}`
}

describe('sql steps through the CLI', () => {
  // The other read-only escapes (COMMIT, SET TRANSACTION, default_transaction_read_only …) and a
  // write hidden in a function: test/executors/sql.test.ts.
  const CANARY = path.join(tempDir('rb-sqlredis-canary-'), 'canary')
  test('a read-only escape (COPY … TO PROGRAM) is refused, even with --yes, and lint reports it', async () => {
    const code = `COPY (SELECT 1) TO PROGRAM 'touch ${CANARY}';`
    const { r, report, file } = await run(fence('sql {id=escape}', code), ['--yes'])
    expect(r.code).toBe(1)
    expect(stepStatus(report.json)).toEqual({ escape: 'failed' })
    expect(reasonOf(report.json, 'escape')).toContain(msg.executors.sqlRefused(''))
    expect(report.json.steps[0]!.statements).toEqual([])
    expect(await rowCount()).toBe(10)
    expect(existsSync(CANARY)).toBe(false)
    const lint = await runCli(['lint', file])
    expect(lint.code).toBe(1)
    expect(all(lint)).toMatch(/refused/)
  })

  test('--dry-run previews a destructive DELETE: rows stay, the report shows the count, exit 0', async () => {
    const { r, report } = await run(fence('sql {id=purge destructive="old items"}', 'DELETE FROM items WHERE id > 3;'), ['--dry-run'])
    expect(r.code).toBe(0)
    expect(stepStatus(report.json)).toEqual({ purge: 'previewed' })
    expect(report.json.steps[0]!.statements).toEqual([expect.objectContaining({ command: 'DELETE', rowCount: 7 })])
    expect(report.md).toMatch(/previewed/)
    expect(report.md).toMatch(/DELETE[^\n]*7/)
    expect(await rowCount()).toBe(10)
  })

  test('--yes commits a destructive DELETE', async () => {
    const { r, report } = await run(fence('sql {id=purge destructive="old items"}', 'DELETE FROM items WHERE id > 3;'), ['--yes'])
    expect(r.code).toBe(0)
    expect(stepStatus(report.json)).toEqual({ purge: 'passed' })
    expect(report.json.steps[0]!.consent).toMatchObject({ by: 'flag' })
    expect(await rowCount()).toBe(3)
  })
})

describe('redis steps through the CLI', () => {
  test('writes (SET, DEL) and admin commands (CONFIG SET, FLUSHDB) in a step declared destructive are blocked without a TTY and --yes; data and config unchanged', async () => {
    const before = await redis.config('GET', 'slowlog-max-len')
    const { r, report } = await run(fence('redis {id=writes destructive}', `SET ${K}:a changed\nDEL ${K}:b\nCONFIG SET slowlog-max-len 4321\nFLUSHDB`))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ writes: 'blocked' })
    expect(await redis.get(`${K}:a`)).toBe('one')
    expect(await redis.get(`${K}:b`)).toBe('two')
    expect(await redis.config('GET', 'slowlog-max-len')).toEqual(before)
  })
})

describe('sql and redis in TS steps through the CLI', () => {
  // Reads, refused writes, hidden Redis writes, pipelines, timeouts and sql.begin rollbacks of the
  // TS helpers: test/executors/ts-clients.test.ts (in-process, the same worker).
  test('writes in a destructive step run with --yes; sql.begin commits as one', async () => {
    const code = writesStepCode(K)
    const { r, report } = await run(fence('ts {id=writes destructive}', code), ['--yes'])
    expect(r.code).toBe(0)
    expect(stepStatus(report.json)).toEqual({ writes: 'passed' })
    await expectWritesCommitted(db, redis, K, report.json.steps[0]!.statements)
  })
})

describe('a stopped server', () => {
  test('fails fast with host, port and database named and no password: sql, redis and the TS helpers', async () => {
    const port = await freePort()
    const deadPg = `postgres://runner:s3cr3t-pw@127.0.0.1:${port}/appdb`
    const deadRedis = `redis://:s3cr3t-pw@127.0.0.1:${port}/4`
    const body = [
      fence('sql {id=pg-step keep-going}', 'SELECT 1;'),
      fence('redis {id=redis-step keep-going}', 'PING'),
      fence('ts {id=ts-sql keep-going}', 'await sql`SELECT 1`'),
      fence('ts {id=ts-redis keep-going}', "await redis.get('x')"),
    ].join('\n')
    const { dir, file, reports } = runbookFile(body)
    const started = Date.now()
    const r = await runCli(['run', file, '--reports', reports, '--set', `DATABASE_URL=${deadPg}`, '--set', `REDIS_URL=${deadRedis}`], { cwd: dir })
    expect(Date.now() - started).toBeLessThan(12_000)
    expect(r.code).toBe(1)
    const report = readReport(reportFiles(reports)[0]!)
    expect(stepStatus(report.json)).toEqual({ 'pg-step': 'failed', 'redis-step': 'failed', 'ts-sql': 'failed', 'ts-redis': 'failed' })
    for (const id of ['pg-step', 'ts-sql']) {
      expect(reasonOf(report.json, id)).toContain(msg.executors.pgWhere('127.0.0.1', String(port), 'appdb'))
    }
    for (const id of ['redis-step', 'ts-redis']) {
      expect(reasonOf(report.json, id)).toContain(msg.executors.redisWhere('127.0.0.1', String(port), '4'))
    }
    for (const text of [all(r), report.md, JSON.stringify(report.json), report.log ?? '']) expect(text).not.toContain('s3cr3t-pw')
  })
})

// ---------------------------------------------------------------------------------------------
// At a terminal: the real prompts, driven through @inquirer/testing's screen.

function terminal(): NodeJS.WriteStream {
  return new PassThrough().resume() as unknown as NodeJS.WriteStream
}

function startInteractive(body: string) {
  const { file, reports } = runbookFile(body)
  return runRunbook({
    file,
    reports,
    prompts: inquirerPrompts(),
    operator: 'Lee Oncall <lee@example.com>',
    out: terminal(),
    sets: { DATABASE_URL: DB_URL, REDIS_URL },
  })
}

const UP = { name: 'up' }
const DOWN = { name: 'down' }
const ENTER = { name: 'enter' }

describe('at a terminal', () => {
  const purge = fence('sql {id=purge destructive="old items"}', 'DELETE FROM items WHERE id > 3;')

  test('declining the commit rolls back: the rows stay', async () => {
    const result = startInteractive(purge)
    await screen.next()
    expect(screen.getScreen()).toContain('purge: 실행할까요?')
    screen.keypress(UP) // from the default "skip" to "run"
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toMatch(/커밋할까요/)
    screen.keypress(ENTER) // the default: roll back
    const { record, exitCode } = await result
    expect(exitCode).toBe(3)
    expect(record.steps[0]!.status).toBe('declined')
    expect(record.steps[0]!.statements).toEqual([expect.objectContaining({ command: 'DELETE', rowCount: 7 })])
    expect(await rowCount()).toBe(10)
  })

  test('committing applies the DELETE and records the operator', async () => {
    const result = startInteractive(purge)
    await screen.next()
    screen.keypress(UP)
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toMatch(/커밋할까요/)
    screen.keypress(DOWN) // commit
    screen.keypress(ENTER)
    const { record, exitCode } = await result
    expect(exitCode).toBe(0)
    expect(record.steps[0]!.status).toBe('passed')
    expect(record.steps[0]!.consent).toMatchObject({ by: 'operator', who: 'Lee Oncall <lee@example.com>' })
    expect(await rowCount()).toBe(3)
  })

  test('a redis write found at run time in a TS step is asked; the operator allows it', async () => {
    // A command from a value cannot be proven read-only at plan time; the author's `safe` puts the
    // step past the plan, and the run-time check still finds the write.
    const result = startInteractive(fence('ts {id=dyn safe="the author says it only reads"}', `const name = 'set'\nawait redis.call(name, '${K}:a', 'changed')`))
    await screen.next()
    expect(screen.getScreen()).toContain('dyn: 실행할까요?')
    screen.keypress(ENTER) // run (the default for a safe step)
    await screen.next()
    expect(screen.getScreen()).toMatch(/이 명령을 실행할까요/)
    screen.type('y')
    screen.keypress(ENTER)
    const { record, exitCode } = await result
    expect(exitCode).toBe(0)
    expect(record.steps[0]!.consent).toMatchObject({ by: 'operator' })
    expect(record.steps[0]!.consent!.how).toMatch(/SET/)
    expect(await redis.get(`${K}:a`)).toBe('changed')
  })
})
