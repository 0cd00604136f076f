// The citty shell over the commands: each definition names a command's arguments (for parsing and
// `--help`) and maps the parsed argv to the options of a plain function, loaded only when it runs.
import { defineCommand, type ArgsDef, type CommandDef, type ParsedArgs } from 'citty'
import { keyValues, repeated } from './args.js'
import type { CommandIo, CommandResult } from './io.js'

// citty's CommandDef is generic over its args; the registry only needs "some command".
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandDef<any>
export type Lazy = () => Promise<AnyCommand>

/** What a definition's run needs: the folder and world of the command, and where its result goes. */
interface Bound {
  cwd: string
  io: CommandIo
  finish: (work: Promise<CommandResult>) => Promise<CommandResult>
}
type Define = (bound: Bound) => AnyCommand

export interface Definitions {
  commands: Record<string, Lazy>
  /** What the command that ran returned (citty drops a subcommand's return value). */
  result(): CommandResult | undefined
}

const REPORTS = 'reports folder (default: reports/ or $RUNBOOK_REPORTS)'

const list: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'list', description: 'Catalogue: id, title, schedule, owner, steps, destructive count, review, last run' },
    args: {
      dir: { type: 'positional', description: 'folder of runbooks (default: runbooks/)', required: false },
      json: { type: 'boolean', description: 'print JSON for machines' },
      reports: { type: 'string', description: 'reports folder for the last run (default: reports/ or $RUNBOOK_REPORTS)' },
    },
    run: async ({ args }) => {
      const { listCommand } = await import('./commands/list.js')
      return finish(listCommand(cwd, { dir: args.dir, json: args.json, reports: args.reports }, io))
    },
  })

const read: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'read', description: 'Render a runbook for reading (onboarding); executes nothing' },
    args: { file: { type: 'positional', description: 'runbook file', required: true } },
    run: async ({ args }) => {
      const { readCommand } = await import('./commands/read.js')
      return finish(readCommand(cwd, { file: args.file }, io))
    },
  })

const plan: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'plan', description: 'Show the steps in order: kind, destructive (and why), timeout, requires, env and inputs' },
    args: {
      file: { type: 'positional', description: 'runbook file', required: true },
      json: { type: 'boolean', description: 'print JSON for machines' },
    },
    run: async ({ args }) => {
      const { planCommand } = await import('./commands/plan.js')
      return finish(planCommand(cwd, { file: args.file, json: args.json }, io))
    },
  })

const lint: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'lint', description: 'Validate runbooks; exit 1 when any problem is an error' },
    args: {
      paths: { type: 'positional', description: 'files or folders (default: runbooks/)', required: false },
      json: { type: 'boolean', description: 'print the problems as JSON' },
      strict: { type: 'boolean', description: 'unknown keys and attributes are errors (always so under runbooks/)' },
    },
    run: async ({ args }) => {
      const { lintCommand } = await import('./commands/lint.js')
      return finish(lintCommand(cwd, { paths: args._.map(String), json: args.json, strict: args.strict }, io))
    },
  })

const run: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'run', description: 'Walk through a runbook, step by step, into a dated report' },
    args: {
      file: { type: 'positional', description: 'runbook file', required: true },
      step: { type: 'string', description: 'run only this step' },
      from: { type: 'string', description: 'start at this step (earlier ones are skipped)' },
      auto: { type: 'boolean', description: 'run non-destructive steps without pausing' },
      yes: { type: 'boolean', description: 'confirm destructive and critical steps (for unattended runs)' },
      'dry-run': { type: 'boolean', description: 'safe steps run; destructive SQL is previewed and rolled back; other destructive steps are skipped' },
      input: { type: 'string', description: 'an input as K=V (repeatable)' },
      target: { type: 'string', description: 'read env from environments/NAME.env' },
      sandbox: { type: 'boolean', description: 'run against the local sandbox (.sandbox/env)' },
      'env-file': { type: 'string', description: 'read env from this KEY=value file' },
      set: { type: 'string', description: 'set an env var K=V (repeatable, highest precedence)' },
      operator: { type: 'string', description: 'who runs it: "Name <mail>" (default: git user)' },
      reports: { type: 'string', description: REPORTS },
      json: { type: 'boolean', description: 'print the run record as JSON on stdout (the walk goes to stderr)' },
    },
    run: async ({ args, rawArgs }) => {
      const options = {
        file: args.file,
        step: args.step,
        from: args.from,
        auto: args.auto,
        yes: args.yes,
        dryRun: args['dry-run'],
        inputs: keyValues(repeated(rawArgs, 'input'), '--input'),
        target: args.target,
        sandbox: args.sandbox,
        envFile: args['env-file'],
        sets: keyValues(repeated(rawArgs, 'set'), '--set'),
        operator: args.operator,
        reports: args.reports,
        json: args.json,
      }
      const { runCommand } = await import('./commands/run.js')
      return finish(runCommand(cwd, options, io))
    },
  })

