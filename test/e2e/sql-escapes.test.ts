// The ways out of a read-only SQL step, and previews that would not be honest, through the real
// CLI against a real PostgreSQL (issue 14): dblink writing through a second connection, COPY to a
// program or a server file, SQL text run by query_to_xml, the lexer's settings hiding a call, and
// --dry-run of statements a rollback does not undo (setval, pg_terminate_backend, COPY TO a file,
// dblink_exec). Outcomes checked: exit codes, statuses and reasons in the report, rows, files, the
// sequence, and a victim session that must stay alive. A scratch database rb_sqlesc_<random>
// with the dblink extension (postgresql-contrib): if it is missing, the tests fail.
import { screen } from '@inquirer/testing/vitest'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'
import { randomSuffix, scratchDatabase } from '../helpers/servers.js'

// The runner's own single-key prompt drawn on the same test screen as the library's prompts.
vi.mock('../../src/runner/terminal/key-prompt.js', async (importOriginal) => {
  const { wrapPrompt } = await import('@inquirer/testing/vitest')
  const actual = await importOriginal<typeof import('../../src/runner/terminal/key-prompt.js')>()
  return { ...actual, keyPrompt: wrapPrompt(actual.keyPrompt as never) }
})

const { runRunbook } = await import('../../src/runner/run/run.js')
const { inquirerPrompts } = await import('../../src/runner/terminal/prompts.js')

const suffix = randomSuffix()
const database = scratchDatabase(`rb_sqlesc_${suffix}`)
const u = new URL(database.url)
/** The same database as a libpq connection string, for dblink. */
const CONNSTR = `host=${u.hostname} port=${u.port || '5432'} dbname=${database.name} user=${decodeURIComponent(u.username) || 'postgres'}`
const says = msg.judge.sql

let db: pg.Client
let victim: pg.Client
let victimPid: number

beforeAll(async () => {
  db = await database.create()
  await db.query('CREATE EXTENSION dblink') // no skip: without postgresql-contrib the tests must fail
  await db.query('CREATE TABLE items (id int PRIMARY KEY, v text)')
  await db.query('CREATE TABLE logs (id serial PRIMARY KEY, msg text)')
  await db.query('CREATE SEQUENCE seq')
  await db.query("SELECT setval('seq', 5)")
}, 30_000)

beforeEach(async () => {
  await db.query('TRUNCATE items')
  await db.query(`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g`)
  if (!victim) {
    victim = new pg.Client({ connectionString: database.url })
    victim.on('error', () => {})
    await victim.connect()
    victimPid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
  }
})

afterAll(async () => {
  await victim?.end().catch(() => {})
  await db?.end()
  await database.drop()
})

const rows = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM items')).rows[0]!.n)

/** The victim session answers, and the server still lists it. */
async function expectVictimAlive(): Promise<void> {
  expect((await victim.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1)
  const listed = await db.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [victimPid])
  expect(listed.rowCount).toBe(1)
}

const fence = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`

async function run(body: string, args: string[] = []) {
  const dir = tempDir('rb-sqlesc-')
  const file = writeRunbook(dir, 'rb.md', `# SQL escapes\n\n${body}`)
  const reports = path.join(dir, 'reports')
  const r = await runCli(['run', file, '--reports', reports, '--set', `DATABASE_URL=${database.url}`, ...args])
  const [report] = reportFiles(reports)
  if (!report) throw new Error(`no report was written:\n${r.stdout}\n${r.stderr}`)
  return { r, report: readReport(report) }
}

