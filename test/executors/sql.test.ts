// The sql executor against the real PostgreSQL on 127.0.0.1:5432, in a scratch database.
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { detectSql } from '../../src/runner/judge/sql.js'
import { createSqlExecutor } from '../../src/runner/executors/sql.js'
import { compactJson, formatTextTable, isoTimestamptz, renderSqlCell } from '../../src/runner/executors/sql/render.js'
import { allMessages, msg } from '../../src/runner/terminal/messages/index.js'
import type { StepAttributes } from '../../src/runner/model/runbook.js'
import type { Answer } from '../../src/runner/model/run-record.js'
import { randomSuffix, scratchDatabase } from '../helpers/servers.js'
import { consent, makeContext, plannedStep, type ContextOptions } from './context.js'

const database = scratchDatabase(`rb_test_${randomSuffix()}`)
const DB_URL = database.url

const executor = createSqlExecutor()
const says = msg.executors
/** A reason that starts at this file line. */
const at = (line: number, rest = '') => `${says.atLine(line)}${rest}`
let db: pg.Client

async function count(table = 't'): Promise<number> {
  const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)
  return Number(r.rows[0]!.n)
}

async function runSql(code: string, attrs: StepAttributes = {}, options: ContextOptions & { id?: string } = {}) {
  const detection = await detectSql(code)
  const planned = await plannedStep({ kind: 'sql', code, attrs, detection, id: options.id ?? attrs.id ?? 'sql-step' })
  const { ctx, rec } = makeContext(planned, { env: { DATABASE_URL: DB_URL }, ...options })
  const started = Date.now()
  const outcome = await executor.run(ctx)
  return { outcome, rec, planned, ms: Date.now() - started }
}

const previewed = (): Answer => ({ allow: false, status: 'previewed', reason: 'dry run: always rolled back' })
const allow = (): Answer => ({ allow: true, consent })

beforeAll(async () => {
  db = await database.create()
  await db.query(`CREATE TABLE t (id int PRIMARY KEY, v text)`)
  await db.query(`CREATE SEQUENCE s`)
  await db.query(`CREATE FUNCTION f() RETURNS int AS $$ INSERT INTO t VALUES (1000 + (SELECT count(*) FROM t)::int, 'f') RETURNING 1 $$ LANGUAGE sql`)
})

beforeEach(async () => {
  await db.query('TRUNCATE t')
  await db.query(`INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 10) g`)
})

afterAll(async () => {
  await executor.close?.()
  await db?.end()
  await database.drop()
})

