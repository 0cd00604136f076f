// The statement loop of a SQL step: each statement is run, recorded (file line, command, rows,
// duration), shown (a table, or the command tag as psql prints it), and held to its checks; the
// first error or stop ends the step.
// - Not destructive: before it runs, each statement's plan is judged against the server
//   (server-check.ts); a refusal blocks the step unless it says `safe="why"`.
// - Destructive, in a transaction: the rows each statement changed are counted per table from the
//   server's statistics (counts.ts) and held to max-rows per table; a single-table UPDATE/DELETE
//   runs as a sampling CTE (sample.ts) whose rows the operator sees before the commit question.
// - Autocommit: the command tags count, as nothing can be counted across separate transactions.
import { parseSql } from '../../judge/sql/statements.js'
import type { SqlStatementRecord, StepContext, TableBlock } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'
import { StepStop } from '../step-stop.js'
import { hidePassword } from '../targets.js'
import { countTruncated, rowsChanged, snapshot, tableCounts, type Snapshot, type Truncated } from './counts.js'
import { errorLine, isServerError, statementStop, type PgError } from './errors.js'
import { NUMERIC_OIDS, displayText, formatTextTable } from './render.js'
import { maskTable, maskedColumns, sampleText } from './sample.js'
import { EXPLAIN_PREFIX, checkStatement } from './server-check.js'
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
  /** The step's `safe="why"`: the server check runs, but does not stop the step. */
  safe?: string
  /** The step's `redact-columns`: masked in recorded samples, besides the sensitive names. */
  redactColumns?: string[]
}

/** What ran, and the unmasked samples for the operator's commit question. */
export interface StatementsRun {
  records: SqlStatementRecord[]
  samples: { line: number; table: TableBlock }[]
  /** The statistics after the last statement: the next one's "before" (reads change no counter). */
  last?: Snapshot
}

const AFFECTING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'])

/** Rows a statement changed by its command tag (autocommit): DML and COPY counts, SELECT INTO / CREATE TABLE AS. */
function affectedRows(r: StatementResult): number | null {
  if (AFFECTING.has(r.command)) return r.rowCount
  if (r.command === 'SELECT' && r.columns.length === 0) return r.rowCount
  return null
}

interface CheckTally {
  explained: number
  staticOnly: number
  ms: number
  findings: string[]
}

/** Runs every statement; throws a StepStop at the first failure. Returns what ran. */
export async function runStatements(session: SqlSession, ctx: StepContext, plan: StatementPlan): Promise<StatementsRun> {
  const run: StatementsRun = { records: [], samples: [] }
  const tally: CheckTally = { explained: 0, staticOnly: 0, ms: 0, findings: [] }
  try {
    if (plan.mode === 'transaction') run.last = await refuseUncountable(session, ctx, plan)
    for (const st of plan.statements) {
      if (session.stopReason) throw session.stopped(st.line)
      const check = plan.mode === 'read-only' ? await serverGate(session, ctx, plan, st, tally) : undefined
      await runOne(session, ctx, plan, st, run, check)
    }
  } finally {
    if (plan.mode === 'read-only') noteCheck(ctx, plan, tally)
  }
  return run
}

/** Counts that would all be 0 (track_counts off) cannot hold max-rows nor make a preview. */
async function refuseUncountable(session: SqlSession, ctx: StepContext, plan: StatementPlan): Promise<Snapshot> {
  const first = await snapshot(session)
  if (first.tracking) return first
  const why = msg.executors.sqlCountsTrackOff
  if (ctx.dryRun) throw new StepStop('blocked', msg.executors.sqlPreviewUncounted(why))
  if (plan.maxRows !== undefined) throw new StepStop('blocked', msg.executors.sqlMaxRowsUncounted(why))
  return first
}

/** The step's server check result, in its notes: held (what was explained), or waived and what it found. */
function noteCheck(ctx: StepContext, plan: StatementPlan, tally: CheckTally): void {
  if (tally.explained + tally.staticOnly === 0) return
  if (plan.safe !== undefined) ctx.io.note(msg.executors.sqlCheckWaived(plan.safe, tally.findings.join('; ')))
  else ctx.io.note(msg.executors.sqlCheckHeld(tally.explained, tally.staticOnly, Math.round(tally.ms)))
}

