import { defineCommand } from 'citty'
import { EXIT, RunbookError } from '../../model/errors.js'
import { isFault } from '../../../sandbox/faults.js'
import { FAULT_DESCRIPTIONS, FAULTS } from '../../../sandbox/host.js'
import { sandboxDir } from '../../../sandbox/paths.js'
import { makeChalk } from '../../terminal/style.js'

const log = (message: string) => process.stderr.write(`sandbox: ${message}\n`)

/** Sandbox failures (a server that does not answer, a port taken) are one-line errors, exit 1. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  const { SandboxError } = await import('../../../sandbox/sandbox.js')
  try {
    return await work()
  } catch (e) {
    if (e instanceof RunbookError) throw e
    if (e instanceof SandboxError) throw new RunbookError(e.message, EXIT.usage)
    throw new RunbookError(`sandbox: ${(e as Error).message}`, EXIT.failed)
  }
}

const faultList = FAULTS.map((f) => `  ${f.padEnd(20)} ${FAULT_DESCRIPTIONS[f]}`).join('\n')

const upCommand = defineCommand({
  meta: { name: 'up', description: 'Start the sandbox (idempotent): PostgreSQL and Redis, data, stand-ins, command shims, .sandbox/env' },
  async run() {
    const { up } = await import('../../../sandbox/sandbox.js')
    const root = sandboxDir()
    const result = await guarded(() => up(root, process.env, log))
    const e = result.env
    const s = result.state
    process.stdout.write(
      [
        `ExcelApp sandbox up in ${(result.ms / 1000).toFixed(1)} s (${root})${result.generated ? ', data generated' : ''}`,
        `  DATABASE_URL        ${e.DATABASE_URL}  (${s.pg?.mode})`,
        `  REDIS_URL           ${e.REDIS_URL}  (${s.redis?.mode})`,
        `  APP_URL             ${e.APP_URL}`,
        `  FORMULA_ENGINE_URL  ${e.FORMULA_ENGINE_URL}`,
        `  LOG_DIR             ${e.LOG_DIR}`,
        `  env                 ${root}/env`,
        '',
        'Next: runbook run runbooks/daily/health-check.md --sandbox',
        '',
      ].join('\n'),
    )
  },
})

const downCommand = defineCommand({
  meta: { name: 'down', description: 'Stop what `up` started (stand-ins, drill helpers, throwaway servers); --purge also deletes the data and the folder' },
  args: { purge: { type: 'boolean', description: "also drop the sandbox's database, empty its Redis database and delete the sandbox folder" } },
  async run({ args }) {
    const { down } = await import('../../../sandbox/sandbox.js')
    const root = sandboxDir()
    const result = await guarded(() => down(root, { purge: args.purge }, log))
    process.stdout.write(`ExcelApp sandbox down (${root})${result.stopped.length ? `: stopped ${result.stopped.join(', ')}` : ''}${result.purged ? '; data deleted' : ''}\n`)
  },
})

const statusCommand = defineCommand({
  meta: { name: 'status', description: 'Servers, stand-ins, active faults and the simulated host; exit 1 when something is not running' },
  args: { json: { type: 'boolean', description: 'print JSON for machines' } },
  async run({ args }) {
    const { sandboxStatus, renderStatus } = await import('../../../sandbox/status.js')
    const status = await guarded(() => sandboxStatus(sandboxDir()))
    process.stdout.write(args.json ? JSON.stringify(status, null, 2) + '\n' : renderStatus(status, makeChalk()))
    if (!status.healthy) process.exitCode = EXIT.failed
  },
})

const resetCommand = defineCommand({
  meta: { name: 'reset', description: 'Restore the data: regenerate the database, reseed Redis, rewrite logs, storage, backups and the host state; end every drill' },
  async run() {
    const { reset } = await import('../../../sandbox/sandbox.js')
    const result = await guarded(() => reset(sandboxDir(), process.env, log))
    process.stdout.write(`ExcelApp sandbox reset in ${(result.ms / 1000).toFixed(1)} s\n`)
  },
})

const breakCommand = defineCommand({
  meta: { name: 'break', description: `Start a drill (an incident state a runbook detects and repairs): ${FAULTS.join(' | ')}` },
  args: { fault: { type: 'positional', description: `one of: ${FAULTS.join(', ')}`, required: true } },
  async run({ args }) {
    if (!isFault(args.fault)) throw new RunbookError(`unknown fault "${args.fault}"; faults:\n${faultList}`, EXIT.usage)
    const fault = args.fault
    const { breakSandbox } = await import('../../../sandbox/sandbox.js')
    const message = await guarded(() => breakSandbox(sandboxDir(), fault))
    process.stdout.write(`drill: ${message}\n`)
  },
})

const healCommand = defineCommand({
  meta: { name: 'heal', description: 'End the drills (all, or the one named) and bring stopped stand-ins back' },
  args: { fault: { type: 'positional', description: 'only this fault', required: false } },
  async run({ args }) {
    if (args.fault !== undefined && !isFault(args.fault)) throw new RunbookError(`unknown fault "${args.fault}"; faults: ${FAULTS.join(', ')}`, EXIT.usage)
    const fault = args.fault as Parameters<typeof isFault>[0] | undefined
    const { healSandbox } = await import('../../../sandbox/sandbox.js')
    const healed = await guarded(() => healSandbox(sandboxDir(), fault !== undefined && isFault(fault) ? fault : undefined))
    process.stdout.write(healed.length ? `healed: ${healed.join(', ')}\n` : 'no fault was active\n')
  },
})

export default defineCommand({
  meta: {
    name: 'sandbox',
    description: 'A simulated ExcelApp host to practise on: sandbox up | status | down [--purge] | reset | break FAULT | heal [FAULT]',
  },
  args: {
    json: { type: 'boolean', description: 'status: print JSON' },
    purge: { type: 'boolean', description: 'down: also delete the data' },
  },
  subCommands: { up: upCommand, down: downCommand, status: statusCommand, reset: resetCommand, break: breakCommand, heal: healCommand },
})