/** The report's Markdown without its escapes (`pg\_terminate` → `pg_terminate`). */
const plain = (md: string) => md.replace(/\\([_*[\]()<>`|#])/g, '$1')
const reasonOf = (json: { steps: { id: string; reason?: string }[] }, id: string) => json.steps.find((s) => s.id === id)?.reason ?? ''

describe('a step not declared destructive cannot get out (no TTY, no --yes)', () => {
  test('dblink() running an INSERT through a second connection is blocked; rows unchanged', async () => {
    const code = `SELECT * FROM dblink('${CONNSTR}', 'INSERT INTO items VALUES (100, ''x'') RETURNING 1') AS t(x int);`
    const { r, report } = await run(fence('sql {id=remote}', code))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ remote: 'blocked' })
    expect(plain(report.md)).toContain('dblink()')
    expect(report.json.steps[0]!.statements).toEqual([])
    expect(await rows()).toBe(10)
  })

  test('COPY TO PROGRAM is refused and COPY TO a server file is blocked: no file', async () => {
    const dir = tempDir('rb-sqlesc-files-')
    const canary = path.join(dir, 'CANARY')
    const file = path.join(dir, 'copied.csv')
    const body = fence('sql {id=program}', `COPY (SELECT 1) TO PROGRAM 'touch ${canary}';`) + '\n' + fence('sql {id=to-file}', `COPY (SELECT 1) TO '${file}';`)
    const program = await run(body, ['--step', 'program'])
    expect(program.r.code).toBe(1)
    expect(stepStatus(program.report.json).program).toBe('failed')
    const toFile = await run(body, ['--step', 'to-file'])
    expect(toFile.r.code).toBe(3)
    expect(stepStatus(toFile.report.json)['to-file']).toBe('blocked')
    expect(existsSync(canary)).toBe(false)
    expect(existsSync(file)).toBe(false)
  })

  test('query_to_xml() running a built pg_terminate_backend is blocked; the victim lives', async () => {
    const code = `SELECT query_to_xml('select pg_terminate_backend(' || ${victimPid} || ')', false, true, '');`
    const { r, report } = await run(fence('sql {id=xml}', code))
    expect(r.code).toBe(3)
    expect(stepStatus(report.json)).toEqual({ xml: 'blocked' })
    expect(plain(report.md)).toContain(says.sqlTextUnknown('query_to_xml'))
    await expectVictimAlive()
  })

  test('SET standard_conforming_strings = off, then a terminate hidden in a literal, is refused (with --yes too); the victim lives', async () => {
    // With the setting on (the judge's reading) the call is inside a string; off, it is code.
    const code = `SET standard_conforming_strings = off;\nSELECT 'a\\' || ', pg_terminate_backend(${victimPid}) --';`
    for (const args of [[], ['--yes']]) {
      const { r, report } = await run(fence('sql {id=lexer}', code), args)
      expect(r.code).toBe(1)
      expect(stepStatus(report.json)).toEqual({ lexer: 'failed' })
      expect(reasonOf(report.json, 'lexer')).toContain(says.lexerSettingRefused('SET standard_conforming_strings'))
      expect(report.json.steps[0]!.statements).toEqual([])
    }
    await expectVictimAlive()
  })
})

describe('--dry-run --yes never runs what a rollback cannot undo', () => {
  test('setval, pg_terminate_backend, COPY TO a file and dblink_exec are not run: recorded not previewable, with the reason', async () => {
    const file = path.join(tempDir('rb-sqlesc-dry-'), 'dump.csv')
    const body = [
      fence('sql {id=sequence destructive}', "SELECT setval('seq', 1000);"),
      fence('sql {id=terminate}', `SELECT pg_terminate_backend(${victimPid});`),
      fence('sql {id=copy-file}', `COPY (SELECT * FROM items) TO '${file}';`),
      fence('sql {id=remote-delete}', `SELECT dblink_exec('${CONNSTR}', 'DELETE FROM items');`),
      fence('sql {id=insert}', "INSERT INTO logs (msg) VALUES ('x');"),
    ].join('\n')
    const { r, report } = await run(body, ['--dry-run', '--yes'])
    expect(r.code).toBe(0)
    expect(stepStatus(report.json)).toEqual({ sequence: 'skipped', terminate: 'skipped', 'copy-file': 'skipped', 'remote-delete': 'skipped', insert: 'previewed' })
    const notRun = (line: number, reason: string) => msg.run.dryRunNotPreviewable([msg.run.notPreviewableStatement(line, reason)])
    expect(reasonOf(report.json, 'sequence')).toBe(notRun(4, says.call('setval', says.advancesSequence)))
    expect(reasonOf(report.json, 'terminate')).toBe(notRun(8, says.call('pg_terminate_backend', says.terminatesBackend)))
    expect(reasonOf(report.json, 'copy-file')).toBe(notRun(12, says.copyToFile))
    expect(reasonOf(report.json, 'remote-delete')).toBe(notRun(16, says.call('dblink_exec', says.runsRemoteCommand)))
    for (const id of ['sequence', 'terminate', 'copy-file', 'remote-delete']) expect(report.json.steps.find((s) => s.id === id)!.statements).toEqual([])
    expect(plain(report.md)).toContain(reasonOf(report.json, 'terminate'))
    // The INSERT was previewed (run, rolled back); its note says the sequence may advance.
    expect(plain(report.md)).toContain(says.sequenceMayAdvance('logs'))
    expect((await db.query<{ last_value: string }>('SELECT last_value FROM seq')).rows[0]!.last_value).toBe('5')
    expect(existsSync(file)).toBe(false)
    expect(await rows()).toBe(10)
    expect((await db.query('SELECT 1 FROM logs')).rowCount).toBe(0)
    await expectVictimAlive()
  }, 90_000)

  test('without --dry-run, --yes runs it and commits without a preview', async () => {
    const { r, report } = await run(fence('sql {id=sequence destructive}', "SELECT setval('seq', 42);"), ['--yes'])
    expect(r.code).toBe(0)
    expect(stepStatus(report.json)).toEqual({ sequence: 'passed' })
    expect(report.json.steps[0]!.consent?.by).toBe('flag')
    expect((await db.query<{ last_value: string }>('SELECT last_value FROM seq')).rows[0]!.last_value).toBe('42')
    await db.query("SELECT setval('seq', 5)")
  })
})

// At a terminal: the real prompts, driven through @inquirer/testing's screen.
describe('at a terminal, SQL that cannot be previewed is asked before it runs', () => {
  const ENTER = { name: 'enter' }
  const UP = { name: 'up' }
  const lastValue = async () => (await db.query<{ last_value: string }>('SELECT last_value FROM seq')).rows[0]!.last_value

  function startInteractive(code: string) {
    const dir = tempDir('rb-sqlesc-tty-')
    const file = writeRunbook(dir, 'rb.md', `# SQL escapes\n\n${fence('sql {id=seq destructive}', code)}`)
    return runRunbook({
      file,
      reports: path.join(dir, 'reports'),
      prompts: inquirerPrompts(),
      operator: 'Lee Oncall <lee@example.com>',
      out: new PassThrough().resume() as unknown as NodeJS.WriteStream,
      sets: { DATABASE_URL: database.url },
    })
  }

  test('declined (the default): nothing ran', async () => {
    const result = startInteractive("SELECT setval('seq', 77);")
    await screen.next()
    screen.keypress(UP) // from the default "skip" to "run"
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toContain(msg.run.runWithoutPreviewPrompt('local'))
    screen.keypress(ENTER)
    const { record, exitCode } = await result
    expect(exitCode).toBe(3)
    expect(record.steps[0]!.status).toBe('declined')
    expect(record.steps[0]!.statements).toEqual([])
    expect(await lastValue()).toBe('5')
  })

  test('allowed: it runs and commits without the commit question', async () => {
    const result = startInteractive("SELECT setval('seq', 77);")
    await screen.next()
    screen.keypress(UP)
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toContain(msg.run.runWithoutPreviewPrompt('local'))
    screen.type('y')
    screen.keypress(ENTER)
    const { record, exitCode } = await result
    expect(exitCode).toBe(0)
    expect(record.steps[0]!.status).toBe('passed')
    expect(record.steps[0]!.consent).toMatchObject({ by: 'operator', who: 'Lee Oncall <lee@example.com>' })
    expect(await lastValue()).toBe('77')
    await db.query("SELECT setval('seq', 5)")
  })
})
