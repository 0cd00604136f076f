// The library entry for `runbook run` and `runbook resume`: resolves env, inputs and target,
// opens the report, wires the real terminal, prompts and executors into executeRun.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createConsoleView, renderRunSummary } from '../terminal/console-view.js'
import { resolveEnv, targetEnvFile, type ResolvedEnv } from './env.js'
import { EXIT, RUN_STATUS_EXIT, RunbookError } from '../model/errors.js'
import { blankStep, executeRun, type Interrupts, type RunDeps } from './execute.js'
import { createExecutors } from '../executors/index.js'
import { loadHighlighter } from '../terminal/highlight.js'
import { assertValid, loadRunbook } from '../parse/load.js'
import { gitState, operatorIdentity } from './operator.js'
import { plan as planRunbook } from '../plan/plan.js'
import { acquireRunLock, type RunLock } from './lock.js'
import { killAllRunning, signalGroup, stopGroup } from '../executors/process.js'
import { inquirerPrompts, type Prompts } from '../terminal/prompts.js'
import { secretValues } from './redact.js'
import { localIso } from '../report/time.js'
import { loadReport, ReportWriter } from '../report/writer.js'
import type { RunRecord } from '../model/run-record.js'
import { sandboxDir } from '../../sandbox/paths.js'
import { runShellStep } from '../executors/shell-step.js'
import { findSignoffs } from '../report/signoff.js'
import { makeChalk } from '../terminal/style.js'
import type { InputSpec, Plan, Runbook } from '../model/runbook.js'

export interface RunOptions {
  file: string
  step?: string
  from?: string
  auto?: boolean
  yes?: boolean
  dryRun?: boolean
  inputs?: Record<string, string>
  target?: string
  sandbox?: boolean
  envFile?: string
  sets?: Record<string, string>
  operator?: string
  reports?: string
  /** Prompts to use; default: @inquirer prompts when stdin and stdout are TTYs, else none. */
  prompts?: Prompts | null
  out?: NodeJS.WriteStream
}

export interface RunResult {
  record: RunRecord
  exitCode: number
  reportPath: string
}

export const SANDBOX_ENV_FILE = path.join('.sandbox', 'env')

/** The sandbox's env file: `.sandbox/env` in the current directory, or in $RUNBOOK_SANDBOX_DIR. */
export function sandboxEnvFile(): string {
  return path.join(sandboxDir(), 'env')
}

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY)
}

export async function runRunbook(opts: RunOptions): Promise<RunResult> {
  if (opts.target && opts.sandbox) throw new RunbookError('use either --target NAME or --sandbox, not both', EXIT.usage)
  if (opts.step && opts.from) throw new RunbookError('use either --step ID or --from ID, not both', EXIT.usage)
  const runbook = assertValid(await loadRunbook(opts.file))
  const plan = await planRunbook(runbook)
  for (const id of [opts.step, opts.from]) {
    if (id !== undefined && !plan.steps.some((s) => s.id === id)) {
      throw new RunbookError(`no step with id "${id}"; steps: ${plan.steps.map((s) => s.id).join(', ')}`, EXIT.usage, runbook.path)
    }
  }
  const prompts = opts.prompts === undefined ? (isInteractive() ? inquirerPrompts() : null) : opts.prompts
  const target = opts.sandbox ? 'sandbox' : (opts.target ?? 'local')
  const env = await resolveRunEnv(runbook, opts, prompts)
  const inputs = await resolveInputs(runbook.meta.inputs, opts.inputs ?? {}, prompts, runbook.path)
  const operator = operatorIdentity(opts.operator)
  const started = new Date()
  const git = gitState(runbook.path)
  const lock = await takeLock(runbook, env, operator)
  let writer: ReportWriter
  try {
    writer = await openWriter(opts.reports, runbook.meta.id, started)
  } catch (e) {
    await lock?.release()
    throw e
  }
  const initial: RunRecord = {
    schemaVersion: 1,
    runId: crypto.randomUUID(),
    runbook: {
      id: runbook.meta.id,
      title: runbook.meta.title,
      path: runbook.path,
      sha256: runbook.sha256,
      gitCommit: git.commit,
      gitDirty: git.dirty,
      approvals: runbook.meta.approvals,
      checklistItems: runbook.checklist.length,
    },
    target,
    operator,
    host: os.hostname(),
    started: localIso(started),
    finished: null,
    status: 'running',
    options: { dryRun: Boolean(opts.dryRun), yes: Boolean(opts.yes), auto: Boolean(opts.auto), step: opts.step, from: opts.from },
    inputs,
    state: {},
    outputs: {},
    steps: plan.steps.map(blankStep),
    checklist: [],
    resumes: [],
  }
  await writer.append({ type: 'run-started', record: initial })
  return walk(runbook, plan, initial, writer, env, prompts, opts, lock)
}

