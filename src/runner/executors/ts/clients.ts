// The `sql` and `redis` globals of TS/JS steps. This module runs inside the TS worker thread
// (ts-worker.ts): the clients live there, connect on first use (a step that never touches them
// opens no connection), are reused by the later steps of the run, and are closed by the worker
// at the end of the run; when the host kills a worker (timeout, Ctrl-C) its sockets die with it,
// the server rolls back whatever was open, and the host cancels statements still running.
//
// sql — a tagged template, sql`SELECT … WHERE id = ${id}` → rows (objects, pg's type parsing).
//   Values are always bound as parameters ($1 …), never put into the text; one statement per
//   call (sent with the extended protocol, which refuses more). No `sql.unsafe(text)`: dynamic
//   SQL text would escape the plan-time detection of `sql` templates. Every call is judged by
//   detectSql before anything is sent:
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
// redis — a real ioredis client. In a step that is not destructive every command is judged before
//   it is sent, by the server's own command table (`COMMAND`, read once per connection) together
//   with the built-in one (detect/redis.ts); a destructive one (write, admin, @dangerous,
//   scripting, SELECT of another db) is put to the host like a `$` command: without consent it
//   is not sent and the step ends blocked. Consent covers that command (name and subcommand)
//   for the rest of the step. Pipelines and MULTI are judged as a whole at exec(), before
//   anything of them is sent. A connection whose state a step changed (SELECT, SUBSCRIBE,
//   CLIENT …) is not handed to the next step.
// Connection failures name host, port and database, never the password; connecting gives up
// after 5 s.
import { AsyncLocalStorage } from 'node:async_hooks'
import { Command, Pipeline, Redis } from 'ioredis'
import pg from 'pg'
import { STATIC_REDIS_TABLE, redisCommandReason, redisTableFromCommandInfo, type RedisCommandTable } from '../../judge/redis.js'
import { detectSql, splitSql } from '../../judge/sql.js'
import { STATEFUL, describeRedisTarget, type RedisTarget } from '../redis.js'
import { describePgTarget, type PgTarget } from '../sql.js'
import type { WorkerToHost } from './host.js'

const CONNECT_TIMEOUT_MS = 5000
const LOCK_TIMEOUT_MS = 5000
/** Statements of one step recorded in the report; later ones are counted in a note. */
const MAX_STATEMENT_RECORDS = 200
const POSITION = /file:\/\/\/runbook\/step-(\d+)\.js:(\d+):(\d+)/

/** What the clients need to know of the running step. */
export interface ClientStep {
  runId: number
  env: Record<string, string>
  destructive: boolean
  /** Declared `safe`: the author overrode detection (sql detection only; read-only still holds). */
  safe: boolean
  dbVar: string
  redisVar: string
  timeoutMs: number
  applicationName: string
  connectionName: string
  /** Asks the host about a destructive command; throws when it is denied. */
  gate(command: string, reasons: string[]): void
  /** Why the step is blocked (a command was denied), if it is. */
  blocked(): string | undefined
  post(msg: WorkerToHost): void
}

interface StepState {
  step: ClientStep
  /** Redis commands (NAME or NAME SUB) the operator allowed in this step. */
  redisAllowed: Set<string>
  statements: number
}

let active: StepState | undefined
const states = new WeakMap<ClientStep, StepState>()

function stateOf(step: ClientStep): StepState {
  let s = states.get(step)
  if (!s) {
    s = { step, redisAllowed: new Set(), statements: 0 }
    states.set(step, s)
  }
  return s
}

export function beginStep(step: ClientStep): void {
  active = stateOf(step)
}

/** The step is over: later calls it made fail; connections a step changed are not kept. */
export function endStep(step: ClientStep): void {
  const state = stateOf(step)
  if (active === state) active = undefined
  const over = state.statements - MAX_STATEMENT_RECORDS
  if (over > 0) step.post({ t: 'note', runId: step.runId, markdown: `${over} more \`sql\` calls ran; the first ${MAX_STATEMENT_RECORDS} are listed.` })
  for (const conn of duplicates) conn.client.disconnect()
  duplicates.clear()
  for (const [url, conn] of redisConns) {
    const err = new Error('redis: the step that sent this command has ended')
    for (const p of conn.pending.splice(0)) p.command.reject(err)
    if (conn.stateful || conn.client.status === 'end') {
      redisConns.delete(url)
      conn.client.disconnect()
    }
  }
}

