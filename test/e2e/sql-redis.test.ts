// SQL and Redis on real connections: `sql` and `redis` steps and the `sql` / `redis` helpers of TS
// steps, through the real CLI (no TTY, as cron runs them) and in-process with the real prompts
// driven by @inquirer/testing. A scratch database rb_sqlredis_<random> with a table of 10 rows,
// and Redis keys under a random prefix in the test db (RB_TEST_REDIS_URL).
import { screen } from '@inquirer/testing/vitest'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { freePort } from '../../src/sandbox/servers.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook, type CliResult } from '../helpers/cli.js'

const { runRunbook } = await import('../../src/runner/run/run.js')
const { inquirerPrompts } = await import('../../src/runner/terminal/prompts.js')

const ADMIN_URL = process.env.RB_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const REDIS_URL = process.env.RB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/13'
const suffix = randomBytes(5).toString('hex')
const dbName = `rb_sqlredis_${suffix}`
const DB_URL = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`)
const K = `rb:sqlredis:${suffix}`

let db: pg.Client
let redis: Redis

async function rowCount(): Promise<number> {
  const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM items')
  return Number(r.rows[0]!.n)
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${dbName}`)
  await admin.end()
  db = new pg.Client({ connectionString: DB_URL })
  await db.connect()
  await db.query('CREATE TABLE items (id int PRIMARY KEY, v text)')
  // A write that no detection can see: only the server's read-only mode stops it.
  await db.query(`CREATE FUNCTION sneaky() RETURNS int AS $$ DELETE FROM items WHERE id > 5 RETURNING 1 $$ LANGUAGE sql`)
  redis = new Redis(REDIS_URL, { lazyConnect: true })
  await redis.connect()
})

beforeEach(async () => {
  await db.query('TRUNCATE items')
  await db.query(`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g`)
  const keys = await redis.keys(`${K}:*`)
  if (keys.length) await redis.del(...keys)
  await redis.set(`${K}:a`, 'one')
  await redis.set(`${K}:b`, 'two')
})

afterAll(async () => {
  const keys = (await redis?.keys(`${K}:*`)) ?? []
  if (keys.length) await redis.del(...keys)
  redis?.disconnect()
  await db?.end()
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
  await admin.end()
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
  test('a write hidden in a function is refused in a step not declared destructive; rows unchanged', async () => {
    const { r, report } = await run(fence('sql {id=hidden}', 'SELECT sneaky();'))
    expect(r.code).toBe(1)
    expect(stepStatus(report.json)).toEqual({ hidden: 'failed' })
    expect(reasonOf(report.json, 'hidden')).toMatch(/read-only transaction/)
    expect(reasonOf(report.json, 'hidden')).toMatch(/destructive/)
    expect(await rowCount()).toBe(10)
  })

  const CANARY = path.join(tempDir('rb-sqlredis-canary-'), 'canary')
  const escapes: [string, string][] = [
    ['COMMIT; DELETE', 'COMMIT;\nDELETE FROM items;'],
    ['SET TRANSACTION READ WRITE', 'SET TRANSACTION READ WRITE;\nSELECT sneaky();'],
    ['SET SESSION CHARACTERISTICS', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;\nSELECT sneaky();'],
    ['SET default_transaction_read_only = off', 'SET default_transaction_read_only = off;\nSELECT sneaky();'],
    ['RESET default_transaction_read_only', 'RESET default_transaction_read_only;\nSELECT sneaky();'],
    ['COPY … TO PROGRAM', `COPY (SELECT 1) TO PROGRAM 'touch ${CANARY}';`],
  ]
  test.each(escapes)('the read-only escape %s is refused, even with --yes, and lint reports it', async (_name, code) => {
    const { r, report, file } = await run(fence('sql {id=escape}', code), ['--yes'])
    expect(r.code).toBe(1)
    expect(stepStatus(report.json)).toEqual({ escape: 'failed' })
    expect(reasonOf(report.json, 'escape')).toMatch(/refused, nothing was executed/)
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

  test('max-rows refuses a too-wide DELETE even with --yes: rolled back, step failed, exit 1', async () => {
    const { r, report } = await run(fence('sql {id=purge destructive max-rows=3}', 'DELETE FROM items WHERE id > 3;'), ['--yes'])
    expect(r.code).toBe(1)
    expect(stepStatus(report.json)).toEqual({ purge: 'failed' })
    expect(reasonOf(report.json, 'purge')).toMatch(/max-rows=3/)
    expect(await rowCount()).toBe(10)
  })
})

describe('redis steps through the CLI', () => {
  test('a write (SET, DEL) in a step declared destructive is blocked without a TTY and --yes; data unchanged', async () => {
    const { r, report } = await run(fence('redis {id=writes destructive}', `SET ${K}:a changed\nDEL ${K}:b`))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ writes: 'blocked' })
    expect(await redis.get(`${K}:a`)).toBe('one')
    expect(await redis.get(`${K}:b`)).toBe('two')
  })

  test('an admin command (CONFIG SET, FLUSHDB) in a step declared destructive is blocked; data and config unchanged', async () => {
    const before = await redis.config('GET', 'slowlog-max-len')
    const { r, report } = await run(fence('redis {id=admin destructive}', 'CONFIG SET slowlog-max-len 4321\nFLUSHDB'))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ admin: 'blocked' })
    expect(await redis.config('GET', 'slowlog-max-len')).toEqual(before)
    expect(await redis.get(`${K}:a`)).toBe('one')
  })
})

