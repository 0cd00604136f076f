// The run-time server check of a SQL step that is not destructive. The static judge reads the
// step's text; the server knows what that text will call: a view's definition, a rule, an SQL
// function the planner inlines, the function behind an operator. Before each statement runs, in
// the same read-only transaction, `EXPLAIN (VERBOSE, FORMAT JSON)` plans it without executing it;
// every expression of the plan is judged as `SELECT <expr>` by the same static judge, and every
// operator it names is looked up: its function must be in pg_catalog (or belong to an installed
// extension) and pass the judge. An expression that does not parse is a refusal: what cannot be
// read cannot be proven harmless. Statements EXPLAIN cannot take (SHOW, SET…) are judged
// statically only, and the record says so.
import { detectSql } from '../../judge/sql.js'
import { parseSql, type Statement } from '../../judge/sql/statements.js'
import { msg } from '../../terminal/messages/index.js'
import { planExpressions, type PlanExpression } from './plan-expressions.js'
import { planTimeRefusals } from './plan-time.js'
import type { SqlSession } from './session.js'

/** Statements EXPLAIN plans. */
const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'DeclareCursorStmt', 'ExecuteStmt', 'CreateTableAsStmt'])

export interface CheckVerdict {
  check: 'explained' | 'static'
  /** Why the statement may not run; empty when it may. */
  refusals: string[]
}

/** The prefix that runs the plan: its length maps an error position back to the statement. */
export const EXPLAIN_PREFIX = 'EXPLAIN (VERBOSE, FORMAT JSON) '

/** Whether an EXPLAIN statement's options say ANALYZE (it then runs its query). */
function isAnalyze(st: Statement): boolean {
  const options = (st.node.ExplainStmt as { options?: unknown[] }).options ?? []
  return options.some((o) => {
    const d = (o as { DefElem?: { defname?: string; arg?: unknown } }).DefElem
    if (d?.defname !== 'analyze') return false
    const arg = JSON.stringify(d.arg ?? null)
    return !/"(false|off|no|0)"|"Integer":\{\}/i.test(arg)
  })
}

/** The query an EXPLAIN statement plans: its text after the options, parsed back to the same kind. */
async function explainedQuery(st: Statement): Promise<string | null> {
  const body = st.node.ExplainStmt as { query?: Record<string, unknown> }
  const m = /^\s*EXPLAIN\s*(?:\([^()]*\)|(?:ANALY[SZ]E\s+)?(?:VERBOSE\s+)?)/i.exec(st.text)
  if (!m) return null
  const text = st.text.slice(m[0].length)
  const inner = await parseSql(text)
  const want = Object.keys(body.query ?? {})[0]
  if (inner.errors.length > 0 || inner.statements.length !== 1 || inner.statements[0]!.type !== want) return null
  return text
}

/** The text a COPY (query) TO runs: the query between its parentheses, parsed back to the same kind. */
async function copiedQuery(st: Statement): Promise<string | null> {
  const want = Object.keys((st.node.CopyStmt as { query?: Record<string, unknown> }).query ?? {})[0]
  const open = st.text.indexOf('(')
  if (open < 0 || !want) return null
  // The closing parenthesis is the one after which `TO` follows and before which the query parses.
  for (let close = st.text.indexOf(')', open); close >= 0; close = st.text.indexOf(')', close + 1)) {
    if (!/^\s*TO\b/i.test(st.text.slice(close + 1))) continue
    const text = st.text.slice(open + 1, close)
    const inner = await parseSql(text).catch(() => null)
    if (inner && inner.errors.length === 0 && inner.statements.length === 1 && inner.statements[0]!.type === want) return text
  }
  return null
}