const resume: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'resume', description: 'Continue an interrupted or failed run from its report' },
    args: {
      report: { type: 'positional', description: 'the report (.md or .json)', required: true },
      force: { type: 'boolean', description: 'resume even though the runbook changed since the run' },
      yes: { type: 'boolean', description: 'confirm destructive and critical steps' },
      auto: { type: 'boolean', description: 'run non-destructive steps without pausing' },
      'env-file': { type: 'string', description: 'read env from this KEY=value file' },
      set: { type: 'string', description: 'set an env var K=V (repeatable)' },
      operator: { type: 'string', description: 'who resumes it: "Name <mail>"' },
    },
    run: async ({ args, rawArgs }) => {
      const options = {
        report: args.report,
        force: args.force,
        yes: args.yes,
        auto: args.auto,
        envFile: args['env-file'],
        sets: keyValues(repeated(rawArgs, 'set'), '--set'),
        operator: args.operator,
      }
      const { resumeCommand } = await import('./commands/resume.js')
      return finish(resumeCommand(cwd, options, io))
    },
  })

const cron: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'cron', description: 'Crontab lines for the runbooks that have a `cron` time (unattended runs with --yes, reports as usual)' },
    args: {
      dir: { type: 'string', description: 'folder of runbooks (default: runbooks/)' },
      target: { type: 'string', description: 'target of the scheduled runs: environments/NAME.env (default: production)' },
      sandbox: { type: 'boolean', description: 'schedule the runs against the sandbox instead of a target' },
    },
    run: async ({ args }) => {
      const { cronCommand } = await import('./commands/cron.js')
      return finish(cronCommand(cwd, { dir: args.dir, target: args.target, sandbox: args.sandbox }, io))
    },
  })

const sign: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'sign', description: "Sign off a finished report with the operator's SSH key" },
    args: {
      report: { type: 'positional', description: 'the report (.md)', required: true },
      comment: { type: 'string', description: 'a comment recorded with the sign-off' },
      key: { type: 'string', description: "SSH key (default: git's user.signingkey, else ssh-agent)" },
      operator: { type: 'string', description: 'who signs: "Name <mail>" (default: git user)' },
    },
    run: async ({ args }) => {
      const { signCommand } = await import('./commands/sign.js')
      return finish(signCommand(cwd, { report: args.report, comment: args.comment, key: args.key, operator: args.operator }, io))
    },
  })

const verify: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'verify', description: "Check a report's integrity and signatures" },
    args: {
      report: { type: 'positional', description: 'the report (.md)', required: true },
      'allowed-signers': { type: 'string', description: 'allowed signers file (default: .runbook/allowed_signers)' },
      json: { type: 'boolean', description: 'print the result as JSON' },
      approvals: { type: 'string', description: 'approvals to require when the runbook at the recorded commit cannot be found' },
    },
    run: async ({ args }) => {
      const { verifyCommand } = await import('./commands/verify.js')
      return finish(verifyCommand(cwd, { report: args.report, allowedSigners: args['allowed-signers'], json: args.json, approvals: args.approvals }, io))
    },
  })

const repair: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'repair', description: 'Finish the report of a run whose runner died, from its journal' },
    args: { report: { type: 'positional', description: 'the report (.md)', required: true } },
    run: async ({ args }) => {
      const { repairCommand } = await import('./commands/repair.js')
      return finish(repairCommand(cwd, { report: args.report }, io))
    },
  })