/** `exclusive: true`: one run at a time, on the target database when there is one. */
async function takeLock(runbook: Runbook, env: ResolvedEnv, operator: string): Promise<RunLock | undefined> {
  if (!runbook.meta.exclusive) return undefined
  return acquireRunLock({ runbookId: runbook.meta.id, operator, databaseUrl: env.values.DATABASE_URL || undefined })
}

export interface ResumeOptions {
  report: string
  force?: boolean
  yes?: boolean
  auto?: boolean
  operator?: string
  envFile?: string
  sets?: Record<string, string>
  prompts?: Prompts | null
  out?: NodeJS.WriteStream
}

export async function resumeRun(opts: ResumeOptions): Promise<RunResult> {
  const loaded = await loadReport(opts.report)
  const record = loaded.record
  if (isSigned(loaded)) {
    throw new RunbookError('this report is signed; a signed report is never changed. Start a new run instead.', EXIT.usage, opts.report)
  }
  if (record.status === 'passed') throw new RunbookError('this run already passed; nothing to resume', EXIT.usage, opts.report)
  const runbook = assertValid(await loadRunbook(record.runbook.path))
  if (runbook.sha256 !== record.runbook.sha256 && !opts.force) {
    throw new RunbookError(
      `the runbook ${record.runbook.path} changed since this run (sha256 ${record.runbook.sha256.slice(0, 12)}… → ${runbook.sha256.slice(0, 12)}…); check the change, then resume with --force`,
      EXIT.usage,
      opts.report,
    )
  }
  const plan = await planRunbook(runbook)
  if (loaded.fromJournal) await stopLeftovers(record, opts.out ?? process.stderr)
  const prompts = opts.prompts === undefined ? (isInteractive() ? inquirerPrompts() : null) : opts.prompts
  const target = record.target
  const env = await resolveRunEnv(
    runbook,
    { ...opts, sandbox: target === 'sandbox', target: target === 'sandbox' || target === 'local' ? undefined : target },
    prompts,
  )
  const operator = operatorIdentity(opts.operator)
  // Steps of the current runbook, keeping the results of those that settled before.
  const previous = new Map(record.steps.map((s) => [s.id, s]))
  const steps = plan.steps.map((p) => previous.get(p.id) ?? blankStep(p))
  const firstOpen = steps.find((s) => !['passed', 'skipped', 'previewed'].includes(s.status) || s.attempts === 0)
  const lock = await takeLock(runbook, env, operator)
  const writer = await ReportWriter.reopen(loaded.paths.md).catch(async (e: unknown) => {
    await lock?.release()
    throw e
  })
  const resumed: RunRecord = {
    ...record,
    steps,
    options: { ...record.options, yes: Boolean(opts.yes), auto: Boolean(opts.auto), step: undefined, from: undefined },
  }
  await writer.append({ type: 'run-started', record: resumed })
  await writer.append({ type: 'run-resumed', at: localIso(new Date()), operator, fromStep: firstOpen?.id ?? '' })
  return walk(runbook, plan, { ...resumed, status: 'running', resumes: [...record.resumes, { at: localIso(new Date()), operator, fromStep: firstOpen?.id ?? '' }] }, writer, env, prompts, {
    file: runbook.path,
    yes: opts.yes,
    auto: opts.auto,
    dryRun: record.options.dryRun,
    operator,
    out: opts.out,
  }, lock)
}

/** A runner killed with -9 could not stop the step it was running: do it now, and say so. */
async function stopLeftovers(record: RunRecord, out: NodeJS.WritableStream): Promise<void> {
  for (const step of record.steps) {
    if (step.pgid === undefined || step.status !== 'interrupted' || !signalGroup(step.pgid, 0)) continue
    const stopped = await stopGroup(step.pgid)
    if (stopped > 0) out.write(`runbook: stopped ${stopped} process(es) left running by step ${step.id} of the killed run (process group ${step.pgid})\n`)
  }
}

