// What the walk is given: its settings (plain data) and its side effects (terminal, prompts,
// executors, clock, report, sandbox guard), so that every stage of it can be run with fakes.
import type { ChalkInstance } from 'chalk'
import type { Clock } from '../model/clock.js'
import type { ExecutorRegistry, InputValue, RunEvent, RunRecord } from '../model/run-record.js'
import type { PlannedStep } from '../model/runbook.js'
import type { ConsoleView } from '../terminal/console-view.js'
import type { Prompts } from '../terminal/prompts.js'
import type { GuardSetting } from '../executors/guard/choose.js'

export interface RunSettings {
  dryRun: boolean
  yes: boolean
  auto: boolean
  only?: string
  from?: string
  target: string
  /** The sandbox folder in --sandbox runs: steps that would change the host outside it are refused (rule 5). */
  sandboxDir?: string
  operator: string
  cwd: string
  tmpDir: string
  env: Record<string, string>
  inputs: Record<string, InputValue>
  logName: string
  /** The OS guard as found at the start of the run, the scratch folder and the reports folder.
   * Absent (in-process tests): steps run as they are and record no guard. */
  osGuard?: GuardSetting
}

/** Where the walk records: the journal (every event), the .log (full output) and the report views. */
export interface Recorder {
  append(event: RunEvent): Promise<void>
  appendLog(stepId: string, text: string): void
  render(record: RunRecord): Promise<void>
}

/** Ctrl-C and SIGTERM, as seen by the walk. */
export interface Interrupts {
  /** Aborted on the first Ctrl-C or a SIGTERM while a step runs. */
  stepSignal(): AbortSignal
  /** 'terminate' after SIGTERM (stop without asking), 'interrupt' after Ctrl-C, else null. */
  pending(): 'interrupt' | 'terminate' | null
  clear(): void
  /** Ctrl-C at a prompt: the same as the signal (the step's signal aborts, `pending` says so). */
  raise?(): void
}

/** Safety rule 5 in --sandbox runs: what a step or a command would change outside the sandbox. */
export interface SandboxGuard {
  stepViolations(planned: PlannedStep, env: Record<string, string>, sandboxDir: string, cwd: string): Promise<string[]>
  commandViolations(command: string, sandboxDir: string, opts: { cwd: string; env: Record<string, string> }): Promise<string[]>
}

export interface RunDeps {
  executors: ExecutorRegistry
  prompts: Prompts | null
  view: ConsoleView
  c: ChalkInstance
  highlight(language: string, code: string): string
  recorder: Recorder
  interrupts: Interrupts
  secrets: string[]
  now: Clock
  onPath(command: string): boolean
  /** `error`: the probe failed in a way that must not read as "skip the step" (sudo could not elevate). */
  probe(command: string, env: Record<string, string>): Promise<{ ok: boolean; output: string; error?: string }>
  /** The sandbox's guard; by default the real one, loaded only when a --sandbox run needs it. */
  guard?: SandboxGuard
}
