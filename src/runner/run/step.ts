// One attempt of one step: starts it through the executor of its language, streams and records
// its output (redacted), answers its questions through the gate, and turns its outcome into the
// step's record. The .log's header for the attempt is the report writer's (it sees `step-started`).
import { OutputCapture } from './capture.js'
import { createStreamRedactor, maskUrlSecrets, redact } from './redact.js'
import { createVisibleStream } from './visible.js'
import { askExports } from './prompt-env.js'
import { findLeftovers } from './leftovers.js'
import { emptyResults } from '../report/fold.js'
import { localIso } from '../report/time.js'
import { msg } from '../terminal/messages/index.js'
import { renderCheck, renderNote, renderTable } from '../terminal/step-said.js'
import { answerQuestion, type GateContext } from './gate.js'
import { isPromptInterrupted } from '../terminal/prompts.js'
import { chooseStepGuard } from '../executors/guard/choose.js'
import type { Answer, Consent, Question, RunEvent, RunRecord, StepOutcome, StepRecord, StepStatus } from '../model/run-record.js'
import type { PlannedStep } from '../model/runbook.js'

/** A step's record as it stands before any attempt. */
export function blankStep(planned: PlannedStep): StepRecord {
  return {
    id: planned.id,
    title: planned.title,
    language: planned.language,
    kind: planned.kind,
    line: planned.line,
    destructive: planned.destructive,
    declared: planned.declared,
    reasons: planned.reasons,
    attempts: 0,
    ...emptyResults(),
  }
}

export interface FinishedStep {
  step: StepRecord
  event: RunEvent
  outputs?: Record<string, string>
  /** The reason only names the failed checks, which are listed with the step anyway. */
  reasonIsChecks?: boolean
}

/** A step that ends without running (skipped, blocked, declined), with its reason. */
export function finishedWithout(planned: PlannedStep, record: RunRecord, status: StepStatus, reason: string, at: string): FinishedStep {
  const base = record.steps.find((s) => s.id === planned.id) ?? blankStep(planned)
  const step: StepRecord = { ...base, status, reason, finished: at }
  return { step, event: { type: 'step-finished', at, step } }
}

/** What one attempt needs from the walk it is part of. */
export interface AttemptContext extends GateContext {
  /** The record as it stands (state, outputs, run id). */
  record(): RunRecord
  emit(event: RunEvent): Promise<void>
  /** The env of this attempt: the run's, with outputs of earlier steps. */
  env: Record<string, string>
}

export async function runStep(planned: PlannedStep, index: number, attempt: number, consent: Consent | undefined, w: AttemptContext): Promise<FinishedStep> {
  const { deps, settings } = w
  const started = deps.now()
  await w.emit({ type: 'step-started', at: localIso(started), stepId: planned.id })
  // Output as a reader sees it (no escapes, overlays applied), then redacted: secrets are found in
  // what the screen, the log and the report show, and a step's output cannot draw the runner's UI.
  const visible = createVisibleStream()
  const redactor = createStreamRedactor(deps.secrets)
  const capture = new OutputCapture()
  const rec: StepRecord = { ...blankStep(planned), attempts: attempt, started: localIso(started), consent }
  const showOutput = (text: string) => {
    if (!text) return
    deps.view.output(text)
    capture.add(text)
    deps.recorder.appendLog(planned.id, text)
  }
  const columns = deps.view.columns?.()
  const say = sayer(deps)
  planned = await withAskedExports(planned, w, (note) => void (say(note), rec.notes.push(note)))
  const label = `[${index + 1}] ${planned.id}`
  deps.view.stepStarted(label)
  const signal = deps.interrupts.stepSignal()
  let interruptedAtPrompt = false
  const ask = async (question: Question): Promise<Answer> => {
    deps.view.stepEnded()
    const answer = await answerQuestion(question, planned, consent, w).catch((e: unknown): Answer => {
      // Ctrl-C at the step's question (commit, confirm): the step stops as for Ctrl-C while it runs.
      if (!isPromptInterrupted(e)) throw e
      interruptedAtPrompt = true
      deps.interrupts.raise?.()
      return { allow: false, reason: msg.run.interruptedAtPrompt, status: 'declined' }
    })
    if (answer.allow && answer.consent) rec.consent = answer.consent
    deps.view.stepStarted(label)
    return answer
  }

  const cwd = planned.step.attrs.cwd ?? settings.cwd
  const choice = settings.osGuard ? chooseStepGuard(planned, w.env, cwd, settings.osGuard) : undefined
  if (choice && 'guard' in choice) rec.guard = choice.guard
  let outcome: StepOutcome
  try {
    const record = w.record()
    if (choice && 'refused' in choice) throw new RefusedByGuard(choice.refused)
    outcome = await deps.executors[planned.kind].run({
      planned,
      runbookId: record.runbook.id,
      runId: record.runId,
      target: settings.target,
      env: { ...w.env },
      inputs: settings.inputs,
      state: structuredClone(record.state),
      timeoutMs: planned.timeoutMs,
      signal,
      dryRun: settings.dryRun,
      cwd,
      tmpDir: settings.tmpDir,
      ...(choice && 'confine' in choice ? { confine: choice.confine } : {}),
      io: {
        output: (text) => showOutput(maskUrlSecrets(redactor.push(visible.push(text)))),
        // Shown as they are said, not only in the report: a note or a table is often what the
        // next question or checklist item refers to.
        check: (check) => {
          rec.checks.push(check)
          say(renderCheck(check, deps.c, columns))
        },
        note: (md) => {
          rec.notes.push(md)
          say(renderNote(md, deps.c, columns))
        },
        table: (t) => {
          rec.tables.push(t)
          // SQL and Redis steps print their results as output already.
          if (planned.kind === 'ts' || planned.kind === 'js') say(renderTable(t, deps.c, columns))
        },
        command: (cmd) => rec.commands.push(cmd),
        statement: (s) => rec.statements.push(s),
        process: (pgid) => {
          w.emit({ type: 'step-process', stepId: planned.id, pgid }).catch(() => undefined)
        },
      },
      ask,
    })
  } catch (e) {
    const reason = e instanceof RefusedByGuard ? msg.executors.writesRefused(e.message) : msg.run.internalError((e as Error).message)
    outcome = { status: 'failed', reason }
  }
  showOutput(maskUrlSecrets(redactor.push(visible.flush())))
  showOutput(maskUrlSecrets(redactor.flush()))
  deps.view.stepEnded()

  const ended = deps.now()
  const { status, reason, reasonIsChecks } = settle(outcome, rec, signal.aborted || interruptedAtPrompt)
  const step: StepRecord = {
    ...rec,
    status,
    exitCode: outcome.exitCode,
    reason: status === 'passed' ? undefined : reason,
    consent: outcome.consent ?? rec.consent,
    finished: localIso(ended),
    durationMs: ended.getTime() - started.getTime(),
    output: capture.text(settings.logName),
    outputBytes: capture.bytes,
    outputTruncated: capture.truncated,
  }
  const leaves = planned.step.attrs.leaves
  if (leaves && status !== 'passed') {
    const leftovers = findLeftovers(leaves, w.env, cwd)
    if (leftovers.length) step.leftovers = leftovers
  }
  if (outcome.state || outcome.outputs) {
    const state = { ...(outcome.state ?? w.record().state), ...(outcome.outputs ?? {}) }
    const outputs = { ...(w.record().outputs ?? {}), ...(outcome.outputs ?? {}) }
    await w.emit({ type: 'state-changed', state, outputs })
  }
  return { step, event: { type: 'step-finished', at: step.finished!, step }, outputs: outcome.outputs, reasonIsChecks }
}

