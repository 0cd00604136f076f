// How a step ends early inside an executor: a StepStop thrown from deep inside carries the status
// and reason to the executor's edge; the abort signal says whether it was the timeout or Ctrl-C.
import type { StepStatus } from '../model/run-record.js'

export class StepStop extends Error {
  constructor(
    readonly status: StepStatus,
    message: string,
  ) {
    super(message)
  }
}

/** Why a step's abort signal fired: the run's step timeout (a TimeoutError) or an interruption. */
export function abortCause(signal: AbortSignal): 'timeout' | 'abort' {
  return (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError' ? 'timeout' : 'abort'
}

/** A timeout as runbooks write it: `30s` for whole seconds, else `1500ms`. */
export function formatTimeout(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

/** A step timeout that limits anything (0, a negative number or Infinity means no limit). */
export function hasLimit(ms: number): boolean {
  return ms > 0 && Number.isFinite(ms)
}