describe('read-only steps', () => {
  it('renders a SELECT as a table and an aligned text table', async () => {
    const { outcome, rec } = await runSql('SELECT id, v\nFROM t ORDER BY id LIMIT 3;')
    expect(outcome.status).toBe('passed')
    expect(rec.tables).toEqual([
      { title: says.lineTitle(10), columns: ['id', 'v'], rows: [['1', 'row 1'], ['2', 'row 2'], ['3', 'row 3']], totalRows: 3 },
    ])
    expect(rec.statements).toHaveLength(1)
    expect(rec.statements[0]).toMatchObject({ line: 10, command: 'SELECT', rowCount: 3 })
    expect(rec.stdout).toContain(' id | v\n----+-------\n  1 | row 1\n')
    expect(rec.stdout).toContain(says.sqlRowsFooter(3, 3))
    expect(rec.questions).toEqual([])
  })

  it('reports each statement with its file line', async () => {
    const { outcome, rec } = await runSql('-- counts\nSELECT count(*) AS n FROM t;\n\nSELECT 1 AS one;')
    expect(outcome.status).toBe('passed')
    expect(rec.statements.map((s) => s.line)).toEqual([11, 13])
    expect(rec.tables.map((t) => t.title)).toEqual([says.lineTitle(11), says.lineTitle(13)])
    expect(rec.tables[0]!.rows).toEqual([['10']])
  })

  it('names the step in application_name and resets the session between steps', async () => {
    const first = await runSql('SELECT current_setting($$application_name$$) AS app;', {}, { id: 'app-name' })
    expect(first.rec.tables[0]!.rows[0]![0]).toBe('runbook:exec-test/app-name')
    const set = await runSql('SET search_path = nowhere;\nSELECT 1;', { destructive: true }, { answer: allow })
    expect(set.outcome.status).toBe('passed')
    const after = await runSql('SHOW search_path;')
    expect(after.rec.tables[0]!.rows[0]![0]).not.toBe('nowhere')
  })

  it('refuses a write hidden in a function: the step must be declared destructive', async () => {
    // The static judge cannot prove f() read-only: destructive at plan (the server check covers
    // what it cannot see: views, operators, casts — test/executors/sql-server-check.test.ts).
    const { planned } = await runSql('SELECT 1;')
    expect(planned.destructive).toBe(false)
    expect((await detectSql('SELECT f();')).destructive).toBe(true)
    expect(await count()).toBe(10)
    // Declared safe, the check is waived, and the read-only transaction still refuses the write.
    const waived = await runSql('SELECT f();', { safe: 'thought it reads' })
    expect(waived.outcome.status).toBe('failed')
    expect(waived.outcome.reason).toContain(says.sqlWritesInReadOnly)
    expect(waived.outcome.reason!.startsWith(at(10))).toBe(true)
    expect(await count()).toBe(10)
  })

  it('refuses nextval() in a step declared safe', async () => {
    const before = await db.query<{ last_value: string }>('SELECT last_value FROM s')
    const { outcome } = await runSql(`SELECT nextval('s');`, { safe: 'reads a sequence' })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.sqlWritesInReadOnly)
    const after = await db.query<{ last_value: string }>('SELECT last_value FROM s')
    expect(after.rows[0]!.last_value).toBe(before.rows[0]!.last_value)
  })

  const marker = `/tmp/rb_sql_escape_${randomBytes(4).toString('hex')}`
  const escapes: [string, string][] = [
    ['COMMIT; DELETE FROM t;', 'COMMIT'],
    ['SET TRANSACTION READ WRITE;\nDELETE FROM t;', 'SET TRANSACTION'],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;\nDELETE FROM t;', 'SET SESSION CHARACTERISTICS'],
    ['SET default_transaction_read_only = off;\nDELETE FROM t;', 'default_transaction_read_only'],
    ['RESET default_transaction_read_only;\nDELETE FROM t;', 'default_transaction_read_only'],
    [`COPY t TO PROGRAM 'touch ${marker}';`, 'PROGRAM'],
    ['BEGIN; DELETE FROM t; END;', 'BEGIN'],
  ]
  for (const [code, word] of escapes) {
    it(`refuses ${JSON.stringify(code)} and executes nothing`, async () => {
      for (const attrs of [{}, { destructive: true as const }]) {
        const { outcome, rec } = await runSql(code, attrs, { answer: allow })
        expect(outcome.status).toBe('failed')
        expect(outcome.reason!.startsWith(says.sqlRefused(''))).toBe(true)
        expect(outcome.reason).toContain(word)
        expect([10, 11, 12].some((line) => outcome.reason!.includes(at(line)))).toBe(true)
        expect(rec.statements).toEqual([])
        expect(rec.questions).toEqual([])
        expect(await count()).toBe(10)
        expect(existsSync(marker)).toBe(false)
      }
    })
  }

  it('fails with the server message and the line of the error', async () => {
    const { outcome, rec } = await runSql('SELECT 1;\nSELECT\n  1/0;')
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toBe(at(11, 'division by zero'))
    expect(rec.statements.map((s) => [s.line, s.rowCount])).toEqual([
      [10, 1],
      [11, null],
    ])
    expect(rec.stderr).toContain('division by zero')
  })

  it('points at the line of the error position when the server gives one', async () => {
    const { outcome } = await runSql('SELECT id,\n  nosuchcol\nFROM t;')
    expect(outcome.status).toBe('failed')
    expect(outcome.reason!.startsWith(at(11, 'column "nosuchcol" does not exist'))).toBe(true)
  })

  it('counts rows of a DELETE … RETURNING beyond one batch', async () => {
    await db.query(`INSERT INTO t SELECT g, 'more' FROM generate_series(11, 2500) g`)
    const { outcome, rec } = await runSql('DELETE FROM t WHERE id > 10 RETURNING id;', { destructive: true }, { answer: previewed })
    expect(outcome.status).toBe('previewed')
    expect(rec.statements[0]).toMatchObject({ command: 'DELETE', rowCount: 2490 })
    expect(rec.tables[0]!.totalRows).toBe(2490)
    expect(await count()).toBe(2500)
  })

  it('fails on a syntax error before running anything', async () => {
    const { outcome, rec } = await runSql('SELECT 1;\nSELEC 2;')
    expect(outcome.status).toBe('failed')
    expect(outcome.reason!.startsWith(says.sqlUnparsable(at(11)))).toBe(true)
    expect(rec.statements).toEqual([])
  })

  it('names a missing URL variable', async () => {
    const planned = await plannedStep({ kind: 'sql', code: 'SELECT 1;', attrs: { db: 'REPORTING_DB' } })
    const { ctx } = makeContext(planned, { env: { DATABASE_URL: DB_URL } })
    const outcome = await executor.run(ctx)
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain('REPORTING_DB')
  })

  it('uses the variable named by db=', async () => {
    const planned = await plannedStep({ kind: 'sql', code: 'SELECT current_database() AS db;', attrs: { db: 'OTHER_URL' } })
    const { ctx, rec } = makeContext(planned, { env: { OTHER_URL: DB_URL } })
    expect((await executor.run(ctx)).status).toBe('passed')
    expect(rec.tables[0]!.rows).toEqual([[database.name]])
  })
})