function isSigned(loaded: Awaited<ReturnType<typeof loadReport>>): boolean {
  if (!existsSync(loaded.paths.md)) return false
  return findSignoffs(readFileSync(loaded.paths.md, 'utf8')).blocks.length > 0
}

async function walk(
  runbook: Runbook,
  plan: Plan,
  initial: RunRecord,
  writer: ReportWriter,
  env: ResolvedEnv,
  prompts: Prompts | null,
  opts: RunOptions,
  lock?: RunLock,
): Promise<RunResult> {
  const out = opts.out ?? process.stdout
  const c = makeChalk(out)
  const secretNames = runbook.meta.env.filter((e) => e.secret).map((e) => e.name)
  const secrets = secretValues(env.values, secretNames)
  const view = createConsoleView(out, c, secrets)
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'runbook-'))
  const executors = createExecutors()
  const interrupts = installInterrupts()
  const highlight = prompts ? await loadHighlighter(c) : (_l: string, code: string) => code
  let record = initial
  const renderNow = () => writer.render(record, runbook)
  const deps: RunDeps = {
    executors,
    prompts,
    view,
    c,
    highlight,
    recorder: {
      append: async (event) => {
        await writer.append(event)
      },
      appendLog: (stepId, text) => writer.appendLog(stepId, text),
      render: async (r) => {
        record = r
        await renderNow()
      },
    },
    interrupts,
    secrets,
    now: () => new Date(),
    onPath: (cmd) => onPath(cmd, env.values.PATH ?? process.env.PATH ?? ''),
    probe: (command, probeEnv) => runProbe(command, { ...probeEnv, ...env.values }, tmpDir),
  }
  view.write(
    `${c.bold(runbook.meta.title)} ${c.dim(`(${runbook.meta.id})`)}\n` +
      c.dim(`대상 ${initial.target} · 운영자 ${initial.operator} · 보고서 ${writer.mdPath}${opts.dryRun ? ' · DRY RUN' : ''}\n`),
  )
  try {
    record = await executeRun(
      plan,
      runbook,
      initial,
      {
        dryRun: Boolean(opts.dryRun),
        yes: Boolean(opts.yes),
        auto: Boolean(opts.auto),
        only: opts.step,
        from: opts.from,
        target: initial.target,
        sandboxDir: initial.target === 'sandbox' ? sandboxDir() : undefined,
        operator: initial.operator,
        cwd: process.cwd(),
        tmpDir,
        env: { ...env.values, ...inputsAsEnv(initial.inputs) },
        inputs: initial.inputs,
        logName: path.basename(writer.logPath),
      },
      deps,
    )
  } catch (e) {
    throw await unrecordable(e, writer)
  } finally {
    interrupts.dispose()
    await Promise.all(Object.values(executors).map((e) => e.close?.().catch(() => undefined)))
    await rm(tmpDir, { recursive: true, force: true })
    await lock?.release()
  }
  try {
    await writer.finish(record, runbook)
  } catch (e) {
    throw await unrecordable(e, writer)
  }
  view.write(renderRunSummary(record, writer.mdPath, c))
  return { record, exitCode: RUN_STATUS_EXIT[record.status], reportPath: writer.mdPath }
}

/**
 * The report could not be written (disk full, folder gone, permissions changed mid-run): the walk
 * stopped before the next step, since its result could not be recorded. What was recorded stays
 * in the journal, which `resume` reads.
 */
async function unrecordable(error: unknown, writer: ReportWriter): Promise<unknown> {
  const code = (error as NodeJS.ErrnoException).code
  if (!code || !/^(ENOSPC|EDQUOT|EACCES|EPERM|EROFS|ENOENT|EIO|EBADF)$/.test(code)) return error
  await writer.close().catch(() => undefined)
  return new RunbookError(
    `cannot record results (${code}: ${(error as Error).message}); stopped before the next step. What was recorded so far is in ${writer.journalPath}; free space or fix the folder, then \`runbook resume ${writer.mdPath}\``,
    EXIT.failed,
  )
}

/** Inputs reach shell steps as INPUT_<NAME>, GitHub Actions' convention. */
export function inputsAsEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
}

async function openWriter(dir: string | undefined, runbookId: string, started: Date): Promise<ReportWriter> {
  const reportsDir = dir ?? process.env.RUNBOOK_REPORTS ?? 'reports'
  try {
    return await ReportWriter.create({ dir: reportsDir, runbookId, started })
  } catch (e) {
    throw new RunbookError(`cannot write reports there: ${(e as Error).message}; nothing was run. Fix the folder or pass --reports DIR`, EXIT.usage, reportsDir)
  }
}

