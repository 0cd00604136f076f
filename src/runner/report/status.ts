// How statuses show in the report: a mark per step and run status, the order statuses are counted
// in, the counts (also in the front matter, which verify compares with the JSON), and the state a
// step shows while its run is still going.
import { isInFlight } from './fold.js'
import { msg } from '../terminal/messages/index.js'
import type { RunRecord, RunStatus, StepRecord, StepStatus } from '../model/run-record.js'

export const STEP_MARK: Record<StepStatus, string> = {
  passed: '✅',
  fixed: '🛠️',
  tolerated: '⚠️',
  failed: '❌',
  skipped: '⏭',
  blocked: '⛔',
  declined: '🙅',
  'timed-out': '⏱',
  interrupted: '⚡',
  previewed: '👁',
  'not-run': '◻',
}

export const RUN_MARK: Record<RunStatus, string> = {
  running: '⏳',
  passed: '✅',
  failed: '❌',
  blocked: '⛔',
  aborted: '🛑',
  interrupted: '⚡',
  incomplete: '⚠️',
}

/** Order of step statuses in counts and the status line. */
export const STEP_STATUSES: StepStatus[] = [
  'passed',
  'fixed',
  'tolerated',
  'failed',
  'timed-out',
  'interrupted',
  'blocked',
  'declined',
  'skipped',
  'previewed',
  'not-run',
]

/** Steps per status, only the statuses that occur, in `STEP_STATUSES` order. */
export function countSteps(steps: StepRecord[]): Partial<Record<StepStatus, number>> {
  const counts: Partial<Record<StepStatus, number>> = {}
  for (const status of STEP_STATUSES) {
    const n = steps.filter((s) => s.status === status).length
    if (n) counts[status] = n
  }
  return counts
}

/** The mark and the words of a step's state: 'running' for the step a running record is in. */
export function stepState(step: StepRecord, record: RunRecord): { mark: string; label: string } {
  if (record.status === 'running' && isInFlight(step)) return { mark: '⏳', label: msg.run.stepStatus('running') }
  return { mark: STEP_MARK[step.status], label: msg.run.stepStatus(step.status) }
}
