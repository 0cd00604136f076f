// One SQL step's session on a checked-out connection: statements are read through a cursor in
// batches (a million-row SELECT keeps only the rows shown), and the step's timeout or the run's
// abort cancels the running statement — a CancelRequest, then the connection is dropped after a
// grace if the statement ignores it. A connection in doubt is never reused.
import pg from 'pg'
import Cursor from 'pg-cursor'
import { msg } from '../../terminal/messages/index.js'
import { StepStop, abortCause, formatTimeout, hasLimit } from '../step-stop.js'
import { cancelBackend, type PgBackendKey } from './cancel.js'
import { renderSqlCell } from './render.js'

export interface StatementResult {
  command: string
  rowCount: number | null
  columns: string[]
  typeOids: number[]
  /** The rows shown (at most max-display), rendered. */
  rows: string[][]
  totalRows: number
}

export interface SessionOptions {
  signal: AbortSignal
  /** The step's timeout (0 or Infinity: none). */
  timeoutMs: number
  /** After a cancel request, how long to wait before dropping the connection. */
  cancelGraceMs: number
  /** Rows fetched per round trip. */
  batchSize: number
  /** Rows kept for display per statement. */
  maxDisplay: number
}

/** Every value arrives as the server's text; the renderer decides how to show it. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig

export class SqlSession {
  /** Why the step was stopped, once it was. */
  stopReason: 'timeout' | 'abort' | null = null
  /** The connection was lost or dropped: it goes back to the pool only to be closed. */
  broken = false
  /** A transaction the runner opened is still open. */
  inTransaction = false
  #busy = false
  #timer: NodeJS.Timeout | undefined
  #graceTimer: NodeJS.Timeout | undefined
  // A checked-out client that loses its connection emits 'error'; the statement reports it.
  readonly #onClientError = (): void => {
    this.broken = true
  }
  readonly #onAbort = (): void => this.stop(abortCause(this.opts.signal))

  constructor(
    readonly client: pg.PoolClient,
    private readonly opts: SessionOptions,
  ) {
    client.on('error', this.#onClientError)
    opts.signal.addEventListener('abort', this.#onAbort, { once: true })
  }

  /** Stops the step: cancels the running statement, and drops the connection if that is ignored. */
  stop(why: 'timeout' | 'abort'): void {
    if (this.stopReason) return
    this.stopReason = why
    if (!this.#busy) return
    void cancelBackend(this.client as unknown as PgBackendKey)
    this.#graceTimer = setTimeout(() => {
      this.broken = true // the server rolls back what the dropped connection had open
      ;(this.client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy()
    }, this.opts.cancelGraceMs)
    this.#graceTimer.unref()
  }

  /** The step's timeout runs from here (not while the operator decides about a commit). */
  startTimer(): void {
    if (hasLimit(this.opts.timeoutMs)) this.#timer = setTimeout(() => this.stop('timeout'), this.opts.timeoutMs)
  }

  stopTimer(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** The step's end after a stop, at a file line when known. */
  stopped(line: number | null): StepStop {
    const at = line === null ? '' : msg.executors.atLine(line)
    return this.stopReason === 'timeout'
      ? new StepStop('timed-out', `${at}${msg.executors.sqlTimedOut(formatTimeout(this.opts.timeoutMs))}`)
      : new StepStop('interrupted', `${at}${msg.executors.sqlInterrupted}`)
  }

  /** A control query (BEGIN, ROLLBACK…): plain, but cancellable like a statement. */
  async control(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    this.#busy = true
    try {
      return await this.client.query(text, values)
    } finally {
      this.#busy = false
    }
  }

  /** Runs one statement through a cursor, keeping the first max-display rows. */
  async read(text: string): Promise<StatementResult> {
    this.#busy = true
    try {
      const cursor = this.client.query(new Cursor(text, undefined, { rowMode: 'array', types: RAW_TYPES }))
      let result: pg.QueryResult | undefined
      const batch = () =>
        new Promise<unknown[][]>((resolve, reject) => {
          cursor.read(this.opts.batchSize, (err, rows, r) => {
            if (r) result = r
            if (err) reject(err)
            else resolve(rows as unknown[][])
          })
        })
      const kept: unknown[][] = []
      let total = 0
      for (;;) {
        const rows = await batch()
        total += rows.length
        for (const row of rows) {
          if (kept.length >= this.opts.maxDisplay) break
          kept.push(row)
        }
        if (rows.length < this.opts.batchSize) break
      }
      const fields = result?.fields ?? []
      const typeOids = fields.map((f) => f.dataTypeID)
      return {
        command: result?.command ?? firstWord(text),
        // With a row limit per Execute, the command tag counts only the last batch.
        rowCount: fields.length > 0 ? total : (result?.rowCount ?? null),
        columns: fields.map((f) => f.name),
        typeOids,
        rows: kept.map((row) => row.map((v, i) => renderSqlCell(v, typeOids[i] ?? 0))),
        totalRows: fields.length > 0 ? total : (result?.rowCount ?? 0),
      }
    } finally {
      this.#busy = false
    }
  }

  /** Timers and listeners off; the connection back to the pool, or closed when in doubt. */
  release(): void {
    this.stopTimer()
    if (this.#graceTimer) clearTimeout(this.#graceTimer)
    this.opts.signal.removeEventListener('abort', this.#onAbort)
    this.client.removeListener('error', this.#onClientError)
    this.client.release(this.broken || this.inTransaction || this.stopReason !== null ? true : undefined)
  }
}

/** The statement's verb (`DELETE`), for a statement that failed before the server named it. */
export function firstWord(text: string): string {
  return (text.trim().split(/\s+/)[0] ?? '').toUpperCase()
}
