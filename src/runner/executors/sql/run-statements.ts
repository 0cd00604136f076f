// The statement loop of a SQL step: each statement is run, recorded (file line, command, rows,
// duration), shown (a table, or the command tag as psql prints it), and held to max-rows; the
// first error or stop ends the step.
import type { SqlStatementRecord, StepContext, TableBlock } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'
import { StepStop } from '../step-stop.js'
import { hidePassword } from '../targets.js'
import { errorLine, isServerError, statementStop, type PgError } from './errors.js'
import { NUMERIC_OIDS, displayText, formatTextTable } from './render.js'
import { firstWord, type SqlSession, type StatementResult } from './session.js'

export type SqlMode = 'read-only' | 'transaction' | 'autocommit'

/** What the loop needs to know of the step. */
export interface StatementPlan {
  /** Statements with their file lines. */
  statements: { text: string; line: number }[]
  mode: SqlMode
  maxRows: number | undefined
  /** The connection's password, hidden from everything shown. */
  password: string
}

const AFFECTING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'])

/** Rows a statement changed, for max-rows: DML and COPY counts, SELECT INTO / CREATE TABLE AS. */
function affectedRows(r: StatementResult): number | null {
  if (AFFECTING.has(r.command)) return r.rowCount
  if (r.command === 'SELECT' && r.columns.length === 0) return r.rowCount
  return null
}

/** Runs every statement; throws a StepStop at the first failure. Returns what ran. */
export async function runStatements(session: SqlSession, ctx: StepContext, plan: StatementPlan): Promise<SqlStatementRecord[]> {
  const records: SqlStatementRecord[] = []
  for (const st of plan.statements) {
    if (session.stopReason) throw session.stopped(st.line)
    const started = performance.now()
    let r: StatementResult
    try {
      r = await session.read(st.text)
    } catch (e) {
      const record = { line: st.line, sql: st.text, command: firstWord(st.text), rowCount: null, durationMs: Math.round(performance.now() - started) }
      records.push(record)
      ctx.io.statement(record)
      throw failedStatement(session, ctx, plan, e, errorLine(e, st.line, st.text))
    }
    const record: SqlStatementRecord = { line: st.line, sql: st.text, command: r.command, rowCount: r.rowCount, durationMs: Math.round(performance.now() - started) }
    records.push(record)
    ctx.io.statement(record)
    showResult(ctx, st.line, r)
    const affected = affectedRows(r)
    if (plan.maxRows !== undefined && plan.mode !== 'read-only' && affected !== null && affected > plan.maxRows) {
      const reason = msg.executors.sqlMaxRows(r.command, affected, plan.maxRows, plan.mode === 'autocommit')
      throw new StepStop('failed', `${msg.executors.atLine(st.line)}${reason}`)
    }
  }
  return records
}

/** The server's error as psql shows it, and how it ends the step. */
function failedStatement(session: SqlSession, ctx: StepContext, plan: StatementPlan, e: unknown, line: number): StepStop {
  ctx.io.output(`ERROR:  ${hidePassword((e as PgError).message ?? String(e), plan.password)}\n`, 'stderr')
  if (session.stopReason) return session.stopped(line)
  if (!isServerError(e)) session.broken = true
  return statementStop(e, line, plan.mode === 'read-only', ctx.timeoutMs)
}

/** A result set as a report table and an aligned text table; otherwise the command tag. */
function showResult(ctx: StepContext, line: number, r: StatementResult): void {
  if (r.columns.length > 0) {
    const table: TableBlock = { title: msg.executors.lineTitle(line), columns: r.columns, rows: r.rows, totalRows: r.totalRows }
    ctx.io.table(table)
    const right = r.typeOids.map((oid) => NUMERIC_OIDS.has(oid))
    ctx.io.output(formatTextTable(r.columns.map((c) => displayText(c)), r.rows, r.totalRows, right), 'stdout')
  } else {
    ctx.io.output(`${r.command}${r.rowCount === null ? '' : ` ${r.rowCount}`}\n`, 'stdout')
  }
}
