// The first phase of a Redis step, before any connection: the URL variable and the commands, one
// a line with redis-cli quoting (a line that cannot be read fails the step, nothing is sent).
import { splitRedisCommands, type RedisCommand } from '../../judge/redis.js'
import type { StepContext, StepOutcome } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'

export interface RedisStep {
  url: string
  commands: RedisCommand[]
  /** A line of the step's code as a line of the runbook file. */
  fileLine(codeLine: number): number
}

/** What the step will send, or the outcome that ends it before anything is sent. */
export function readRedisStep(ctx: StepContext): RedisStep | { outcome: StepOutcome } {
  const step = ctx.planned.step
  const fileLine = (codeLine: number) => step.codeLine + codeLine - 1
  const envName = step.attrs.redis ?? 'REDIS_URL'
  const url = ctx.env[envName]
  if (!url) return { outcome: { status: 'failed', reason: msg.executors.urlNotSet('Redis', envName, 'redis') } }
  let commands: RedisCommand[]
  try {
    commands = splitRedisCommands(step.code)
  } catch (e) {
    const err = e as Error & { line?: number }
    const where = typeof err.line === 'number' ? msg.executors.atLine(fileLine(err.line)) : ''
    return { outcome: { status: 'failed', reason: msg.executors.redisUnreadable(`${where}${err.message.replace(/^line \d+: /, '')}`) } }
  }
  if (commands.length === 0) {
    ctx.io.note(msg.executors.redisNoCommands)
    return { outcome: { status: 'passed' } }
  }
  if (ctx.signal.aborted) return { outcome: { status: 'interrupted', reason: msg.executors.interruptedBeforeStart } }
  return { url, commands, fileLine }
}
