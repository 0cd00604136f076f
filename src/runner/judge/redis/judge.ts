// The Redis judge: why a command is destructive, by a command table (the built-in one unless
// another is injected, e.g. the server's own or a reduced one in tests).
import type { Detection } from '../../model/runbook.js'
import { msg } from '../../terminal/messages/index.js'
import { STATIC_REDIS_TABLE } from './redis7-table.js'
import { splitAll } from './split.js'
import type { RedisCommandTable } from './table.js'

const SCRIPTING = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro', 'script', 'function'])

/**
 * Why one command (argv; null for an argument not known statically) is destructive, or null
 * when it is not. The command table decides: `write` or `admin` flag, `@dangerous` category,
 * scripting, SELECT, and PUBLISH (a side effect, like SQL's NOTIFY).
 */
export function redisCommandReason(argv: readonly (string | null)[], table: RedisCommandTable = STATIC_REDIS_TABLE): string | null {
  const name = argv[0]?.toLowerCase()
  if (!name) return null
  const sub = argv[1]?.toLowerCase()
  const subSpec = sub ? table.get(`${name}|${sub}`) : undefined
  const spec = subSpec ?? table.get(name)
  const display = subSpec && sub ? `${name} ${sub}`.toUpperCase() : name.toUpperCase()
  const says = msg.judge.redis
  const why: string[] = []
  if (name === 'select') why.push(says.switchesDatabase)
  if (SCRIPTING.has(name) || spec?.categories.includes('@scripting')) why.push(says.runsScripts)
  if (name === 'publish' || name === 'spublish') why.push(says.publishes)
  if (spec) {
    if (spec.flags.includes('write')) why.push(says.writesData)
    if (spec.flags.includes('admin')) why.push(says.isAdmin)
    if (spec.categories.includes('@dangerous')) why.push(says.isDangerous)
  }
  if (why.length === 0) return null
  return says.command(display, why)
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
