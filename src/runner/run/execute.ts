// execute(plan, deps) → RunRecord: walks the steps in order, applies the safety gates (gate.ts),
// runs each step (step.ts) and records every result before the next starts; at a terminal it
// offers retry / skip / abort after a failure and ticks the checklist on the way.
// The terminal, prompts, executors, clock and report writer are passed in (deps.ts).
import { renderStepHeader, renderStepResult, STATUS_MARK } from '../terminal/console-view.js'
import { applyEvent } from '../report/fold.js'
import { localIso } from '../report/time.js'
import { msg } from '../terminal/messages/index.js'
import { gateStep, selectionGate } from './gate.js'
import { isPromptInterrupted } from '../terminal/prompts.js'
import { finishedWithout, redactDeep, runStep, type AttemptContext, type FinishedStep } from './step.js'
import type { ChecklistTick, Consent, RunEvent, RunRecord, RunStatus, StepStatus } from '../model/run-record.js'
import type { Plan, PlannedStep, Runbook } from '../model/runbook.js'
import type { RunDeps, RunSettings, SandboxGuard } from './deps.js'

export type { Interrupts, Recorder, RunDeps, RunSettings, SandboxGuard } from './deps.js'
export { blankStep, redactDeep } from './step.js'

/** The sandbox's own guard, loaded only when a --sandbox run asks for a verdict. */
export const sandboxGuard: SandboxGuard = {
  async stepViolations(planned, env, sandboxDir, cwd) {
    const { sandboxStepViolations } = await import('../../sandbox/index.js')
    return sandboxStepViolations(planned, env, sandboxDir, cwd)
  },
  async commandViolations(command, sandboxDir, opts) {
    const { sandboxViolations } = await import('../../sandbox/index.js')
    return sandboxViolations(command, 'shell', sandboxDir, opts)
  },
}

/** Statuses a resume does not run again. */
const SETTLED: StepStatus[] = ['passed', 'fixed', 'tolerated', 'skipped', 'previewed']

/** The walk in progress: the record so far and how it grows. */
interface Walk extends AttemptContext {
  plan: Plan
  runbook: Runbook
  /** Checklist items already offered (in runbook order). */
  checklistDone: number
  stopped: RunStatus | null
  sawDecline: boolean
}

export async function executeRun(plan: Plan, runbook: Runbook, initial: RunRecord, settings: RunSettings, deps: RunDeps): Promise<RunRecord> {
  let record = initial
  const fullDeps = { ...deps, guard: deps.guard ?? sandboxGuard }
  const w: Walk = {
    plan,
    runbook,
    settings,
    deps: fullDeps,
    env: { ...settings.env, ...(initial.outputs ?? {}) },
    record: () => record,
    outputs: () => record.outputs ?? {},
    beforeAsking: () => deps.recorder.render(record),
    emit: async (event: RunEvent) => {
      const safe = redactDeep(event, deps.secrets)
      record = applyEvent(record, safe)
      await deps.recorder.append(safe)
    },
    checklistDone: 0,
    stopped: null,
    sawDecline: false,
  }
  const startIndex = settings.from ? plan.steps.findIndex((s) => s.id === settings.from) : 0
  for (const [index, planned] of plan.steps.entries()) {
    // A signal that came between steps (not during one) stops the walk too.
    if (deps.interrupts.pending()) w.stopped = 'interrupted'
    if (w.stopped) break
    const previous = record.steps[index]
    if (previous && SETTLED.includes(previous.status) && previous.attempts > 0) continue
    // Ctrl-C at any prompt (PromptInterrupted) stops the walk like Ctrl-C during a step.
    const stepDone = await untilInterrupted(w, () => walkStep(w, planned, index, startIndex))
    if (!stepDone) break
  }
  if (!w.stopped) await untilInterrupted(w, () => tickChecklistBefore(w, Number.POSITIVE_INFINITY))
  const status: RunStatus = w.stopped ?? finalStatus(record, w.sawDecline)
  const notes = deps.view.closed() ? [msg.run.outputClosed] : []
  await w.emit({ type: 'run-finished', at: localIso(deps.now()), status, ...(notes.length ? { notes } : {}) })
  return record
}

/** Runs `work`; Ctrl-C at a prompt inside it stops the walk (`interrupted`). False when stopped. */
async function untilInterrupted(w: Walk, work: () => Promise<void>): Promise<boolean> {
  try {
    await work()
  } catch (e) {
    if (!isPromptInterrupted(e)) throw e
    w.stopped = 'interrupted'
  }
  return !w.stopped
}

/** One step of the walk: the checklist items due before it, its header, its gate, its attempts. */
async function walkStep(w: Walk, planned: PlannedStep, index: number, startIndex: number): Promise<void> {
  const { deps, settings, plan } = w
  await tickChecklistBefore(w, planned.line)
  if (w.stopped) return
  deps.view.write(`\n${renderStepHeader(planned, index + 1, plan.steps.length, settings.target, deps.c)}\n`)
  const gate = selectionGate(planned, index, startIndex, settings) ?? (await gateStep(planned, w))
  if ('quit' in gate) {
    w.stopped = 'aborted'
    return
  }
  if ('run' in gate) await runAttempts(w, planned, index, gate.consent)
  else {
    const [status, reason]: [StepStatus, string] =
      'skip' in gate ? ['skipped', gate.skip] : 'block' in gate ? ['blocked', gate.block] : 'fail' in gate ? ['failed', gate.fail] : ['declined', gate.decline]
    const finished = tolerate(planned, finishedWithout(planned, w.record(), status, reason, localIso(deps.now())))
    await show(w, finished)
    if (status === 'blocked') w.stopped = 'blocked'
    if (finished.step.status === 'failed' && !planned.step.attrs.keepGoing) w.stopped = 'failed'
    if (status === 'declined') w.sawDecline = true
  }
}

