// The run-time server check of SQL steps that are not destructive, against the real PostgreSQL:
// what a view, an operator or an inlined SQL function would call is refused before it runs, the
// victim session stays alive, and `safe="why"` waives the check with the reason recorded.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { detectSql } from '../../src/runner/judge/sql.js'
import { createSqlExecutor } from '../../src/runner/executors/sql.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { StepAttributes } from '../../src/runner/model/runbook.js'
import { randomSuffix, scratchDatabase } from '../helpers/servers.js'
import { makeContext, plannedStep } from './context.js'

const database = scratchDatabase(`rb_check_${randomSuffix()}`)
const executor = createSqlExecutor()
const says = msg.executors
let db: pg.Client
let victim: pg.Client
let victimPid: number

/** `judgeMissed`: plan the step as read-only whatever the static judge says, as if it had missed
 * what the code calls — the server check is the layer under test. */
async function runSql(code: string, attrs: StepAttributes = {}, judgeMissed = false) {
  const judged = await detectSql(code)
  const detection = judgeMissed ? { ...judged, destructive: false, reasons: [] } : judged
  const planned = await plannedStep({ kind: 'sql', code, attrs, detection, id: 'check-step' })
  const { ctx, rec } = makeContext(planned, { env: { DATABASE_URL: database.url } })
  const outcome = await executor.run(ctx)
  return { outcome, rec, planned }
}

async function victimAlive(): Promise<boolean> {
  try {
    await victim.query('SELECT 1')
    const r = await db.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [victimPid])
    return r.rows[0].n === 1
  } catch {
    return false
  }
}

beforeAll(async () => {
  db = await database.create()
  victim = new pg.Client({ connectionString: database.url })
  victim.on('error', () => {})
  await victim.connect()
  victimPid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
  await db.query(`CREATE TABLE t (id int PRIMARY KEY, v text)`)
  await db.query(`INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 20) g`)
  await db.query(`CREATE VIEW v_kill AS SELECT id, pg_terminate_backend(${victimPid}) AS k FROM t`)
  // A backend id that does not exist: terminating it is a no-op (for the waived runs).
  await db.query(`CREATE VIEW v_kill_nobody AS SELECT pg_terminate_backend(2147483) AS k`)
  await db.query(`CREATE FUNCTION kill_op(int, int) RETURNS bool LANGUAGE plpgsql AS $$ BEGIN RETURN pg_terminate_backend($1); END $$`)
  await db.query(`CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = kill_op)`)
  await db.query(`CREATE FUNCTION looks_harmless(int) RETURNS bool LANGUAGE sql AS 'SELECT pg_terminate_backend($1)'`)
  // Functions that lie about their volatility: the planner would run them on constant arguments.
  await db.query(`CREATE FUNCTION liar(int) RETURNS bool IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN RETURN pg_terminate_backend($1); END $$`)
  await db.query(`CREATE FUNCTION liar_op(int, int) RETURNS bool IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN RETURN pg_terminate_backend($1); END $$`)
  await db.query(`CREATE OPERATOR ==> (LEFTARG = int, RIGHTARG = int, FUNCTION = liar_op)`)
  await db.query(`CREATE VIEW v_liar AS SELECT liar(${victimPid}) AS k`)
  await db.query(`CREATE VIEW v_liar_op AS SELECT ${victimPid} ==> 1 AS k`)
  await db.query(`CREATE FUNCTION wrapper(int) RETURNS bool LANGUAGE sql AS 'SELECT liar($1)'`)
  await db.query(`CREATE FUNCTION stable_liar(int) RETURNS int STABLE LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_terminate_backend($1); RETURN 1; END $$`)
  await db.query(`CREATE VIEW v_stable AS SELECT id FROM t WHERE id = stable_liar(${victimPid})`)
  // A cast's function shows in a plan only as `::pair`.
  await db.query('CREATE TYPE pair AS (a int, b int)')
  await db.query(`CREATE FUNCTION mk_pair(text) RETURNS pair LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_terminate_backend(${victimPid}); RETURN ROW(1, 2); END $$`)
  await db.query('CREATE CAST (text AS pair) WITH FUNCTION mk_pair(text)')
  await db.query(`CREATE VIEW v_cast AS SELECT v::pair AS p FROM t`)
  // SQL functions the planner does not inline (SETOF with a volatile body; BEGIN ATOMIC, two statements).
  await db.query(`CREATE FUNCTION not_inlined(int) RETURNS SETOF bool LANGUAGE sql AS 'SELECT 1; SELECT pg_terminate_backend($1)'`)
  await db.query(`CREATE FUNCTION atomic_kill(p int) RETURNS bool LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT pg_terminate_backend(p); END`)
  await db.query(`CREATE VIEW v_atomic AS SELECT atomic_kill(${victimPid}) AS k`)
})