/** What to plan for a statement: its own text, the query it wraps, or a verdict without a plan. */
async function planTarget(session: SqlSession, st: Statement): Promise<{ target: string; names: string } | { verdict: CheckVerdict }> {
  const says = msg.executors
  switch (st.type) {
    case 'ExplainStmt': {
      // A plain EXPLAIN plans and runs nothing; EXPLAIN ANALYZE runs its query, which is checked.
      if (!isAnalyze(st)) return { verdict: { check: 'static', refusals: [] } }
      const inner = await explainedQuery(st)
      if (inner === null) return { verdict: { check: 'static', refusals: [says.sqlCheckUnparsable] } }
      const innerSt = (await parseSql(inner)).statements[0]!
      if (!EXPLAINABLE.has(innerSt.type)) return { verdict: { check: 'static', refusals: [] } }
      return { target: inner, names: inner }
    }
    case 'CopyStmt': {
      // COPY (query) TO runs the query; COPY table TO reads the table (row-security policies apply).
      const body = st.node.CopyStmt as { query?: unknown; relation?: Record<string, unknown>; is_from?: boolean }
      if (body.is_from) return { verdict: { check: 'static', refusals: [] } }
      if (body.query) {
        const inner = await copiedQuery(st)
        return inner === null ? { verdict: { check: 'static', refusals: [says.sqlCheckUnparsable] } } : { target: inner, names: inner }
      }
      const rv = body.relation ?? {}
      const name = [rv.schemaname, rv.relname].filter((p): p is string => typeof p === 'string').map((p) => `"${p.replace(/"/g, '""')}"`).join('.')
      return { target: `SELECT * FROM ${name}`, names: `SELECT * FROM ${name}` }
    }
    case 'ExecuteStmt': {
      // What planning reaches is in the prepared statement's own text.
      const name = String((st.node.ExecuteStmt as { name?: string }).name ?? '')
      const r = await session.control('SELECT statement FROM pg_catalog.pg_prepared_statements WHERE name OPERATOR(pg_catalog.=) $1', [name])
      const prepared = (r.rows[0] as { statement?: string } | undefined)?.statement
      return { target: st.text, names: prepared ?? st.text }
    }
  }
  if (!EXPLAINABLE.has(st.type)) return { verdict: { check: 'static', refusals: [] } }
  return { target: st.text, names: st.text }
}

/** Judges one statement against the server, in the step's read-only transaction. With `waived`
 * (the step says `safe=`) everything is looked at, for the record, even what planning may run. */
export async function checkStatement(session: SqlSession, text: string, waived = false): Promise<CheckVerdict & { explained?: string }> {
  const parsed = await parseSql(text)
  const st = parsed.statements[0]
  if (parsed.errors.length > 0 || parsed.statements.length !== 1 || !st) return { check: 'static', refusals: [msg.executors.sqlCheckUnparsable] }
  const what = await planTarget(session, st)
  if ('verdict' in what) return what.verdict
  const target = what.target
  // What planning itself would run is refused before anything is planned.
  const early = await planTimeRefusals(session, what.names)
  if (early.length > 0 && !waived) return { check: 'explained', refusals: early }
  const r = await session.control(`${EXPLAIN_PREFIX}${target}`)
  const plan = (r.rows[0] as Record<string, unknown>)['QUERY PLAN']
  const expressions = planExpressions(typeof plan === 'string' ? JSON.parse(plan) : plan)
  const refusals = await judgeExpressions(expressions)
  const operators = await operatorNames(expressions)
  refusals.push(...(await judgeOperators(session, operators)), ...early)
  return { check: 'explained', refusals: [...new Set(refusals)], explained: target }
}

/** Each expression as `SELECT <expr>` by the static judge; unparsable ones are refused. */
async function judgeExpressions(expressions: PlanExpression[]): Promise<string[]> {
  const says = msg.executors
  const refusals: string[] = []
  // One parse for all of them, each on its own lines, to keep the check to one call.
  const starts: number[] = []
  let line = 1
  const parts = expressions.map((e) => {
    starts.push(line)
    line += e.sql.split('\n').length
    return e.sql
  })
  if (parts.length === 0) return refusals
  const detection = await detectSql(parts.join(';\n'))
  const which = (l: number) => {
    let i = 0
    while (i + 1 < starts.length && starts[i + 1]! <= l) i++
    return expressions[i]!
  }
  for (const err of detection.syntaxErrors) refusals.push(says.sqlCheckUnreadable(which(err.line).text))
  for (const r of detection.refused) refusals.push(says.sqlCheckRefused(which(r.line).text, r.message))
  if (detection.destructive) {
    // Which expression: judged one by one only when something was found (rare; costs a parse each).
    for (const e of expressions) {
      const d = await detectSql(e.sql)
      if (d.destructive) refusals.push(says.sqlCheckRefused(e.text, d.reasons.join('; ')))
    }
  }
  return refusals
}

