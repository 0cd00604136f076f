// The library entry for `runbook run` and `runbook resume`: loads and plans the runbook, resolves
// env, inputs and target, takes the lock, opens (or reopens) the report, then walks (walk.ts).
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { systemClock, type Clock } from '../model/clock.js'
import { blankStep } from './step.js'
import { assertValid, loadRunbook, warningLines } from '../parse/load.js'
import { gitState, operatorIdentity } from './operator.js'
import { plan as planRunbook } from '../plan/plan.js'
import { acquireRunLock, type RunLock } from './lock.js'
import { signalGroup, stopGroup } from '../executors/process-group.js'
import { inquirerPrompts, type Prompts } from '../terminal/prompts.js'
import { localIso } from '../report/time.js'
import { loadReport, ReportWriter } from '../report/writer.js'
import { endedButNotRendered, repairReport } from '../report/repair.js'
import { findLeftovers } from './leftovers.js'
import { msg } from '../terminal/messages/index.js'
import { resolveInputs, resolveRunEnv } from './inputs.js'
import { walk, type RunResult } from './walk.js'
import type { RunRecord } from '../model/run-record.js'
import { sandboxDir } from '../../sandbox/index.js'
import { findSignoffs } from '../report/signoff.js'
import type { Runbook } from '../model/runbook.js'
import type { ResolvedEnv } from './env.js'
import { reportAccess } from '../report/access.js'
import { detectOsGuard, type DetectOsGuard, type OsGuard } from '../executors/guard/detect.js'

export type { RunResult } from './walk.js'
export { inputsAsEnv, resolveInputs } from './inputs.js'

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
  /** The clock of the run (every time in the report); default: the system clock. */
  now?: Clock
  /** Finds the OS guard; default: the real detector (guard/detect.ts). */
  detectGuard?: DetectOsGuard
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
  if (opts.target && opts.sandbox) throw new RunbookError(msg.run.targetAndSandbox, EXIT.usage)
  if (opts.step && opts.from) throw new RunbookError(msg.run.stepAndFrom, EXIT.usage)
  const now = opts.now ?? systemClock
  const runbook = assertValid(await loadRunbook(opts.file))
  for (const line of warningLines(runbook)) (opts.out ?? process.stderr).write(line)
  const plan = await planRunbook(runbook)
  const ids = plan.steps.map((s) => s.id)
  for (const id of [opts.step, opts.from]) {
    if (id !== undefined && !ids.includes(id)) throw new RunbookError(msg.run.noSuchStep(id, ids), EXIT.usage, runbook.path)
  }
  const prompts = opts.prompts === undefined ? (isInteractive() ? inquirerPrompts() : null) : opts.prompts
  const target = opts.sandbox ? 'sandbox' : (opts.target ?? 'local')
  const env = await resolveRunEnv(runbook, opts, prompts, sandboxEnvFile())
  const osGuard = await guardFor(env, opts.detectGuard)
  const inputs = await resolveInputs(runbook.meta.inputs, opts.inputs ?? {}, prompts, runbook.path)
  const operator = operatorIdentity(opts.operator)
  const started = now()
  const git = gitState(runbook.path)
  const lock = await takeLock(runbook, env, operator, now)
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
      // Where the runbook's folder is seen from the report's: its relative links are rewritten
      // with it, so they work from the report (a pure function of the record, for verify too).
      linkBase: path.relative(path.dirname(path.resolve(writer.mdPath)), path.dirname(path.resolve(runbook.path))).split(path.sep).join('/'),
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
  const out = opts.out ?? process.stdout
  return walk({ runbook, plan, initial, writer, env, prompts, flags: opts, out, now, sandboxDir: sandboxDirOf(target), lock, osGuard })
}

/** The OS guard of this run; a target whose env says RUNBOOK_GUARD=required does not start without it. */
async function guardFor(env: ResolvedEnv, detect: DetectOsGuard = detectOsGuard): Promise<OsGuard> {
  const setting = env.values.RUNBOOK_GUARD ?? ''
  // A typo (`require`, `yes`) must not read as "not required".
  if (!['', 'required', 'optional'].includes(setting)) throw new RunbookError(msg.executors.guardSettingUnknown(setting), EXIT.usage)
  const found = await detect()
  if (setting === 'required' && !found.available) throw new RunbookError(msg.executors.guardRequired(found.why), EXIT.usage)
  return found
}

function sandboxDirOf(target: string): string | undefined {
  return target === 'sandbox' ? sandboxDir() : undefined
}

/** `exclusive: true`: one run at a time, on the target database when there is one. */
async function takeLock(runbook: Runbook, env: ResolvedEnv, operator: string, now: Clock): Promise<RunLock | undefined> {
  if (!runbook.meta.exclusive) return undefined
  return acquireRunLock({ runbookId: runbook.meta.id, operator, databaseUrl: env.values.DATABASE_URL || undefined, now })
}

