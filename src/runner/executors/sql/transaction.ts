// The transaction around a SQL step's statements, by mode:
// - read-only: `BEGIN READ ONLY` … `ROLLBACK`;
// - transaction (destructive): `BEGIN` … statements … ask commit? → `COMMIT`, or `ROLLBACK` with
//   the answer's status (previewed for --dry-run, declined, blocked); a step that cannot be
//   previewed was asked before it ran (sql.ts) and commits without the question;
// - autocommit (destructive + `autocommit`): every statement on its own, nothing to preview.
// Any failure rolls back what is open and becomes the step's outcome.
import type { Answer, Consent, StepContext, StepOutcome } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'
import { StepStop, hasLimit } from '../step-stop.js'
import { applicationName, hidePassword } from '../targets.js'
import { isServerError, pgErrorText } from './errors.js'
import { runStatements, type StatementPlan, type StatementsRun } from './run-statements.js'
import type { SqlSession } from './session.js'

/** The largest statement_timeout PostgreSQL accepts (ms). */
const MAX_STATEMENT_TIMEOUT_MS = 2_147_483_647

export interface TransactionPlan extends StatementPlan {
  /** `lock_timeout` of destructive steps (ms). */
  lockTimeoutMs: number
  /** `host … port … database …`, for a connection that fails mid-step. */
  where: string
  /** Asked and allowed before it ran (it cannot be previewed): commit without the commit question. */
  consented?: Consent | true
}

/** Runs the step's statements in its mode; every failure is an outcome, never a throw. */
export async function runInTransaction(session: SqlSession, ctx: StepContext, plan: TransactionPlan): Promise<StepOutcome> {
  try {
    await prepareSession(session, ctx, plan)
    session.startTimer()
    if (plan.mode === 'autocommit') {
      ctx.io.note(msg.executors.sqlAutocommit)
      await runStatements(session, ctx, plan)
      return { status: 'passed' }
    }
    await session.control(plan.mode === 'read-only' ? 'BEGIN READ ONLY' : 'BEGIN READ WRITE')
    session.inTransaction = true
    const ran = await runStatements(session, ctx, plan)
    if (plan.mode === 'read-only') {
      await session.control('ROLLBACK')
      session.inTransaction = false
      return { status: 'passed' }
    }
    return await askAndCommit(session, ctx, ran, plan.consented)
  } catch (e) {
    const outcome = failureOutcome(session, e, plan)
    await rollbackAfterFailure(session, ctx, plan)
    return outcome
  }
}

/** Per-step session: a clean slate (a previous step's SETs do not leak), our name and limits. */
async function prepareSession(session: SqlSession, ctx: StepContext, plan: TransactionPlan): Promise<void> {
  await session.control('DISCARD ALL')
  await session.control(
    `SELECT set_config('application_name', $1, false), set_config('statement_timeout', $2, false),
            set_config('lock_timeout', $3, false), set_config('DateStyle', 'ISO, YMD', false),
            set_config('bytea_output', 'hex', false)`,
    [
      applicationName(ctx.runbookId, ctx.planned.id),
      hasLimit(ctx.timeoutMs) ? String(Math.min(Math.round(ctx.timeoutMs), MAX_STATEMENT_TIMEOUT_MS)) : '0',
      plan.mode === 'read-only' ? '0' : String(plan.lockTimeoutMs),
    ],
  )
}

/** The transaction stays open while the operator decides; the step timer does not run. */
async function askAndCommit(session: SqlSession, ctx: StepContext, ran: StatementsRun, consented?: Consent | true): Promise<StepOutcome> {
  session.stopTimer()
  const critical = ctx.planned.declared === 'critical'
  // Consented before anything ran (statements a preview cannot undo): no commit question.
  const answer: Answer = consented
    ? { allow: true, ...(consented === true ? {} : { consent: consented }) }
    : await ctx.ask({ kind: 'commit', statements: ran.records, critical, ...(ran.samples.length ? { samples: ran.samples } : {}) })
  if (session.stopReason || ctx.signal.aborted) {
    session.stopReason ??= 'abort'
    throw session.stopped(null)
  }
  if (!answer.allow) {
    await session.control('ROLLBACK')
    session.inTransaction = false
    ctx.io.output('ROLLBACK\n', 'stdout')
    return { status: answer.status, reason: answer.reason }
  }
  try {
    await session.control('COMMIT')
  } catch (e) {
    if (!isServerError(e) || session.stopReason) throw e
    session.inTransaction = false // a failed COMMIT ends the transaction: nothing was committed
    throw new StepStop('failed', msg.executors.sqlCommitFailed(pgErrorText(e)))
  }
  session.inTransaction = false
  ctx.io.output('COMMIT\n', 'stdout')
  return { status: 'passed', ...(answer.consent ? { consent: answer.consent } : {}) }
}

/** A failure as the step's outcome: its own stop, a stop from outside, a server error, a lost connection. */
function failureOutcome(session: SqlSession, e: unknown, plan: TransactionPlan): StepOutcome {
  if (e instanceof StepStop) return { status: e.status, reason: hidePassword(e.message, plan.password) }
  if (session.stopReason) {
    const stop = session.stopped(null)
    return { status: stop.status, reason: stop.message }
  }
  if (isServerError(e)) return { status: 'failed', reason: hidePassword(pgErrorText(e), plan.password) }
  session.broken = true
  const error = (e as Error | undefined)?.message ?? String(e)
  return { status: 'failed', reason: hidePassword(msg.executors.connectionFailed('PostgreSQL', plan.where, error), plan.password) }
}

/** Rolls back what a failure left open (on a connection still worth talking to). */
async function rollbackAfterFailure(session: SqlSession, ctx: StepContext, plan: TransactionPlan): Promise<void> {
  if (!session.inTransaction || session.broken) return
  try {
    await session.client.query('ROLLBACK')
    session.inTransaction = false
    if (plan.mode === 'transaction') ctx.io.output('ROLLBACK\n', 'stdout')
  } catch {
    session.broken = true
  }
}