afterAll(async () => {
  await executor.close?.()
  await victim?.end().catch(() => {})
  await db?.end()
  await database.drop()
})

describe('refused before it runs, naming what it would call', () => {
  it('a view whose definition terminates a session', async () => {
    const { planned, outcome, rec } = await runSql('SELECT count(*) FROM t;\nSELECT * FROM v_kill;')
    expect(planned.destructive).toBe(false)
    expect(outcome.status).toBe('blocked')
    expect(outcome.reason).toContain(says.atLine(11))
    expect(outcome.reason).toContain('pg_terminate_backend')
    expect(await victimAlive()).toBe(true)
    // The first statement ran (read-only), the second never did.
    expect(rec.statements.map((s) => s.line)).toEqual([10])
    expect(rec.statements[0]!.check).toBe('explained')
  })

  it('a custom operator whose function terminates a session', async () => {
    const { outcome } = await runSql(`SELECT ${victimPid} === 1 AS x;`)
    expect(outcome.status).toBe('blocked')

    // The operator's function is reached through the catalog and judged by name (a user function).
    expect(outcome.reason).toContain('kill_op')
    expect(await victimAlive()).toBe(true)
  })

  it('an SQL function the planner inlines', async () => {
    // The static judge already refuses a user function by name; the server check would catch it too.
    expect((await detectSql(`SELECT looks_harmless(${victimPid});`)).destructive).toBe(true)
    const { outcome } = await runSql(`SELECT looks_harmless(${victimPid});`, {}, true)
    expect(outcome.status).toBe('blocked')
    expect(outcome.reason).toContain('pg_terminate_backend')
    expect(await victimAlive()).toBe(true)
  })

  it('EXPLAIN ANALYZE of the view (it would run it)', async () => {
    const { outcome } = await runSql('EXPLAIN ANALYZE SELECT * FROM v_kill;')
    expect(outcome.status).toBe('blocked')
    expect(outcome.reason).toContain('pg_terminate_backend')
    expect(await victimAlive()).toBe(true)
  })

  it('COPY (query) TO STDOUT, and EXECUTE of a prepared statement reaching a lying function', async () => {
    const copy = await runSql('COPY (SELECT * FROM v_kill) TO STDOUT;')
    expect(copy.outcome.status).toBe('blocked')
    expect(copy.outcome.reason).toContain('pg_terminate_backend')
    const execute = await runSql('PREPARE p AS SELECT * FROM v_liar;\nEXECUTE p;')
    expect(execute.outcome.status).toBe('blocked')
    expect(execute.outcome.reason).toContain(says.atLine(11))
    expect(execute.outcome.reason).toContain('liar')
    expect(await victimAlive()).toBe(true)
  })

  it('a subquery and a CTE reaching the view', async () => {
    const { outcome } = await runSql('WITH x AS MATERIALIZED (SELECT * FROM v_kill) SELECT id FROM t WHERE id IN (SELECT id FROM x);')
    expect(outcome.status).toBe('blocked')
    expect(outcome.reason).toContain('pg_terminate_backend')
    expect(await victimAlive()).toBe(true)
  })
})