async function show(w: Walk, finished: FinishedStep): Promise<void> {
  w.deps.view.write(renderStepResult(finished.step, w.deps.c, { reasonIsChecks: finished.reasonIsChecks, checksShown: true }))
  await w.emit(finished.event)
}

/** Runs a step that the gate let through; at a terminal, a failure offers retry / skip / abort. */
async function runAttempts(w: Walk, planned: PlannedStep, index: number, consent: Consent | undefined): Promise<void> {
  const { deps } = w
  const { prompts } = deps
  for (let attempt = 1; ; attempt++) {
    const finished = tolerate(planned, await runStep(planned, index, attempt, consent, w))
    await show(w, finished)
    if (finished.step.status === 'passed') await markFixed(w, planned)
    if (finished.outputs && Object.keys(finished.outputs).length > 0) Object.assign(w.env, finished.outputs)

    const status = finished.step.status
    const signal = deps.interrupts.pending()
    // Ctrl-C, SIGTERM or SIGHUP: the walk stops (resume continues it), whatever was running.
    if (status === 'interrupted' || signal) {
      deps.interrupts.clear()
      w.stopped = 'interrupted'
      return
    }
    if (status === 'blocked') {
      w.stopped = 'blocked'
      return
    }
    if (status === 'declined') w.sawDecline = true
    if (status !== 'failed' && status !== 'timed-out') return
    if (planned.step.attrs.keepGoing) {
      deps.view.write(`${deps.c.dim(`    ${msg.run.keptGoing}`)}\n`)
      return
    }
    if (!prompts) {
      w.stopped = 'failed'
      return
    }
    await w.beforeAsking()
    const choice = await prompts.afterFailure(msg.run.afterFailure(planned.id, msg.run.stepStatus(status)))
    if (choice === 'retry') continue
    if (choice === 'abort') w.stopped = 'aborted'
    return
  }
}

/**
 * Offers the checklist items above `line` not offered yet (at a terminal), recording each tick:
 * each item is asked where it stands in the document, after the steps above it and before the
 * steps below it (an item about a step's results is written after that step).
 */
async function tickChecklistBefore(w: Walk, line: number): Promise<void> {
  const { prompts } = w.deps
  const due = w.runbook.checklist.filter((item, i) => i >= w.checklistDone && item.line < line)
  w.checklistDone += due.length
  if (due.length === 0 || !prompts || w.stopped) return
  const pending = due.filter((item) => !w.record().checklist.some((t) => t.line === item.line && t.checked))
  if (pending.length === 0) return
  await w.beforeAsking()
  const answers = await prompts.tick(pending.map((i) => i.text))
  for (const [i, item] of pending.entries()) {
    const tick: ChecklistTick = { text: item.text, line: item.line, checked: answers[i] ?? false, by: w.settings.operator, at: localIso(w.deps.now()) }
    await w.emit({ type: 'checklist-ticked', tick })
  }
}

/** `continue-on-error`: a failure (or a time-out) is tolerated, recorded as a warning. */
function tolerate(planned: PlannedStep, finished: FinishedStep): FinishedStep {
  const status = finished.step.status
  if (!planned.step.attrs.continueOnError || (status !== 'failed' && status !== 'timed-out')) return finished
  const step = { ...finished.step, status: 'tolerated' as const }
  return { ...finished, step, event: { type: 'step-finished', at: step.finished!, step } }
}

/** A passed step that `rechecks` an earlier one: that step's failure was found and fixed. */
async function markFixed(w: Walk, planned: PlannedStep): Promise<void> {
  const target = planned.step.attrs.rechecks
  const earlier = target === undefined ? undefined : w.record().steps.find((s) => s.id === target)
  if (!earlier || !['failed', 'timed-out', 'tolerated'].includes(earlier.status)) return
  const step = { ...earlier, status: 'fixed' as const, reason: msg.run.foundAndFixed(planned.id, earlier.reason) }
  w.deps.view.write(`${w.deps.c.green(`  ${STATUS_MARK.fixed} ${msg.run.fixedLine(earlier.id, planned.id)}`)}\n`)
  await w.emit({ type: 'step-finished', at: step.finished ?? localIso(w.deps.now()), step })
}

/** The run's status from its steps (see the status table in docs/runbook-format.md): a failure
 * fails it, a declined step leaves it incomplete, a blocked one blocks it. Fixed and tolerated
 * steps do not fail it. */
function finalStatus(record: RunRecord, sawDecline: boolean): RunStatus {
  const statuses = record.steps.map((s) => s.status)
  if (statuses.some((s) => s === 'failed' || s === 'timed-out' || s === 'interrupted')) return 'failed'
  if (statuses.some((s) => s === 'blocked')) return 'blocked'
  if (sawDecline || statuses.some((s) => s === 'declined')) return 'incomplete'
  return 'passed'
}
