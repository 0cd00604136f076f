// A sample of what a destructive UPDATE/DELETE changes: the statement is run as
// `WITH x AS (<statement> RETURNING *) SELECT * FROM x LIMIT 10`. PostgreSQL runs a data-modifying
// CTE to completion whatever the outer LIMIT, so every row is still changed; the outer SELECT only
// keeps ten of them to show. The new text is judged by the same static judge as the step and is
// the text recorded and shown: nothing runs that was not judged. The operator sees the rows as
// they are; the record keeps them with sensitive columns masked.
import { detectSql } from '../../judge/sql.js'
import { parseSql, type Statement } from '../../judge/sql/statements.js'
import type { TableBlock } from '../../model/run-record.js'

export const SAMPLE_ROWS = 10

/** Column names masked in every recorded sample (case-insensitive, anywhere in the name). */
const SENSITIVE = /password|token|secret|digest/i
const MASK = '***'

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0)
}

/** A single-table UPDATE or DELETE of its own, without RETURNING or WITH: the kind worth sampling. */
function sampleable(st: Statement): boolean {
  if (st.type !== 'UpdateStmt' && st.type !== 'DeleteStmt') return false
  const body = st.node[st.type] as Record<string, unknown>
  // WHERE CURRENT OF names a cursor position a CTE cannot use.
  const currentOf = JSON.stringify(body.whereClause ?? null).includes('"CurrentOfExpr"')
  return isEmpty(body.returningList) && isEmpty(body.withClause) && isEmpty(body.fromClause) && isEmpty(body.usingClause) && !currentOf
}

/**
 * The sampling text for a statement of a destructive step, or null when it is not to be sampled.
 * The text must parse as one SELECT whose only CTE is the same kind of statement, and the judge
 * must find in it exactly what it found in the statement (destructive, nothing refused).
 */
export async function sampleText(text: string): Promise<string | null> {
  const original = await parseSql(text)
  const st = original.statements[0]
  if (original.errors.length > 0 || original.statements.length !== 1 || !st || !sampleable(st)) return null
  // The newline ends a trailing `--` comment of the statement.
  const sample = `WITH x AS (\n${text}\nRETURNING *\n) SELECT * FROM x LIMIT ${SAMPLE_ROWS}`
  const parsed = await parseSql(sample)
  const outer = parsed.statements[0]
  if (parsed.errors.length > 0 || parsed.statements.length !== 1 || outer?.type !== 'SelectStmt') return null
  const ctes = ((outer.node.SelectStmt as Record<string, unknown>).withClause as { ctes?: unknown[] } | undefined)?.ctes ?? []
  const inner = (ctes[0] as { CommonTableExpr?: { ctequery?: Record<string, unknown> } } | undefined)?.CommonTableExpr?.ctequery
  if (ctes.length !== 1 || !inner || Object.keys(inner)[0] !== st.type) return null
  const [before, after] = await Promise.all([detectSql(text), detectSql(sample)])
  if (!after.destructive || after.refused.length > 0 || after.syntaxErrors.length > 0) return null
  if ([...after.reasons].sort().join('\n') !== [...before.reasons].sort().join('\n')) return null
  return sample
}

/** Which columns of a sample are masked in the record: sensitive names and the step's `redact-columns`. */
export function maskedColumns(columns: string[], redact: string[] = []): string[] {
  const listed = new Set(redact.map((c) => c.toLowerCase()))
  return columns.filter((c) => SENSITIVE.test(c) || listed.has(c.toLowerCase()))
}

/** The table with the masked columns' values replaced. */
export function maskTable(table: TableBlock, masked: string[]): TableBlock {
  const hide = table.columns.map((c) => masked.includes(c))
  return { ...table, rows: table.rows.map((row) => row.map((cell, i) => (hide[i] ? MASK : cell))) }
}
