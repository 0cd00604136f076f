// The expressions of a plan: `EXPLAIN (VERBOSE, FORMAT JSON)` shows every expression a statement
// will evaluate — with views expanded, rules applied and SQL functions inlined — as text in the
// plan's nodes (Output, Filter, Index Cond, Sort Key, Function Call, and InitPlan/SubPlan nodes as
// children). Every string of the plan that is not known to be a name or a label is taken as an
// expression, so a key added by a later PostgreSQL is judged, not skipped.
// The texts are made parseable as `SELECT <expr>` by replacing the plan's own notations
// (`(SubPlan 1)`, `(InitPlan 1).col1`, `OVER (?)`, `PARTIAL`) — a subplan's expressions are in its
// own node, so the reference carries no call of its own.

/** Plan keys whose strings are names, labels or settings, never expressions (PostgreSQL 12–17). */
const NOT_EXPRESSIONS = new Set([
  'Node Type',
  'Parent Relationship',
  'Subplan Name',
  'Custom Plan Provider',
  'Relation Name',
  'Schema',
  'Alias',
  'Index Name',
  'Scan Direction',
  'Join Type',
  'Strategy',
  'Partial Mode',
  'Operation',
  'Command',
  'Function Name',
  'CTE Name',
  'Tuplestore Name',
  'Table Function Name',
  'Sampling Method',
  'Conflict Resolution',
  'Conflict Arbiter Indexes',
  'Sort Method',
  'Sort Space Type',
  'Cache Mode',
  'Trigger Name',
  'Constraint Name',
  'Relation',
  'Query Identifier',
  'Settings',
  'Target Tables',
  'Disabled',
])

/** Keys whose texts are sort keys: `expr [ASC|DESC] [USING op] [NULLS FIRST|LAST]`. */
const SORT_KEYS = new Set(['Sort Key', 'Presorted Key'])
/** Keys whose texts are FROM items rather than scalar expressions. */
const FROM_ITEMS = new Set(['Table Function Call'])

export interface PlanExpression {
  /** The plan key it came from (`Filter`, `Output`…). */
  key: string
  /** As the plan shows it. */
  text: string
  /** The SQL statement the judge reads for it. */
  sql: string
  /** Operators named by a sort key's `USING` (they are not in the expression itself). */
  sortOperators: string[]
}

/** The plan's notations replaced by what parses and calls nothing. */
function parseable(text: string): string {
  return text
    .replace(/\(alternatives: [^)]*\)/g, 'NULL')
    .replace(/\((?:hashed )?SubPlan \d+\)(?:\.col\d+)?/g, 'NULL')
    .replace(/\(InitPlan \d+\)\.col\d+/g, 'NULL')
    .replace(/\bOVER \(\?\)/g, 'OVER ()')
    .replace(/(^|[(,\s])PARTIAL (?=[\w"])/g, '$1')
}

function toExpression(key: string, text: string): PlanExpression {
  const sortOperators: string[] = []
  let expr = parseable(text)
  if (SORT_KEYS.has(key)) {
    expr = expr.replace(/\s+NULLS (?:FIRST|LAST)$/, '')
    expr = expr.replace(/\s+USING (\S+)$/, (_m, op: string) => {
      sortOperators.push(op)
      return ''
    })
    expr = expr.replace(/\s+(?:ASC|DESC)$/, '')
  }
  const sql = FROM_ITEMS.has(key) ? `SELECT * FROM ${expr}` : `SELECT ${expr}`
  return { key, text, sql, sortOperators }
}

/** Every expression text in a plan (the JSON `EXPLAIN (FORMAT JSON)` returns), in plan order. */
export function planExpressions(plan: unknown): PlanExpression[] {
  const out: PlanExpression[] = []
  const walk = (value: unknown, key: string | null): void => {
    if (typeof value === 'string') {
      if (key !== null && !NOT_EXPRESSIONS.has(key) && value.trim() !== '') out.push(toExpression(key, value))
    } else if (Array.isArray(value)) {
      for (const v of value) walk(v, key)
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k)
    }
  }
  walk(plan, null)
  return out
}