async function resolveRunEnv(runbook: Runbook, opts: Pick<RunOptions, 'sets' | 'target' | 'sandbox' | 'envFile'>, prompts: Prompts | null): Promise<ResolvedEnv> {
  const targetFile = opts.sandbox ? sandboxEnvFile() : opts.target ? targetEnvFile(opts.target) : undefined
  if (opts.sandbox) {
    try {
      accessSync(sandboxEnvFile(), constants.R_OK)
    } catch {
      throw new RunbookError(`the sandbox is not up (no ${path.relative(process.cwd(), sandboxEnvFile()) || sandboxEnvFile()}); run \`runbook sandbox up\` first`, EXIT.usage)
    }
  }
  const env = resolveEnv(runbook.meta.env, { sets: opts.sets ?? {}, targetFile, envFile: opts.envFile, processEnv: process.env })
  if (env.missing.length === 0) return env
  if (!prompts) {
    const names = env.missing.map((m) => `${m.name}${m.description ? ` (${m.description})` : ''}`).join(', ')
    throw new RunbookError(`required env missing: ${names}; give it with --set NAME=value, --env-file or --target`, EXIT.usage, runbook.path)
  }
  for (const spec of env.missing) {
    env.values[spec.name] = await prompts.askEnv(spec)
    env.origin[spec.name] = 'set'
  }
  return { ...env, missing: [] }
}

export async function resolveInputs(
  specs: InputSpec[],
  given: Record<string, string>,
  prompts: Prompts | null,
  file: string,
): Promise<Record<string, string>> {
  const unknown = Object.keys(given).filter((k) => !specs.some((s) => s.name === k))
  if (unknown.length > 0) {
    throw new RunbookError(`unknown input ${unknown.join(', ')}; this runbook takes: ${specs.map((s) => s.name).join(', ') || 'no inputs'}`, EXIT.usage, file)
  }
  const values: Record<string, string> = {}
  for (const spec of specs) {
    let value = given[spec.name]
    if (value === undefined && prompts) value = await prompts.askInput(spec)
    value ??= spec.default
    if (value === undefined) {
      throw new RunbookError(`input ${spec.name} is missing${spec.description ? ` (${spec.description})` : ''}; give it with --input ${spec.name}=…`, EXIT.usage, file)
    }
    const problem = inputProblem(spec, value)
    if (problem) throw new RunbookError(`input ${spec.name}: ${problem}`, EXIT.usage, file)
    values[spec.name] = value
  }
  return values
}

function inputProblem(spec: InputSpec, value: string): string | undefined {
  if (spec.type === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) return `expected a number, got "${value}"`
  if (spec.type === 'choice' && spec.choices && !spec.choices.includes(value)) return `expected one of ${spec.choices.join(', ')}, got "${value}"`
  if (spec.type === 'file') {
    try {
      accessSync(value, constants.R_OK)
    } catch {
      return `no readable file at "${value}"`
    }
  }
  return undefined
}

function onPath(command: string, pathVar: string): boolean {
  if (command.includes('/')) return isExecutable(command)
  return pathVar.split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, command)))
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function runProbe(command: string, env: Record<string, string>, tmpDir: string): Promise<{ ok: boolean; output: string }> {
  let output = ''
  const result = await runShellStep({ code: command, shell: 'bash', env, timeoutMs: 15_000, tmpDir, onOutput: (t) => (output += t) })
  return { ok: result.exitCode === 0 && !result.timedOut, output }
}

/** First Ctrl-C stops the running step and asks; SIGTERM stops it and ends the run. */
function installInterrupts(): Interrupts & { dispose(): void } {
  let controller = new AbortController()
  let pending: 'interrupt' | 'terminate' | null = null
  const onInt = () => {
    pending ??= 'interrupt'
    controller.abort()
  }
  const onTerm = () => {
    pending = 'terminate'
    controller.abort()
  }
  const onExit = () => killAllRunning(0)
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  process.on('SIGHUP', onTerm)
  process.on('exit', onExit)
  return {
    stepSignal: () => controller.signal,
    pending: () => pending,
    clear: () => {
      pending = null
      controller = new AbortController()
    },
    dispose: () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      process.off('SIGHUP', onTerm)
      process.off('exit', onExit)
    },
  }
}
