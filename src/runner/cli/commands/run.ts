// `runbook run FILE`: walk through a runbook into a dated report; at a terminal, offer to sign it.
import { runRunbook, type RunOptions } from '../../run/run.js'
import { msg } from '../../terminal/messages/index.js'
import { isPromptInterrupted } from '../../terminal/prompts.js'
import { EXIT } from '../../model/errors.js'
import { runbookFile } from '../runbook-name.js'
import { fromCwd, type CommandIo, type CommandResult } from '../io.js'

/** `runbook run`'s options: the runner's own, with paths as the operator typed them, and --json. */
export type RunCommandOptions = Omit<RunOptions, 'prompts' | 'out' | 'now'> & {
  /** The run record as JSON on stdout; the walk goes to stderr. */
  json?: boolean
}

/** The questions of the sign-off offered after an interactive run. */
export interface SignoffPrompts {
  confirm(message: string): Promise<boolean>
  input(message: string): Promise<string>
}

export interface RunDeps {
  runRunbook: typeof runRunbook
  signReport: (opts: { report: string; comment?: string; operator?: string }) => Promise<{ statement: { principal: string } }>
  prompts: () => Promise<SignoffPrompts>
  /** Throws (RunbookError) when there is no usable signing key: checked before any question. */
  findKey: () => Promise<void>
}

const realDeps: RunDeps = {
  runRunbook,
  signReport: async (opts) => (await import('../../sign/sign.js')).signReport(opts),
  prompts: async () => (await import('../../terminal/prompts.js')).signoffPrompts(),
  findKey: async () => {
    const { findSigningKey } = await import('../../sign/ssh.js')
    findSigningKey(undefined).cleanup?.()
  },
}

/** Runs that ended this way are not offered for signing: they did not finish. */
const NOT_SIGNABLE = new Set(['interrupted', 'aborted'])

export async function runCommand(cwd: string, options: RunCommandOptions, io: CommandIo, deps: RunDeps = realDeps): Promise<CommandResult> {
  const at = (file: string | undefined) => (file === undefined ? undefined : fromCwd(cwd, file))
  const result = await deps.runRunbook({
    file: fromCwd(cwd, await runbookFile(cwd, options.file)),
    step: options.step,
    from: options.from,
    auto: options.auto,
    yes: options.yes,
    dryRun: options.dryRun,
    inputs: options.inputs ?? {},
    target: options.target,
    sandbox: options.sandbox,
    envFile: at(options.envFile),
    sets: options.sets ?? {},
    operator: options.operator,
    reports: at(options.reports),
    out: options.json ? io.stderr.stream : io.stdout.stream,
    now: io.now,
  })
  if (options.json) io.stdout.write(JSON.stringify({ report: result.reportPath, ...result.record }, null, 2) + '\n')
  if (io.interactive && !options.json && !NOT_SIGNABLE.has(result.record.status)) {
    const signing = await offerSignoff(result.reportPath, options.operator, io, deps)
    // Ctrl-C while signing: nothing is signed, the report stays as the run left it.
    if (signing === 'interrupted') return { exitCode: EXIT.interrupted }
  }
  return { exitCode: result.exitCode }
}

/** At the end of an interactive run the operator may sign the report right away. */
async function offerSignoff(report: string, operator: string | undefined, io: CommandIo, deps: RunDeps): Promise<'interrupted' | void> {
  // No key, no question: a comment typed for a signature that cannot be made would be lost.
  try {
    await deps.findKey()
  } catch (e) {
    io.stderr.write(`${msg.cli.signFailed((e as Error).message, report)}\n`)
    return
  }
  const prompts = await deps.prompts()
  try {
    if (!(await prompts.confirm(msg.cli.signNow))) return
    const comment = await prompts.input(msg.cli.signComment)
    const { statement } = await deps.signReport({ report, comment, operator })
    io.stderr.write(`${msg.cli.signedNow(statement.principal, report)}\n`)
  } catch (e) {
    if (isPromptInterrupted(e)) return 'interrupted'
    io.stderr.write(`${msg.cli.signFailed((e as Error).message, report)}\n`)
  }
}
