// Honest previews in the sql executor (real PostgreSQL, a scratch database): a destructive step
// with effects a rollback does not undo asks one question before anything runs — declined, nothing
// ran; allowed, it runs and commits without the commit question — and a previewable INSERT notes
// that its sequence may advance.
import type pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createSqlExecutor } from '../../src/runner/executors/sql.js'
import { detectSql } from '../../src/runner/judge/sql.js'
import type { Answer, Question } from '../../src/runner/model/run-record.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { randomSuffix, scratchDatabase } from '../helpers/servers.js'
import { consent, makeContext, plannedStep } from './context.js'

const database = scratchDatabase(`rb_preview_${randomSuffix()}`)
const executor = createSqlExecutor()
const says = msg.judge.sql
let db: pg.Client

beforeAll(async () => {
  db = await database.create()
  await db.query('CREATE TABLE t (id serial PRIMARY KEY, v text)')
  await db.query('CREATE SEQUENCE s')
})

beforeEach(async () => {
  await db.query('TRUNCATE t')
  await db.query("SELECT setval('s', 5)")
})

afterAll(async () => {
  await executor.close?.()
  await db?.end()
  await database.drop()
})

async function runSql(code: string, answer: (q: Question) => Answer) {
  const planned = await plannedStep({ kind: 'sql', code, attrs: {}, detection: await detectSql(code), id: 'step' })
  const { ctx, rec } = makeContext(planned, { env: { DATABASE_URL: database.url }, answer })
  return { outcome: await executor.run(ctx), rec }
}

const lastValue = async () => (await db.query<{ last_value: string }>('SELECT last_value FROM s')).rows[0]!.last_value
const CODE = "INSERT INTO t (v) VALUES ('a');\nSELECT setval('s', 1000);"

describe('a step that cannot be previewed', () => {
  it('is asked about before anything runs, naming the statement and why; declined, nothing ran', async () => {
    const { outcome, rec } = await runSql(CODE, () => ({ allow: false, status: 'declined', reason: 'no' }))
    expect(rec.questions).toEqual([{ kind: 'irreversible', statements: [{ line: 11, reason: says.call('setval', says.advancesSequence) }], critical: false }])
    expect(outcome).toEqual({ status: 'declined', reason: 'no' })
    expect(rec.statements).toEqual([])
    expect(await lastValue()).toBe('5')
    expect((await db.query('SELECT 1 FROM t')).rowCount).toBe(0)
  })

  it('allowed, it runs and commits without the commit question', async () => {
    const { outcome, rec } = await runSql(CODE, () => ({ allow: true, consent }))
    expect(rec.questions.map((q) => q.kind)).toEqual(['irreversible'])
    expect(outcome).toEqual({ status: 'passed', consent })
    expect(rec.stdout).toContain('COMMIT')
    expect(await lastValue()).toBe('1000')
    expect((await db.query('SELECT 1 FROM t')).rowCount).toBe(1)
  })
})

describe('a previewable step', () => {
  it('runs, notes that a sequence may advance, then asks to commit', async () => {
    const { outcome, rec } = await runSql("INSERT INTO t (v) VALUES ('a');", () => ({ allow: false, status: 'previewed', reason: 'dry run' }))
    expect(rec.questions.map((q) => q.kind)).toEqual(['commit'])
    expect(outcome.status).toBe('previewed')
    expect(rec.notes).toEqual([`${msg.executors.atLine(10)}${says.sequenceMayAdvance('t')}`])
    expect((await db.query('SELECT 1 FROM t')).rowCount).toBe(0)
  })
})
