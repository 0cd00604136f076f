// The `runbook` command: maps argv to a command and errors to exit codes. Commands are loaded
// lazily so `runbook --version` pays for nothing else.
import { defineCommand, renderUsage, runCommand, type CommandDef } from 'citty'
import pkg from '../../../package.json' with { type: 'json' }
import { rejectUnknownFlags } from './args.js'
import { EXIT, RunbookError } from '../model/errors.js'

// citty's CommandDef is generic over its args; the registry only needs "some command".
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandDef<any>
type Lazy = () => Promise<AnyCommand>
const lazy = (load: () => Promise<{ default: AnyCommand }>): Lazy => () => load().then((m) => m.default)

export const COMMANDS: Record<string, Lazy> = {
  list: lazy(() => import('./commands/list.js')),
  read: lazy(() => import('./commands/read.js')),
  plan: lazy(() => import('./commands/plan.js')),
  lint: lazy(() => import('./commands/lint.js')),
  run: lazy(() => import('./commands/run.js')),
  resume: lazy(() => import('./commands/resume.js')),
  sandbox: lazy(() => import('./commands/sandbox.js')),
  cron: lazy(() => import('./commands/cron.js')),
  sign: lazy(() => import('./commands/sign.js')),
  verify: lazy(() => import('./commands/verify.js')),
  history: lazy(() => import('./commands/history.js')),
}

const main = defineCommand({
  meta: { name: 'runbook', version: pkg.version, description: 'Executable runbooks for ExcelApp operations' },
  subCommands: COMMANDS,
})

/** citty colours its usage unless NO_COLOR is exactly "1", even into a pipe; follow our rule. */
async function showUsage(command: AnyCommand, parent?: AnyCommand): Promise<void> {
  const [{ colorLevel }, { stripVTControlCharacters }] = await Promise.all([import('../terminal/style.js'), import('node:util')])
  const usage = await renderUsage(command, parent)
  process.stdout.write(`${colorLevel() === 0 ? stripVTControlCharacters(usage) : usage}\n\n`)
}

/**
 * The command `--help` is about: `sandbox up --help` is `up`'s (citty's subcommands, nested), shown
 * under a parent named by the path (`runbook sandbox`).
 */
async function helpTarget(command: AnyCommand, name: string, rest: string[]): Promise<[AnyCommand, AnyCommand]> {
  const resolve = async <T>(v: T | (() => T | Promise<T>) | Promise<T>): Promise<T> => (typeof v === 'function' ? (v as () => T | Promise<T>)() : v)
  let trail = `runbook ${name}`
  let parent: AnyCommand = main
  let words = rest
  for (;;) {
    const subs = command.subCommands ? await resolve(command.subCommands) : undefined
    const i = words.findIndex((w) => !w.startsWith('-'))
    const sub = i === -1 || !subs ? undefined : subs[words[i]!]
    if (!sub) return [command, parent]
    parent = { meta: { name: trail } }
    trail = `${trail} ${words[i]}`
    command = await resolve(sub)
    words = words.slice(i + 1)
  }
}

async function cli(argv: string[]): Promise<void> {
  const [name, ...rest] = argv
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${pkg.version}\n`)
    return
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await showUsage(main)
    if (!name) process.exitCode = EXIT.usage
    return
  }
  const load = COMMANDS[name]
  if (!load) throw new RunbookError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`, EXIT.usage)
  const command = await load()
  if (rest.includes('--help') || rest.includes('-h')) {
    await showUsage(...(await helpTarget(command, name, rest)))
    return
  }
  rejectUnknownFlags(rest, (command.args ?? {}) as never, name)
  await runCommand(command, { rawArgs: rest })
}

cli(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof RunbookError) {
    process.stderr.write(`runbook: ${error.located}\n`)
    process.exitCode = error.exitCode
  } else if (error instanceof Error && error.name === 'CLIError') {
    process.stderr.write(`runbook: ${error.message}; see \`runbook ${process.argv[2] ?? ''} --help\`\n`)
    process.exitCode = EXIT.usage
  } else {
    process.stderr.write(`runbook: internal error: ${error instanceof Error ? (process.env.RUNBOOK_DEBUG ? error.stack : error.message) : String(error)}\n`)
    process.exitCode = EXIT.internal
  }
})