describe('destructive steps', () => {
  it('previews a DELETE: rolled back, rows kept, the count reported', async () => {
    const { outcome, rec } = await runSql('DELETE FROM t WHERE id <= 4;', { destructive: true }, { answer: previewed })
    expect(outcome.status).toBe('previewed')
    expect(outcome.reason).toContain('dry run')
    expect(rec.questions).toHaveLength(1)
    const q = rec.questions[0]!
    expect(q.kind).toBe('commit')
    if (q.kind === 'commit') {
      expect(q.critical).toBe(false)
      expect(q.statements).toEqual([expect.objectContaining({ line: 10, command: 'DELETE', rowCount: 4 })])
    }
    expect(rec.stdout).toContain('DELETE 4')
    expect(rec.stdout).toContain('ROLLBACK')
    expect(await count()).toBe(10)
  })

  it('commits when allowed and records the consent', async () => {
    const { outcome, rec } = await runSql('DELETE FROM t WHERE id <= 4;\nUPDATE t SET v = $$x$$ WHERE id = 5;', { critical: true }, { answer: allow })
    expect(outcome.status).toBe('passed')
    expect(outcome.consent).toEqual(consent)
    const q = rec.questions[0]!
    expect(q.kind === 'commit' && q.critical).toBe(true)
    expect(rec.statements.map((s) => [s.command, s.rowCount])).toEqual([
      ['DELETE', 4],
      ['UPDATE', 1],
    ])
    expect(await count()).toBe(6)
    expect(rec.stdout).toContain('COMMIT')
  })

  it('rolls back with the answer status when declined or blocked', async () => {
    for (const status of ['declined', 'blocked'] as const) {
      const { outcome } = await runSql('DELETE FROM t;', { destructive: true }, { answer: () => ({ allow: false, status, reason: `no (${status})` }) })
      expect(outcome).toEqual({ status, reason: `no (${status})` })
      expect(await count()).toBe(10)
    }
  })

  it('refuses to commit when a statement affects more than max-rows', async () => {
    const { outcome, rec } = await runSql('SELECT 1;\nDELETE FROM t WHERE id > 2;\nDELETE FROM t;', { destructive: true, maxRows: 3 }, { answer: allow })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toBe(at(11, says.sqlMaxRowsTable('public.t', 8, 3, false)))
    expect(rec.questions).toEqual([])
    expect(rec.statements).toHaveLength(2)
    expect(await count()).toBe(10)
  })

  it('keeps within max-rows and commits', async () => {
    const { outcome } = await runSql('DELETE FROM t WHERE id > 7;', { destructive: true, maxRows: 3 }, { answer: allow })
    expect(outcome.status).toBe('passed')
    expect(await count()).toBe(7)
  })

  it('rolls back after a failing statement', async () => {
    const { outcome, rec } = await runSql('DELETE FROM t;\nINSERT INTO t VALUES (1, $$dup$$), (1, $$dup$$);', { destructive: true }, { answer: allow })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason!.startsWith(at(11, 'duplicate key value'))).toBe(true)
    expect(rec.questions).toEqual([])
    expect(await count()).toBe(10)
  })

  it('runs autocommit steps statement by statement with a note', async () => {
    const { outcome, rec } = await runSql('VACUUM t;\nDELETE FROM t WHERE id = 1;', { destructive: true, autocommit: true }, { answer: allow })
    expect(outcome.status).toBe('passed')
    expect(rec.questions).toEqual([])
    expect(rec.notes).toEqual([says.sqlAutocommit])
    expect(rec.statements.map((s) => s.command)).toEqual(['VACUUM', 'DELETE'])
    expect(await count()).toBe(9)
  })
})

