// Runs TS/JS steps in a long-lived worker process (worker.ts, bundled to dist/ts-worker.js; a
// child process, so the operating system can hold it to what a step may touch): no Node start
// per step, and a step stuck in a synchronous loop is still stopped — on timeout or abort the
// worker is killed, the process groups of the commands the step started are killed
// (SIGTERM, then SIGKILL after a grace), and a fresh worker is started for the next step.
// A step's phases: check the request → transpile → get a worker → run (the worker's requests
// answered meanwhile) → tear down what the step left → the result.
//
// Under the OS guard (request.confine) the worker itself starts inside bubblewrap's read-only view:
// one worker per distinct view (its wrapped argv is the key: the sorted writable paths) and one
// unguarded, each started on demand and kept for the host's life, so no bwrap start per step.
//
// The step's timeout clock pauses while the host waits for the operator (command checks and
// `confirm`), so a step is not timed out while a question is on screen.
//
// Steps' `sql` and `redis` clients live in the worker (clients.ts). The worker reports the
// PostgreSQL backends it opened, so that a worker killed in the middle of a statement also has
// that statement cancelled on the server; `close()` lets the worker close its connections first.
import { existsSync, statSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DetectionCache } from '../../plan/judge-cache.js'
import { language, msg } from '../../terminal/messages/index.js'
import { errorText } from '../error-text.js'
import { stopGroup, trackGroup, untrackGroup } from '../process-group.js'
import { Deadline } from './deadline.js'
import { closeWorkerClients, discardWorker, spawnWorker, type LiveWorker } from './live-worker.js'
import type { RunMessage, TsCommand, TsHooks, TsStatement, TsStepRequest, TsStepResult, WorkerToHost } from './protocol.js'
import { stepResult, type Ending, type StepRun } from './step-run.js'
import { originalLine, transpileStep, type Transpiled } from './transpile.js'
import { answerConfirm, answerGate, runExec, safely } from './worker-requests.js'

export type { CommandDecision, StepDbOptions, TsCheck, TsCommand, TsHooks, TsStatement, TsStepRequest, TsStepResult } from './protocol.js'
export { originalLine } from './transpile.js'

let nextRunId = 1

export class TsHost {
  readonly #workerUrl: URL
  /** The live workers by view: '' for the unguarded one, else the guarded worker's argv. */
  readonly #live = new Map<string, { live: LiveWorker; argv: string[] }>()
  #queue: Promise<unknown> = Promise.resolve()
  #closed = false

  readonly #cache: DetectionCache | undefined

  /** `cache` keeps transpiled steps on disk, so a warm run never starts esbuild's service. */
  constructor(opts?: { workerUrl?: URL; cache?: DetectionCache }) {
    this.#cache = opts?.cache
    this.#workerUrl = opts?.workerUrl ?? defaultWorkerUrl()
  }

  /** Runs one step; steps queue up, one at a time per host. */
  run(req: TsStepRequest, hooks: TsHooks): Promise<TsStepResult> {
    const result = this.#queue.then(() => this.#run(req, hooks))
    this.#queue = result.catch(() => undefined)
    return result
  }

