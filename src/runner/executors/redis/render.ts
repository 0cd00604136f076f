// Redis commands and replies as redis-cli shows them at a terminal: bulk strings quoted like
// sdscatrepr, status replies bare, `(integer)`, `(nil)`, nested arrays with aligned indexes, and
// raw text for INFO-like commands.
import { msg } from '../../terminal/messages/index.js'

const CELL_MAX_CHARS = 200

/** A bulk string quoted as redis-cli does (sdscatrepr); valid UTF-8 text stays readable. */
export function quoteRedisString(value: Buffer | string): string {
  const buf = typeof value === 'string' ? Buffer.from(value, 'utf8') : value
  const text = buf.toString('utf8')
  const validUtf8 = Buffer.from(text, 'utf8').equals(buf)
  let out = '"'
  if (validUtf8) {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!
      if (cp < 0x80) out += quotedByte(cp)
      else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch)) out += ch
      else for (const b of Buffer.from(ch, 'utf8')) out += quotedByte(b)
    }
  } else for (const b of buf) out += quotedByte(b)
  return `${out}"`
}

function quotedByte(b: number): string {
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

/** A command as typed, re-quoted where an argument needs it. */
export function formatRedisCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[^\s"'\\\p{C}]+$/u.test(a) ? a : quoteRedisString(a))).join(' ')
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
    if (value instanceof Error) return `(error) ${value.message}`
    if (typeof value === 'number' || typeof value === 'bigint') return `(integer) ${value}`
    if (typeof value === 'boolean') return `(integer) ${value ? 1 : 0}`
    if (Buffer.isBuffer(value) || typeof value === 'string') {
      const text = Buffer.isBuffer(value) ? value.toString('utf8') : value
      if (top && isStatusReply(argv, text)) return text
      return quoteRedisString(value)
    }
    if (Array.isArray(value)) return formatArray(value, prefix, top ? Math.min(value.length, maxElements) : value.length, format)
    if (typeof value === 'object') return format(Object.entries(value as Record<string, unknown>).flat(), prefix, top)
    return String(value)
  }
  return format(reply, '', true)
}

/** `1) …` lines, nested replies indented under their index; a summary of what is not shown. */
function formatArray(value: unknown[], prefix: string, shown: number, format: (value: unknown, prefix: string, top: boolean) => string): string {
  if (value.length === 0) return '(empty array)'
  const width = String(value.length).length
  const inner = prefix + ' '.repeat(width + 2)
  const lines: string[] = []
  for (let i = 0; i < shown; i++) {
    const index = `${String(i + 1).padStart(width)}) `
    lines.push(`${i === 0 ? '' : prefix}${index}${format(value[i], inner, false)}`)
  }
  if (shown < value.length) lines.push(`${prefix}${msg.executors.redisMoreElements(value.length - shown)}`)
  return lines.join('\n')
}

/** A command or reply as one cell of the report's table: one line, at most 200 characters. */
export function redisCell(text: string): string {
  const shown = text.replace(/\r\n|\n|\r/g, '↵')
  const chars = Array.from(shown)
  return chars.length > CELL_MAX_CHARS ? `${chars.slice(0, CELL_MAX_CHARS - 1).join('')}…` : shown
}
