// The `sql` and `redis` globals of TS/JS steps. This module runs inside the TS worker thread
// (worker.ts): the clients live there, connect on first use (a step that never touches them
// opens no connection), are reused by the later steps of the run, and are closed by the worker
// at the end of the run; when the host kills a worker (timeout, Ctrl-C) its sockets die with it,
// the server rolls back whatever was open, and the host cancels statements still running.
//
// sql (sql-client.ts) — a tagged template, sql`SELECT … WHERE id = ${id}` → rows (objects, pg's
//   type parsing). Values are always bound as parameters ($1 …), never put into the text; one
//   statement per call (sent with the extended protocol, which refuses more). No
//   `sql.unsafe(text)`: dynamic SQL text would escape the plan-time detection of `sql` templates.
//   Every call is judged by detectSql before anything is sent:
//   - refused constructs (transaction control, SET TRANSACTION / SESSION CHARACTERISTICS,
//     default_transaction_read_only, COPY … PROGRAM) are never sent, in any step;
//   - step not destructive: the call runs inside BEGIN READ ONLY … ROLLBACK, so a write (e.g.
//     hidden in a function) fails, and the error says to declare the step destructive. A call
//     that detection finds destructive is refused before it runs, unless the step is declared
//     `safe` (the author's override; the read-only transaction still holds);
//   - step destructive (confirmed as a whole, or by --yes): each call commits on its own.
//   sql.begin(async () => { … }) runs the callback's sql calls in one transaction: committed when
//   the callback returns and rolled back when it throws (destructive step), always rolled back
//   (READ ONLY) otherwise.
//   Each step's first call resets the session (DISCARD ALL) and sets application_name,
//   statement_timeout (= the step's timeout) and lock_timeout (5 s in destructive steps). The
//   rows array also carries `count` (rows affected or returned) and `command` (the tag's verb).
//   Every call is recorded in the report as a statement of the step (with its line).
// redis (redis-client.ts) — a real ioredis client. In a step that is not destructive every
//   command is judged before it is sent, by the server's own command table together with the
//   built-in one; a destructive one by the Redis judge (writes, server changes, scripts, PUBLISH,
//   SELECT of another db, unknown commands) is put to the host like a `$` command: without consent it is not sent and the step ends
//   blocked. Pipelines and MULTI are judged as a whole at exec().
// Connection failures name host, port and database, never the password; connecting gives up
// after 5 s.
import { msg } from '../../terminal/messages/index.js'
import { activeStep, setActiveStep, stateOf, type ClientStep } from './client-step.js'
import { closeRedisClients, endRedisStep, redisFor } from './redis-client.js'
import { MAX_STATEMENT_RECORDS, closeSqlClients, makeSql, type SqlTag } from './sql-client.js'

export type { ClientStep } from './client-step.js'

/** How long each connection gets to close at the end of the run. */
const CLOSE_MS = 1500

export function beginStep(step: ClientStep): void {
  setActiveStep(stateOf(step))
}

/** The step is over: later calls it made fail; connections a step changed are not kept. */
export function endStep(step: ClientStep): void {
  const state = stateOf(step)
  if (activeStep() === state) setActiveStep(undefined)
  const over = state.statements - MAX_STATEMENT_RECORDS
  if (over > 0) step.post({ t: 'note', runId: step.runId, markdown: msg.executors.sqlMoreCalls(over, MAX_STATEMENT_RECORDS) })
  endRedisStep()
}

/** The step's `sql` and `redis` globals. */
export function stepGlobals(step: ClientStep): { sql: SqlTag; redis: unknown } {
  return { sql: makeSql(step), redis: redisFor(step) }
}

/** Closes every connection (end of the run). */
export async function closeClients(): Promise<void> {
  const bounded = (p: Promise<unknown>, undo: () => void) =>
    Promise.race([p, new Promise((r) => setTimeout(r, CLOSE_MS).unref())])
      .catch(() => undefined)
      .finally(undo)
  await Promise.all([...closeSqlClients(bounded), ...closeRedisClients(bounded)])
}
