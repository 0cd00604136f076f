// What went wrong in a SQL step, in words: the server's error with DETAIL and HINT, the file line
// of the error position, and which failures mean timed out or "declare the step destructive".
import { msg } from '../../terminal/messages/index.js'
import { StepStop, formatTimeout } from '../step-stop.js'

/** What pg attaches to a server error (SQLSTATE `code`, 1-based `position` in the statement). */
export interface PgError extends Error {
  code?: string
  position?: string
  detail?: string
  hint?: string
}

/** SQLSTATEs the executor tells apart. */
const QUERY_CANCELED = '57014'
const READ_ONLY_SQL_TRANSACTION = '25006'

/** A server error (it has a SQLSTATE) rather than a broken connection or a bug. */
export function isServerError(e: unknown): boolean {
  return Boolean((e as PgError | undefined)?.code)
}

export function pgErrorText(e: unknown): string {
  const err = e as PgError
  const parts = [err?.message ?? String(e)]
  if (err?.detail) parts.push(`DETAIL: ${err.detail}`)
  if (err?.hint) parts.push(`HINT: ${err.hint}`)
  return parts.join(' — ')
}

/** The file line of an error: the statement's line plus the newlines before the error position. */
export function errorLine(e: unknown, statementLine: number, text: string): number {
  const position = Number((e as PgError)?.position)
  if (!Number.isInteger(position) || position < 1) return statementLine
  const before = Array.from(text).slice(0, position - 1).join('')
  return statementLine + (before.match(/\n/g)?.length ?? 0)
}

/**
 * How a statement's error ends the step: statement_timeout is a timeout; a write refused by the
 * read-only transaction asks for the step to be declared destructive; anything else fails.
 */
export function statementStop(e: unknown, line: number, readOnly: boolean, timeoutMs: number): StepStop {
  const err = e as PgError
  const at = msg.executors.atLine(line)
  if (err.code === QUERY_CANCELED && /statement timeout/i.test(err.message)) {
    return new StepStop('timed-out', `${at}${msg.executors.sqlStatementTimeout(pgErrorText(e), formatTimeout(timeoutMs))}`)
  }
  if (err.code === READ_ONLY_SQL_TRANSACTION && readOnly) {
    return new StepStop('failed', `${at}${pgErrorText(e)} — ${msg.executors.sqlWritesInReadOnly}`)
  }
  return new StepStop('failed', `${at}${pgErrorText(e)}`)
}