/** The step's `sql` and `redis` globals. */
export function stepGlobals(step: ClientStep): { sql: SqlTag; redis: unknown } {
  return { sql: makeSql(step), redis: redisFor(step) }
}

/** Closes every connection (end of the run). */
export async function closeClients(): Promise<void> {
  const pgs = [...pgConns.values()]
  const rs = [...redisConns.values()]
  pgConns.clear()
  redisConns.clear()
  const bounded = (p: Promise<unknown>, undo: () => void) =>
    Promise.race([p, new Promise((r) => setTimeout(r, 1500).unref())]).catch(() => undefined).finally(undo)
  await Promise.all([
    ...pgs.map((c) => (c.client ? bounded(c.client.end(), () => undefined) : Promise.resolve())),
    ...rs.map((c) => (c.client.status === 'wait' || c.client.status === 'end' ? (c.client.disconnect(), Promise.resolve()) : bounded(c.client.quit(), () => c.client.disconnect()))),
  ])
}

function message(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e)
}

function scrubber(password: string): (text: string) => string {
  return (text) => (password.length > 0 ? text.split(password).join('***') : text)
}

/** An error that points at the step's line that made the call (its stack was taken there). */
function siteError(): { site: Error; fail: (msg: string) => never } {
  const site = new Error('sql')
  return {
    site,
    fail(msg: string): never {
      site.message = msg
      throw site
    },
  }
}

