// Run-time safety of a Redis step, before anything is sent: every command is judged by the
// server's own command table together with the built-in one. A command destructive by that
// judgement inside a step that is not destructive is put to `ctx.ask({kind:'command'})`; without
// consent nothing of the step is sent and it ends blocked or declined.
import { redisCommandReason, type RedisCommand, type RedisCommandTable } from '../../judge/redis.js'
import type { Consent, StepContext } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'
import { StepStop } from '../step-stop.js'
import { formatRedisCommand } from './render.js'
import type { RedisStops } from './stops.js'

export interface ConsentInput {
  commands: RedisCommand[]
  /** The server's table; null when it was not used or could not be read. */
  server: RedisCommandTable | null
  /** The built-in table. */
  builtIn: RedisCommandTable
  fileLine(codeLine: number): number
  stops: RedisStops
}

/**
 * Asks about each destructive command once; throws a StepStop when one is refused. The consent
 * given so far is kept in `granted` (the outcome carries it, also when a later one is refused).
 */
export async function askForDestructive(ctx: StepContext, input: ConsentInput, granted: { consent?: Consent }): Promise<void> {
  const { planned } = ctx
  if (planned.destructive) return
  const asked = new Set<string>()
  for (const command of input.commands) {
    const fromServer = input.server ? redisCommandReason(command.argv, input.server) : null
    const fromBuiltIn = redisCommandReason(command.argv, input.builtIn)
    const reason = fromServer ?? fromBuiltIn
    if (!reason) continue
    // A step declared safe overrides what the built-in table (plan time) already knew.
    if (planned.declared === 'safe' && fromBuiltIn) continue
    const shown = formatRedisCommand(command.argv)
    if (asked.has(shown)) continue
    asked.add(shown)
    const line = input.fileLine(command.line)
    const answer = await ctx.ask({ kind: 'command', command: shown, reasons: [`${msg.executors.atLine(line)}${reason}`] })
    input.stops.throwIfStopped()
    if (!answer.allow) {
      const status = answer.status === 'previewed' ? 'blocked' : answer.status
      throw new StepStop(status, msg.executors.redisNotSent(answer.reason, line, shown))
    }
    granted.consent = answer.consent ?? granted.consent
  }
}
