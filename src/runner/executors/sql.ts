// The `sql` step executor: PostgreSQL through pg, one statement at a time inside one transaction
// the runner owns. A pipeline of phases (sql/): read the step (refused constructs fail it before
// anything is sent) → connect (a pool per URL) → a session on the connection (cancellable
// statements) → the statements inside the transaction of the step's mode → the outcome.
//
// - Not destructive: `BEGIN READ ONLY` … `ROLLBACK`. A write that detection missed (inside a
//   function, nextval()) fails with SQLSTATE 25006 and the step asks to be declared destructive.
// - Destructive: `BEGIN` … statements … (max-rows check) … ask commit? → COMMIT or ROLLBACK.
//   A statement with effects a rollback does not undo (judge: sqlPreviewFacts) is never run as a
//   preview: the step is asked before anything runs (a dry run skips it), then runs and commits.
// - Destructive + `autocommit`: every statement runs on its own; nothing to preview or undo.
import pg from 'pg'
import type { Consent, StepContext, StepExecutor, StepOutcome } from '../model/run-record.js'
import { msg } from '../terminal/messages/index.js'
import { readSqlStep } from './sql/read-step.js'
import { SqlSession } from './sql/session.js'
import { runInTransaction } from './sql/transaction.js'
import { describePgTarget, hidePassword, pgWhere } from './targets.js'

export interface SqlExecutorDeps {
  /** Give up connecting after this long (default 5 s). */
  connectTimeoutMs?: number
  /** `lock_timeout` of destructive steps (default 5 s). */
  lockTimeoutMs?: number
  /** Rows fetched per round trip (default 1000). */
  batchSize?: number
  /** After a cancel request, how long to wait before dropping the connection (default 3 s). */
  cancelGraceMs?: number
}

export function createSqlExecutor(deps: SqlExecutorDeps = {}): StepExecutor {
  const connectTimeoutMs = deps.connectTimeoutMs ?? 5000
  const pools = new Map<string, pg.Pool>()

  function poolFor(url: string): pg.Pool {
    let pool = pools.get(url)
    if (!pool) {
      pool = new pg.Pool({
        connectionString: url,
        connectionTimeoutMillis: connectTimeoutMs,
        max: 4,
        idleTimeoutMillis: 60_000,
        allowExitOnIdle: true,
        application_name: 'runbook',
      })
      // An idle connection that dies (server restart) must not crash the run.
      pool.on('error', () => {})
      pools.set(url, pool)
    }
    return pool
  }

  async function run(ctx: StepContext): Promise<StepOutcome> {
    const step = await readSqlStep(ctx)
    if ('outcome' in step) return step.outcome
    let consented: Consent | true | undefined
    if (step.irreversible.length > 0) {
      const answer = await ctx.ask({ kind: 'irreversible', statements: step.irreversible, critical: ctx.planned.declared === 'critical' })
      if (!answer.allow) return { status: answer.status, reason: answer.reason }
      consented = answer.consent ?? true
    } else if (step.previewNotes.length > 0) ctx.io.note(step.previewNotes.map((n) => msg.executors.atLine(n.line) + n.reason).join('\n'))
    const target = describePgTarget(step.url)
    let client: pg.PoolClient
    try {
      client = await poolFor(step.url).connect() // bounded by connectionTimeoutMillis
    } catch (e) {
      const error = (e as Error).message || String(e)
      return { status: 'failed', reason: hidePassword(msg.executors.cannotConnect('PostgreSQL', pgWhere(target), target.safeUrl, error), target.password) }
    }
    const session = new SqlSession(client, {
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      cancelGraceMs: deps.cancelGraceMs ?? 3000,
      batchSize: deps.batchSize ?? 1000,
      maxDisplay: step.maxDisplay,
    })
    try {
      return await runInTransaction(session, ctx, {
        statements: step.statements,
        mode: step.mode,
        maxRows: step.maxRows,
        ...(ctx.planned.step.attrs.safe !== undefined ? { safe: ctx.planned.step.attrs.safe } : {}),
        ...(ctx.planned.step.attrs.redactColumns ? { redactColumns: ctx.planned.step.attrs.redactColumns } : {}),
        password: target.password,
        lockTimeoutMs: deps.lockTimeoutMs ?? 5000,
        where: pgWhere(target),
        ...(consented ? { consented } : {}),
      })
    } finally {
      session.release()
    }
  }

  return {
    run,
    async close() {
      const all = [...pools.values()]
      pools.clear()
      await Promise.all(all.map((p) => p.end().catch(() => {})))
    },
  }
}
