// True counts and samples of destructive SQL steps, against the real PostgreSQL: max-rows holds
// per table whatever the command tag says (CTEs, cascades, TRUNCATE, dropped data), and a
// single-table UPDATE/DELETE shows a sample of its rows — unmasked to the operator, masked in the
// record — while still changing every row.
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { detectSql } from '../../src/runner/judge/sql.js'
import { createSqlExecutor } from '../../src/runner/executors/sql.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { StepAttributes } from '../../src/runner/model/runbook.js'
import type { Answer, Question } from '../../src/runner/model/run-record.js'
import { randomSuffix, scratchDatabase } from '../helpers/servers.js'
import { consent, makeContext, plannedStep, type ContextOptions } from './context.js'

const database = scratchDatabase(`rb_counts_${randomSuffix()}`)
const executor = createSqlExecutor()
const says = msg.executors
let db: pg.Client

const allow = (): Answer => ({ allow: true, consent })

async function runSql(code: string, attrs: StepAttributes = {}, options: ContextOptions = {}, exec = executor) {
  const detection = await detectSql(code)
  const planned = await plannedStep({ kind: 'sql', code, attrs: { destructive: true, ...attrs }, detection, id: 'counts-step' })
  const { ctx, rec } = makeContext(planned, { env: { DATABASE_URL: database.url }, answer: allow, ...options })
  const outcome = await exec.run(ctx)
  return { outcome, rec }
}

async function count(table: string): Promise<number> {
  return Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n)
}

beforeAll(async () => {
  db = await database.create()
  await db.query(`CREATE TABLE t (id int PRIMARY KEY, v text)`)
  await db.query(`CREATE TABLE parent (id int PRIMARY KEY)`)
  await db.query(`CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent ON DELETE CASCADE)`)
  await db.query(`CREATE TABLE users (id int PRIMARY KEY, email text, password_hash text, api_token text, note text)`)
})

beforeEach(async () => {
  await db.query('TRUNCATE t, parent, child, users')
  await db.query(`INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 50) g`)
  await db.query(`INSERT INTO users SELECT g, 'u' || g || '@example.com', 'hash' || g, 'tok' || g, 'n' || g FROM generate_series(1, 50) g`)
})

afterAll(async () => {
  await executor.close?.()
  await db?.end()
  await database.drop()
})

