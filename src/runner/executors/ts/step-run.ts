// One TS step in the host: what it collected while running (checks, commands, process groups),
// how it ended (done, uncaught error, timeout, abort, crash of the worker), and the result that
// follows from that — with errors pointed back at the step's own lines.
import { msg } from '../../terminal/messages/index.js'
import { formatTimeout } from '../step-stop.js'
import type { Deadline } from './deadline.js'
import type { Pos, TsCheck, TsCommand, TsHooks, TsStepRequest, TsStepResult, WorkerToHost } from './protocol.js'
import { originalLine } from './transpile.js'

export type Ending =
  | { kind: 'done'; msg: Extract<WorkerToHost, { t: 'done' }> }
  | { kind: 'uncaught'; error: string; pos?: Pos }
  | { kind: 'timeout' }
  | { kind: 'abort' }
  | { kind: 'crash'; error: string }

export interface StepRun {
  runId: number
  req: TsStepRequest
  hooks: TsHooks
  mappings: string
  checks: TsCheck[]
  commands: TsCommand[]
  /** The first command that was denied: every later one is denied too. */
  blocked?: { command: string; reason: string }
  /** Process groups of the step's `$` commands, stopped when the step ends. */
  groups: Set<number>
  /** `$.sync` commands the host runs for the step. */
  execs: Set<Promise<unknown>>
  execAbort: AbortController
  deadline: Deadline
  end(ending: Ending): void
}

/** The result of a step that ended this way; `base` has its timing and the state it started with. */
export function stepResult(run: StepRun, ending: Ending, base: TsStepResult): TsStepResult {
  const result: TsStepResult = { ...base, checks: run.checks, commands: run.commands }
  let error: string | undefined
  let pos: Pos | undefined
  switch (ending.kind) {
    case 'done':
      if (ending.msg.state) result.state = ending.msg.state
      error = ending.msg.error
      pos = ending.msg.pos
      break
    case 'uncaught':
      error = ending.error
      pos = ending.pos
      break
    case 'timeout':
      result.timedOut = true
      error = msg.executors.timedOut(formatTimeout(run.req.timeoutMs))
      break
    case 'abort':
      result.interrupted = true
      error = msg.executors.interrupted
      break
    case 'crash':
      error = ending.error
      break
  }
  if (run.blocked) {
    result.blockedCommand = run.blocked
    error = run.blocked.reason
    pos = undefined
  }
  const failedChecks = run.checks.filter((c) => !c.ok).map((c) => c.name)
  if (error === undefined && failedChecks.length > 0) result.failedChecks = failedChecks
  if (error !== undefined) {
    const line = pos ? originalLine(run.mappings, pos.line, pos.col) : undefined
    result.error = line ? msg.executors.onLine(error, line) : error
    if (line) result.errorLine = line
  }
  result.ok = error === undefined && failedChecks.length === 0
  return result
}
