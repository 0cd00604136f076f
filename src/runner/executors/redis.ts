// The `redis` step executor: ioredis, one command a line, replies shown as redis-cli shows them.
//
// - Commands come from `splitRedisCommands` (redis-cli quoting) and are sent one at a time.
// - Run-time safety: before anything is sent, every command is judged by the server's own
//   command table (`COMMAND INFO` for the step's commands, cached per connection) together with
//   the built-in table. A command destructive by that judgement inside a step that is not
//   destructive is put to `ctx.ask({kind:'command'})`; without consent nothing of the step is
//   sent and it ends blocked/declined.
// - Like `redis-cli` running a script with errors checked, the first error reply stops the
//   step (status failed); the remaining commands are not sent.
// - Connections are reused per URL across the steps of a run, except after a command that
//   changes the connection's state (SELECT, MULTI, SUBSCRIBE, CLIENT …), a timeout or an
//   interruption: those connections are closed.
import { Redis } from 'ioredis'
import {
  STATIC_REDIS_TABLE,
  redisCommandReason,
  redisTableFromCommandInfo,
  splitRedisCommands,
  type RedisCommand,
  type RedisCommandSpec,
  type RedisCommandTable,
} from '../judge/redis.js'
import type { Consent, StepContext, StepExecutor, StepOutcome, StepStatus } from '../model/run-record.js'

export interface RedisExecutorDeps {
  /** The built-in table used with the server's (and alone when the server's cannot be read). */
  table?: RedisCommandTable
  /** Give up connecting after this long (default 3 s). */
  connectTimeoutMs?: number
  /** Read the server's command table (default true). */
  serverTable?: boolean
}

const CELL_MAX_CHARS = 200
/** Top-level array elements printed to the terminal; the rest is summarised. */
const OUTPUT_MAX_ELEMENTS = 1000

/** Commands after which a connection is not handed to the next step (also used by TS steps' `redis`). */
export const STATEFUL = new Set([
  'select',
  'multi',
  'watch',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'monitor',
  'quit',
  'reset',
  'hello',
  'auth',
  'client',
  'readonly',
  'readwrite',
])

// ---------------------------------------------------------------------------------------------
// redis-cli rendering