describe('what planning itself would run, and what SQL functions call, is refused before anything is planned', () => {
  it.each([
    ['an IMMUTABLE function in a view', 'SELECT * FROM v_liar;', 'liar'],
    ['an IMMUTABLE operator function in a view', 'SELECT * FROM v_liar_op;', 'liar_op'],
    ['an IMMUTABLE function behind an operator', 'SELECT PID ==> 1;', 'liar_op'],
    ['an SQL wrapper of an IMMUTABLE function', 'SELECT wrapper(1);', 'public.liar'],
    ['a STABLE function in a view (selectivity estimates)', 'SELECT * FROM v_stable;', 'stable_liar'],
    ['a cast function in a view', 'SELECT * FROM v_cast;', 'mk_pair'],
    ['a cast function named by ::type', "SELECT 'x'::text::pair;", 'mk_pair'],
    ['an SQL function that is not inlined: its body is judged', 'SELECT * FROM not_inlined(PID);', 'pg_terminate_backend'],
    ['a BEGIN ATOMIC SQL function in a view: what it depends on is judged', 'SELECT * FROM v_atomic;', 'pg_terminate_backend'],
  ])('%s', async (_name, code, fn) => {
    const sql = code.replace('PID', String(victimPid)).replace('wrapper(1)', `wrapper(${victimPid})`)
    // Direct calls are refused by the static judge already; the server check must hold even if it missed them.
    const { outcome } = await runSql(sql, {}, true)
    expect(outcome.status).toBe('blocked')
    expect(outcome.reason).toContain(fn)
    expect(await victimAlive()).toBe(true)
  })
})

describe('what passes', () => {
  it('ordinary reads: joins, subplans, window functions, sort keys — explained and recorded as held', async () => {
    const code = [
      'SELECT a.id, row_number() OVER (ORDER BY a.v DESC NULLS LAST) AS n, (SELECT max(id) FROM t) AS top',
      '  FROM t a JOIN t b ON a.id = b.id',
      "  WHERE a.v LIKE 'row%' AND a.id NOT IN (SELECT id FROM t WHERE id > 15) AND a.id = ANY (ARRAY[1, 2, 3])",
      '  ORDER BY a.v DESC, a.id USING <;',
      'SELECT v, count(*) FROM t GROUP BY v HAVING count(*) > 0 ORDER BY 1 LIMIT 2;',
      'SELECT * FROM generate_series(1, 3) g;',
      'SHOW work_mem;',
    ].join('\n')
    const { outcome, rec } = await runSql(code)
    expect(outcome).toEqual({ status: 'passed' })
    expect(rec.statements.map((s) => s.check)).toEqual(['explained', 'explained', 'explained', 'static'])
    expect(rec.notes.some((n) => n.startsWith(says.sqlCheckHeld(3, 1, 0).split('(')[0]!))).toBe(true)
  })

  it('safe="why": runs, and the record says the check was waived and what it found', async () => {
    const { outcome, rec } = await runSql('SELECT * FROM v_kill_nobody;', { safe: 'terminates nobody' })
    expect(outcome).toEqual({ status: 'passed' })
    expect(rec.statements[0]!.check).toBe('waived')
    const note = rec.notes.find((n) => n.includes('terminates nobody'))
    expect(note).toBeDefined()
    expect(note).toContain('pg_terminate_backend')
    expect(rec.tables[0]!.rows).toEqual([['f']])
  })

  it('the check costs one EXPLAIN per statement: 20 statements stay well under a second', async () => {
    const code = Array.from({ length: 20 }, (_, i) => `SELECT id, v FROM t WHERE id = ${i + 1};`).join('\n')
    const started = Date.now()
    const { outcome, rec } = await runSql(code)
    expect(outcome.status).toBe('passed')
    expect(rec.statements.every((s) => s.check === 'explained')).toBe(true)
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