describe('large results and rendering', () => {
  it('streams a 200,000-row SELECT and keeps only max-display rows', async () => {
    const { outcome, rec } = await runSql('SELECT g AS n, md5(g::text) AS h FROM generate_series(1, 200000) g;', { maxDisplay: 7 })
    expect(outcome.status).toBe('passed')
    const table = rec.tables[0]!
    expect(table.totalRows).toBe(200000)
    expect(table.rows).toHaveLength(7)
    expect(table.rows[6]![0]).toBe('7')
    expect(rec.statements[0]!.rowCount).toBe(200000)
    expect(rec.stdout).toContain(says.sqlRowsFooter(200000, 7))
    expect(rec.stdout.split('\n').length).toBeLessThan(20)
  })

  it('defaults to 50 rows shown', async () => {
    const { rec } = await runSql('SELECT g FROM generate_series(1, 120) g;')
    expect(rec.tables[0]!.rows).toHaveLength(50)
    expect(rec.tables[0]!.totalRows).toBe(120)
  })

  it('renders NULL, JSON, timestamptz, bytea, long values and newlines', async () => {
    const code = [
      `SET TIME ZONE 'Asia/Seoul';`,
      `SELECT NULL::int AS n,`,
      `  '{"a": [1, 2], "b": "x y", "big": 12345678901234567890}'::jsonb AS j,`,
      `  '{ "k" : 1 }'::json AS js,`,
      `  '2024-01-02 03:04:05.5+09'::timestamptz AS ts,`,
      `  decode(repeat('ab', 100), 'hex') AS b,`,
      `  '\\x0102'::bytea AS small,`,
      `  repeat('x', 500) AS long,`,
      `  E'a\\nb' AS nl,`,
      `  '한글' AS ko;`,
    ].join('\n')
    const { outcome, rec } = await runSql(code)
    expect(outcome.status).toBe('passed')
    const table = rec.tables[0]!
    expect(table.columns).toEqual(['n', 'j', 'js', 'ts', 'b', 'small', 'long', 'nl', 'ko'])
    const [n, j, js, ts, b, small, long, nl, ko] = table.rows[0]!
    expect(n).toBe('NULL')
    expect(j).toBe('{"a":[1,2],"b":"x y","big":12345678901234567890}')
    expect(js).toBe('{"k":1}')
    expect(ts).toBe('2024-01-02T03:04:05.5+09:00')
    expect(b).toBe(`\\x${'ab'.repeat(32)}… (100 bytes)`)
    expect(small).toBe('\\x0102')
    expect(Array.from(long!)).toHaveLength(200)
    expect(long!.endsWith('…')).toBe(true)
    expect(nl).toBe('a↵b')
    expect(ko).toBe('한글')
  })

  it('formats helpers', () => {
    expect(compactJson('{ "a" : "b c\\" d" , "e": [ 1 ] }')).toBe('{"a":"b c\\" d","e":[1]}')
    expect(isoTimestamptz('2024-01-02 03:04:05+05:30')).toBe('2024-01-02T03:04:05+05:30')
    expect(isoTimestamptz('infinity')).toBe('infinity')
    expect(renderSqlCell('a\tb\u001b[31m', 25)).toBe('a b\\x1b[31m')
    expect(formatTextTable(['a', '이름'], [['1', '김']], 1, [true, false])).toBe(` a | 이름\n---+------\n 1 | 김\n${says.sqlRowsFooter(1, 1)}\n`)
  })

  it('words the row count in both languages, with English plurals', () => {
    expect(allMessages.ko.executors.sqlRowsFooter(3, 3)).toBe('(3개 행)')
    expect(allMessages.en.executors.sqlRowsFooter(1, 1)).toBe('(1 row)')
    expect(allMessages.en.executors.sqlRowsFooter(200000, 7)).toBe('(200000 rows; first 7 shown)')
    expect(allMessages.en.executors.sqlMaxRows('DELETE', 1, 0, true)).toBe('DELETE affected 1 row, more than max-rows=0; it was already applied (autocommit)')
  })
})

