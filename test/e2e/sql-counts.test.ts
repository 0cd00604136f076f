// Issue 14 part B through the binary: max-rows held by true per-table counts (CTE, cascade,
// TRUNCATE refused; a capped cascade passes), the run-time server check (a view that would
// terminate a session is blocked, the session lives; safe= waives it on the record), and a sample
// of the changed rows shown at a terminal before the commit question, masked in the report.
// The details are tested in-process in test/executors/sql-counts.test.ts and sql-server-check.test.ts.
import { screen } from '@inquirer/testing/vitest'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'
import { randomSuffix, scratchDatabase } from '../helpers/servers.js'

// The runner's own single-key prompt draws on the test screen too.
vi.mock('../../src/runner/terminal/key-prompt.js', async (importOriginal) => {
  const { wrapPrompt } = await import('@inquirer/testing/vitest')
  const actual = await importOriginal<typeof import('../../src/runner/terminal/key-prompt.js')>()
  return { ...actual, keyPrompt: wrapPrompt(actual.keyPrompt as never) }
})

const { runRunbook } = await import('../../src/runner/run/run.js')
const { inquirerPrompts } = await import('../../src/runner/terminal/prompts.js')

const database = scratchDatabase(`rb_e2ecounts_${randomSuffix()}`)
let db: pg.Client
let victim: pg.Client
let victimPid: number

const fence = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`

function runbookFile(body: string) {
  const dir = tempDir('rb-sqlcounts-')
  const file = writeRunbook(dir, 'rb.md', `# Counts\n\n${body}`)
  return { file, reports: path.join(dir, 'reports') }
}

async function run(body: string, args: string[] = []) {
  const { file, reports } = runbookFile(body)
  const r = await runCli(['run', file, '--reports', reports, '--set', `DATABASE_URL=${database.url}`, ...args])
  const [report] = reportFiles(reports)
  if (!report) throw new Error(`no report was written:\n${r.stdout}\n${r.stderr}`)
  return { r, report: readReport(report) }
}

async function count(table: string): Promise<number> {
  return Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n)
}

beforeAll(async () => {
  db = await database.create()
  victim = new pg.Client({ connectionString: database.url })
  victim.on('error', () => {})
  await victim.connect()
  victimPid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
  await db.query('CREATE TABLE t (id int PRIMARY KEY)')
  await db.query('CREATE TABLE parent (id int PRIMARY KEY)')
  await db.query('CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent ON DELETE CASCADE)')
  await db.query('CREATE TABLE users (id int PRIMARY KEY, email text, password text, note text)')
  await db.query(`CREATE VIEW v_kill AS SELECT pg_terminate_backend(${victimPid}) AS k`)
  await db.query('CREATE VIEW v_kill_nobody AS SELECT pg_terminate_backend(2147483) AS k')
})

beforeEach(async () => {
  await db.query('TRUNCATE t, parent, child, users')
  await db.query('INSERT INTO t SELECT generate_series(1, 50)')
  await db.query(`INSERT INTO users SELECT g, 'u' || g || '@example.com', 'pw-' || g, 'note ' || g FROM generate_series(1, 20) g`)
})

afterAll(async () => {
  await victim?.end().catch(() => {})
  await db?.end()
  await database.drop()
})

describe('max-rows counts what the server changed, per table (--yes)', () => {
  test('a DELETE in a CTE, a cascade and a TRUNCATE are refused and rolled back; exit 1', async () => {
    await db.query('INSERT INTO parent VALUES (1)')
    await db.query('INSERT INTO child SELECT g, 1 FROM generate_series(1, 500) g')
    const body = [
      fence('sql {id=cte destructive max-rows=5 keep-going}', 'WITH d AS (DELETE FROM t WHERE id > 0 RETURNING 1) SELECT count(*) FROM d;'),
      fence('sql {id=cascade destructive max-rows=5 keep-going}', 'DELETE FROM parent WHERE id = 1;'),
      fence('sql {id=truncate destructive max-rows=5 keep-going}', 'TRUNCATE t;'),
    ].join('\n')
    const { r, report } = await run(body, ['--yes'])
    expect(r.code).toBe(1)
    expect(stepStatus(report.json)).toEqual({ cte: 'failed', cascade: 'failed', truncate: 'failed' })
    const reasons = report.json.steps.map((s) => s.reason ?? '')
    expect(reasons[0]).toContain(msg.executors.sqlMaxRowsTable('public.t', 50, 5, false))
    expect(reasons[1]).toContain(msg.executors.sqlMaxRowsTable('public.child', 500, 5, false))
    expect(reasons[2]).toContain(msg.executors.sqlMaxRowsTable('public.t', 50, 5, false))
    expect(await count('t')).toBe(50)
    expect(await count('child')).toBe(500)
    expect(await count('parent')).toBe(1)
    expect(report.md).toContain(msg.executors.sqlTableCounts('public.child', 0, 0, 500, undefined))
  })

  test('a capped DELETE whose cascade deletes as many rows in another table passes; counts in .md and .json', async () => {
    await db.query('INSERT INTO parent SELECT generate_series(1, 20)')
    await db.query('INSERT INTO child SELECT g, g FROM generate_series(1, 20) g')
    const code = 'DELETE FROM parent WHERE id IN (SELECT id FROM parent ORDER BY id LIMIT 5);'
    const { r, report } = await run(fence('sql {id=capped destructive max-rows=5}', code), ['--yes'])
    expect(r.code).toBe(0)
    expect(await count('parent')).toBe(15)
    expect(await count('child')).toBe(15)
    const st = (report.json.steps[0]!.statements as unknown as { tables: unknown[] }[])[0]!
    expect(st.tables).toEqual(
      expect.arrayContaining([
        { table: 'public.child', inserted: 0, updated: 0, deleted: 5 },
        { table: 'public.parent', inserted: 0, updated: 0, deleted: 5 },
      ]),
    )
    expect(st.tables).toHaveLength(2)
    expect(report.md).toContain(msg.executors.sqlTableCounts('public.parent', 0, 0, 5, undefined))
  })
})