const history: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'history', description: 'Past runs from the reports folder, with status, operator and sign-off state' },
    args: {
      runbook: { type: 'positional', description: 'only this runbook (id or file)', required: false },
      reports: { type: 'string', description: REPORTS },
      target: { type: 'string', description: 'only runs against this target (sandbox, local, an environments/ name)' },
      json: { type: 'boolean', description: 'print JSON' },
    },
    run: async ({ args }) => {
      const { historyCommand } = await import('./commands/history.js')
      return finish(historyCommand(cwd, { runbook: args.runbook, reports: args.reports, json: args.json, target: args.target }, io))
    },
  })

/** The sandbox's subcommands load the sandbox only when one is named (the drills' names come from it). */
const sandbox: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: {
      name: 'sandbox',
      description: 'A simulated ExcelApp host to practise on: sandbox up | status | down [--purge] | reset | break FAULT | heal [FAULT]',
    },
    args: {
      json: { type: 'boolean', description: 'status: print JSON' },
      purge: { type: 'boolean', description: 'down: also delete the data' },
    },
    subCommands: async () => sandboxSubcommands(await import('./commands/sandbox.js'), { cwd, io, finish }),
  })

function sandboxSubcommands(commands: typeof import('./commands/sandbox.js'), { cwd, io, finish }: Bound): Record<string, AnyCommand> {
  const faults = commands.FAULT_NAMES
  const subcommand = (name: string, description: string, args: ArgsDef, run: (args: ParsedArgs) => Promise<CommandResult>): AnyCommand =>
    defineCommand({ meta: { name, description }, args, run: ({ args: parsed }) => finish(run(parsed)) })
  return {
    up: subcommand('up', 'Start the sandbox (idempotent): PostgreSQL and Redis, data, stand-ins, command shims, .sandbox/env', {}, () =>
      commands.sandboxUpCommand(cwd, {}, io),
    ),
    down: subcommand(
      'down',
      'Stop what `up` started (stand-ins, drill helpers, throwaway servers); --purge also deletes the data and the folder',
      { purge: { type: 'boolean', description: "also drop the sandbox's database, empty its Redis database and delete the sandbox folder" } },
      (args) => commands.sandboxDownCommand(cwd, { purge: args.purge === true }, io),
    ),
    status: subcommand(
      'status',
      'Servers, stand-ins, active faults and the simulated host; exit 1 when something is not running',
      { json: { type: 'boolean', description: 'print JSON for machines' } },
      (args) => commands.sandboxStatusCommand(cwd, { json: args.json === true }, io),
    ),
    reset: subcommand('reset', 'Restore the data: regenerate the database, reseed Redis, rewrite logs, storage, backups and the host state; end every drill', {}, () =>
      commands.sandboxResetCommand(cwd, {}, io),
    ),
    break: subcommand(
      'break',
      `Start a drill (an incident state a runbook detects and repairs): ${faults.join(' | ')}`,
      { fault: { type: 'positional', description: `one of: ${faults.join(', ')}`, required: true } },
      (args) => commands.sandboxBreakCommand(cwd, { fault: String(args.fault) }, io),
    ),
    heal: subcommand(
      'heal',
      'End the drills (all, or the one named) and bring stopped stand-ins back',
      { fault: { type: 'positional', description: 'only this fault', required: false } },
      (args) => commands.sandboxHealCommand(cwd, { fault: args.fault === undefined ? undefined : String(args.fault) }, io),
    ),
  }
}

const doctor: Define = ({ cwd, io, finish }) =>
  defineCommand({
    meta: { name: 'doctor', description: 'Which step guards work on this machine (the judge, the OS guard) and how to enable the missing ones' },
    args: { json: { type: 'boolean', description: 'print JSON' } },
    run: async ({ args }) => {
      const { doctorCommand } = await import('./commands/doctor.js')
      return finish(doctorCommand(cwd, { json: args.json }, io))
    },
  })

const DEFINE: Record<string, Define> = { list, read, plan, lint, run, resume, repair, sandbox, cron, sign, verify, history, doctor }

/** The commands of `runbook`, bound to the folder and the world they work in. */
export function definitions(cwd: string, io: CommandIo): Definitions {
  let last: CommandResult | undefined
  const bound: Bound = { cwd, io, finish: async (work) => (last = await work) }
  const commands = Object.fromEntries(Object.entries(DEFINE).map(([name, define]): [string, Lazy] => [name, () => Promise.resolve(define(bound))]))
  return { commands, result: () => last }
}
