// walk(start) → RunResult: wires the real terminal, executors, interrupts and report writer into
// executeRun, then finishes the report and prints the summary. What runRunbook and resumeRun share.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createConsoleView, renderRunSummary } from '../terminal/console-view.js'
import { EXIT, RUN_STATUS_EXIT, RunbookError, type ExitCode } from '../model/errors.js'
import { executeRun, type RunDeps } from './execute.js'
import { createExecutors } from '../executors/index.js'
import { loadHighlighter } from '../terminal/highlight.js'
import { installInterrupts, onPath, runProbe } from './host.js'
import { inputsAsEnv } from './inputs.js'
import { secretValues } from './redact.js'
import { msg } from '../terminal/messages/index.js'
import { makeChalk } from '../terminal/style.js'
import { renderIntroduction } from '../terminal/prose.js'
import type { Clock } from '../model/clock.js'
import type { RunRecord } from '../model/run-record.js'
import type { Plan, Runbook } from '../model/runbook.js'
import type { ReportWriter } from '../report/writer.js'
import type { Prompts } from '../terminal/prompts.js'
import type { ResolvedEnv } from './env.js'
import type { RunLock } from './lock.js'
import type { OsGuard } from '../executors/guard/detect.js'
import { sandboxRemoteDirs } from '../../sandbox/index.js'

export interface RunResult {
  record: RunRecord
  exitCode: ExitCode
  reportPath: string
}

/** Everything a walk starts from: the runbook and its plan, the record so far, where it goes. */
export interface WalkStart {
  runbook: Runbook
  plan: Plan
  initial: RunRecord
  writer: ReportWriter
  env: ResolvedEnv
  prompts: Prompts | null
  flags: { dryRun?: boolean; yes?: boolean; auto?: boolean; step?: string; from?: string }
  out: NodeJS.WriteStream
  now: Clock
  /** The sandbox folder of a --sandbox run. */
  sandboxDir?: string
  lock?: RunLock
  /** The OS guard as found before the run started (run.ts). */
  osGuard: OsGuard
}

export async function walk(s: WalkStart): Promise<RunResult> {
  const { runbook, writer, initial } = s
  const c = makeChalk(s.out)
  const secretNames = runbook.meta.env.filter((e) => e.secret).map((e) => e.name)
  const secrets = secretValues(s.env.values, secretNames)
  const view = createConsoleView(s.out, c, secrets, s.now)
  // The run's scratch folder ($RUNBOOK_TMP): writable under the OS guard, removed after the run.
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'runbook-'))
  const remote = s.sandboxDir ? sandboxRemoteDirs(s.sandboxDir) : []
  const osGuard = { os: s.osGuard, scratch: tmpDir, reportsDir: path.dirname(writer.mdPath), remote }
  const executors = createExecutors()
  const interrupts = installInterrupts()
  const highlight = s.prompts ? await loadHighlighter(c) : (_l: string, code: string) => code
  let record = initial
  const deps: RunDeps = {
    executors,
    prompts: s.prompts,
    view,
    c,
    highlight,
    recorder: {
      append: (event) => writer.append(event),
      appendLog: (stepId, text) => writer.appendLog(stepId, text),
      render: async (r) => {
        record = r
        await writer.render(record, runbook)
      },
    },
    interrupts,
    secrets,
    now: s.now,
    onPath: (cmd) => onPath(cmd, s.env.values.PATH ?? process.env.PATH ?? ''),
    probe: (command, probeEnv) => runProbe(command, { ...probeEnv, ...s.env.values, RUNBOOK_TMP: tmpDir }, tmpDir, osGuard),
  }
  view.write(`${c.bold(runbook.meta.title)} ${c.dim(`(${runbook.meta.id})`)}\n${c.dim(`${msg.run.banner(initial.target, initial.operator, writer.mdPath, Boolean(s.flags.dryRun))}\n`)}`)
  // The runbook's introduction before anything runs: what the author wants read first.
  if (s.prompts) view.write(renderIntroduction(runbook, c))
  view.write(`${c.dim(msg.executors.guardHeader(s.osGuard.available ? msg.executors.guardAvailable(s.osGuard.bwrap) : msg.executors.guardUnavailableHeader(s.osGuard.why)))}\n`)
  try {
    record = await executeRun(
      s.plan,
      runbook,
      initial,
      {
        dryRun: Boolean(s.flags.dryRun),
        yes: Boolean(s.flags.yes),
        auto: Boolean(s.flags.auto),
        only: s.flags.step,
        from: s.flags.from,
        target: initial.target,
        sandboxDir: s.sandboxDir,
        operator: initial.operator,
        cwd: process.cwd(),
        tmpDir,
        env: { ...s.env.values, ...inputsAsEnv(initial.inputs), RUNBOOK_TMP: tmpDir },
        inputs: initial.inputs,
        logName: path.basename(writer.logPath),
        osGuard,
      },
      deps,
    )
  } catch (e) {
    throw await unrecordable(e, writer)
  } finally {
    interrupts.dispose()
    await Promise.all(Object.values(executors).map((e) => e.close?.().catch(() => undefined)))
    await rm(tmpDir, { recursive: true, force: true })
    await s.lock?.release()
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
  return new RunbookError(msg.run.cannotRecord(code, (error as Error).message, writer.journalPath, writer.mdPath), EXIT.failed)
}