describe('the run-time server check', () => {
  test('a view that terminates a session is blocked (exit 3), named, and the session lives', async () => {
    const { r, report } = await run(fence('sql {id=peek}', 'SELECT * FROM v_kill;'), ['--yes'])
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ peek: 'blocked' })
    expect(report.json.steps[0]!.reason).toContain('pg_terminate_backend')
    await victim.query('SELECT 1')
  })

  test('safe="why" runs it, and the record says the check was waived and why', async () => {
    const { r, report } = await run(fence('sql {id=peek safe="terminates nobody"}', 'SELECT * FROM v_kill_nobody;'))
    expect(r.code).toBe(0)
    const step = report.json.steps[0] as unknown as { statements: { check: string }[]; notes: string[] }
    expect(step.statements[0]!.check).toBe('waived')
    expect(step.notes.join('\n')).toContain('terminates nobody')
    expect(report.md).toContain('terminates nobody')
  })
})

describe('a sample of what changes, at a terminal', () => {
  test('shown unmasked before the commit question, masked in the report (.md, .json, .log)', async () => {
    const { file, reports } = runbookFile(fence('sql {id=purge destructive redact-columns=email}', "DELETE FROM users WHERE note LIKE 'note %';"))
    let shown = ''
    const out = new PassThrough()
    out.on('data', (d: Buffer) => (shown += d.toString()))
    const result = runRunbook({
      file,
      reports,
      prompts: inquirerPrompts(),
      operator: 'Lee Oncall <lee@example.com>',
      out: out as unknown as NodeJS.WriteStream,
      sets: { DATABASE_URL: database.url },
    })
    await screen.next()
    screen.keypress({ name: 'up' }) // run
    screen.keypress({ name: 'enter' })
    await screen.next()
    expect(screen.getScreen()).toMatch(/커밋할까요/)
    // Before the answer: the operator has seen ten rows as they are.
    expect(shown).toContain(msg.executors.sqlSampleHeader(10, 10).slice(0, 8))
    expect(shown).toMatch(/u\d+@example\.com/)
    expect(shown).toMatch(/pw-\d+/)
    // The true count is in the commit summary too.
    expect(shown).toContain(msg.executors.sqlTableCounts('public.users', 0, 0, 20, undefined))
    screen.keypress({ name: 'down' }) // commit
    screen.keypress({ name: 'enter' })
    const { exitCode } = await result
    expect(exitCode).toBe(0)
    expect(await count('users')).toBe(0) // every row, not the ten shown
    const [path_] = reportFiles(reports)
    const report = readReport(path_!)
    for (const text of [report.md, JSON.stringify(report.json), report.log ?? '']) {
      expect(text).not.toMatch(/u\d+@example\.com/)
      expect(text).not.toMatch(/pw-\d+/)
    }
    expect(report.md).toMatch(/note \d+/)
    expect(report.md).toContain('***')
    const st = (report.json.steps[0]!.statements as unknown as { sql: string; masked: string[]; command: string; rowCount: number }[])[0]!
    expect(st.sql).toMatch(/^WITH x AS \(\nDELETE FROM users/)
    expect(st.masked).toEqual(['email', 'password'])
    expect([st.command, st.rowCount]).toEqual(['DELETE', 20])
  })
})
