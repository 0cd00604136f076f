// The first phase of a SQL step, before any connection: the URL variable, the constructs that are
// refused (transaction control, SET TRANSACTION, SET SESSION CHARACTERISTICS,
// default_transaction_read_only, the lexer's settings, COPY … PROGRAM — nothing runs then), the
// statements with their file lines, the mode the step runs in, and (transaction mode) what a
// preview must know: statements a rollback does not undo, notes.
import { detectSql, splitSql, sqlPreviewFacts, type LineReason } from '../../judge/sql.js'
import type { StepContext, StepOutcome } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'
import type { SqlMode } from './run-statements.js'

export interface SqlStep {
  url: string
  /** Statements with their lines in the runbook file. */
  statements: { text: string; line: number }[]
  mode: SqlMode
  maxDisplay: number
  maxRows: number | undefined
  /** Transaction mode: statements whose effects a rollback does not undo (file lines); notes for the preview. */
  irreversible: LineReason[]
  previewNotes: LineReason[]
}

const DEFAULT_MAX_DISPLAY = 50

/** What the step will run, or the outcome that ends it before anything is sent. */
export async function readSqlStep(ctx: StepContext): Promise<SqlStep | { outcome: StepOutcome }> {
  const { planned } = ctx
  const step = planned.step
  // Lines in records and reasons are lines of the runbook file.
  const fileLine = (codeLine: number) => step.codeLine + codeLine - 1
  const envName = step.attrs.db ?? 'DATABASE_URL'
  const url = ctx.env[envName]
  if (!url) return { outcome: { status: 'failed', reason: msg.executors.urlNotSet('PostgreSQL', envName, 'db') } }

  let statements: { text: string; line: number }[]
  try {
    const detection = await detectSql(step.code)
    const refused = [...detection.refused]
    for (const r of planned.detection.refused) if (!refused.some((x) => x.line === r.line && x.message === r.message)) refused.push(r)
    if (refused.length > 0) {
      const list = refused.map((r) => `${msg.executors.atLine(fileLine(r.line))}${r.message}`).join('; ')
      return { outcome: { status: 'failed', reason: msg.executors.sqlRefused(list) } }
    }
    statements = (await splitSql(step.code)).map((st) => ({ text: st.text, line: fileLine(st.line) }))
  } catch (e) {
    const err = e as Error & { line?: number }
    const where = typeof err.line === 'number' ? msg.executors.atLine(fileLine(err.line)) : ''
    return { outcome: { status: 'failed', reason: msg.executors.sqlUnparsable(`${where}${err.message.replace(/^line \d+: /, '')}`) } }
  }
  if (statements.length === 0) {
    ctx.io.note(msg.executors.sqlNoStatements)
    return { outcome: { status: 'passed' } }
  }
  if (ctx.signal.aborted) return { outcome: { status: 'interrupted', reason: msg.executors.interruptedBeforeStart } }

  const mode: SqlMode = !planned.destructive ? 'read-only' : step.attrs.autocommit ? 'autocommit' : 'transaction'
  const facts = mode === 'transaction' ? await sqlPreviewFacts(step.code) : { irreversible: [], notes: [] }
  const inFile = (list: LineReason[]) => list.map((r) => ({ line: fileLine(r.line), reason: r.reason }))
  return {
    url,
    statements,
    mode,
    maxDisplay: Math.max(0, step.attrs.maxDisplay ?? DEFAULT_MAX_DISPLAY),
    maxRows: step.attrs.maxRows,
    irreversible: inFile(facts.irreversible),
    previewNotes: inFile(facts.notes),
  }
}