/** The server check of one statement of a read-only step; a refusal blocks the step unless `safe=`. */
async function serverGate(
  session: SqlSession,
  ctx: StepContext,
  plan: StatementPlan,
  st: { text: string; line: number },
  tally: CheckTally,
): Promise<SqlStatementRecord['check']> {
  const started = performance.now()
  let verdict: Awaited<ReturnType<typeof checkStatement>>
  try {
    verdict = await checkStatement(session, st.text, plan.safe !== undefined)
  } catch (e) {
    // The plan could not be made (a missing table…): the statement's own error, at its line.
    const shifted = { ...(e as PgError), message: (e as PgError).message, position: String(Number((e as PgError).position) - EXPLAIN_PREFIX.length) }
    ctx.io.statement({ line: st.line, sql: st.text, command: firstWord(st.text), rowCount: null, durationMs: Math.round(performance.now() - started) })
    throw failedStatement(session, ctx, plan, e, errorLine(shifted, st.line, st.text))
  } finally {
    tally.ms += performance.now() - started
  }
  if (verdict.check === 'explained') tally.explained++
  else tally.staticOnly++
  if (plan.safe !== undefined) {
    tally.findings.push(...verdict.refusals.map((r) => `${msg.executors.atLine(st.line)}${r}`))
    return 'waived'
  }
  if (verdict.refusals.length === 0) return verdict.check
  throw new StepStop('blocked', `${msg.executors.atLine(st.line)}${msg.executors.sqlCheckBlocked(verdict.refusals.join('; '))}`)
}

/** What is known before a destructive statement runs in a transaction. */
interface Before {
  snap: Snapshot
  truncated: Truncated
  sample: string | null
  /** The sampled statement's table (`schema.table`), whose count is its row count. */
  target: string | null
}

/** The target of a sampled statement, when it is a table (a view with rules may not take RETURNING). */
async function sampledTable(session: SqlSession, st: { node: Record<string, unknown>; type: string } | undefined): Promise<string | null> {
  const rv = st ? ((st.node[st.type] as { relation?: Record<string, unknown> }).relation ?? null) : null
  if (!rv) return null
  const name = [rv.schemaname, rv.relname].filter((p): p is string => typeof p === 'string').map((p) => `"${p.replace(/"/g, '""')}"`).join('.')
  const r = await session.control(
    `SELECT c.relkind::pg_catalog.text AS kind, pg_catalog.format('%I.%I', n.nspname, c.relname) AS name,
            pg_catalog.has_table_privilege(c.oid, 'SELECT') AS readable
     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE c.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass($1)`,
    [name],
  )
  // RETURNING * needs SELECT on the table: without it the sample would fail a statement that works.
  const row = r.rows[0] as { kind?: string; name?: string; readable?: boolean } | undefined
  return (row?.kind === 'r' || row?.kind === 'p') && row.readable ? (row.name ?? null) : null
}

async function prepareCounts(session: SqlSession, plan: StatementPlan, text: string, last: Snapshot | undefined): Promise<Before | null> {
  if (plan.mode !== 'transaction') return null
  const parsed = await parseSql(text)
  const st = parsed.statements.length === 1 ? parsed.statements[0] : undefined
  let sample = await sampleText(text)
  const target = sample !== null ? await sampledTable(session, st) : null
  if (target === null) sample = null
  const snap = last ?? (await snapshot(session))
  const truncated = st?.type === 'TruncateStmt' ? await countTruncated(session, st.node.TruncateStmt as Record<string, unknown>) : new Map()
  return { snap, truncated, sample, target }
}