async function openWriter(dir: string | undefined, runbookId: string, started: Date): Promise<ReportWriter> {
  const reportsDir = dir ?? process.env.RUNBOOK_REPORTS ?? 'reports'
  const access = reportAccess(process.cwd(), process.env)
  try {
    return await ReportWriter.create({ dir: reportsDir, runbookId, started, access })
  } catch (e) {
    throw new RunbookError(msg.run.reportsUnwritable((e as Error).message), EXIT.usage, reportsDir)
  }
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
  /** The clock of the resumed run; default: the system clock. */
  now?: Clock
  /** Finds the OS guard; default: the real detector (guard/detect.ts). */
  detectGuard?: DetectOsGuard
}

export async function resumeRun(opts: ResumeOptions): Promise<RunResult> {
  const now = opts.now ?? systemClock
  // A runner that died after the run ended but before its report was rendered: finish it first.
  if (await endedButNotRendered(opts.report)) {
    const repaired = await repairReport(opts.report, async (r) => assertValid(await loadRunbook(r.runbook.path)))
    ;(opts.out ?? process.stderr).write(`${msg.report.repairFinished(opts.report, msg.run.runStatus(repaired.status))}\n`)
  }
  const loaded = await loadReport(opts.report)
  const record = loaded.record
  if (isSigned(loaded.paths.md)) throw new RunbookError(msg.run.reportSigned, EXIT.usage, opts.report)
  if (record.status === 'passed') throw new RunbookError(msg.run.alreadyPassed, EXIT.usage, opts.report)
  const runbook = assertValid(await loadRunbook(record.runbook.path))
  if (runbook.sha256 !== record.runbook.sha256 && !opts.force) {
    throw new RunbookError(msg.run.runbookChanged(record.runbook.path, record.runbook.sha256.slice(0, 12), runbook.sha256.slice(0, 12)), EXIT.usage, opts.report)
  }
  const plan = await planRunbook(runbook)
  if (loaded.fromJournal) await stopLeftovers(record, opts.out ?? process.stderr)
  const prompts = opts.prompts === undefined ? (isInteractive() ? inquirerPrompts() : null) : opts.prompts
  const target = record.target
  const sandbox = target === 'sandbox'
  const env = await resolveRunEnv(runbook, { ...opts, sandbox, target: sandbox || target === 'local' ? undefined : target }, prompts, sandboxEnvFile())
  const osGuard = await guardFor(env, opts.detectGuard)
  const operator = operatorIdentity(opts.operator)
  // Steps of the current runbook, keeping the results of those that settled before; what an
  // attempt the killed runner could not finish left behind is listed now.
  const previous = new Map(record.steps.map((s) => [s.id, s]))
  const steps = plan.steps.map((p) => {
    const before = previous.get(p.id)
    if (!before) return blankStep(p)
    const leaves = p.step.attrs.leaves
    if (before.status !== 'interrupted' || !leaves || before.leftovers) return before
    const leftovers = findLeftovers(leaves, env.values, p.step.attrs.cwd ?? process.cwd())
    return leftovers.length ? { ...before, leftovers } : before
  })
  const firstOpen = steps.find((s) => !['passed', 'skipped', 'previewed'].includes(s.status) || s.attempts === 0)
  const lock = await takeLock(runbook, env, operator, now)
  const writer = await ReportWriter.reopen(loaded.paths.md).catch(async (e: unknown) => {
    await lock?.release()
    throw e
  })
  // The run keeps its options (what was chosen: --step, --from, --dry-run, and what the first
  // operator consented to); each resume records its own. The selection and the dry run are
  // inherited, consent never: --yes must be given again by whoever resumes.
  const resumed: RunRecord = { ...record, steps }
  const resume = { at: localIso(now()), operator, fromStep: firstOpen?.id ?? '', options: { yes: Boolean(opts.yes), auto: Boolean(opts.auto) } }
  await writer.append({ type: 'run-started', record: resumed })
  await writer.append({ type: 'run-resumed', ...resume })
  const initial: RunRecord = { ...resumed, status: 'running', resumes: [...record.resumes, resume] }
  const { step, from, dryRun } = record.options
  const flags = { yes: opts.yes, auto: opts.auto, dryRun, step, from }
  const out = opts.out ?? process.stdout
  return walk({ runbook, plan, initial, writer, env, prompts, flags, out, now, sandboxDir: sandboxDirOf(target), lock, osGuard })
}

/** A runner killed with -9 could not stop the step it was running: do it now, and say so. */
async function stopLeftovers(record: RunRecord, out: NodeJS.WritableStream): Promise<void> {
  for (const step of record.steps) {
    if (step.pgid === undefined || step.status !== 'interrupted' || !signalGroup(step.pgid, 0)) continue
    const stopped = await stopGroup(step.pgid)
    if (stopped > 0) out.write(`${msg.run.leftoversStopped(stopped, step.id, step.pgid)}\n`)
  }
}

function isSigned(md: string): boolean {
  if (!existsSync(md)) return false
  return findSignoffs(readFileSync(md, 'utf8')).blocks.length > 0
}