/** A bulk string quoted as redis-cli does (sdscatrepr); valid UTF-8 text stays readable. */
export function quoteRedisString(value: Buffer | string): string {
  const buf = typeof value === 'string' ? Buffer.from(value, 'utf8') : value
  const text = buf.toString('utf8')
  const validUtf8 = Buffer.from(text, 'utf8').equals(buf)
  let out = '"'
  const byte = (b: number) => {
    switch (b) {
      case 0x5c:
        return '\\\\'
      case 0x22:
        return '\\"'
      case 0x0a:
        return '\\n'
      case 0x0d:
        return '\\r'
      case 0x09:
        return '\\t'
      case 0x07:
        return '\\a'
      case 0x08:
        return '\\b'
      default:
        return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`
    }
  }
  if (validUtf8) {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!
      if (cp < 0x80) out += byte(cp)
      else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch)) out += ch
      else for (const b of Buffer.from(ch, 'utf8')) out += byte(b)
    }
  } else for (const b of buf) out += byte(b)
  return `${out}"`
}

/** A command as typed, re-quoted where an argument needs it. */
export function formatRedisCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[^\s"'\\\p{C}]+$/u.test(a) ? a : quoteRedisString(a))).join(' ')
}

function isErrorReply(value: unknown): value is Error {
  return value instanceof Error
}

/** Replies of these commands are status replies (+OK) when they are strings. */
const STATUS_REPLY_COMMANDS = new Set([
  'set', 'mset', 'setex', 'psetex', 'select', 'flushdb', 'flushall', 'rename', 'lset', 'ltrim', 'hmset',
  'save', 'bgsave', 'bgrewriteaof', 'shutdown', 'config', 'client', 'auth', 'multi', 'discard', 'watch',
  'unwatch', 'swapdb', 'restore', 'migrate', 'pfmerge', 'xgroup', 'script', 'function', 'debug', 'quit',
  'reset', 'readonly', 'readwrite', 'type', 'replicaof', 'slaveof', 'slowlog', 'latency', 'memory', 'module',
  'acl', 'cluster', 'failover', 'xsetid', 'xtrim', 'ping', 'echo',
])

/**
 * Whether a top-level string reply of `argv` was a status reply. ioredis does not tell status
 * from bulk strings, so we go by the command: PING without argument, TYPE, SET without GET…
 */
function isStatusReply(argv: readonly string[], value: string): boolean {
  const name = argv[0]?.toLowerCase() ?? ''
  if (name === 'ping') return argv.length === 1
  if (name === 'echo') return false
  if (name === 'set') return !argv.some((a) => a.toLowerCase() === 'get')
  if (name === 'type') return true
  if (value === 'QUEUED') return true
  return STATUS_REPLY_COMMANDS.has(name) && /^[A-Z][A-Z0-9 _-]*$/.test(value)
}

/** Commands whose text replies redis-cli prints raw (INFO, CLIENT LIST…), not quoted. */
function rawOutput(argv: readonly string[]): boolean {
  const name = argv[0]?.toLowerCase() ?? ''
  const sub = argv[1]?.toLowerCase() ?? ''
  if (name === 'info' || name === 'lolwut') return true
  if (name === 'client') return sub === 'list' || sub === 'info'
  if (name === 'cluster') return sub === 'info' || sub === 'nodes' || sub === 'replicas' || sub === 'slaves'
  if (name === 'memory') return sub === 'doctor' || sub === 'malloc-stats'
  if (name === 'latency') return sub === 'doctor' || sub === 'graph'
  if (name === 'debug') return sub === 'htstats' || sub === 'htstats-key'
  return false
}

/** A reply rendered like redis-cli at a terminal (one string, lines joined with `\n`). */
export function formatRedisReply(reply: unknown, argv: readonly string[] = [], maxElements = Infinity): string {
  if ((Buffer.isBuffer(reply) || typeof reply === 'string') && rawOutput(argv)) {
    return (Buffer.isBuffer(reply) ? reply.toString('utf8') : reply).replace(/\r\n/g, '\n').replace(/\n$/, '')
  }
  const format = (value: unknown, prefix: string, top: boolean): string => {
    if (value === null || value === undefined) return '(nil)'
    if (isErrorReply(value)) return `(error) ${value.message}`
    if (typeof value === 'number' || typeof value === 'bigint') return `(integer) ${value}`
    if (typeof value === 'boolean') return `(integer) ${value ? 1 : 0}`
    if (Buffer.isBuffer(value) || typeof value === 'string') {
      const text = Buffer.isBuffer(value) ? value.toString('utf8') : value
      if (top && isStatusReply(argv, text)) return text
      return quoteRedisString(value)
    }
    if (Array.isArray(value)) {
      if (value.length === 0) return '(empty array)'
      const shown = top ? Math.min(value.length, maxElements) : value.length
      const width = String(value.length).length
      const inner = prefix + ' '.repeat(width + 2)
      const lines: string[] = []
      for (let i = 0; i < shown; i++) {
        const index = `${String(i + 1).padStart(width)}) `
        lines.push(`${i === 0 ? '' : prefix}${index}${format(value[i], inner, false)}`)
      }
      if (shown < value.length) lines.push(`${prefix}… (${value.length - shown} more elements)`)
      return lines.join('\n')
    }
    if (typeof value === 'object') return format(Object.entries(value as Record<string, unknown>).flat(), prefix, top)
    return String(value)
  }
  return format(reply, '', true)
}

function cell(text: string): string {
  const shown = text.replace(/\r\n|\n|\r/g, '↵')
  const chars = Array.from(shown)
  return chars.length > CELL_MAX_CHARS ? `${chars.slice(0, CELL_MAX_CHARS - 1).join('')}…` : shown
}

// ---------------------------------------------------------------------------------------------
// Connection target, with the password never shown

export interface RedisTarget {
  host: string
  port: string
  db: string
  safeUrl: string
  password: string
}

export function describeRedisTarget(url: string): RedisTarget {
  try {
    const u = new URL(url)
    const password = decodeURIComponent(u.password)
    if (u.password) u.password = '***'
    return {
      host: decodeURIComponent(u.hostname) || 'localhost',
      port: u.port || '6379',
      db: u.pathname.replace(/^\//, '') || u.searchParams.get('db') || '0',
      safeUrl: u.toString(),
      password,
    }
  } catch {
    return { host: url, port: '6379', db: '0', safeUrl: url.replace(/:[^:@/]*@/, ':***@'), password: '' }
  }
}

function scrub(text: string, target: RedisTarget): string {
  return target.password.length > 0 ? text.split(target.password).join('***') : text
}

// ---------------------------------------------------------------------------------------------
// The executor

interface Connection {
  client: Redis
  /** What the server's COMMAND INFO said, by command name; null: the table could not be read. */
  tables: RedisCommandTable[] | null
  fetched: Set<string>
  lastError?: Error
}

function unionTable(tables: RedisCommandTable[]): RedisCommandTable {
  return {
    get(name: string): RedisCommandSpec | undefined {
      for (const t of tables) {
        const spec = t.get(name)
        if (spec) return spec
      }
      return undefined
    },
  }
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

export function createRedisExecutor(deps: RedisExecutorDeps = {}): StepExecutor {
  const staticTable = deps.table ?? STATIC_REDIS_TABLE
  const connectTimeoutMs = deps.connectTimeoutMs ?? 3000
  const useServerTable = deps.serverTable ?? true
  const connections = new Map<string, Connection>()

  async function connect(url: string, runbookId: string): Promise<Connection> {
    const existing = connections.get(url)
    if (existing && existing.client.status === 'ready') return existing
    if (existing) {
      connections.delete(url)
      existing.client.disconnect()
    }
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: connectTimeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      protocol: 2,
      connectionName: `runbook:${runbookId}`.replace(/[^\x21-\x7e]/g, '_').slice(0, 100),
    })
    const conn: Connection = { client, tables: [], fetched: new Set() }
    // Without a listener ioredis reports errors as unhandled; the command that failed reports it.
    client.on('error', (e: Error) => {
      conn.lastError = e
    })
    try {
      await client.connect()
    } catch (e) {
      client.disconnect()
      throw e
    }
    connections.set(url, conn)
    return conn
  }

  function drop(url: string, conn: Connection): void {
    if (connections.get(url) === conn) connections.delete(url)
    conn.client.disconnect()
  }

  /** The server's table for these commands (fetched once per command per connection). */
  async function serverTable(conn: Connection, commands: RedisCommand[]): Promise<RedisCommandTable | null> {
    if (!useServerTable || conn.tables === null) return null
    const names = [...new Set(commands.map((c) => c.argv[0]!.toLowerCase()))].filter((n) => !conn.fetched.has(n))
    if (names.length > 0) {
      try {
        const reply = await conn.client.call('COMMAND', 'INFO', ...names)
        conn.tables.push(redisTableFromCommandInfo(Array.isArray(reply) ? reply : []))
        for (const n of names) conn.fetched.add(n)
      } catch {
        conn.tables = null
        return null
      }
    }
    return unionTable(conn.tables)
  }

  async function run(ctx: StepContext): Promise<StepOutcome> {
    const { planned } = ctx
    const step = planned.step
    const fileLine = (codeLine: number) => step.codeLine + codeLine - 1

    const envName = step.attrs.redis ?? 'REDIS_URL'
    const url = ctx.env[envName]
    if (!url) {
      return { status: 'failed', reason: `Redis step needs a Redis URL in ${envName}, which is not set (set it, or name another variable with redis=VAR)` }
    }
    let commands: RedisCommand[]
    try {
      commands = splitRedisCommands(step.code)
    } catch (e) {
      const err = e as Error & { line?: number }
      const where = typeof err.line === 'number' ? `line ${fileLine(err.line)}: ` : ''
      return { status: 'failed', reason: `Redis commands could not be read, nothing was sent: ${where}${err.message.replace(/^line \d+: /, '')}` }
    }
    if (commands.length === 0) {
      ctx.io.note('No Redis commands in this step.')
      return { status: 'passed' }
    }
    if (ctx.signal.aborted) return { status: 'interrupted', reason: 'interrupted before the step started' }

    const target = describeRedisTarget(url)
    const where = `host ${target.host} port ${target.port} db ${target.db}`
    let conn: Connection
    try {
      conn = await connect(url, ctx.runbookId)
    } catch (e) {
      return { status: 'failed', reason: scrub(`cannot connect to Redis at ${where} (${target.safeUrl}): ${(e as Error).message || String(e)}`, target) }
    }

    let stopReason: 'timeout' | 'abort' | null = null
    let wake: (() => void) | undefined
    const stop = (why: 'timeout' | 'abort') => {
      if (stopReason) return
      stopReason = why
      drop(url, conn) // rejects the command in flight (a blocking BLPOP too)
      wake?.()
    }
    const onAbort = () => stop((ctx.signal.reason as { name?: string } | undefined)?.name === 'TimeoutError' ? 'timeout' : 'abort')
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    let timer: NodeJS.Timeout | undefined
    const stopped = (line: number | null): StepStop => {
      const at = line === null ? '' : `line ${line}: `
      return stopReason === 'timeout'
        ? new StepStop('timed-out', `${at}step timed out after ${formatMs(ctx.timeoutMs)}`)
        : new StepStop('interrupted', `${at}interrupted`)
    }
    const send = (argv: string[]): Promise<unknown> => {
      const [name, ...args] = argv
      const reply = conn.client.callBuffer(name!, ...args)
      return new Promise((resolve, reject) => {
        wake = () => reject(new Error('stopped'))
        reply.then(resolve, reject)
      })
    }

    const rows: string[][] = []
    let consent: Consent | undefined
    let outcome: StepOutcome
    let stateful = false
    try {
      // Judge every command before sending any.
      const server = await serverTable(conn, commands)
      if (server === null && useServerTable) {
        ctx.io.note("The server's command table could not be read; commands were judged by the built-in table.")
      }
      if (!planned.destructive) {
        const asked = new Set<string>()
        for (const command of commands) {
          const fromServer = server ? redisCommandReason(command.argv, server) : null
          const fromStatic = redisCommandReason(command.argv, staticTable)
          const reason = fromServer ?? fromStatic
          if (!reason) continue
          // A step declared safe overrides what the built-in table (plan time) already knew.
          if (planned.declared === 'safe' && fromStatic) continue
          const shown = formatRedisCommand(command.argv)
          if (asked.has(shown)) continue
          asked.add(shown)
          const answer = await ctx.ask({ kind: 'command', command: shown, reasons: [`line ${fileLine(command.line)}: ${reason}`] })
          if (stopReason || ctx.signal.aborted) {
            stopReason ??= 'abort'
            throw stopped(null)
          }
          if (!answer.allow) {
            const status = answer.status === 'previewed' ? 'blocked' : answer.status
            throw new StepStop(status, `${answer.reason} (line ${fileLine(command.line)}: ${shown}; nothing was sent)`)
          }
          consent = answer.consent ?? consent
        }
      }

      if (ctx.timeoutMs > 0 && Number.isFinite(ctx.timeoutMs)) timer = setTimeout(() => stop('timeout'), ctx.timeoutMs)
      for (const command of commands) {
        const line = fileLine(command.line)
        if (stopReason) throw stopped(line)
        const name = command.argv[0]!.toLowerCase()
        if (STATEFUL.has(name)) stateful = true
        const shown = formatRedisCommand(command.argv)
        ctx.io.output(`> ${shown}\n`, 'stdout')
        let reply: unknown
        try {
          reply = await send(command.argv)
        } catch (e) {
          if (stopReason) throw stopped(line)
          const err = e as Error
          if (err.name === 'ReplyError') {
            const text = `(error) ${err.message}`
            ctx.io.output(`${text}\n`, 'stdout')
            rows.push([String(line), cell(shown), cell(text)])
            throw new StepStop('failed', `line ${line}: ${command.argv[0]!.toUpperCase()} failed: ${err.message}`)
          }
          stateful = true
          throw new StepStop('failed', `line ${line}: Redis connection (${where}) failed: ${err.message}`)
        }
        ctx.io.output(`${formatRedisReply(reply, command.argv, OUTPUT_MAX_ELEMENTS)}\n`, 'stdout')
        rows.push([String(line), cell(shown), cell(formatRedisReply(reply, command.argv))])
      }
      outcome = { status: 'passed', ...(consent ? { consent } : {}) }
    } catch (e) {
      if (e instanceof StepStop) outcome = { status: e.status, reason: scrub(e.message, target), ...(consent ? { consent } : {}) }
      else if (stopReason) outcome = { status: stopped(null).status, reason: stopped(null).message }
      else outcome = { status: 'failed', reason: scrub(`Redis (${where}): ${(e as Error)?.message ?? String(e)}`, target) }
    } finally {
      if (timer) clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
    }
    if (rows.length > 0) ctx.io.table({ title: 'redis', columns: ['line', 'command', 'reply'], rows, totalRows: rows.length })
    if (stateful || stopReason) drop(url, conn)
    return outcome
  }

  return {
    run,
    async close() {
      const all = [...connections.values()]
      connections.clear()
      await Promise.all(
        all.map(async (c) => {
          try {
            await c.client.quit()
          } catch {
            c.client.disconnect()
          }
        }),
      )
    },
  }
}