describe('max-rows counts rows per table from the server statistics', () => {
  it('a DELETE inside a CTE (tag SELECT 1, 50 rows deleted) is refused and rolled back', async () => {
    const { outcome, rec } = await runSql('WITH d AS (DELETE FROM t WHERE id > 0 RETURNING 1) SELECT count(*) FROM d;', { maxRows: 5 })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toBe(`${says.atLine(10)}${says.sqlMaxRowsTable('public.t', 50, 5, false)}`)
    expect(rec.statements[0]!.tables).toEqual([{ table: 'public.t', inserted: 0, updated: 0, deleted: 50 }])
    expect(rec.questions).toEqual([])
    expect(await count('t')).toBe(50)
  })

  it('ON DELETE CASCADE: one parent, 500 children, refused on the children', async () => {
    await db.query('INSERT INTO parent VALUES (1)')
    await db.query('INSERT INTO child SELECT g, 1 FROM generate_series(1, 500) g')
    const { outcome, rec } = await runSql('DELETE FROM parent WHERE id = 1;', { maxRows: 5 })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.sqlMaxRowsTable('public.child', 500, 5, false))
    expect(rec.statements[0]!.tables).toContainEqual({ table: 'public.parent', inserted: 0, updated: 0, deleted: 1 })
    expect(await count('child')).toBe(500)
    expect(await count('parent')).toBe(1)
  })

  it('TRUNCATE counts the rows the table held, CASCADE included', async () => {
    const { outcome, rec } = await runSql('TRUNCATE t;', { maxRows: 5 })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.sqlMaxRowsTable('public.t', 50, 5, false))
    expect(rec.statements[0]!.tables).toEqual([{ table: 'public.t', inserted: 0, updated: 0, deleted: 0, truncated: 50 }])
    expect(await count('t')).toBe(50)

    await db.query('INSERT INTO parent SELECT g FROM generate_series(1, 3) g')
    await db.query('INSERT INTO child SELECT g, 1 FROM generate_series(1, 7) g')
    const cascade = await runSql('TRUNCATE parent CASCADE;', { maxRows: 5 })
    expect(cascade.outcome.status).toBe('failed')
    expect(cascade.outcome.reason).toContain(says.sqlMaxRowsTable('public.child', 7, 5, false))
    expect(await count('child')).toBe(7)
  })

  it('max-rows applies to each table: a capped DELETE whose cascade deletes as many rows passes', async () => {
    await db.query('INSERT INTO parent SELECT g FROM generate_series(1, 20) g')
    await db.query('INSERT INTO child SELECT g, g FROM generate_series(1, 20) g')
    const { outcome, rec } = await runSql('DELETE FROM parent WHERE id IN (SELECT id FROM parent ORDER BY id LIMIT 5);', { maxRows: 5 })
    expect(outcome.status).toBe('passed')
    const tables = rec.statements[0]!.tables!
    expect(tables).toContainEqual({ table: 'public.parent', inserted: 0, updated: 0, deleted: 5 })
    expect(tables).toContainEqual({ table: 'public.child', inserted: 0, updated: 0, deleted: 5 })
    expect(await count('parent')).toBe(15)
    expect(await count('child')).toBe(15)
    // The counts are shown under the statement and in the commit question.
    expect(rec.stdout).toContain(says.sqlTableCounts('public.child', 0, 0, 5, undefined))
    const commit = rec.questions[0] as Extract<Question, { kind: 'commit' }>
    expect(commit.statements[0]!.tables).toEqual(tables)
  })

  it('data dropped without a count (DROP TABLE, ALTER … DROP COLUMN) is refused under max-rows', async () => {
    await db.query('CREATE TABLE doomed (id int)')
    await db.query('INSERT INTO doomed VALUES (1), (2)')
    const drop = await runSql('DROP TABLE doomed;', { maxRows: 5 })
    expect(drop.outcome.status).toBe('failed')
    expect(drop.outcome.reason).toContain(says.sqlMaxRowsUncounted(says.sqlCountsDropped('public.doomed')))
    expect(await count('doomed')).toBe(2)
    const column = await runSql('ALTER TABLE doomed DROP COLUMN id;', { maxRows: 5 })
    expect(column.outcome.status).toBe('failed')
    expect(column.outcome.reason).toContain(says.sqlCountsDroppedColumn('public.doomed'))
    expect((await db.query('SELECT id FROM doomed ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }])
    // Without max-rows the step commits, and the record says the rows were not counted.
    const free = await runSql('DROP TABLE doomed;')
    expect(free.outcome.status).toBe('passed')
    expect(free.rec.statements[0]!.uncounted).toBe(says.sqlCountsDropped('public.doomed'))
  })

  it('inserts and updates count too; tables left alone are not listed', async () => {
    const { outcome, rec } = await runSql("INSERT INTO t VALUES (51, 'x'), (52, 'y');\nUPDATE t SET v = 'z' WHERE id <= 3 RETURNING id;", { maxRows: 5 })
    expect(outcome.status).toBe('passed')
    expect(rec.statements.map((s) => s.tables)).toEqual([
      [{ table: 'public.t', inserted: 2, updated: 0, deleted: 0 }],
      [{ table: 'public.t', inserted: 0, updated: 3, deleted: 0 }],
    ])
  })
})

describe('track_counts off', () => {
  it('refuses max-rows and previews; with neither, the rows are recorded as not counted', async () => {
    await db.query(`ALTER DATABASE ${database.name} SET track_counts = off`)
    const fresh = createSqlExecutor()
    try {
      const capped = await runSql('DELETE FROM t WHERE id > 40;', { maxRows: 5 }, {}, fresh)
      expect(capped.outcome).toEqual({ status: 'blocked', reason: says.sqlMaxRowsUncounted(says.sqlCountsTrackOff) })
      const preview = await runSql('DELETE FROM t WHERE id > 40;', {}, { dryRun: true }, fresh)
      expect(preview.outcome).toEqual({ status: 'blocked', reason: says.sqlPreviewUncounted(says.sqlCountsTrackOff) })
      expect(await count('t')).toBe(50)
      const plain = await runSql('UPDATE t SET v = v WHERE id > 45;', {}, {}, fresh)
      expect(plain.outcome.status).toBe('passed')
      expect(plain.rec.statements[0]!.uncounted).toBe(says.sqlCountsTrackOff)
    } finally {
      await db.query(`ALTER DATABASE ${database.name} RESET track_counts`)
      await fresh.close?.()
    }
  })

  it('a step that turns it off midway cannot pass max-rows', async () => {
    const { outcome } = await runSql('SET track_counts = off;\nDELETE FROM t WHERE id > 10;', { maxRows: 5 })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.sqlCountsTrackOff)
    expect(await count('t')).toBe(50)
  })
})