describe('sql and redis in TS steps through the CLI', () => {
  test('reads in a step that is not destructive work; parameters are bound', async () => {
    const code = [
      `const rows = await sql\`SELECT id, v FROM items WHERE id <= \${3} OR v = \${"x' OR 1=1 --"} ORDER BY id\``,
      `check('three rows', rows.length === 3 && rows.count === 3 && rows.command === 'SELECT', JSON.stringify(rows))`,
      `check('redis read', (await redis.get('${K}:a')) === 'one')`,
      `const [[, a], [, b]] = await redis.pipeline().get('${K}:a').get('${K}:b').exec()`,
      `check('pipeline read', a === 'one' && b === 'two')`,
      'table(rows)',
    ].join('\n')
    const { r, report } = await run(fence('ts {id=reads}', code))
    expect(all(r)).not.toMatch(/failed ·/)
    expect(r.code).toBe(0)
    expect(report.json.steps[0]!.checks.every((c) => c.ok)).toBe(true)
    expect(report.json.steps[0]!.statements).toEqual([expect.objectContaining({ command: 'SELECT', rowCount: 3 })])
    expect(report.md).toMatch(/SQL/)
  })

  test('a sql write in a step that is not destructive is refused; rows unchanged', async () => {
    const body =
      fence('ts {id=hidden continue-on-error}', 'await sql`SELECT sneaky()`') +
      '\n' +
      fence('ts {id=vouched safe="test: the author overrides detection" continue-on-error}', 'await sql`DELETE FROM items`') +
      '\n' +
      fence('ts {id=escape destructive continue-on-error}', 'await sql`COMMIT`')
    const { r, report } = await run(body, ['--yes'])
    expect(r.code).toBe(1)
    expect(stepStatus(report.json)).toEqual({ hidden: 'failed', vouched: 'failed', escape: 'failed' })
    expect(reasonOf(report.json, 'hidden')).toMatch(/read-only transaction.*declare the step \{destructive\}/)
    expect(reasonOf(report.json, 'vouched')).toMatch(/read-only transaction/)
    expect(reasonOf(report.json, 'escape')).toMatch(/refused, nothing was executed/)
    expect(await rowCount()).toBe(10)
  })

  test('a redis write hidden from detection in a step that is not destructive is blocked; data unchanged', async () => {
    const { r, report } = await run(fence('ts {id=dyn}', `const name = ['s', 'e', 't'].join('')\nawait redis.call(name, '${K}:a', 'changed')`))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ dyn: 'blocked' })
    expect(reasonOf(report.json, 'dyn')).toMatch(/SET writes data/)
    expect(await redis.get(`${K}:a`)).toBe('one')
  })

  test('a pipeline with a hidden write is judged as a whole: nothing of it is sent', async () => {
    const code = `const name = 'del'\nawait redis.pipeline().set('${K}:c', 'x').call(name, '${K}:a').exec()`
    const { r, report } = await run(fence('ts {id=pipe safe="test"}', code))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ pipe: 'blocked' })
    expect(await redis.get(`${K}:a`)).toBe('one')
    expect(await redis.get(`${K}:c`)).toBeNull()
  })

  test('writes in a destructive step run with --yes; sql.begin commits as one', async () => {
    const code = [
      'const gone = await sql`DELETE FROM items WHERE id > ${8}`',
      `await redis.set('${K}:a', 'changed')`,
      "await sql.begin(async () => {\n  await sql`UPDATE items SET v = ${'renamed'} WHERE id = 1`\n  await sql`INSERT INTO items VALUES (100, 'new')`\n})",
      "check('deleted two', gone.count === 2 && gone.command === 'DELETE')",
    ].join('\n')
    const { r, report } = await run(fence('ts {id=writes destructive}', code), ['--yes'])
    expect(r.code).toBe(0)
    expect(stepStatus(report.json)).toEqual({ writes: 'passed' })
    expect(await rowCount()).toBe(9)
    expect((await db.query('SELECT v FROM items WHERE id = 1')).rows[0]).toEqual({ v: 'renamed' })
    expect(await redis.get(`${K}:a`)).toBe('changed')
    expect(report.json.steps[0]!.statements.map((s) => [s.command, s.rowCount])).toEqual([
      ['DELETE', 2],
      ['UPDATE', 1],
      ['INSERT', 1],
    ])
  })

  test("a step's timeout stops its sql statement on the server too", async () => {
    const body =
      fence('ts {id=slow timeout=2s continue-on-error}', 'await sql`SELECT pg_sleep(60)`') +
      '\n' +
      fence(
        'ts {id=after}',
        "const r = await sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE ${'%pg_sleep(60)%'} AND pid <> pg_backend_pid()`\ncheck('no statement left running', r[0].n === 0, JSON.stringify(r))",
      )
    const started = Date.now()
    const { r, report } = await run(body)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(r.code).toBe(1)
    expect(stepStatus(report.json)).toEqual({ slow: 'timed-out', after: 'passed' })
  })

  test('sql.begin rolls back when its callback throws', async () => {
    const code = "await sql.begin(async () => {\n  await sql`DELETE FROM items`\n  throw new Error('changed my mind')\n})"
    const { r, report } = await run(fence('ts {id=undo destructive}', code), ['--yes'])
    expect(r.code).toBe(1)
    expect(reasonOf(report.json, 'undo')).toMatch(/changed my mind/)
    expect(await rowCount()).toBe(10)
  })
})