/** Operator names the expressions use: `=`, or `schema.op` when the plan qualifies one. */
async function operatorNames(expressions: PlanExpression[]): Promise<string[]> {
  const names = new Set<string>()
  for (const e of expressions) for (const op of e.sortOperators) names.add(op.replace(/^OPERATOR\((.*)\)$/, '$1'))
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (value === null || typeof value !== 'object') return
    for (const [k, v] of Object.entries(value)) {
      if (k === 'A_Expr' && v && typeof v === 'object') {
        const name = ((v as { name?: { String?: { sval?: string } }[] }).name ?? []).map((n) => n.String?.sval ?? '')
        if (name.length > 0 && /^[+\-*/<>=~!@#%^&|`?]+$/.test(name[name.length - 1]!)) names.add(name.join('.'))
      }
      walk(v)
    }
  }
  const parsed = await parseSql(expressions.map((e) => e.sql).join(';\n')).catch(() => null)
  for (const st of parsed?.statements ?? []) walk(st.node)
  return [...names]
}

interface OperatorRow {
  op: string
  fn: string
  schema: string
  extension: boolean
}

/** Operators whose function is outside pg_catalog (and no extension's), or refused by the judge. */
async function judgeOperators(session: SqlSession, names: string[]): Promise<string[]> {
  if (names.length === 0) return []
  const plain = names.filter((n) => !n.includes('.'))
  const qualified = names.filter((n) => n.includes('.'))
  // An unqualified operator resolves among the visible ones (the plan qualifies any other).
  const r = await session.control(
    `SELECT pg_catalog.format('%s.%s', onsp.nspname, o.oprname) AS op, pg_catalog.format('%I.%I', pn.nspname, p.proname) AS fn,
            pn.nspname AS schema,
            EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                    AND d.objid OPERATOR(pg_catalog.=) p.oid AND d.deptype OPERATOR(pg_catalog.=) 'e') AS extension
     FROM pg_catalog.pg_operator o
     JOIN pg_catalog.pg_namespace onsp ON onsp.oid OPERATOR(pg_catalog.=) o.oprnamespace
     JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) o.oprcode
     JOIN pg_catalog.pg_namespace pn ON pn.oid OPERATOR(pg_catalog.=) p.pronamespace
     WHERE (o.oprname OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text[]) AND pg_catalog.pg_operator_is_visible(o.oid))
        OR (onsp.nspname OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) o.oprname) OPERATOR(pg_catalog.=) ANY ($2::pg_catalog.text[])`,
    [plain, qualified],
  )
  const refusals: string[] = []
  const rows = r.rows as OperatorRow[]
  for (const row of rows) {
    if (row.schema !== 'pg_catalog' && !row.extension) refusals.push(msg.executors.sqlCheckOperator(row.op, row.fn))
  }
  // The functions of the allowed ones still go through the judge.
  const fns = [...new Set(rows.filter((row) => row.schema === 'pg_catalog' || row.extension).map((row) => row.fn))]
  if (fns.length === 0) return refusals
  // One parse for all of them (a common operator such as `=` has dozens of functions); when the
  // judge finds anything, each is judged alone to name it.
  const all = await detectSql(fns.map((fn) => `SELECT ${fn}()`).join(';\n'))
  if (!all.destructive && all.refused.length === 0 && all.syntaxErrors.length === 0) return refusals
  for (const fn of fns) {
    const d = await detectSql(`SELECT ${fn}()`)
    if (d.destructive || d.refused.length > 0 || d.syntaxErrors.length > 0) {
      for (const row of rows.filter((x) => x.fn === fn)) refusals.push(msg.executors.sqlCheckOperator(row.op, row.fn))
    }
  }
  return refusals
}
