// The `sql` global of TS steps: a tagged template, sql`SELECT … WHERE id = ${id}` → rows.
// Values are always bound as parameters, one statement per call, and every call is judged by
// detectSql before anything is sent (refused constructs never; in a step that is not destructive
// only inside BEGIN READ ONLY … ROLLBACK, and a call detection finds destructive not at all unless
// the step is declared `safe`). sql.begin(fn) runs fn's calls in one transaction. One connection
// per URL, reused by the later steps of the run; each step's first call resets the session.
import { AsyncLocalStorage } from 'node:async_hooks'
import pg from 'pg'
import { detectSql, splitSql } from '../../judge/sql.js'
import { msg } from '../../terminal/messages/index.js'
import { formatTimeout, hasLimit } from '../step-stop.js'
import { describePgTarget, hidePassword, pgWhere, type PgTarget } from '../targets.js'
import { activeStep, message, positionOf, siteError, stateOf, type ClientStep, type StepState } from './client-step.js'

const CONNECT_TIMEOUT_MS = 5000
const LOCK_TIMEOUT_MS = 5000
/** The largest statement_timeout PostgreSQL accepts (ms). */
const MAX_STATEMENT_TIMEOUT_MS = 2_147_483_647
/** Statements of one step recorded in the report; later ones are counted in a note. */
export const MAX_STATEMENT_RECORDS = 200

export interface SqlRows extends Array<Record<string, unknown>> {
  /** Rows affected (INSERT/UPDATE/DELETE…) or returned. */
  count: number
  /** The command tag's verb: SELECT, DELETE… */
  command: string
}

export interface SqlTag {
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<SqlRows>
  /** Runs the callback's sql calls in one transaction (committed only in a destructive step). */
  begin<T>(fn: () => Promise<T> | T): Promise<T>
}

interface PgConn {
  url: string
  target: PgTarget
  client?: pg.Client
  /** Calls run one at a time per connection (each may wrap itself in a transaction). */
  queue: Promise<unknown>
  preparedFor?: number
}

interface Tx {
  state: StepState
  url: string
  client: pg.Client
  done: boolean
}

interface PgError extends Error {
  code?: string
  detail?: string
  hint?: string
}

/** A failure already worded for the step (it names the server, the password hidden). */
class ClientError extends Error {}

const pgConns = new Map<string, PgConn>()
const txStore = new AsyncLocalStorage<Tx>()

/** `sql: …`: errors name the global that failed. */
const sqlError = (text: string): string => `sql: ${text}`

interface Judgement {
  error?: string
  refused: string[]
  reasons: string[]
  count: number
}
const judgements = new Map<string, Promise<Judgement>>()

function judgeSql(text: string): Promise<Judgement> {
  let j = judgements.get(text)
  if (!j) {
    j = (async (): Promise<Judgement> => {
      const d = await detectSql(text)
      const first = d.syntaxErrors[0]
      if (first) return { error: msg.executors.sqlSyntaxError(first.line, first.message), refused: [], reasons: [], count: 0 }
      const count = (await splitSql(text)).length
      return { refused: d.refused.map((r) => r.message), reasons: d.reasons, count }
    })()
    if (judgements.size > 500) judgements.clear()
    judgements.set(text, j)
  }
  return j
}

function pgConnFor(url: string): PgConn {
  let conn = pgConns.get(url)
  if (!conn) {
    conn = { url, target: describePgTarget(url), queue: Promise.resolve() }
    pgConns.set(url, conn)
  }
  return conn
}

function exclusive<T>(conn: PgConn, fn: () => Promise<T>): Promise<T> {
  const run = conn.queue.then(fn, fn)
  conn.queue = run.catch(() => undefined)
  return run
}

async function pgClient(conn: PgConn, state: StepState): Promise<pg.Client> {
  if (conn.client) return conn.client
  const t = conn.target
  const client = new pg.Client({ connectionString: conn.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'runbook' })
  // A connection that dies between calls (server restart) must not crash the worker.
  client.on('error', () => {
    if (conn.client === client) conn.client = undefined
  })
  client.on('end', () => {
    if (conn.client === client) conn.client = undefined
  })
  try {
    await client.connect()
  } catch (e) {
    client.end().catch(() => undefined)
    throw new ClientError(hidePassword(sqlError(msg.executors.cannotConnect('PostgreSQL', pgWhere(t), t.safeUrl, message(e))), t.password))
  }
  conn.client = conn.client ?? client
  conn.preparedFor = undefined
  const key = client as unknown as { processID?: number; secretKey?: number; host?: string; port?: number }
  if (typeof key.processID === 'number' && typeof key.secretKey === 'number') {
    state.step.post({ t: 'pgBackend', host: key.host ?? t.host, port: key.port ?? Number(t.port), processID: key.processID, secretKey: key.secretKey })
  }
  return client
}

