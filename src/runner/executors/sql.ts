// The `sql` step executor: PostgreSQL through pg, one statement at a time inside one
// transaction the runner owns.
//
// - Not destructive: `BEGIN READ ONLY` … `ROLLBACK`. A write that detection missed (inside a
//   function, nextval()) fails with SQLSTATE 25006 and the step asks to be declared destructive.
// - Destructive: `BEGIN` … statements … (max-rows check) … ask commit? → COMMIT or ROLLBACK
//   (ROLLBACK with the answer's status: previewed for --dry-run, declined, blocked).
// - Destructive + `autocommit`: every statement runs on its own; nothing to preview or undo.
// - Refused constructs (transaction control, SET TRANSACTION, SET SESSION CHARACTERISTICS,
//   default_transaction_read_only, COPY … PROGRAM) fail the step before anything is sent.
//
// Result sets are read through pg-cursor in batches, so a million-row SELECT keeps only the
// rows shown (max-display, default 50) in memory. Lines in records and reasons are lines of the
// runbook file (the step's code line + the statement's line in the block − 1).
import net from 'node:net'
import pg from 'pg'
import Cursor from 'pg-cursor'
import stringWidth from 'string-width'
import { detectSql, splitSql } from '../judge/sql.js'
import type { SqlStatementRecord, StepContext, StepExecutor, StepOutcome, StepStatus, TableBlock } from '../model/run-record.js'

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

const DEFAULT_MAX_DISPLAY = 50
const CELL_MAX_CHARS = 200
const BYTEA_MAX_BYTES = 32

// Type OIDs (pg_type) the renderer treats specially.
const OID = {
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  money: 790,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const

const NUMERIC_OIDS = new Set<number>([OID.int2, OID.int4, OID.int8, OID.oid, OID.float4, OID.float8, OID.money, OID.numeric])

/** Every value arrives as the server's text; the renderer decides how to show it. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig

// ---------------------------------------------------------------------------------------------
// Rendering

/** JSON text without insignificant whitespace (no parse, so big numbers stay exact). */
export function compactJson(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      out += c
      if (c === '\\') {
        out += text[i + 1] ?? ''
        i++
      } else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
      out += c
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') out += c
  }
  return out
}

/** `2024-01-02 03:04:05.1+09` (DateStyle ISO) → `2024-01-02T03:04:05.1+09:00`. */
export function isoTimestamptz(text: string): string {
  const m = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/.exec(text)
  if (!m) return text
  return `${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}${m[5] ? `:${m[5]}` : ''}${m[6] ?? ''}`
}

/** Newlines as ↵, tabs as a space, other control characters escaped; at most `max` characters. */
export function displayText(text: string, max = CELL_MAX_CHARS): string {
  const shown = text
    .replace(/\r\n|\n|\r/g, '↵')
    .replace(/\t/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  const chars = Array.from(shown)
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : shown
}

/** One value as the report shows it: NULL, compact JSON, ISO timestamps, short bytea hex. */
export function renderSqlCell(value: unknown, typeOid: number): string {
  if (value === null || value === undefined) return 'NULL'
  let text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? `\\x${value.toString('hex')}` : String(value)
  if (typeOid === OID.json || typeOid === OID.jsonb) text = compactJson(text)
  else if (typeOid === OID.timestamptz) text = isoTimestamptz(text)
  else if (typeOid === OID.bytea && text.startsWith('\\x')) {
    const hex = text.slice(2)
    const bytes = hex.length / 2
    if (bytes > BYTEA_MAX_BYTES) text = `\\x${hex.slice(0, BYTEA_MAX_BYTES * 2)}… (${bytes} bytes)`
  }
  return displayText(text)
}

/** A psql-like aligned table of already rendered cells, with a `(N rows)` footer. */
export function formatTextTable(columns: string[], rows: string[][], totalRows: number, rightAlign: boolean[] = []): string {
  const widths = columns.map((c, i) => Math.max(stringWidth(c), ...rows.map((r) => stringWidth(r[i] ?? ''))))
  const pad = (text: string, i: number, right: boolean) => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - stringWidth(text)))
    return right ? gap + text : text + gap
  }
  const line = (cells: string[], aligned: boolean) =>
    ` ${cells.map((c, i) => pad(c, i, aligned && rightAlign[i] === true)).join(' | ')}`.trimEnd()
  const out = [line(columns, false), widths.map((w) => '-'.repeat(w + 2)).join('+')]
  for (const row of rows) out.push(line(row, true))
  const noun = totalRows === 1 ? 'row' : 'rows'
  out.push(rows.length < totalRows ? `(${totalRows} ${noun}; first ${rows.length} shown)` : `(${totalRows} ${noun})`)
  return `${out.join('\n')}\n`
}

