// Reading PostgreSQL parse trees (JSON of libpg_query): nodes, names and constants, and how a
// statement is named in a reason.
import type { Json } from './parser.js'
import type { Statement } from './statements.js'
import { STATEMENT_NAMES } from './tables.js'

export function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined
}

/** `schema.table` of a RangeVar, or undefined when the tree does not name one. */
export function relationName(v: unknown): string | undefined {
  const r = obj(v)
  if (!r || typeof r.relname !== 'string') return undefined
  return typeof r.schemaname === 'string' ? `${r.schemaname}.${r.relname}` : r.relname
}

/** A constant's value: string, boolean, number, or undefined when not a constant. */
export function constValue(v: unknown): string | boolean | number | undefined {
  let node = obj(v)
  if (node?.TypeCast) node = obj(obj(node.TypeCast)?.arg)
  const c = obj(node?.A_Const)
  if (!c) return undefined
  if (c.sval) return String(obj(c.sval)?.sval ?? '')
  if (c.boolval) return obj(c.boolval)?.boolval === true
  if (c.ival) return Number(obj(c.ival)?.ival ?? 0)
  return undefined
}

/** First words of a statement (uppercased), to name it in a reason. */
export function leadingWords(text: string, count: number): string {
  return text
    .split(/\s+/)
    .slice(0, count)
    .join(' ')
    .replace(/[;(].*$/, '')
    .toUpperCase()
}

/** How a statement is named in a reason: `DROP TABLE`, `VACUUM`, `GRANT`… */
export function statementName(st: Statement): string {
  const body = obj(st.node[st.type]) ?? {}
  switch (st.type) {
    case 'VacuumStmt':
      return body.is_vacuumcmd ? 'VACUUM' : 'ANALYZE'
    case 'GrantStmt':
    case 'GrantRoleStmt':
      return body.is_grant ? 'GRANT' : 'REVOKE'
    case 'CreateTableAsStmt':
      return body.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS'
    case 'DropStmt': {
      const what = typeof body.removeType === 'string' ? body.removeType.replace(/^OBJECT_/, '').replace(/_/g, ' ') : ''
      return `DROP ${what}`.trim()
    }
  }
  return STATEMENT_NAMES[st.type] ?? leadingWords(st.text, /^(CREATE|ALTER|DROP)$/i.test(st.text.split(/\s+/)[0] ?? '') ? 2 : 1)
}

/** A called function's name parts exactly as PostgreSQL resolves them: `[schema?, name]`. */
export function callName(call: Json): { schema?: string; name: string; parts: number } {
  const parts = (Array.isArray(call.funcname) ? call.funcname : []).map((p) => obj(obj(p)?.String)?.sval).map((s) => (typeof s === 'string' ? s : ''))
  const name = parts[parts.length - 1] ?? ''
  return parts.length > 1 ? { schema: parts[parts.length - 2], name, parts: parts.length } : { name, parts: parts.length }
}