function positionOf(stack: string | undefined, runId: number): { line: number; col: number } | undefined {
  for (const m of (stack ?? '').matchAll(new RegExp(POSITION, 'g'))) {
    if (Number(m[1]) === runId) return { line: Number(m[2]), col: Number(m[3]) }
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// sql

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

const pgConns = new Map<string, PgConn>()
const txStore = new AsyncLocalStorage<Tx>()

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
      if (first) return { error: `syntax error at line ${first.line} of the statement: ${first.message}`, refused: [], reasons: [], count: 0 }
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

function where(t: PgTarget): string {
  return `host ${t.host} port ${t.port} database ${t.database}`
}

async function pgClient(conn: PgConn, state: StepState): Promise<pg.Client> {
  if (conn.client) return conn.client
  const t = conn.target
  const scrub = scrubber(t.password)
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
    throw new Error(scrub(`sql: cannot connect to PostgreSQL at ${where(t)} (${t.safeUrl}): ${message(e)}`))
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
  const timeout = state.step.timeoutMs > 0 && Number.isFinite(state.step.timeoutMs) ? String(Math.min(Math.round(state.step.timeoutMs), 2_147_483_647)) : '0'
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

function pgFailure(e: unknown, state: StepState, conn: PgConn, client: pg.Client): string {
  const err = e as PgError
  const scrub = scrubber(conn.target.password)
  if (!err?.code) {
    if (conn.client === client) conn.client = undefined
    client.end().catch(() => undefined)
    return scrub(`sql: PostgreSQL connection (${where(conn.target)}) failed: ${message(e)}`)
  }
  const extra = `${err.detail ? ` — DETAIL: ${err.detail}` : ''}${err.hint ? ` — HINT: ${err.hint}` : ''}`
  if (err.code === '25006' && !state.step.destructive) {
    return scrub(
      `sql: ${err.message}${extra} — this step is not declared destructive, so its sql runs in a read-only transaction; ` +
        'declare the step {destructive} to write (nothing was changed)',
    )
  }
  if (err.code === '57014' && /statement timeout/i.test(err.message)) return scrub(`sql: ${err.message} (statement_timeout ${state.step.timeoutMs} ms, the step's timeout)`)
  return scrub(`sql: ${err.message}${extra}`)
}

function makeSql(step: ClientStep): SqlTag {
  const state = stateOf(step)
  const tag = ((strings: TemplateStringsArray, ...values: unknown[]) => sqlCall(state, strings, values)) as SqlTag
  tag.begin = <T>(fn: () => Promise<T> | T) => sqlBegin(state, fn)
  return tag
}

function urlOf(state: StepState, fail: (msg: string) => never): string {
  const url = state.step.env[state.step.dbVar]
  if (!url) fail(`sql: the PostgreSQL URL variable ${state.step.dbVar} is not set (set it, or name another variable with db=VAR)`)
  return url as string
}

async function sqlCall(state: StepState, strings: TemplateStringsArray, values: unknown[]): Promise<SqlRows> {
  const { site, fail } = siteError()
  if (!isTemplate(strings)) fail('sql is a tagged template: write sql`SELECT … WHERE id = ${id}`; values are bound as parameters, never put into the text')
  if (active !== state) fail('sql: the step that made this call has ended')
  const step = state.step
  const text = strings.reduce((acc, s, i) => `${acc}$${i}${s}`)
  const url = urlOf(state, fail)
  const j = await judgeSql(text)
  if (j.error) fail(`sql: ${j.error} (nothing was executed)`)
  if (j.refused.length > 0) fail(`sql: refused, nothing was executed: ${j.refused.join('; ')}`)
  if (j.count > 1) fail('sql: one statement per sql call (use several calls, and sql.begin(…) to run them in one transaction)')
  if (j.count === 0) return withInfo([], 0, '')
  if (!step.destructive && j.reasons.length > 0 && !step.safe) {
    fail(`sql: ${j.reasons.join('; ')} — this step is not declared destructive, so its sql is read-only; declare the step {destructive} (nothing was executed)`)
  }
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
      return fail(pgFailure(e, state, conn, client))
    } finally {
      if (began) await client.query('ROLLBACK').catch(() => undefined)
    }
  }

  const tx = txStore.getStore()
  if (tx && !tx.done && tx.state === state && tx.url === url) return run(tx.client, false)
  return exclusive(conn, async () => {
    if (active !== state) fail('sql: the step that made this call has ended')
    let client: pg.Client
    try {
      client = await pgClient(conn, state)
      await prepare(client, conn, state)
    } catch (e) {
      if (conn.client && (e as PgError)?.code === undefined) conn.client = undefined
      return fail(connectFailure(conn, e))
    }
    return run(client, !step.destructive)
  })
}

/** A failure to reach or prepare the connection, naming the server, password scrubbed. */
function connectFailure(conn: { target: PgTarget }, e: unknown): string {
  return message(e).startsWith('sql:') ? message(e) : scrubber(conn.target.password)(`sql: PostgreSQL (${where(conn.target)}): ${message(e)}`)
}

async function sqlBegin<T>(state: StepState, fn: () => Promise<T> | T): Promise<T> {
  const { fail } = siteError()
  if (typeof fn !== 'function') fail('sql.begin(fn): fn must be a function whose sql calls run in the transaction')
  if (active !== state) fail('sql: the step that made this call has ended')
  const open = txStore.getStore()
  if (open && !open.done) fail('sql.begin: already inside sql.begin')
  const url = urlOf(state, fail)
  const conn = pgConnFor(url)
  const step = state.step
  return exclusive(conn, async () => {
    if (active !== state) fail('sql: the step that made this call has ended')
    let client: pg.Client
    try {
      client = await pgClient(conn, state)
      await prepare(client, conn, state)
      await client.query(step.destructive ? 'BEGIN' : 'BEGIN READ ONLY')
    } catch (e) {
      return fail(connectFailure(conn, e))
    }
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
      return fail(`sql.begin: COMMIT failed, nothing was committed: ${pgFailure(e, state, conn, client).replace(/^sql: /, '')}`)
    }
    // COMMIT of a transaction in which a statement failed (and the error was caught) rolls back.
    if (end.command === 'ROLLBACK') fail('sql.begin: a statement in the transaction failed, so it was rolled back (nothing was committed)')
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

// ---------------------------------------------------------------------------------------------
// redis

interface Pending {
  command: Command
  stream: unknown
  state: StepState
}

interface RedisConn {
  url: string
  target: RedisTarget
  client: Redis
  send: (command: Command, stream?: unknown) => unknown
  /** The server's table: undefined until read, null when it could not be read. */
  table: RedisCommandTable | null | undefined
  loading?: Promise<void>
  lastError?: Error
  /** Commands that wait for the connection and the table, in order. */
  pending: Pending[]
  internal: WeakSet<Command>
  /** Commands of a pipeline judged as a whole at exec(). */
  prejudged: WeakSet<Command>
  /** A command changed the connection's state; it is not handed to the next step. */
  stateful: boolean
}

const redisConns = new Map<string, RedisConn>()
const byClient = new WeakMap<object, RedisConn>()

function missing(message: string): unknown {
  return new Proxy(
    {},
    {
      get(_t, prop) {
        if (prop === 'then' || typeof prop === 'symbol') return undefined
        throw new Error(message)
      },
    },
  )
}

function redisFor(step: ClientStep): unknown {
  const url = step.env[step.redisVar]
  if (!url) return missing(`redis: the Redis URL variable ${step.redisVar} is not set (set it, or name another variable with redis=VAR)`)
  const existing = redisConns.get(url)
  if (existing && existing.client.status !== 'end') return existing.client
  if (existing) redisConns.delete(url)
  try {
    return createRedis(url, step).client
  } catch (e) {
    const t = describeRedisTarget(url)
    return missing(scrubber(t.password)(`redis: cannot use the Redis URL in ${step.redisVar} (${t.safeUrl}): ${message(e)}`))
  }
}

function argText(a: unknown): string {
  return Buffer.isBuffer(a) ? a.toString('utf8') : String(a)
}

function argvOf(command: Command): string[] {
  return [command.name, ...(command.args ?? []).map(argText)]
}

function shown(argv: string[]): string {
  const parts = argv.slice(0, 6).map((a, i) => {
    const t = i === 0 ? a.toUpperCase() : a
    const cut = t.length > 40 ? `${t.slice(0, 39)}…` : t
    return /^[^\s"'\\]+$/.test(cut) ? cut : JSON.stringify(cut)
  })
  return `${parts.join(' ')}${argv.length > 6 ? ' …' : ''}`
}

function ownDb(client: Redis): number {
  return Number((client.options as { db?: number }).db ?? 0)
}

/** What ioredis sends by itself while it connects (AUTH, HELLO, CLIENT SETNAME…): nothing destructive. */
function handshake(argv: string[], client: Redis): boolean {
  const name = argv[0]!.toLowerCase()
  const sub = argv[1]?.toLowerCase()
  if (['auth', 'hello', 'info', 'readonly'].includes(name)) return true
  if (name === 'client') return sub === 'setname' || sub === 'setinfo'
  if (name === 'select') return Number(argv[1]) === ownDb(client)
  return false
}

/** Why a command is destructive (server table first, then the built-in one), or null. */
function judgeRedis(argv: string[], conn: RedisConn): string | null {
  if (argv[0]!.toLowerCase() === 'select' && Number(argv[1]) === ownDb(conn.client)) return null
  return (conn.table ? redisCommandReason(argv, conn.table) : null) ?? redisCommandReason(argv, STATIC_REDIS_TABLE)
}

/** Checks one command for the step; throws when it may not be sent. */
function admit(conn: RedisConn, argv: string[], state: StepState): void {
  if (active !== state) throw new Error('redis: the step that sent this command has ended')
  const blocked = state.step.blocked()
  if (blocked) throw new Error(`redis: not sent, the step is blocked: ${blocked}`)
  const name = argv[0]!.toLowerCase()
  if (STATEFUL.has(name) && !(name === 'select' && Number(argv[1]) === ownDb(conn.client)) && !handshake(argv, conn.client)) conn.stateful = true
  if (state.step.destructive) return
  const reason = judgeRedis(argv, conn)
  if (!reason) return
  const sub = argv[1]?.toLowerCase()
  const key = conn.table?.get(`${name}|${sub}`) || STATIC_REDIS_TABLE.get(`${name}|${sub}`) ? `${name} ${sub}`.toUpperCase() : name.toUpperCase()
  if (state.redisAllowed.has(key)) return
  state.step.gate(shown(argv), [`redis: ${reason}`, `consent covers every ${key} of this step`])
  state.redisAllowed.add(key)
}

function judgeAndSend(conn: RedisConn, command: Command, stream: unknown, state: StepState): unknown {
  try {
    admit(conn, argvOf(command), state)
  } catch (e) {
    command.reject(e instanceof Error ? e : new Error(String(e)))
    return command.promise
  }
  return conn.send(command, stream)
}

/** Clients made by `redis.duplicate()` (guarded the same way); closed at the end of their step. */
const duplicates = new Set<RedisConn>()

function createRedis(url: string, step: ClientStep, cached = true): RedisConn {
  const target = describeRedisTarget(url)
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    protocol: 2,
    connectionName: step.connectionName.replace(/[^\x21-\x7e]/g, '_').slice(0, 100),
  })
  const orig = client.sendCommand.bind(client) as (command: Command, stream?: unknown) => unknown
  const conn: RedisConn = {
    url,
    target,
    client,
    send: orig,
    table: undefined,
    pending: [],
    internal: new WeakSet(),
    prejudged: new WeakSet(),
    stateful: false,
  }
  // Without a listener ioredis reports errors as unhandled; the command that failed reports it.
  client.on('error', (e: Error) => {
    conn.lastError = e
  })
  ;(client as unknown as { sendCommand: (command: Command, stream?: unknown) => unknown }).sendCommand = (command: Command, stream?: unknown) => {
    if (conn.internal.has(command) || conn.prejudged.has(command)) return orig(command, stream)
    if (client.status === 'connect' && handshake(argvOf(command), client)) return orig(command, stream)
    const state = active
    if (!state) {
      command.reject(new Error('redis: no step is running'))
      return command.promise
    }
    if (conn.table === undefined || conn.pending.length > 0) {
      conn.pending.push({ command, stream, state })
      void loadTable(conn, state.step)
      return command.promise
    }
    return judgeAndSend(conn, command, stream, state)
  }
  // A second connection (e.g. for SUBSCRIBE) is judged like the first.
  ;(client as unknown as { duplicate: (options?: unknown) => Redis }).duplicate = (options?: unknown) => {
    if (options !== undefined) throw new Error('redis.duplicate(options) is not available in runbook steps; use redis.duplicate()')
    const extra = createRedis(url, step, false)
    duplicates.add(extra)
    return extra.client
  }
  if (cached) redisConns.set(url, conn)
  byClient.set(client, conn)
  return conn
}

/** Connects and reads the server's command table, then sends what waited, in order. */
function loadTable(conn: RedisConn, step: ClientStep): Promise<void> {
  conn.loading ??= (async () => {
    const t = conn.target
    const scrub = scrubber(t.password)
    const failAll = (err: Error) => {
      conn.lastError = err
      for (const p of conn.pending.splice(0)) p.command.reject(err)
    }
    try {
      conn.lastError = undefined
      if (conn.client.status === 'wait' || conn.client.status === 'end' || conn.client.status === 'close') await conn.client.connect()
    } catch (e) {
      conn.client.disconnect()
      // ioredis rejects with "Connection is closed."; the 'error' event had the cause.
      const cause = conn.lastError && /closed/i.test(message(e)) ? conn.lastError : e
      failAll(new Error(scrub(`redis: cannot connect to Redis at host ${t.host} port ${t.port} db ${t.db} (${t.safeUrl}): ${message(cause)}`)))
      return
    }
    try {
      const command = new Command('command', [], { replyEncoding: 'utf8' })
      conn.internal.add(command)
      const reply = await conn.send(command)
      conn.table = redisTableFromCommandInfo(Array.isArray(reply) ? (reply as unknown[]) : [])
    } catch (e) {
      if (conn.client.status !== 'ready') {
        failAll(new Error(scrub(`redis: connection to Redis at host ${t.host} port ${t.port} db ${t.db} failed: ${message(e)}`)))
        return
      }
      conn.table = null
      step.post({ t: 'note', runId: step.runId, markdown: "The Redis server's command table could not be read; `redis` commands were judged by the built-in table." })
    }
    while (conn.pending.length > 0) {
      const p = conn.pending.shift()!
      judgeAndSend(conn, p.command, p.stream, p.state)
    }
  })().finally(() => {
    conn.loading = undefined
  })
  return conn.loading
}

// Pipelines and MULTI: judged as a whole before exec() sends anything (a command refused in the
// middle of a pipeline would leave the pipeline waiting for it).
{
  interface Internals {
    redis: object
    _queue: Command[]
    _transactions: number
    isCluster: boolean
  }
  const proto = Pipeline.prototype as unknown as { exec: (this: Internals, ...args: unknown[]) => unknown }
  const exec = proto.exec
  proto.exec = function (this: Internals, ...args: unknown[]) {
    const conn = byClient.get(this.redis)
    if (!conn || this._transactions > 0 || this.isCluster) return exec.apply(this, args)
    const go = () => {
      const state = active
      if (!state) throw new Error('redis: no step is running')
      for (const command of this._queue) {
        if (conn.prejudged.has(command)) continue
        admit(conn, argvOf(command), state)
        conn.prejudged.add(command)
      }
      return exec.apply(this, args)
    }
    if (conn.table !== undefined) return go()
    const step = active?.step
    if (!step) throw new Error('redis: no step is running')
    return loadTable(conn, step).then(() => {
      if (conn.table === undefined) throw conn.lastError ?? new Error('redis: not connected')
      return go()
    })
  }
}