describe('timeouts, interruptions and connections', () => {
  it('times out a long statement', async () => {
    const { outcome, ms } = await runSql('SELECT pg_sleep(10);', {}, { timeoutMs: 500 })
    expect(outcome.status).toBe('timed-out')
    expect(outcome.reason!.startsWith(at(10))).toBe(true)
    expect(ms).toBeLessThan(4000)
  })

  it('cancels the running statement when the run is interrupted', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 300)
    const { outcome, ms } = await runSql('DELETE FROM t;\nSELECT pg_sleep(10);', { destructive: true }, { signal: controller.signal, answer: allow, id: 'sleepy' })
    expect(outcome.status).toBe('interrupted')
    expect(outcome.reason).toBe(at(11, says.sqlInterrupted))
    expect(ms).toBeLessThan(4000)
    expect(await count()).toBe(10)
    const active = await db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'runbook:exec-test/sleepy' AND state = 'active'`)
    expect(active.rowCount).toBe(0)
  })

  it('does not start when already interrupted', async () => {
    const controller = new AbortController()
    controller.abort()
    const { outcome, rec } = await runSql('DELETE FROM t;', { destructive: true }, { signal: controller.signal, answer: allow })
    expect(outcome.status).toBe('interrupted')
    expect(rec.statements).toEqual([])
  })

  it('still works after interruptions (connections in doubt are not reused)', async () => {
    const { outcome } = await runSql('SELECT 1;')
    expect(outcome.status).toBe('passed')
  })

  it('fails fast on a refused connection, naming host, port and database but not the password', async () => {
    const planned = await plannedStep({ kind: 'sql', code: 'SELECT 1;' })
    const { ctx } = makeContext(planned, { env: { DATABASE_URL: 'postgres://postgres:s3cr3tpw@127.0.0.1:1/rb_nothing' } })
    const started = Date.now()
    const outcome = await executor.run(ctx)
    expect(Date.now() - started).toBeLessThan(5500)
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.pgWhere('127.0.0.1', '1', 'rb_nothing'))
    expect(outcome.reason).toContain('postgres://postgres:***@127.0.0.1:1/rb_nothing')
    expect(outcome.reason).not.toContain('s3cr3tpw')
  })

  it('fails on an unknown database with the server message', async () => {
    const planned = await plannedStep({ kind: 'sql', code: 'SELECT 1;' })
    const { ctx } = makeContext(planned, { env: { DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:5432/rb_missing_db' } })
    const outcome = await executor.run(ctx)
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toMatch(/rb_missing_db.*does not exist/)
    expect(outcome.reason).not.toMatch(/:pw@/)
  })

  it('fails within the connect timeout on an unknown host', async () => {
    const planned = await plannedStep({ kind: 'sql', code: 'SELECT 1;' })
    const { ctx } = makeContext(planned, { env: { DATABASE_URL: 'postgres://u:pw@rb-no-such-host.invalid:5432/x' } })
    const started = Date.now()
    const outcome = await executor.run(ctx)
    expect(Date.now() - started).toBeLessThan(6000)
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.pgWhere('rb-no-such-host.invalid', '5432', 'x'))
  })
})