describe('a stopped server', () => {
  test('fails fast with host, port and database named and no password: sql, redis and the TS helpers', async () => {
    const port = await freePort()
    const deadPg = `postgres://runner:s3cr3t-pw@127.0.0.1:${port}/appdb`
    const deadRedis = `redis://:s3cr3t-pw@127.0.0.1:${port}/4`
    const body = [
      fence('sql {id=pg-step continue-on-error}', 'SELECT 1;'),
      fence('redis {id=redis-step continue-on-error}', 'PING'),
      fence('ts {id=ts-sql continue-on-error}', 'await sql`SELECT 1`'),
      fence('ts {id=ts-redis continue-on-error}', "await redis.get('x')"),
    ].join('\n')
    const { dir, file, reports } = runbookFile(body)
    const started = Date.now()
    const r = await runCli(['run', file, '--reports', reports, '--set', `DATABASE_URL=${deadPg}`, '--set', `REDIS_URL=${deadRedis}`], { cwd: dir })
    expect(Date.now() - started).toBeLessThan(12_000)
    expect(r.code).toBe(1)
    const report = readReport(reportFiles(reports)[0]!)
    expect(stepStatus(report.json)).toEqual({ 'pg-step': 'failed', 'redis-step': 'failed', 'ts-sql': 'failed', 'ts-redis': 'failed' })
    for (const id of ['pg-step', 'ts-sql']) {
      expect(reasonOf(report.json, id)).toMatch(new RegExp(`host 127\\.0\\.0\\.1 port ${port} database appdb`))
    }
    for (const id of ['redis-step', 'ts-redis']) {
      expect(reasonOf(report.json, id)).toMatch(new RegExp(`host 127\\.0\\.0\\.1 port ${port} db 4`))
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
    const result = startInteractive(fence('ts {id=dyn}', `const name = 'set'\nawait redis.call(name, '${K}:a', 'changed')`))
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
