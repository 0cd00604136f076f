// The `redis` global of TS steps: a real ioredis client whose sendCommand is guarded. In a step
// that is not destructive every command is judged before it is sent, by the server's own command
// table (`COMMAND`, read once per connection) together with the built-in one; a destructive one
// is put to the host like a `$` command, and without consent it is not sent and the step ends
// blocked. Consent covers that command (name and subcommand) for the rest of the step. Pipelines
// and MULTI are judged as a whole at exec(). A connection whose state a step changed (SELECT,
// SUBSCRIBE, CLIENT …) is not handed to the next step.
import { Command, Pipeline, Redis } from 'ioredis'
import { STATIC_REDIS_TABLE, redisCommandReason, redisTableFromCommandInfo, type RedisCommandTable } from '../../judge/redis.js'
import { msg } from '../../terminal/messages/index.js'
import { STATEFUL } from '../redis/connections.js'
import { describeRedisTarget, hidePassword, redisWhere, type RedisTarget } from '../targets.js'
import { activeStep, message, type ClientStep, type StepState } from './client-step.js'

const CONNECT_TIMEOUT_MS = 5000

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
/** Clients made by `redis.duplicate()` (guarded the same way); closed at the end of their step. */
const duplicates = new Set<RedisConn>()

/** `redis: …`: errors name the global that failed. */
const redisError = (text: string): Error => new Error(`redis: ${text}`)

/** A stand-in whose every use throws `text` (a missing or unusable URL fails where it is used). */
function missing(text: string): unknown {
  return new Proxy(
    {},
    {
      get(_t, prop) {
        if (prop === 'then' || typeof prop === 'symbol') return undefined
        throw new Error(text)
      },
    },
  )
}

/** The step's `redis` global. */
export function redisFor(step: ClientStep): unknown {
  const url = step.env[step.redisVar]
  if (!url) return missing(`redis: ${msg.executors.urlNotSet('Redis', step.redisVar, 'redis')}`)
  const existing = redisConns.get(url)
  if (existing && existing.client.status !== 'end') return existing.client
  if (existing) redisConns.delete(url)
  try {
    return createRedis(url, step).client
  } catch (e) {
    const t = describeRedisTarget(url)
    return missing(hidePassword(`redis: ${msg.executors.redisBadUrl(step.redisVar, t.safeUrl, message(e))}`, t.password))
  }
}

function argText(a: unknown): string {
  return Buffer.isBuffer(a) ? a.toString('utf8') : String(a)
}

function argvOf(command: Command): string[] {
  return [command.name, ...(command.args ?? []).map(argText)]
}

/** A command as the operator is asked about it: name in capitals, long arguments cut. */
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
function judgeRedis(argv: string[], conn: RedisConn, builtIn: RedisCommandTable): string | null {
  if (argv[0]!.toLowerCase() === 'select' && Number(argv[1]) === ownDb(conn.client)) return null
  return (conn.table ? redisCommandReason(argv, conn.table) : null) ?? redisCommandReason(argv, builtIn)
}

/** Checks one command for the step; throws when it may not be sent. */
function admit(conn: RedisConn, argv: string[], state: StepState): void {
  if (activeStep() !== state) throw redisError(msg.executors.redisCommandEnded)
  const blocked = state.step.blocked()
  if (blocked) throw redisError(msg.executors.redisBlocked(blocked))
  const name = argv[0]!.toLowerCase()
  if (STATEFUL.has(name) && !(name === 'select' && Number(argv[1]) === ownDb(conn.client)) && !handshake(argv, conn.client)) conn.stateful = true
  if (state.step.destructive) return
  const builtIn = state.step.redisTable ?? STATIC_REDIS_TABLE
  const reason = judgeRedis(argv, conn, builtIn)
  if (!reason) return
  const sub = argv[1]?.toLowerCase()
  const key = conn.table?.get(`${name}|${sub}`) || builtIn.get(`${name}|${sub}`) ? `${name} ${sub}`.toUpperCase() : name.toUpperCase()
  if (state.redisAllowed.has(key)) return
  state.step.gate(shown(argv), [`redis: ${reason}`, msg.executors.redisConsentCovers(key)])
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

function createRedis(url: string, step: ClientStep, cached = true): RedisConn {
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
    target: describeRedisTarget(url),
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
    const state = activeStep()
    if (!state) {
      command.reject(redisError(msg.executors.noStepRunning))
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
    if (options !== undefined) throw new Error(msg.executors.redisDuplicateOptions)
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
    const failAll = (text: string) => {
      const err = new Error(hidePassword(`redis: ${text}`, t.password))
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
      failAll(msg.executors.cannotConnect('Redis', redisWhere(t), t.safeUrl, message(cause)))
      return
    }
    try {
      const command = new Command('command', [], { replyEncoding: 'utf8' })
      conn.internal.add(command)
      const reply = await conn.send(command)
      conn.table = redisTableFromCommandInfo(Array.isArray(reply) ? (reply as unknown[]) : [])
    } catch (e) {
      if (conn.client.status !== 'ready') {
        failAll(msg.executors.connectionFailed('Redis', redisWhere(t), message(e)))
        return
      }
      conn.table = null
      step.post({ t: 'note', runId: step.runId, markdown: msg.executors.redisCallsServerTableUnread })
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
      const state = activeStep()
      if (!state) throw redisError(msg.executors.noStepRunning)
      for (const command of this._queue) {
        if (conn.prejudged.has(command)) continue
        admit(conn, argvOf(command), state)
        conn.prejudged.add(command)
      }
      return exec.apply(this, args)
    }
    if (conn.table !== undefined) return go()
    const step = activeStep()?.step
    if (!step) throw redisError(msg.executors.noStepRunning)
    return loadTable(conn, step).then(() => {
      if (conn.table === undefined) throw conn.lastError ?? redisError(msg.executors.redisNotConnected)
      return go()
    })
  }
}

/** The step ended: its waiting commands fail, its extra and changed connections are closed. */
export function endRedisStep(): void {
  for (const conn of duplicates) conn.client.disconnect()
  duplicates.clear()
  for (const [url, conn] of redisConns) {
    const err = redisError(msg.executors.redisCommandEnded)
    for (const p of conn.pending.splice(0)) p.command.reject(err)
    if (conn.stateful || conn.client.status === 'end') {
      redisConns.delete(url)
      conn.client.disconnect()
    }
  }
}

/** Closes every Redis connection (end of the run), giving each a bounded time. */
export function closeRedisClients(bounded: (p: Promise<unknown>, undo: () => void) => Promise<unknown>): Promise<unknown>[] {
  const all = [...redisConns.values()]
  redisConns.clear()
  return all.map((c) =>
    c.client.status === 'wait' || c.client.status === 'end' ? (c.client.disconnect(), Promise.resolve()) : bounded(c.client.quit(), () => c.client.disconnect()),
  )
}