/** A clean session for each step: no SETs of an earlier step, this step's name and limits. */
async function prepare(client: pg.Client, conn: PgConn, state: StepState): Promise<void> {
  if (conn.preparedFor === state.step.runId) return
  const { timeoutMs } = state.step
  const timeout = hasLimit(timeoutMs) ? String(Math.min(Math.round(timeoutMs), MAX_STATEMENT_TIMEOUT_MS)) : '0'
  await client.query('DISCARD ALL')
  await client.query(
    `SELECT set_config('application_name', $1, false), set_config('statement_timeout', $2, false), set_config('lock_timeout', $3, false)`,
    [state.step.applicationName, timeout, state.step.destructive ? String(LOCK_TIMEOUT_MS) : '0'],
  )
  conn.preparedFor = state.step.runId
}

function isTemplate(strings: unknown): strings is TemplateStringsArray {
  return Array.isArray(strings) && Array.isArray((strings as unknown as { raw?: unknown }).raw) && strings.every((s) => typeof s === 'string')
}

/** A failed call in words (without the `sql: ` prefix); a lost connection is not reused. */
function pgFailure(e: unknown, state: StepState, conn: PgConn, client: pg.Client): string {
  const err = e as PgError
  const hide = (text: string) => hidePassword(text, conn.target.password)
  if (!err?.code) {
    if (conn.client === client) conn.client = undefined
    client.end().catch(() => undefined)
    return hide(msg.executors.connectionFailed('PostgreSQL', pgWhere(conn.target), message(e)))
  }
  const extra = `${err.detail ? ` — DETAIL: ${err.detail}` : ''}${err.hint ? ` — HINT: ${err.hint}` : ''}`
  if (err.code === '25006' && !state.step.destructive) return hide(`${err.message}${extra} — ${msg.executors.sqlCallWritesInReadOnly}`)
  if (err.code === '57014' && /statement timeout/i.test(err.message)) {
    return hide(msg.executors.sqlCallStatementTimeout(err.message, formatTimeout(state.step.timeoutMs)))
  }
  return hide(`${err.message}${extra}`)
}

/** The step's `sql` global. */
export function makeSql(step: ClientStep): SqlTag {
  const state = stateOf(step)
  const tag = ((strings: TemplateStringsArray, ...values: unknown[]) => sqlCall(state, strings, values)) as SqlTag
  tag.begin = <T>(fn: () => Promise<T> | T) => sqlBegin(state, fn)
  return tag
}

function urlOf(state: StepState, fail: (text: string) => never): string {
  const url = state.step.env[state.step.dbVar]
  if (!url) fail(sqlError(msg.executors.urlNotSet('PostgreSQL', state.step.dbVar, 'db')))
  return url as string
}

/** Judges one call's text before anything is sent; fails the call when it may not run. */
async function admitCall(state: StepState, text: string, fail: (text: string) => never): Promise<'empty' | 'run'> {
  const step = state.step
  const j = await judgeSql(text)
  if (j.error) fail(sqlError(msg.executors.nothingExecuted(j.error)))
  if (j.refused.length > 0) fail(sqlError(msg.executors.sqlRefused(j.refused.join('; '))))
  if (j.count > 1) fail(sqlError(msg.executors.sqlOneStatement))
  if (j.count === 0) return 'empty'
  if (!step.destructive && j.reasons.length > 0 && !step.safe) fail(sqlError(msg.executors.sqlDestructiveInReadOnly(j.reasons.join('; '))))
  return 'run'
}