async function runOne(
  session: SqlSession,
  ctx: StepContext,
  plan: StatementPlan,
  st: { text: string; line: number },
  run: StatementsRun,
  check: SqlStatementRecord['check'],
): Promise<void> {
  const before = await prepareCounts(session, plan, st.text, run.last)
  delete run.last // the statement's own "after" replaces it once it ran
  const text = before?.sample ?? st.text
  // The operator sees the text that runs, before it runs.
  if (before?.sample) ctx.io.output(`-- ${msg.executors.sqlSampleRunsAs(st.line)}\n${before.sample}\n`, 'stdout')
  const started = performance.now()
  let r: StatementResult
  try {
    r = await session.read(text)
  } catch (e) {
    const record: SqlStatementRecord = { line: st.line, sql: text, command: firstWord(st.text), rowCount: null, durationMs: Math.round(performance.now() - started) }
    if (check) record.check = check
    run.records.push(record)
    ctx.io.statement(record)
    throw failedStatement(session, ctx, plan, e, errorLine(e, st.line, text))
  }
  const durationMs = Math.round(performance.now() - started)
  const record: SqlStatementRecord = { line: st.line, sql: text, command: r.command, rowCount: r.rowCount, durationMs }
  if (check) record.check = check
  if (before) {
    run.last = await snapshot(session)
    const counted = tableCounts(before.snap, run.last, before.truncated)
    if ('tables' in counted) record.tables = counted.tables
    else record.uncounted = counted.unknown
  }
  if (before?.sample) {
    // The tag is the outer SELECT's; the statement's verb and its true counts are what matter.
    record.command = firstWord(st.text)
    const own = record.tables?.find((c) => c.table === before.target)
    record.rowCount = own ? (record.command === 'DELETE' ? own.deleted : own.updated) : record.uncounted ? null : 0
    record.masked = maskedColumns(r.columns, plan.redactColumns)
  }
  run.records.push(record)
  ctx.io.statement(record)
  if (before?.sample) showSample(ctx, record, r, run)
  else showResult(ctx, st.line, r)
  showCounts(ctx, record)
  holdMaxRows(plan, st.line, r, record)
}

/** max-rows: per table from the true counts in a transaction; by the command tag in autocommit. */
function holdMaxRows(plan: StatementPlan, line: number, r: StatementResult, record: SqlStatementRecord): void {
  if (plan.maxRows === undefined || plan.mode === 'read-only') return
  const at = msg.executors.atLine(line)
  if (plan.mode === 'autocommit') {
    const affected = affectedRows(r)
    if (affected !== null && affected > plan.maxRows) throw new StepStop('failed', `${at}${msg.executors.sqlMaxRows(r.command, affected, plan.maxRows, true)}`)
    return
  }
  if (record.uncounted) throw new StepStop('failed', `${at}${msg.executors.sqlMaxRowsUncounted(record.uncounted)}`)
  for (const c of record.tables ?? []) {
    const rows = rowsChanged(c)
    if (rows > plan.maxRows) throw new StepStop('failed', `${at}${msg.executors.sqlMaxRowsTable(c.table, rows, plan.maxRows, false)}`)
  }
}

/** The per-table counts under the statement's output (screen and recorded output). */
function showCounts(ctx: StepContext, record: SqlStatementRecord): void {
  if (record.uncounted) ctx.io.output(`-- ${msg.executors.sqlUncounted(record.uncounted)}\n`, 'stdout')
  for (const c of record.tables ?? []) ctx.io.output(`-- ${msg.executors.sqlTableCounts(c.table, c.inserted, c.updated, c.deleted, c.truncated)}\n`, 'stdout')
}

/** The server's error as psql shows it, and how it ends the step. */
function failedStatement(session: SqlSession, ctx: StepContext, plan: StatementPlan, e: unknown, line: number): StepStop {
  ctx.io.output(`ERROR:  ${hidePassword((e as PgError).message ?? String(e), plan.password)}\n`, 'stderr')
  if (session.stopReason) return session.stopped(line)
  if (!isServerError(e)) session.broken = true
  return statementStop(e, line, plan.mode === 'read-only', ctx.timeoutMs)
}

/** A sample of changed rows: recorded masked; kept unmasked for the operator's commit question. */
function showSample(ctx: StepContext, record: SqlStatementRecord, r: StatementResult, run: StatementsRun): void {
  const masked = record.masked ?? []
  const table: TableBlock = { title: msg.executors.sqlSampleTitle(record.line, masked), columns: r.columns, rows: r.rows, totalRows: r.totalRows }
  run.samples.push({ line: record.line, table })
  const shown = maskTable(table, masked)
  ctx.io.table(shown)
  const right = r.typeOids.map((oid) => NUMERIC_OIDS.has(oid))
  ctx.io.output(formatTextTable(r.columns.map((c) => displayText(c)), shown.rows, r.totalRows, right), 'stdout')
  ctx.io.output(`${record.command}${record.rowCount === null ? '' : ` ${record.rowCount}`}\n`, 'stdout')
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
