// The command loop of a Redis step: each command is echoed (`> CMD`), sent, and its reply shown
// as redis-cli shows it and kept for the report's table. Like redis-cli running a script with
// errors checked, the first error reply stops the step; the remaining commands are not sent.
import type { RedisCommand } from '../../judge/redis.js'
import type { StepContext } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'
import { StepStop } from '../step-stop.js'
import { STATEFUL, type Connection } from './connections.js'
import { formatRedisCommand, formatRedisReply, redisCell } from './render.js'
import type { RedisStops } from './stops.js'

/** Top-level array elements printed to the terminal; the rest is summarised. */
const OUTPUT_MAX_ELEMENTS = 1000

/** What the loop did, also when it stopped early. */
export interface SendProgress {
  /** Rows of the report's table: file line, command, reply. */
  rows: string[][]
  /** A command changed the connection's state (or the connection failed): do not reuse it. */
  stateful: boolean
}

export interface SendInput {
  conn: Connection
  commands: RedisCommand[]
  fileLine(codeLine: number): number
  stops: RedisStops
  /** `host … port … db …`, for a connection that fails mid-step. */
  where: string
}

/** Sends every command in order; throws a StepStop at the first error or stop. */
export async function sendCommands(ctx: StepContext, input: SendInput, progress: SendProgress): Promise<void> {
  for (const command of input.commands) {
    const line = input.fileLine(command.line)
    if (input.stops.reason) throw input.stops.stopped(line)
    if (STATEFUL.has(command.argv[0]!.toLowerCase())) progress.stateful = true
    const shown = formatRedisCommand(command.argv)
    ctx.io.output(`> ${shown}\n`, 'stdout')
    let reply: unknown
    try {
      const [name, ...args] = command.argv
      reply = await input.stops.sent(input.conn.client.callBuffer(name!, ...args))
    } catch (e) {
      if (input.stops.reason) throw input.stops.stopped(line)
      const err = e as Error
      const at = msg.executors.atLine(line)
      if (err.name === 'ReplyError') {
        const text = `(error) ${err.message}`
        ctx.io.output(`${text}\n`, 'stdout')
        progress.rows.push([String(line), redisCell(shown), redisCell(text)])
        throw new StepStop('failed', `${at}${msg.executors.redisCommandFailed(command.argv[0]!.toUpperCase(), err.message)}`)
      }
      progress.stateful = true
      throw new StepStop('failed', `${at}${msg.executors.connectionFailed('Redis', input.where, err.message)}`)
    }
    ctx.io.output(`${formatRedisReply(reply, command.argv, OUTPUT_MAX_ELEMENTS)}\n`, 'stdout')
    progress.rows.push([String(line), redisCell(shown), redisCell(formatRedisReply(reply, command.argv))])
  }
}