async function sqlCall(state: StepState, strings: TemplateStringsArray, values: unknown[]): Promise<SqlRows> {
  const { site, fail } = siteError()
  if (!isTemplate(strings)) fail(msg.executors.sqlTagged)
  if (activeStep() !== state) fail(sqlError(msg.executors.sqlCallEnded))
  const step = state.step
  const text = strings.reduce((acc, s, i) => `${acc}$${i}${s}`)
  const url = urlOf(state, fail)
  if ((await admitCall(state, text, fail)) === 'empty') return withInfo([], 0, '')
  const pos = positionOf(site.stack, step.runId)
  const conn = pgConnFor(url)

  const run = async (client: pg.Client, readOnlyTx: boolean): Promise<SqlRows> => {
    const started = performance.now()
    let began = false
    const record = (command: string, rowCount: number | null) => {
      if (++state.statements > MAX_STATEMENT_RECORDS) return
      step.post({ t: 'statement', runId: step.runId, sql: text, command, rowCount, durationMs: Math.round(performance.now() - started), ...(pos ? { pos } : {}) })
    }
    try {
      if (readOnlyTx) {
        await client.query('BEGIN READ ONLY')
        began = true
      }
      const r = await client.query({ text, values, queryMode: 'extended' } as pg.QueryConfig)
      const command = r.command ?? ''
      const count = r.rowCount ?? r.rows.length
      record(command, count)
      return withInfo(r.rows as Record<string, unknown>[], count, command)
    } catch (e) {
      record((text.trim().split(/\s+/)[0] ?? '').toUpperCase(), null)
      return fail(sqlError(pgFailure(e, state, conn, client)))
    } finally {
      if (began) await client.query('ROLLBACK').catch(() => undefined)
    }
  }

  const tx = txStore.getStore()
  if (tx && !tx.done && tx.state === state && tx.url === url) return run(tx.client, false)
  return exclusive(conn, async () => run(await openClient(conn, state, fail), !step.destructive))
}

/**
 * The step's prepared connection, in a transaction when `begin` is given; else the call fails
 * naming the server. A connection that broke (an error without a server code) is dropped.
 */
async function openClient(conn: PgConn, state: StepState, fail: (text: string) => never, begin?: string): Promise<pg.Client> {
  if (activeStep() !== state) fail(sqlError(msg.executors.sqlCallEnded))
  try {
    const client = await pgClient(conn, state)
    await prepare(client, conn, state)
    if (begin) await client.query(begin)
    return client
  } catch (e) {
    if (conn.client && (e as PgError)?.code === undefined) conn.client = undefined
    return fail(connectFailure(conn, e))
  }
}

/** A failure to reach or prepare the connection, naming the server, password hidden. */
function connectFailure(conn: { target: PgTarget }, e: unknown): string {
  if (e instanceof ClientError) return e.message
  return hidePassword(sqlError(msg.executors.serverError('PostgreSQL', pgWhere(conn.target), message(e))), conn.target.password)
}

async function sqlBegin<T>(state: StepState, fn: () => Promise<T> | T): Promise<T> {
  const { fail } = siteError()
  if (typeof fn !== 'function') fail(msg.executors.sqlBeginNeedsFunction)
  if (activeStep() !== state) fail(sqlError(msg.executors.sqlCallEnded))
  const open = txStore.getStore()
  if (open && !open.done) fail(msg.executors.sqlBeginNested)
  const url = urlOf(state, fail)
  const conn = pgConnFor(url)
  const step = state.step
  return exclusive(conn, async () => {
    const client = await openClient(conn, state, fail, step.destructive ? 'BEGIN' : 'BEGIN READ ONLY')
    const tx: Tx = { state, url, client, done: false }
    let result: T
    try {
      result = await txStore.run(tx, fn)
    } catch (e) {
      tx.done = true
      await client.query('ROLLBACK').catch(() => undefined)
      throw e
    }
    tx.done = true
    if (!step.destructive) {
      await client.query('ROLLBACK').catch(() => undefined)
      return result
    }
    let end: pg.QueryResult
    try {
      end = await client.query('COMMIT')
    } catch (e) {
      return fail(`sql.begin: ${msg.executors.sqlCommitFailed(pgFailure(e, state, conn, client))}`)
    }
    // COMMIT of a transaction in which a statement failed (and the error was caught) rolls back.
    if (end.command === 'ROLLBACK') fail(msg.executors.sqlBeginRolledBack)
    return result
  })
}

function withInfo(rows: Record<string, unknown>[], count: number, command: string): SqlRows {
  Object.defineProperties(rows, {
    count: { value: count, enumerable: false },
    command: { value: command, enumerable: false },
  })
  return rows as SqlRows
}

/** Closes every PostgreSQL connection (end of the run), giving each a bounded time. */
export function closeSqlClients(bounded: (p: Promise<unknown>, undo: () => void) => Promise<unknown>): Promise<unknown>[] {
  const all = [...pgConns.values()]
  pgConns.clear()
  return all.map((c) => (c.client ? bounded(c.client.end(), () => undefined) : Promise.resolve()))
}
