// `runbook sandbox up|down|status|reset|break|heal`: the simulated ExcelApp host to practise on.
// Each subcommand is a plain function; the sandbox itself is loaded only when one runs.
import { EXIT, RunbookError } from '../../model/errors.js'
import { FAULT_DESCRIPTIONS, FAULTS, isFault, sandboxDir } from '../../../sandbox/index.js'
import { msg } from '../../terminal/messages/index.js'
import { chalkFor } from '../colour.js'
import { done, type CommandIo, type CommandResult } from '../io.js'

/** The drills, for the definitions' help texts. */
export const FAULT_NAMES: readonly string[] = FAULTS

const rootOf = (cwd: string, io: CommandIo) => sandboxDir(io.env, cwd)
const logTo = (io: CommandIo) => (message: string) => io.stderr.write(`${msg.cli.sandboxLog(message)}\n`)
const seconds = (ms: number) => (ms / 1000).toFixed(1)

/** Sandbox failures (a server that does not answer, a port taken) are one-line errors. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  const { SandboxError } = await import('../../../sandbox/index.js')
  try {
    return await work()
  } catch (e) {
    if (e instanceof RunbookError) throw e
    if (e instanceof SandboxError) throw new RunbookError(e.message, EXIT.usage)
    throw new RunbookError(msg.cli.sandboxFailed((e as Error).message), EXIT.failed)
  }
}

export async function sandboxUpCommand(cwd: string, _options: object, io: CommandIo): Promise<CommandResult> {
  const { up } = await import('../../../sandbox/index.js')
  const root = rootOf(cwd, io)
  const result = await guarded(() => up(root, io.env, logTo(io)))
  const e = result.env
  const s = result.state
  const head = msg.cli.sandboxUp(seconds(result.ms), root) + (result.generated ? `, ${msg.cli.sandboxGenerated}` : '')
  io.stdout.write(
    [
      head,
      `  DATABASE_URL        ${e.DATABASE_URL}  (${s.pg?.mode})`,
      `  REDIS_URL           ${e.REDIS_URL}  (${s.redis?.mode})`,
      `  APP_URL             ${e.APP_URL}`,
      `  FORMULA_ENGINE_URL  ${e.FORMULA_ENGINE_URL}`,
      `  LOG_DIR             ${e.LOG_DIR}`,
      `  env                 ${root}/env`,
      '',
      msg.cli.sandboxNext,
      '',
    ].join('\n'),
  )
  return done()
}

export async function sandboxDownCommand(cwd: string, options: { purge?: boolean }, io: CommandIo): Promise<CommandResult> {
  const { down } = await import('../../../sandbox/index.js')
  const root = rootOf(cwd, io)
  const result = await guarded(() => down(root, { purge: options.purge }, logTo(io)))
  const stopped = result.stopped.length ? `: ${msg.cli.sandboxStopped(result.stopped.join(', '))}` : ''
  io.stdout.write(`${msg.cli.sandboxDown(root)}${stopped}${result.purged ? `; ${msg.cli.sandboxPurged}` : ''}\n`)
  return done()
}

export async function sandboxStatusCommand(cwd: string, options: { json?: boolean }, io: CommandIo): Promise<CommandResult> {
  const { sandboxStatus, renderStatus } = await import('../../../sandbox/index.js')
  const status = await guarded(() => sandboxStatus(rootOf(cwd, io)))
  io.stdout.write(options.json ? JSON.stringify(status, null, 2) + '\n' : renderStatus(status, chalkFor(io.stdout)))
  return done(status.healthy ? EXIT.ok : EXIT.failed)
}

export async function sandboxResetCommand(cwd: string, _options: object, io: CommandIo): Promise<CommandResult> {
  const { reset } = await import('../../../sandbox/index.js')
  const result = await guarded(() => reset(rootOf(cwd, io), io.env, logTo(io)))
  io.stdout.write(`${msg.cli.sandboxReset(seconds(result.ms))}\n`)
  return done()
}

export async function sandboxBreakCommand(cwd: string, options: { fault: string }, io: CommandIo): Promise<CommandResult> {
  const fault = options.fault
  if (!isFault(fault)) {
    const table = FAULTS.map((f) => `  ${f.padEnd(20)} ${FAULT_DESCRIPTIONS[f]}`).join('\n')
    throw new RunbookError(msg.cli.unknownFault(fault, `\n${table}`), EXIT.usage)
  }
  const { breakSandbox } = await import('../../../sandbox/index.js')
  const message = await guarded(() => breakSandbox(rootOf(cwd, io), fault))
  io.stdout.write(`${msg.cli.drillStarted(message)}\n`)
  return done()
}

export async function sandboxHealCommand(cwd: string, options: { fault?: string }, io: CommandIo): Promise<CommandResult> {
  const fault = options.fault
  if (fault !== undefined && !isFault(fault)) throw new RunbookError(msg.cli.unknownFault(fault, ` ${FAULTS.join(', ')}`), EXIT.usage)
  const { healSandbox } = await import('../../../sandbox/index.js')
  const healed = await guarded(() => healSandbox(rootOf(cwd, io), fault))
  io.stdout.write(`${healed.length ? msg.cli.healed(healed.join(', ')) : msg.cli.noFaultActive}\n`)
  return done()
}
