// The Redis judge: what a command does, by effect. One classification (classifyRedisCommand)
// serves the plan (the built-in table), the run-time check (the server's own `COMMAND INFO`) and
// the comparison of the two: the `write` flag, the reviewed lists of redis/effects, and fail
// closed for anything a table does not know.
import type { Detection } from '../../model/runbook.js'
import { msg } from '../../terminal/messages/index.js'
import { CHANGES, READS, SECRET_PARAMETERS, SLOW, type Effect } from './effects.js'
import { STATIC_REDIS_TABLE } from './redis7-table.js'
import { splitAll } from './split.js'
import type { RedisCommandTable } from './table.js'

/** Why a command is destructive (keys of msg.judge.redis). */
export type RedisWhy = Effect | 'writesData' | 'unknownCommand' | 'unknownSubcommand' | 'unknownArgument' | 'notReviewed'

/** The command as the operator reads it (`CONFIG SET`) and why it is destructive (empty: it is not). */
export interface RedisVerdict {
  display: string
  why: RedisWhy[]
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** Redis' glob (stringmatchlen, case-insensitive as CONFIG GET uses it) as a RegExp; null when unreadable. */
export function globRegExp(glob: string): RegExp | null {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]!)
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1)
      if (end === -1) return null
      const body = glob.slice(i + 1, end)
      const negated = body.startsWith('^')
      const chars = [...(negated ? body.slice(1) : body)].map((ch) => (ch === '-' ? ch : escapeRe(ch))).join('')
      re += `[${negated ? '^' : ''}${chars}]`
      i = end
    } else re += escapeRe(c)
  }
  try {
    return new RegExp(`^${re}$`, 'i')
  } catch {
    return null
  }
}

/** Effects that depend on a subcommand's arguments (argv from the subcommand's arguments on). */
const ARGUMENT_EFFECTS: Readonly<Record<string, (args: readonly (string | null)[]) => RedisWhy | null>> = {
  // ACL LOG RESET clears the log of denied commands.
  'acl|log': (args) => (args.some((a) => a === null || a.toLowerCase() === 'reset') ? 'resetsDiagnostics' : null),
  // CONFIG GET of a parameter holding a password would put it on the screen and in the report.
  'config|get': (args) =>
    args.some((a) => {
      const re = a === null ? null : globRegExp(a)
      return re === null || SECRET_PARAMETERS.some((p) => re.test(p))
    })
      ? 'showsSecrets'
      : null,
}

/**
 * What one command (argv; null for an argument not known statically) does, by a command table.
 * Destructive: the `write` flag; a listed effect (redis/effects CHANGES); a command, subcommand or
 * command name the table does not know; a command neither `readonly` nor listed as a read.
 */
export function classifyRedisCommand(argv: readonly (string | null)[], table: RedisCommandTable = STATIC_REDIS_TABLE): RedisVerdict {
  const first = argv[0]
  if (first === null || first === undefined) return { display: '?', why: ['unknownArgument'] }
  const name = first.toLowerCase()
  const spec = table.get(name)
  if (!spec) return { display: first.toUpperCase(), why: ['unknownCommand'] }
  if (!spec.container) return judgeSpec(name, first.toUpperCase(), spec.flags, argv.slice(1))
  const sub = argv[1]
  // A container alone (`CONFIG`) is answered with an arity error: nothing runs.
  if (sub === undefined) return { display: first.toUpperCase(), why: [] }
  if (sub === null) return { display: `${first.toUpperCase()} ?`, why: ['unknownArgument'] }
  const key = `${name}|${sub.toLowerCase()}`
  const display = `${first} ${sub}`.toUpperCase()
  const subSpec = table.get(key)
  if (!subSpec) return { display, why: ['unknownSubcommand'] }
  return judgeSpec(key, display, subSpec.flags, argv.slice(2))
}

function judgeSpec(key: string, display: string, flags: readonly string[], args: readonly (string | null)[]): RedisVerdict {
  const why: RedisWhy[] = []
  if (flags.includes('write')) why.push('writesData')
  const effect = CHANGES[key]
  if (effect) why.push(effect)
  const byArgument = ARGUMENT_EFFECTS[key]?.(args)
  if (byArgument) why.push(byArgument)
  if (why.length === 0 && !flags.includes('readonly') && !READS.has(key)) why.push('notReviewed')
  return { display, why }
}

/** Why one command is destructive, in the operator's language, or null when it is not. */
export function redisCommandReason(argv: readonly (string | null)[], table: RedisCommandTable = STATIC_REDIS_TABLE): string | null {
  const { display, why } = classifyRedisCommand(argv, table)
  if (why.length === 0) return null
  const says = msg.judge.redis
  return says.command(display, why.map((w) => says[w]))
}

/** A command that can stall a big server and the one to use instead (a lint warning), or null. */
export function redisSlowAdvice(argv: readonly (string | null)[]): { command: string; better: string } | null {
  const name = argv[0]?.toLowerCase()
  const better = name ? SLOW[name] : undefined
  return name && better ? { command: name.toUpperCase(), better } : null
}

/** Destructive detection of a `redis` step: one command a line, judged by the table. */
export function detectRedis(code: string, table: RedisCommandTable = STATIC_REDIS_TABLE): Detection {
  const { commands, errors } = splitAll(code)
  const reasons = new Set<string>()
  for (const command of commands) {
    const reason = redisCommandReason(command.argv, table)
    if (reason) reasons.add(reason)
  }
  return { destructive: reasons.size > 0, reasons: [...reasons], syntaxErrors: errors, refused: [] }
}