  /** Stops a running step (as interrupted) and the worker; an idle worker first closes its connections. */
  async close(): Promise<void> {
    this.#closed = true
    const workers = [...this.#live.values()].map((w) => w.live)
    this.#live.clear()
    const running = new Set(workers.filter((live) => live.step !== undefined))
    for (const live of running) live.step?.end({ kind: 'abort' })
    await this.#queue
    await Promise.all(
      workers.map(async (live) => {
        if (!running.has(live) && !live.dead) await closeWorkerClients(live)
        await discardWorker(live)
      }),
    )
  }

  async #run(req: TsStepRequest, hooks: TsHooks): Promise<TsStepResult> {
    const started = performance.now()
    const base = (): TsStepResult => ({
      ok: false,
      timedOut: false,
      interrupted: false,
      durationMs: Math.round(performance.now() - started),
      state: req.state,
      checks: [],
      commands: [],
    })
    if (this.#closed) return { ...base(), error: msg.executors.tsHostClosed }
    if (req.signal?.aborted) return { ...base(), interrupted: true, error: msg.executors.interrupted }
    const cwd = resolvePath(req.cwd ?? '.')
    if (!isDirectory(cwd)) return { ...base(), error: msg.executors.workingDirectoryNotFound(cwd) }

    const code = await transpileStep(req.code, req.loader, this.#cache)
    if ('error' in code) return { ...base(), ...code }

    const argv = this.#workerArgv(req)
    let live: LiveWorker
    try {
      live = await this.#acquire(argv)
    } catch (err) {
      return { ...base(), error: msg.executors.tsWorkerFailedToStart(errorText(err)) }
    }
    if (req.signal?.aborted) return { ...base(), interrupted: true, error: msg.executors.interrupted }

    const { run, ended } = this.#start(live, req, hooks, code, cwd)
    const ending = await ended
    await this.#tearDown(live, run, ending, argv)
    return stepResult(run, ending, base())
  }

  /** Hands the step to the worker; `ended` settles with how the step ended. */
  #start(live: LiveWorker, req: TsStepRequest, hooks: TsHooks, code: Transpiled, cwd: string): { run: StepRun; ended: Promise<Ending> } {
    let settle: (e: Ending) => void = () => undefined
    const ended = new Promise<Ending>((resolve) => (settle = resolve))
    const onAbort = (): void => run.end({ kind: 'abort' })
    const run: StepRun = {
      runId: nextRunId++,
      req,
      hooks,
      mappings: code.mappings,
      checks: [],
      commands: [],
      groups: new Set(),
      execs: new Set(),
      execAbort: new AbortController(),
      deadline: new Deadline(req.timeoutMs, () => run.end({ kind: 'timeout' })),
      end(e) {
        if (live.step !== run) return
        live.step = undefined
        run.deadline.clear()
        req.signal?.removeEventListener('abort', onAbort)
        settle(e)
      },
    }
    live.step = run
    live.worker.ref()
    req.signal?.addEventListener('abort', onAbort, { once: true })
    const message: RunMessage = {
      t: 'run',
      runId: run.runId,
      js: code.js,
      env: req.env,
      inputs: req.inputs,
      state: req.state,
      cwd,
      timeoutMs: req.timeoutMs,
      ...(req.db ? { db: req.db } : {}),
      language: language(),
    }
    try {
      live.worker.postMessage(message)
    } catch (err) {
      run.end({ kind: 'crash', error: msg.executors.tsCannotSendStep(errorText(err)) })
    }
    return { run, ended }
  }

  /** A worker that did not finish the step cleanly is replaced; what the step started is stopped. */
  async #tearDown(live: LiveWorker, run: StepRun, ending: Ending, argv: string[]): Promise<void> {
    if (ending.kind === 'done') live.worker.unref()
    else {
      const key = keyOf(argv)
      if (this.#live.get(key)?.live === live) this.#live.delete(key)
      await discardWorker(live)
      if (!this.#closed) this.#prewarm(argv)
    }
    run.execAbort.abort()
    await Promise.allSettled([...run.execs])
    await Promise.all([...run.groups].map((pgid) => stopGroup(pgid).finally(() => untrackGroup(pgid))))
  }

  /** The worker's command line: node and the worker bundle, wrapped in the step's view if any. */
  #workerArgv(req: TsStepRequest): string[] {
    const plain = [process.execPath, fileURLToPath(this.#workerUrl)]
    return req.confine ? req.confine(plain) : plain
  }

  async #acquire(argv: string[]): Promise<LiveWorker> {
    const key = keyOf(argv)
    const current = this.#live.get(key)
    const live = current && !current.live.dead ? current.live : this.#spawn(argv)
    try {
      await live.ready
    } catch (err) {
      if (this.#live.get(key)?.live === live) this.#live.delete(key)
      throw err
    }
    return live
  }

  /** After a worker was killed, its successor starts at once (the next step need not wait). */
  #prewarm(argv: string[]): void {
    const current = this.#live.get(keyOf(argv))
    if (current && !current.live.dead) return
    this.#spawn(argv).ready.catch(() => undefined)
  }

  #spawn(argv: string[]): LiveWorker {
    const live = spawnWorker(argv, (l, message) => this.#onMessage(l, message))
    this.#live.set(keyOf(argv), { live, argv })
    return live
  }

  #onMessage(live: LiveWorker, message: WorkerToHost): void {
    const step = live.step
    const mine = step !== undefined && 'runId' in message && message.runId === step.runId
    switch (message.t) {
      case 'gate':
        void answerGate(live, mine ? step : undefined, message.command, message.reasons, message.exact)
        return
      case 'exec':
        void runExec(live, mine ? step : undefined, message)
        return
      case 'spawned':
        trackGroup(message.pid)
        if (mine) step.groups.add(message.pid)
        else void stopGroup(message.pid).finally(() => untrackGroup(message.pid)) // a step that already ended
        return
      case 'reaped':
        untrackGroup(message.pid)
        step?.groups.delete(message.pid)
        return
      default:
        if (mine) onStepMessage(live, step, message)
    }
  }
}

/** A message of the running step: output, checks, notes, tables, records, questions, its end. */
function onStepMessage(live: LiveWorker, step: StepRun, message: WorkerToHost): void {
  const hooks = step.hooks
  switch (message.t) {
    case 'output':
      safely(() => hooks.onOutput(message.text, message.stream))
      return
    case 'check':
      step.checks.push(message.check)
      safely(() => hooks.onCheck?.(message.check))
      return
    case 'note':
      safely(() => hooks.onNote?.(message.markdown))
      return
    case 'table':
      safely(() => hooks.onTable?.(message.rows))
      return
    case 'commandEnd': {
      const record: TsCommand = { command: message.command, exitCode: message.exitCode, durationMs: message.durationMs }
      step.commands.push(record)
      safely(() => hooks.onCommandEnd?.(record))
      return
    }
    case 'confirm':
      void answerConfirm(live, step, message.id, message.question)
      return
    case 'statement': {
      const line = message.pos ? originalLine(step.mappings, message.pos.line, message.pos.col) : undefined
      const statement: TsStatement = { sql: message.sql, command: message.command, rowCount: message.rowCount, durationMs: message.durationMs, ...(line ? { line } : {}) }
      safely(() => hooks.onStatement?.(statement))
      return
    }
    case 'uncaught':
      step.end({ kind: 'uncaught', error: message.error, pos: message.pos })
      return
    case 'done':
      step.end({ kind: 'done', msg: message })
      return
    default:
      return
  }
}

/** Workers are shared by steps whose worker command line is the same: the same view. */
function keyOf(argv: readonly string[]): string {
  return JSON.stringify(argv)
}

function defaultWorkerUrl(): URL {
  const beside = new URL('./ts-worker.js', import.meta.url)
  if (existsSync(fileURLToPath(beside))) return beside
  // Running from source (vitest, tsx): the bundle that `npm run build` writes.
  return new URL('../../../../dist/ts-worker.js', import.meta.url)
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