// ---------------------------------------------------------------------------------------------
// Connection target, with the password never shown

export interface PgTarget {
  host: string
  port: string
  database: string
  /** The URL with its password replaced by `***`. */
  safeUrl: string
  password: string
}

export function describePgTarget(url: string): PgTarget {
  try {
    const u = new URL(url)
    const password = decodeURIComponent(u.password)
    if (u.password) u.password = '***'
    const hostParam = u.searchParams.get('host')
    const user = decodeURIComponent(u.username) || 'postgres'
    return {
      host: decodeURIComponent(u.hostname) || hostParam || 'localhost',
      port: u.port || u.searchParams.get('port') || '5432',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
      safeUrl: u.toString(),
      password,
    }
  } catch {
    const password = /password=(\S+)/.exec(url)?.[1] ?? ''
    return {
      host: /host=(\S+)/.exec(url)?.[1] ?? 'localhost',
      port: /port=(\S+)/.exec(url)?.[1] ?? '5432',
      database: /dbname=(\S+)/.exec(url)?.[1] ?? '?',
      safeUrl: url.replace(/password=\S+/, 'password=***'),
      password,
    }
  }
}

function scrub(text: string, target: PgTarget): string {
  return target.password.length > 0 ? text.split(target.password).join('***') : text
}

/** application_name: printable ASCII (the server replaces the rest anyway), at most 63 bytes. */
export function applicationName(runbookId: string, stepId: string): string {
  return `runbook:${runbookId}/${stepId}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 63)
}

// ---------------------------------------------------------------------------------------------
// Cancelling a running statement: PostgreSQL's CancelRequest on a separate socket.

export interface PgBackendKey {
  host: string
  port: number
  processID?: number | null
  secretKey?: number | null
}

function sendCancelRequest(client: pg.PoolClient): Promise<void> {
  return cancelBackend(client as unknown as PgBackendKey)
}

/** Asks the server to cancel what the backend `key` runs (no effect on an idle backend). */
export function cancelBackend(key: PgBackendKey): Promise<void> {
  const { processID, secretKey } = key
  if (typeof processID !== 'number' || typeof secretKey !== 'number') return Promise.resolve()
  return new Promise((resolve) => {
    const host = key.host || 'localhost'
    const socket = host.startsWith('/') ? net.connect({ path: `${host}/.s.PGSQL.${key.port}` }) : net.connect({ host, port: key.port })
    const done = () => {
      socket.destroy()
      resolve()
    }
    socket.setTimeout(3000, done)
    socket.on('error', done)
    socket.on('close', done)
    socket.on('connect', () => {
      const msg = Buffer.alloc(16)
      msg.writeInt32BE(16, 0)
      msg.writeInt32BE(80877102, 4)
      msg.writeInt32BE(processID, 8)
      msg.writeInt32BE(secretKey | 0, 12)
      socket.end(msg)
    })
  })
}

// ---------------------------------------------------------------------------------------------
// Errors

interface PgError extends Error {
  code?: string
  position?: string
  detail?: string
  hint?: string
}

function pgErrorText(e: unknown): string {
  const err = e as PgError
  const parts = [err?.message ?? String(e)]
  if (err?.detail) parts.push(`DETAIL: ${err.detail}`)
  if (err?.hint) parts.push(`HINT: ${err.hint}`)
  return parts.join(' — ')
}

/** The file line of an error: the statement's line plus the newlines before the error position. */
function errorLine(e: unknown, statementLine: number, text: string): number {
  const position = Number((e as PgError)?.position)
  if (!Number.isInteger(position) || position < 1) return statementLine
  const before = Array.from(text).slice(0, position - 1).join('')
  return statementLine + (before.match(/\n/g)?.length ?? 0)
}

class StepStop extends Error {
  constructor(
    readonly status: StepStatus,
    message: string,
  ) {
    super(message)
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

// ---------------------------------------------------------------------------------------------
// The executor

interface StatementResult {
  command: string
  rowCount: number | null
  columns: string[]
  typeOids: number[]
  rows: string[][]
  totalRows: number
}

const AFFECTING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'])

/** Rows a statement changed, for max-rows: DML and COPY counts, SELECT INTO / CREATE TABLE AS. */
function affectedRows(r: StatementResult): number | null {
  if (AFFECTING.has(r.command)) return r.rowCount
  if (r.command === 'SELECT' && r.columns.length === 0) return r.rowCount
  return null
}

export function createSqlExecutor(deps: SqlExecutorDeps = {}): StepExecutor {
  const connectTimeoutMs = deps.connectTimeoutMs ?? 5000
  const lockTimeoutMs = deps.lockTimeoutMs ?? 5000
  const batchSize = deps.batchSize ?? 1000
  const cancelGraceMs = deps.cancelGraceMs ?? 3000
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
    const { planned } = ctx
    const step = planned.step
    const fileLine = (codeLine: number) => step.codeLine + codeLine - 1

    const envName = step.attrs.db ?? 'DATABASE_URL'
    const url = ctx.env[envName]
    if (!url) {
      return { status: 'failed', reason: `SQL step needs a PostgreSQL URL in ${envName}, which is not set (set it, or name another variable with db=VAR)` }
    }

    // Refused constructs: nothing runs.
    let statements: { text: string; line: number }[]
    try {
      const detection = await detectSql(step.code)
      const refused = [...detection.refused]
      for (const r of planned.detection.refused) if (!refused.some((x) => x.line === r.line && x.message === r.message)) refused.push(r)
      if (refused.length > 0) {
        return {
          status: 'failed',
          reason: `refused, nothing was executed: ${refused.map((r) => `line ${fileLine(r.line)}: ${r.message}`).join('; ')}`,
        }
      }
      statements = await splitSql(step.code)
    } catch (e) {
      const err = e as Error & { line?: number }
      const where = typeof err.line === 'number' ? `line ${fileLine(err.line)}: ` : ''
      return { status: 'failed', reason: `SQL could not be parsed, nothing was executed: ${where}${err.message.replace(/^line \d+: /, '')}` }
    }
    if (statements.length === 0) {
      ctx.io.note('No SQL statements in this step.')
      return { status: 'passed' }
    }
    if (ctx.signal.aborted) return { status: 'interrupted', reason: 'interrupted before the step started' }

    const mode: 'read-only' | 'transaction' | 'autocommit' = !planned.destructive
      ? 'read-only'
      : step.attrs.autocommit
        ? 'autocommit'
        : 'transaction'
    const maxDisplay = Math.max(0, step.attrs.maxDisplay ?? DEFAULT_MAX_DISPLAY)
    const maxRows = step.attrs.maxRows
    const target = describePgTarget(url)

    // Connect (bounded by connectionTimeoutMillis).
    let client: pg.PoolClient
    try {
      client = await poolFor(url).connect()
    } catch (e) {
      return {
        status: 'failed',
        reason: scrub(
          `cannot connect to PostgreSQL at host ${target.host} port ${target.port} database ${target.database} (${target.safeUrl}): ${(e as Error).message || String(e)}`,
          target,
        ),
      }
    }

    // Interruption: the step's timeout, or the run's abort signal, cancels the running statement.
    let stopReason: 'timeout' | 'abort' | null = null
    let busy = false
    let broken = false
    let graceTimer: NodeJS.Timeout | undefined

    // A checked-out client that loses its connection emits 'error'; the statement reports it.
    const onClientError = () => {
      broken = true
    }
    client.on('error', onClientError)
    const stop = (why: 'timeout' | 'abort') => {
      if (stopReason) return
      stopReason = why
      if (!busy) return
      void sendCancelRequest(client)
      // A statement that ignores the cancel: drop the connection (the server rolls back).
      graceTimer = setTimeout(() => {
        broken = true
        ;(client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy()
      }, cancelGraceMs)
      graceTimer.unref()
    }
    const onAbort = () => {
      const reason = ctx.signal.reason as { name?: string } | undefined
      stop(reason?.name === 'TimeoutError' ? 'timeout' : 'abort')
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    let timer: NodeJS.Timeout | undefined
    const startTimer = () => {
      if (ctx.timeoutMs > 0 && Number.isFinite(ctx.timeoutMs)) timer = setTimeout(() => stop('timeout'), ctx.timeoutMs)
    }
    const stopTimer = () => {
      if (timer) clearTimeout(timer)
      timer = undefined
    }
    const stopped = (line: number | null): StepStop => {
      const at = line === null ? '' : `line ${line}: `
      return stopReason === 'timeout'
        ? new StepStop('timed-out', `${at}step timed out after ${formatMs(ctx.timeoutMs)}; the statement was cancelled`)
        : new StepStop('interrupted', `${at}interrupted; the statement was cancelled`)
    }

    /** A control query (BEGIN, ROLLBACK…): plain, but cancellable like a statement. */
    const control = async (text: string, values?: unknown[]) => {
      busy = true
      try {
        return await client.query(text, values)
      } finally {
        busy = false
      }
    }

    const execute = async (text: string): Promise<StatementResult> => {
      busy = true
      try {
        const cursor = client.query(new Cursor(text, undefined, { rowMode: 'array', types: RAW_TYPES }))
        let result: pg.QueryResult | undefined
        const read = () =>
          new Promise<unknown[][]>((resolve, reject) => {
            cursor.read(batchSize, (err, rows, r) => {
              if (r) result = r
              if (err) reject(err)
              else resolve(rows as unknown[][])
            })
          })
        const kept: unknown[][] = []
        let total = 0
        for (;;) {
          const rows = await read()
          total += rows.length
          for (const row of rows) {
            if (kept.length >= maxDisplay) break
            kept.push(row)
          }
          if (rows.length < batchSize) break
        }
        const fields = result?.fields ?? []
        const typeOids = fields.map((f) => f.dataTypeID)
        return {
          command: result?.command ?? (text.split(/\s+/)[0] ?? '').toUpperCase(),
          // With a row limit per Execute, the command tag counts only the last batch.
          rowCount: fields.length > 0 ? total : (result?.rowCount ?? null),
          columns: fields.map((f) => f.name),
          typeOids,
          rows: kept.map((row) => row.map((v, i) => renderSqlCell(v, typeOids[i] ?? 0))),
          totalRows: fields.length > 0 ? total : (result?.rowCount ?? 0),
        }
      } finally {
        busy = false
      }
    }

    const records: SqlStatementRecord[] = []
    let inTransaction = false

    const runAll = async (): Promise<void> => {
      for (const st of statements) {
        const line = fileLine(st.line)
        if (stopReason) throw stopped(line)
        const started = performance.now()
        let r: StatementResult
        try {
          r = await execute(st.text)
        } catch (e) {
          const durationMs = Math.round(performance.now() - started)
          const record = { line, sql: st.text, command: (st.text.split(/\s+/)[0] ?? '').toUpperCase(), rowCount: null, durationMs }
          records.push(record)
          ctx.io.statement(record)
          const err = e as PgError
          const at = errorLine(e, line, st.text)
          ctx.io.output(`ERROR:  ${scrub(err.message ?? String(e), target)}\n`, 'stderr')
          if (stopReason) throw stopped(at)
          if (err.code === '57014' && /statement timeout/i.test(err.message)) {
            throw new StepStop('timed-out', `line ${at}: ${pgErrorText(e)} (statement_timeout ${formatMs(ctx.timeoutMs)})`)
          }
          if (err.code === '25006' && mode === 'read-only') {
            throw new StepStop(
              'failed',
              `line ${at}: ${pgErrorText(e)} — this step is not declared destructive, so it runs in a read-only transaction; ` +
                'it writes (e.g. inside a function, or through nextval()), so declare it {destructive}',
            )
          }
          if (!err.code) broken = true
          throw new StepStop('failed', `line ${at}: ${pgErrorText(e)}`)
        }
        const durationMs = Math.round(performance.now() - started)
        const record: SqlStatementRecord = { line, sql: st.text, command: r.command, rowCount: r.rowCount, durationMs }
        records.push(record)
        ctx.io.statement(record)
        if (r.columns.length > 0) {
          const table: TableBlock = { title: `line ${line}`, columns: r.columns, rows: r.rows, totalRows: r.totalRows }
          ctx.io.table(table)
          const right = r.typeOids.map((oid) => NUMERIC_OIDS.has(oid))
          ctx.io.output(formatTextTable(r.columns.map((c) => displayText(c)), r.rows, r.totalRows, right), 'stdout')
        } else {
          ctx.io.output(`${r.command}${r.rowCount === null ? '' : ` ${r.rowCount}`}\n`, 'stdout')
        }
        const affected = affectedRows(r)
        if (maxRows !== undefined && mode !== 'read-only' && affected !== null && affected > maxRows) {
          const undo = mode === 'autocommit' ? 'it was already applied (autocommit)' : 'rolled back'
          throw new StepStop('failed', `line ${line}: ${r.command} affected ${affected} rows, more than max-rows=${maxRows}; ${undo}`)
        }
      }
    }

    let outcome: StepOutcome
    try {
      // Per-step session: a clean slate (a previous step's SETs do not leak), our name and limits.
      await control('DISCARD ALL')
      await control(
        `SELECT set_config('application_name', $1, false), set_config('statement_timeout', $2, false),
                set_config('lock_timeout', $3, false), set_config('DateStyle', 'ISO, YMD', false),
                set_config('bytea_output', 'hex', false)`,
        [
          applicationName(ctx.runbookId, planned.id),
          ctx.timeoutMs > 0 && Number.isFinite(ctx.timeoutMs) ? String(Math.min(Math.round(ctx.timeoutMs), 2_147_483_647)) : '0',
          mode === 'read-only' ? '0' : String(lockTimeoutMs),
        ],
      )
      startTimer()
      if (mode === 'autocommit') {
        ctx.io.note('`autocommit`: each statement ran on its own, outside a transaction; no preview or rollback was possible.')
        await runAll()
        outcome = { status: 'passed' }
      } else {
        await control(mode === 'read-only' ? 'BEGIN READ ONLY' : 'BEGIN READ WRITE')
        inTransaction = true
        await runAll()
        if (mode === 'read-only') {
          await control('ROLLBACK')
          inTransaction = false
          outcome = { status: 'passed' }
        } else {
          // The transaction stays open while the operator decides; the step timer does not run.
          stopTimer()
          const answer = await ctx.ask({ kind: 'commit', statements: records, critical: planned.declared === 'critical' })
          if (stopReason || ctx.signal.aborted) {
            stopReason ??= 'abort'
            throw stopped(null)
          }
          if (answer.allow) {
            try {
              await control('COMMIT')
            } catch (e) {
              if (!(e as PgError)?.code || stopReason) throw e
              inTransaction = false // a failed COMMIT ends the transaction: nothing was committed
              throw new StepStop('failed', `COMMIT failed, nothing was committed: ${pgErrorText(e)}`)
            }
            inTransaction = false
            ctx.io.output('COMMIT\n', 'stdout')
            outcome = { status: 'passed', ...(answer.consent ? { consent: answer.consent } : {}) }
          } else {
            await control('ROLLBACK')
            inTransaction = false
            ctx.io.output('ROLLBACK\n', 'stdout')
            outcome = { status: answer.status, reason: answer.reason }
          }
        }
      }
    } catch (e) {
      if (e instanceof StepStop) outcome = { status: e.status, reason: scrub(e.message, target) }
      else if (stopReason) outcome = { status: stopped(null).status, reason: stopped(null).message }
      else if ((e as PgError)?.code) outcome = { status: 'failed', reason: scrub(pgErrorText(e), target) }
      else {
        broken = true
        const where = `host ${target.host} port ${target.port} database ${target.database}`
        outcome = { status: 'failed', reason: scrub(`PostgreSQL connection (${where}) failed: ${(e as Error)?.message ?? String(e)}`, target) }
      }
      if (inTransaction && !broken) {
        try {
          await client.query('ROLLBACK')
          inTransaction = false
          if (mode === 'transaction') ctx.io.output('ROLLBACK\n', 'stdout')
        } catch {
          broken = true
        }
      }
    } finally {
      stopTimer()
      if (graceTimer) clearTimeout(graceTimer)
      ctx.signal.removeEventListener('abort', onAbort)
    }
    // A connection in doubt (cancel pending, transaction unknown) is never reused.
    client.removeListener('error', onClientError)
    client.release(broken || inTransaction || stopReason !== null ? true : undefined)
    return outcome
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
