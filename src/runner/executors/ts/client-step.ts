// The running step as the `sql` and `redis` clients of the TS worker see it: what they need to
// know of it (ClientStep), what they keep per step (calls recorded, Redis commands allowed), which
// step is active (calls of a step that ended fail), and errors that point at the step's line.
import type { WorkerToHost } from './protocol.js'
import type { RedisCommandTable } from '../../judge/redis.js'

/** What the clients need to know of the running step. */
export interface ClientStep {
  runId: number
  env: Record<string, string>
  destructive: boolean
  /** Declared `safe`: the author overrode detection (sql detection only; read-only still holds). */
  safe: boolean
  dbVar: string
  redisVar: string
  timeoutMs: number
  applicationName: string
  connectionName: string
  /** The built-in Redis command table the server's own is checked with (default: Redis 7's). */
  redisTable?: RedisCommandTable
  /** Asks the host about a destructive command; throws when it is denied. */
  gate(command: string, reasons: string[]): void
  /** Why the step is blocked (a command was denied), if it is. */
  blocked(): string | undefined
  post(message: WorkerToHost): void
}

export interface StepState {
  step: ClientStep
  /** Redis commands (NAME or NAME SUB) the operator allowed in this step. */
  redisAllowed: Set<string>
  /** `sql` calls made (recorded up to a limit). */
  statements: number
}

/** Positions in the stack of a step's code (worker.ts names each step's script so). */
const POSITION = /file:\/\/\/runbook\/step-(\d+)\.js:(\d+):(\d+)/

let active: StepState | undefined
const states = new WeakMap<ClientStep, StepState>()

export function stateOf(step: ClientStep): StepState {
  let s = states.get(step)
  if (!s) {
    s = { step, redisAllowed: new Set(), statements: 0 }
    states.set(step, s)
  }
  return s
}

/** The step whose calls may run now, if any. */
export function activeStep(): StepState | undefined {
  return active
}

export function setActiveStep(state: StepState | undefined): void {
  active = state
}

/** The message of anything thrown (its name when the message is empty). */
export function message(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e)
}

/** An error that points at the step's line that made the call (its stack was taken there). */
export function siteError(): { site: Error; fail: (text: string) => never } {
  const site = new Error('sql')
  return {
    site,
    fail(text: string): never {
      site.message = text
      throw site
    },
  }
}

/** Where in the step's (transpiled) code a stack says the call was made. */
export function positionOf(stack: string | undefined, runId: number): { line: number; col: number } | undefined {
  for (const m of (stack ?? '').matchAll(new RegExp(POSITION, 'g'))) {
    if (Number(m[1]) === runId) return { line: Number(m[2]), col: Number(m[3]) }
  }
  return undefined
}
