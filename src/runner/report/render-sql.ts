// A SQL step's statements in the report: each with its line, text, command tag and duration, how
// the server check held it (steps that are not destructive), and the rows it changed per table
// (destructive steps in a transaction) or why they could not be counted.
import { formatDuration } from '../parse/duration.js'
import { msg } from '../terminal/messages/index.js'
import { codeSpan, escapeText } from './markdown-text.js'
import type { SqlStatementRecord } from '../model/run-record.js'

/** The Markdown list items of one statement: its line, then its counts indented under it. */
export function statementItems(s: SqlStatementRecord): string[] {
  const r = msg.report
  const check = s.check ? ` · ${msg.executors.sqlCheckLabel(s.check)}` : ''
  const items = [
    `- ${r.statementLine(s.line)} · ${codeSpan(s.sql, 300)} → ${escapeText(s.command) || '?'}` +
      `${s.rowCount !== null ? ` ${r.rows(s.rowCount)}` : ''} · ${formatDuration(s.durationMs)}${check}`,
  ]
  if (s.uncounted) items.push(`  - ${escapeText(msg.executors.sqlUncounted(s.uncounted), 300)}`)
  for (const c of s.tables ?? []) items.push(`  - ${escapeText(msg.executors.sqlTableCounts(c.table, c.inserted, c.updated, c.deleted, c.truncated), 300)}`)
  return items
}
