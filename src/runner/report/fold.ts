// Events → record. The journal is a list of RunEvents; the report's views are rendered from the
// record folded from them. Folding is pure: every call returns a new record and never changes
// its argument.
//
// A step that has started but not finished is visible in the record itself: `step-started` sets
// the step's `started` and clears its `finished`, and `step-finished` always carries a
// `finished`. So `markIncomplete` can tell which step a killed run was in, from the journal or
// from a JSON rendered mid-run alike.
import type { EarlierAttempt, RunEvent, RunRecord, StepRecord } from '../model/run-record.js'
import { msg } from '../terminal/messages/index.js'

/** What a step attempt has recorded before it ran: nothing. */
export function emptyResults(): Pick<StepRecord, 'status' | 'checks' | 'notes' | 'tables' | 'commands' | 'statements' | 'output' | 'outputBytes' | 'outputTruncated'> {
  return { status: 'not-run', checks: [], notes: [], tables: [], commands: [], statements: [], output: '', outputBytes: 0, outputTruncated: false }
}

/** How much of an earlier attempt's output the record keeps (the .log has all of it). */
const EARLIER_OUTPUT_TAIL = 2000

function earlierAttempt(step: StepRecord): EarlierAttempt {
  const { status, started, finished, durationMs, exitCode, reason } = step
  const attempt: EarlierAttempt = { status, outputTail: step.output.slice(-EARLIER_OUTPUT_TAIL) }
  if (started !== undefined) attempt.started = started
  if (finished !== undefined) attempt.finished = finished
  if (durationMs !== undefined) attempt.durationMs = durationMs
  if (exitCode !== undefined) attempt.exitCode = exitCode
  if (reason !== undefined) attempt.reason = reason
  if (step.leftovers?.length) attempt.leftovers = step.leftovers
  return attempt
}

export function applyEvent(record: RunRecord, event: RunEvent): RunRecord {
  switch (event.type) {
    case 'run-started':
      return structuredClone(event.record)
    case 'run-resumed':
      return {
        ...record,
        status: 'running',
        finished: null,
        resumes: [...record.resumes, { at: event.at, operator: event.operator, fromStep: event.fromStep, ...(event.options ? { options: event.options } : {}) }],
      }
    case 'step-started':
      return updateStep(record, event.stepId, (step) => {
        // A new attempt: the step's fields describe it from now on; the earlier attempt, if one
        // ran, is kept in `earlier` (a report never loses an attempt, failed or interrupted).
        const earlier = step.started !== undefined ? [...(step.earlier ?? []), earlierAttempt(step)] : step.earlier
        const next: StepRecord = { ...step, ...emptyResults(), started: event.at, ...(earlier ? { earlier } : {}) }
        for (const key of ['finished', 'durationMs', 'exitCode', 'reason', 'consent', 'leftovers'] as const) delete next[key]
        return next
      })
    case 'step-process':
      return updateStep(record, event.stepId, (step) => ({ ...step, pgid: event.pgid }))
    case 'step-finished': {
      const index = record.steps.findIndex((s) => s.id === event.step.id)
      // The attempt's record from the step; the attempts before it from the record.
      const earlier = event.step.earlier ?? (index === -1 ? undefined : record.steps[index]!.earlier)
      const step: StepRecord = { ...event.step, finished: event.step.finished ?? event.at, ...(earlier ? { earlier } : {}) }
      const steps = [...record.steps]
      if (index === -1) steps.push(step)
      else steps[index] = step
      return { ...record, steps }
    }
    case 'state-changed': {
      const next: RunRecord = { ...record, state: event.state }
      // Forward-compatible: an event that also carries other record fields (e.g. `outputs`)
      // replaces them too.
      for (const [key, value] of Object.entries(event)) {
        if (key !== 'type' && key !== 'state') (next as unknown as Record<string, unknown>)[key] = value
      }
      return next
    }
    case 'checklist-ticked': {
      const checklist = record.checklist.filter((t) => t.line !== event.tick.line)
      checklist.push(event.tick)
      checklist.sort((a, b) => a.line - b.line)
      return { ...record, checklist }
    }
    case 'run-finished':
      return { ...record, status: event.status, finished: event.at, ...(event.notes?.length ? { notes: [...(record.notes ?? []), ...event.notes] } : {}) }
  }
}

/** The record a journal describes. The first event must be `run-started`. A journal whose last
 * event is not `run-finished` gives a record with status 'running' (see `markIncomplete`). */
export function foldEvents(events: RunEvent[]): RunRecord {
  const first = events[0]
  if (!first || first.type !== 'run-started') {
    throw new Error(`a run journal must begin with a run-started event (found ${first ? first.type : 'no events'})`)
  }
  let record = applyEvent(first.record, first)
  for (const event of events.slice(1)) record = applyEvent(record, event)
  return record
}

/** A record found on disk still 'running' (its process died, e.g. kill -9) becomes 'incomplete';
 * the step that had started but not finished becomes 'interrupted'. Other records are returned
 * unchanged. */
export function markIncomplete(record: RunRecord): RunRecord {
  if (record.status !== 'running') return record
  return {
    ...record,
    status: 'incomplete',
    steps: record.steps.map((step) =>
      isInFlight(step) ? { ...step, status: 'interrupted', reason: msg.report.interruptedReason } : step,
    ),
  }
}

/** Started and not finished: the step a running record is in. */
export function isInFlight(step: StepRecord): boolean {
  return step.started !== undefined && step.finished === undefined
}

function updateStep(record: RunRecord, id: string, change: (step: StepRecord) => StepRecord): RunRecord {
  const index = record.steps.findIndex((s) => s.id === id)
  if (index === -1) return record
  const steps = [...record.steps]
  steps[index] = change(steps[index]!)
  return { ...record, steps }
}
