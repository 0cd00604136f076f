// The `redis` step executor: ioredis, one command a line, replies shown as redis-cli shows them.
// A pipeline of phases (redis/): read the step → connect (one connection per URL, reused) → judge
// every command by the server's command table and the built-in one, asking about destructive ones
// in a step that is not destructive → send the commands, stopping at the first error → the
// outcome and the report's table.
import { STATIC_REDIS_TABLE, type RedisCommandTable } from '../judge/redis.js'
import type { Consent, StepContext, StepExecutor, StepOutcome } from '../model/run-record.js'
import { msg } from '../terminal/messages/index.js'
import { askForDestructive } from './redis/consent.js'
import { RedisConnections, serverTable, type Connection } from './redis/connections.js'
import { readRedisStep } from './redis/read-step.js'
import { sendCommands, type SendProgress } from './redis/send.js'
import { RedisStops } from './redis/stops.js'
import { StepStop } from './step-stop.js'
import { describeRedisTarget, hidePassword, redisWhere } from './targets.js'

export interface RedisExecutorDeps {
  /** The built-in table used with the server's (and alone when the server's cannot be read). */
  table?: RedisCommandTable
  /** Give up connecting after this long (default 3 s). */
  connectTimeoutMs?: number
  /** Read the server's command table (default true). */
  serverTable?: boolean
}

export function createRedisExecutor(deps: RedisExecutorDeps = {}): StepExecutor {
  const builtIn = deps.table ?? STATIC_REDIS_TABLE
  const useServerTable = deps.serverTable ?? true
  const connections = new RedisConnections(deps.connectTimeoutMs ?? 3000)

  async function run(ctx: StepContext): Promise<StepOutcome> {
    const step = readRedisStep(ctx)
    if ('outcome' in step) return step.outcome
    const target = describeRedisTarget(step.url)
    const where = redisWhere(target)
    let conn: Connection
    try {
      conn = await connections.connect(step.url, ctx.runbookId)
    } catch (e) {
      const error = (e as Error).message || String(e)
      return { status: 'failed', reason: hidePassword(msg.executors.cannotConnect('Redis', where, target.safeUrl, error), target.password) }
    }

    const stops = new RedisStops(ctx, () => connections.drop(step.url, conn))
    const progress: SendProgress = { rows: [], stateful: false }
    const granted: { consent?: Consent } = {}
    let outcome: StepOutcome
    try {
      // Judge every command before sending any.
      const server = useServerTable ? await serverTable(conn, step.commands) : null
      if (server === null && useServerTable) ctx.io.note(msg.executors.redisServerTableUnread)
      await askForDestructive(ctx, { commands: step.commands, server, builtIn, fileLine: step.fileLine, stops }, granted)
      stops.startTimer()
      await sendCommands(ctx, { conn, commands: step.commands, fileLine: step.fileLine, stops, where }, progress)
      outcome = { status: 'passed', ...(granted.consent ? { consent: granted.consent } : {}) }
    } catch (e) {
      if (e instanceof StepStop) outcome = { status: e.status, reason: hidePassword(e.message, target.password), ...(granted.consent ? { consent: granted.consent } : {}) }
      else if (stops.reason) outcome = { status: stops.stopped(null).status, reason: stops.stopped(null).message }
      else outcome = { status: 'failed', reason: hidePassword(msg.executors.serverError('Redis', where, (e as Error)?.message ?? String(e)), target.password) }
    } finally {
      stops.end()
    }
    if (progress.rows.length > 0) {
      ctx.io.table({ title: 'redis', columns: msg.executors.redisTableColumns, rows: progress.rows, totalRows: progress.rows.length })
    }
    if (progress.stateful || stops.reason) connections.drop(step.url, conn)
    return outcome
  }

  return { run, close: () => connections.closeAll() }
}
