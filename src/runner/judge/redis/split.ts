// Splitting a `redis` step into commands the way redis-cli does (sdssplitargs), one a line.
import { msg } from '../../terminal/messages/index.js'

/** One command of a `redis` step: its arguments as redis-cli would send them. */
export interface RedisCommand {
  argv: string[]
  /** 1-based line in the step's code. */
  line: number
}

export class RedisSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'RedisSyntaxError'
  }
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07', '"': '"', '\\': '\\' }

/** Reads one argument from `i` (not whitespace): the argument and where it ended, or an error. */
function readArgument(line: string, from: number): { arg: string; next: number } | { error: string } {
  const n = line.length
  let i = from
  let current = ''
  let inDouble = false
  let inSingle = false
  for (;;) {
    const c = line[i]
    if (inDouble) {
      if (c === undefined) return { error: msg.judge.redis.unbalancedDouble }
      if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
        current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16))
        i += 3
      } else if (c === '\\' && i + 1 < n) {
        const e = line[i + 1]!
        current += ESCAPES[e] ?? e
        i++
      } else if (c === '"') {
        const next = line[i + 1]
        if (next !== undefined && !/\s/.test(next)) return { error: msg.judge.redis.textAfterQuote }
        return { arg: current, next: i + 1 }
      } else current += c
    } else if (inSingle) {
      if (c === undefined) return { error: msg.judge.redis.unbalancedSingle }
      if (c === '\\' && line[i + 1] === "'") {
        current += "'"
        i++
      } else if (c === "'") {
        const next = line[i + 1]
        if (next !== undefined && !/\s/.test(next)) return { error: msg.judge.redis.textAfterQuote }
        return { arg: current, next: i + 1 }
      } else current += c
    } else if (c === undefined || /\s/.test(c)) return { arg: current, next: i }
    else if (c === '"') inDouble = true
    else if (c === "'") inSingle = true
    else current += c
    i++
  }
}

/** Splits one line like redis-cli (sdssplitargs): returns the arguments or an error message. */
function splitLine(line: string): string[] | string {
  const args: string[] = []
  let i = 0
  for (;;) {
    while (i < line.length && /\s/.test(line[i]!)) i++
    if (i >= line.length) return args
    const read = readArgument(line, i)
    if ('error' in read) return read.error
    args.push(read.arg)
    i = read.next
  }
}

/** The commands of a step and the lines that could not be split. */
export function splitAll(code: string): { commands: RedisCommand[]; errors: { line: number; message: string }[] } {
  const commands: RedisCommand[] = []
  const errors: { line: number; message: string }[] = []
  code.split(/\r?\n/).forEach((text, index) => {
    const trimmed = text.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const argv = splitLine(text)
    if (typeof argv === 'string') errors.push({ line: index + 1, message: argv })
    else if (argv.length > 0) commands.push({ argv, line: index + 1 })
  })
  return { commands, errors }
}

/**
 * The commands of a `redis` step, one a line, quoted like redis-cli (double quotes with
 * `\n \t \" \\ \xHH` escapes, single quotes literal). Blank lines and `#` comment lines are
 * skipped. Throws RedisSyntaxError (with its line) on unbalanced quotes.
 */
export function splitRedisCommands(code: string): RedisCommand[] {
  const { commands, errors } = splitAll(code)
  const first = errors[0]
  if (first) throw new RedisSyntaxError(first.message, first.line)
  return commands
}