/** What a step says (notes, tables, checks) on the screen when it says it, redacted. */
function sayer(deps: AttemptContext['deps']): (text: string) => void {
  return (text) => {
    const safe = maskUrlSecrets(redact(text, deps.secrets))
    if (deps.view.said) deps.view.said(safe)
    else deps.view.output(safe)
  }
}

/**
 * Runme's promptEnv: the step's `export NAME=value` lines asked like inputs; the step then runs
 * with them set to what was given, and those lines are said and recorded as they run.
 */
async function withAskedExports(planned: PlannedStep, w: AttemptContext, note: (text: string) => void): Promise<PlannedStep> {
  if (planned.kind !== 'shell') return planned
  const asked = await askExports(planned.step.code, planned.step.attrs.promptEnv, { prompts: w.deps.prompts, env: w.env, description: msg.run.promptEnvAsk })
  if (!asked) return planned
  note(msg.run.promptEnvRunsAs(asked.shown))
  return { ...planned, step: { ...planned.step, code: asked.code } }
}

/** A step whose `writes=` cannot be granted: it fails before it starts. */
class RefusedByGuard extends Error {}

/** The step's status and reason from the executor's outcome and the checks it recorded: a failed
 * check fails a passed step; a step that failed only by its checks gives them as the reason. */
function settle(outcome: StepOutcome, rec: StepRecord, aborted: boolean): { status: StepStatus; reason?: string; reasonIsChecks: boolean } {
  let status = outcome.status
  if (aborted && (status === 'failed' || status === 'passed' || status === 'declined')) status = 'interrupted'
  const failed = rec.checks.filter((ch) => !ch.ok).map((ch) => ch.name)
  if (status === 'passed' && failed.length > 0) status = 'failed'
  const checksOnly = failed.length > 0 && (outcome.failedChecks !== undefined || !outcome.reason)
  if (checksOnly) return { status, reason: msg.run.checksFailed(failed), reasonIsChecks: true }
  return { status, reason: outcome.reason, reasonIsChecks: false }
}

/** Fields that name and order things (event types, ids, statuses, times): never a step's data, and
 * masking a short secret inside them would break the record (`step-st***rted`). */
const STRUCTURAL_KEYS = new Set(['type', 'id', 'stepId', 'status', 'kind', 'language', 'declared', 'held', 'at', 'started', 'finished', 'runId', 'fromStep'])

/** Redacts every string inside a value (events are plain JSON), but its structural fields. */
export function redactDeep<T>(value: T, secrets: string[]): T {
  const json = JSON.stringify(value)
  // Without secrets only a URL's can be there: the common case costs one scan, not a parse.
  if (secrets.length === 0 && maskUrlSecrets(json) === json) return value
  return JSON.parse(json, (key, v: unknown) => (typeof v === 'string' && !STRUCTURAL_KEYS.has(key) ? redact(v, secrets) : v)) as T
}
