// Fakes for running the walk in-process: prompts that answer from a script, executors that record
// what they were asked to run, a fixed clock, a recorder that keeps the events, a sandbox guard.
import { PassThrough } from 'node:stream'
import { Chalk } from 'chalk'
import { executeRun, type RunDeps, type RunSettings, type SandboxGuard } from '../../src/runner/run/execute.js'
import { blankStep } from '../../src/runner/run/step.js'
import { parseRunbook } from '../../src/runner/parse/parse.js'
import { plan as planRunbook } from '../../src/runner/plan/plan.js'
import type { Answer, ExecutorRegistry, Question, RunEvent, RunRecord, StepContext, StepExecutor, StepOutcome } from '../../src/runner/model/run-record.js'
import type { Plan, Runbook } from '../../src/runner/model/runbook.js'
import type { Prompts } from '../../src/runner/terminal/prompts.js'
import { initialRecord } from '../report/helpers.js'

/** 09:00:00 local time on 2026-11-26, whatever the time of day the tests run at. */
export const FIXED = new Date(2026, 10, 26, 9, 0, 0)
export const fixedClock = () => new Date(FIXED)

export const OPERATOR = 'Kim Gate <gate@example.com>'

/** A terminal-less output stream that keeps what was written, for `out` of a run. */
export function sink(): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string }
  let text = ''
  ;(stream as unknown as PassThrough).on('data', (d: Buffer) => (text += d.toString()))
  stream.text = () => text
  return stream
}

/** How a fake operator answers: run and say yes, run and say no, skip the step, quit the run. */
export type Answering = 'yes' | 'no' | 'skip' | 'quit'

export function scriptedPrompts(answering: Answering): Prompts & { asked: string[] } {
  const asked: string[] = []
  const yes = (name: string) => async () => {
    asked.push(name)
    return answering === 'yes'
  }
  return {
    asked,
    stepAction: async () => {
      asked.push('stepAction')
      return answering === 'skip' ? 'skip' : answering === 'quit' ? 'quit' : 'run'
    },
    confirmDestructive: yes('confirmDestructive'),
    typeStepId: yes('typeStepId'),
    commit: yes('commit'),
    confirm: yes('confirm'),
    afterFailure: async () => {
      asked.push('afterFailure')
      return 'abort'
    },
    askInput: async () => '',
    askEnv: async () => '',
    tick: async (items) => items.map(() => answering === 'yes'),
  }
}

/** An executor that records each run; `behave` decides the outcome (passed by default). */
export function recordingExecutors(behave: (ctx: StepContext) => Promise<StepOutcome> = async () => ({ status: 'passed' })) {
  const runs: StepContext[] = []
  const executor: StepExecutor = {
    run: async (ctx) => {
      runs.push(ctx)
      return behave(ctx)
    },
  }
  const executors = { ts: executor, js: executor, shell: executor, sql: executor, redis: executor } satisfies ExecutorRegistry
  return { executors, runs }
}

/** An executor step that asks one question and, like the real ones, stops as the answer says. */
export function asking(question: Question) {
  return async (ctx: StepContext): Promise<StepOutcome> => {
    const answer: Answer = await ctx.ask(question)
    if (answer.allow) return { status: 'passed', consent: answer.consent }
    return { status: answer.status, reason: answer.reason }
  }
}

/** A sandbox guard that refuses everything (`refuses`) or nothing (`allows`), counting its calls. */
export function fakeGuard(verdict: 'refuses' | 'allows'): SandboxGuard & { calls: number } {
  const guard = {
    calls: 0,
    stepViolations: async () => {
      guard.calls++
      return verdict === 'refuses' ? ['writes /etc/motd'] : []
    },
    commandViolations: async () => {
      guard.calls++
      return verdict === 'refuses' ? ['writes /etc/motd'] : []
    },
  }
  return guard
}

export async function planOf(text: string): Promise<{ runbook: Runbook; plan: Plan }> {
  const runbook = parseRunbook(text, 'runbooks/gate.md')
  return { runbook, plan: await planRunbook(runbook) }
}

export interface WalkOptions {
  settings?: Partial<RunSettings>
  prompts?: Prompts | null
  executors?: ExecutorRegistry
  guard?: SandboxGuard
  /** The run's secrets (as secretValues gives them). */
  secrets?: string[]
  /** The record to start from (a resume): default, a fresh one. */
  initial?: RunRecord
  /** The probe runner (default: every probe passes, silently). */
  probe?: RunDeps['probe']
}

/** executeRun with fakes around it; returns the record, the events and what the terminal showed. */
export async function walkInProcess(runbook: Runbook, plan: Plan, opts: WalkOptions = {}) {
  const events: RunEvent[] = []
  let screen = ''
  let log = ''
  const initial: RunRecord = opts.initial ?? { ...initialRecord(runbook), operator: OPERATOR, steps: plan.steps.map(blankStep) }
  const settings: RunSettings = {
    dryRun: false,
    yes: false,
    auto: false,
    target: 'staging',
    operator: OPERATOR,
    cwd: process.cwd(),
    tmpDir: '/tmp',
    env: {},
    inputs: {},
    logName: 'gate.log',
    ...opts.settings,
  }
  const deps: RunDeps = {
    executors: opts.executors ?? recordingExecutors().executors,
    prompts: opts.prompts ?? null,
    view: { write: (t) => (screen += t), output: (t) => (screen += t), stepStarted: () => undefined, stepEnded: () => undefined, closed: () => false },
    c: new Chalk({ level: 0 }),
    highlight: (_language, code) => code,
    recorder: { append: async (e) => void events.push(e), appendLog: (_id, text) => void (log += text), render: async () => undefined },
    interrupts: { stepSignal: () => new AbortController().signal, pending: () => null, clear: () => undefined },
    secrets: opts.secrets ?? [],
    now: fixedClock,
    onPath: () => true,
    probe: opts.probe ?? (async () => ({ ok: true, output: '' })),
    guard: opts.guard ?? fakeGuard('allows'),
  }
  const record = await executeRun(plan, runbook, initial, settings, deps)
  return { record, events, screen: () => screen, log: () => log }
}