describe('a sample of what changes', () => {
  it('a DELETE runs as the sampling CTE: all rows deleted, ten shown to the operator, masked in the record', async () => {
    const code = "DELETE FROM users WHERE note LIKE 'n%'"
    const { outcome, rec } = await runSql(`${code};`, { redactColumns: ['Email'] })
    expect(outcome.status).toBe('passed')
    expect(await count('users')).toBe(0) // the LIMIT of the outer SELECT does not stop the DELETE
    const st = rec.statements[0]!
    expect(st.sql).toBe(`WITH x AS (\n${code}\nRETURNING *\n) SELECT * FROM x LIMIT 10`)
    expect(st.command).toBe('DELETE')
    // Shown before it ran, as it ran.
    expect(rec.stdout.indexOf(st.sql)).toBeGreaterThan(rec.stdout.indexOf(says.sqlSampleRunsAs(10)))
    expect(rec.stdout.indexOf(says.sqlSampleRunsAs(10))).toBeGreaterThanOrEqual(0)
    expect(st.tables).toEqual([{ table: 'public.users', inserted: 0, updated: 0, deleted: 50 }])
    expect(st.masked).toEqual(['email', 'password_hash', 'api_token'])
    // The operator's question carries the rows as they are.
    const commit = rec.questions[0] as Extract<Question, { kind: 'commit' }>
    const seen = commit.samples![0]!.table
    expect(seen.rows).toHaveLength(10)
    expect(seen.columns).toEqual(['id', 'email', 'password_hash', 'api_token', 'note'])
    expect(seen.rows.flat().some((c) => c.startsWith('hash'))).toBe(true)
    // The record (tables, output) has them masked.
    const recorded = rec.tables[0]!
    expect(recorded.rows).toHaveLength(10)
    for (const row of recorded.rows) expect([row[1], row[2], row[3]]).toEqual(['***', '***', '***'])
    expect(rec.stdout).not.toMatch(/hash\d|tok\d|@example\.com/)
    expect(rec.stdout).toMatch(/\bn\d+\b/)
  })

  it('an UPDATE is sampled too; a DELETE with its own RETURNING or USING is not', async () => {
    const update = await runSql("UPDATE users SET note = 'done' WHERE id <= 30;")
    expect(update.outcome.status).toBe('passed')
    expect(update.rec.statements[0]!.sql).toMatch(/^WITH x AS \(\nUPDATE users/)
    expect(await count("users WHERE note = 'done'")).toBe(30)
    const returning = await runSql('DELETE FROM users WHERE id = 1 RETURNING id;')
    expect(returning.rec.statements[0]!.sql).toBe('DELETE FROM users WHERE id = 1 RETURNING id')
    const using = await runSql('DELETE FROM users USING t WHERE users.id = t.id AND t.id = 2;')
    expect(using.rec.statements[0]!.sql).toMatch(/^DELETE FROM users USING/)
    expect((using.rec.questions[0] as Extract<Question, { kind: 'commit' }>).samples).toBeUndefined()
  })

  it('a statement ending in a line comment keeps its meaning in the sample', async () => {
    const { outcome, rec } = await runSql('DELETE FROM t WHERE id > 45 -- the tail\n;')
    expect(outcome.status).toBe('passed')
    expect(rec.statements[0]!.sql).toContain('-- the tail\nRETURNING *')
    expect(await count('t')).toBe(45)
  })
})

describe('as a role that is not a superuser', () => {
  const role = `rb_counts_role_${randomSuffix()}`
  const roleUrl = database.url.replace('postgres@', `${role}@`)
  const asRole = createSqlExecutor()
  const runAs = async (code: string, attrs: StepAttributes = {}) => {
    const detection = await detectSql(code)
    const planned = await plannedStep({ kind: 'sql', code, attrs: { destructive: true, ...attrs }, detection, id: 'role-step' })
    const { ctx, rec } = makeContext(planned, { env: { DATABASE_URL: roleUrl }, answer: allow })
    return { outcome: await asRole.run(ctx), rec }
  }

  beforeAll(async () => {
    await db.query(`CREATE ROLE ${role} LOGIN`)
    await db.query('CREATE TABLE hidden (id int)')
    await db.query('ALTER TABLE hidden ENABLE ROW LEVEL SECURITY')
    await db.query('CREATE POLICY few ON hidden USING (id <= 3)')
    await db.query(`GRANT SELECT, TRUNCATE ON hidden TO ${role}`)
    await db.query('CREATE TABLE blind (id int)')
    await db.query(`GRANT DELETE, TRUNCATE ON blind TO ${role}`)
  })

  afterAll(async () => {
    await asRole.close?.()
    await db.query('DROP TABLE hidden, blind')
    await db.query(`DROP ROLE ${role}`)
  })

  it('TRUNCATE of a table whose rows row security hides is not counted, so max-rows refuses it', async () => {
    await db.query('INSERT INTO hidden SELECT generate_series(1, 50)')
    const { outcome } = await runAs('TRUNCATE hidden;', { maxRows: 10 })
    expect(outcome.status).toBe('failed')
    expect(outcome.reason).toContain(says.sqlCountsHidden('public.hidden'))
    expect(await count('hidden')).toBe(50)
  })

  it('a DELETE on a table the role cannot read runs as written, without a sample', async () => {
    await db.query('INSERT INTO blind SELECT generate_series(1, 7)')
    const { outcome, rec } = await runAs('DELETE FROM blind;', { maxRows: 10 })
    expect(outcome.status).toBe('passed')
    expect(rec.statements[0]).toMatchObject({ sql: 'DELETE FROM blind', command: 'DELETE', rowCount: 7 })
    expect(rec.statements[0]!.tables).toEqual([{ table: 'public.blind', inserted: 0, updated: 0, deleted: 7 }])
    expect(await count('blind')).toBe(0)
  })

  it('a TRUNCATE of a table the role cannot read runs without max-rows, and is not counted', async () => {
    await db.query('INSERT INTO blind SELECT generate_series(1, 4)')
    const capped = await runAs('TRUNCATE blind;', { maxRows: 10 })
    expect(capped.outcome.status).toBe('failed')
    expect(capped.outcome.reason).toContain(says.sqlCountsHidden('public.blind'))
    expect(await count('blind')).toBe(4)
    const free = await runAs('TRUNCATE blind;')
    expect(free.outcome.status).toBe('passed')
    expect(free.rec.statements[0]!.uncounted).toBe(says.sqlCountsHidden('public.blind'))
    expect(await count('blind')).toBe(0)
  })
})
