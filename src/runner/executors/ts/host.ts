// Runs TS/JS steps in a long-lived worker thread (src/runner/ts-worker.ts): no Node start per
// step, and a step stuck in a synchronous loop is still stopped — on timeout or abort the worker
// is terminated, the process groups of the commands the step started are killed (SIGTERM, then
// SIGKILL after a grace), and a fresh worker is started for the next step.
//
// The step's timeout clock pauses while the host waits for the operator (command checks and
// `confirm`), so a step is not timed out while a question is on screen.
//
// Steps' `sql` and `redis` clients live in the worker (ts-clients.ts). The worker reports the
// PostgreSQL backends it opened, so that a worker killed in the middle of a statement also has
// that statement cancelled on the server; `close()` lets the worker close its connections first.
import { existsSync, statSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import { transform } from 'esbuild'
import { cancelBackend, type PgBackendKey } from '../sql.js'
import { runProcess, stopGroup, trackGroup, untrackGroup, type OutputStream } from '../process.js'
import { decodeVlq } from '../../judge/sourcemap.js'
import type { DetectionCache } from '../../plan/judge-cache.js'

export interface TsStepRequest {
  code: string
  loader: 'ts' | 'js'
  env: Record<string, string>
  inputs: Record<string, unknown>
  state: Record<string, unknown>
  /** 0 (or less, or Infinity) for no limit. */
  timeoutMs: number
  /** Working directory of `$` commands (relative paths resolve against process.cwd()). */
  cwd?: string
  stepId: string
  /** Abort = interrupt the step (Ctrl-C). */
  signal?: AbortSignal
  /** How the step's `sql` and `redis` behave (default: not destructive, DATABASE_URL, REDIS_URL). */
  db?: StepDbOptions
}

export interface StepDbOptions {
  /** The step is destructive (confirmed as a whole): sql autocommits, redis commands are not asked. */
  destructive: boolean
  /** Declared `safe`: sql that detection finds destructive still runs (read-only). */
  safe: boolean
  dbVar: string
  redisVar: string
  runbookId: string
  stepId: string
}

/** A `sql` call of a step, for the report. */
export interface TsStatement {
  sql: string
  command: string
  rowCount: number | null
  durationMs: number
  /** 1-based line in the step's code, when known. */
  line?: number
}

export interface TsCheck {
  name: string
  ok: boolean
  detail?: string
}

export interface TsCommand {
  command: string
  exitCode: number | null
  durationMs: number
}

export type CommandDecision = 'allow' | { deny: string }

export interface TsHooks {
  onOutput(text: string, stream: OutputStream): void
  /**
   * Called before every `$` command starts, and before a `redis` command that was judged
   * destructive (then with `reasons`); the command waits for the answer.
   */
  onCommand(command: string, reasons?: string[]): Promise<CommandDecision>
  onStatement?(statement: TsStatement): void
  onCommandEnd?(command: TsCommand): void
  onCheck?(check: TsCheck): void
  onNote?(markdown: string): void
  onTable?(rows: unknown): void
  confirm(question: string): Promise<boolean>
}

export interface TsStepResult {
  ok: boolean
  /** Message, with ` (line N)` (step-relative) when known. */
  error?: string
  /** 1-based line in the step's code where the error was raised, when known. */
  errorLine?: number
  timedOut: boolean
  interrupted: boolean
  durationMs: number
  /** The state after the step (JSON round-tripped). Unchanged when the worker had to be killed. */
  state: Record<string, unknown>
  checks: TsCheck[]
  commands: TsCommand[]
  /** The command that was denied; the step failed because of it (record it as blocked). */
  blockedCommand?: { command: string; reason: string }
}

// ---- Protocol between host and worker (also imported by ts-worker.ts) ----------------------

export interface RunMessage {
  t: 'run'
  runId: number
  js: string
  env: Record<string, string>
  inputs: Record<string, unknown>
  state: Record<string, unknown>
  cwd: string
  timeoutMs?: number
  db?: StepDbOptions
}

export type HostToWorker = RunMessage | { t: 'confirmed'; id: number; value?: boolean; error?: string } | { t: 'close' }

type Pos = { line: number; col: number }

export type WorkerToHost =
  | { t: 'ready' }
  | { t: 'output'; runId: number; stream: OutputStream; text: string }
  | { t: 'check'; runId: number; check: TsCheck }
  | { t: 'note'; runId: number; markdown: string }
  | { t: 'table'; runId: number; rows: unknown }
  | { t: 'confirm'; runId: number; id: number; question: string }
  | { t: 'spawned'; runId: number; pid: number }
  | { t: 'reaped'; pid: number }
  | { t: 'commandEnd'; runId: number; command: string; exitCode: number | null; durationMs: number }
  | { t: 'uncaught'; runId: number; error: string; pos?: Pos }
  | { t: 'done'; runId: number; state?: Record<string, unknown>; error?: string; pos?: Pos }
  | { t: 'statement'; runId: number; sql: string; command: string; rowCount: number | null; durationMs: number; pos?: Pos }
  | { t: 'pgBackend'; host: string; port: number; processID: number; secretKey: number }
  | { t: 'closed' }
  // answered through the sync port while the worker blocks:
  | { t: 'gate'; runId: number; command: string; reasons?: string[] }
  | {
      t: 'exec'
      runId: number
      command: string
      file: string
      args: string[]
      cwd?: string
      env: Record<string, string>
      input?: string | Uint8Array
    }

export type GateReply = { allow: true } | { deny: string }
export interface ExecReply {
  pid: number
  status: number | null
  signal: string | null
  stdout: Uint8Array
  stderr: Uint8Array
  error?: string
}

// ---------------------------------------------------------------------------------------------

interface Live {
  worker: Worker
  flag: Int32Array
  port: MessagePort
  ready: Promise<void>
  dead: boolean
  step?: StepRun
  /** PostgreSQL backends the worker's `sql` opened (cancelled when the worker is killed). */
  backends: Map<number, PgBackendKey>
  onClosed?: () => void
}

type Ending =
  | { kind: 'done'; msg: Extract<WorkerToHost, { t: 'done' }> }
  | { kind: 'uncaught'; error: string; pos?: Pos }
  | { kind: 'timeout' }
  | { kind: 'abort' }
  | { kind: 'crash'; error: string }

interface StepRun {
  runId: number
  req: TsStepRequest
  hooks: TsHooks
  mappings: string
  checks: TsCheck[]
  commands: TsCommand[]
  blocked?: { command: string; reason: string }
  groups: Set<number>
  execs: Set<Promise<unknown>>
  execAbort: AbortController
  deadline: Deadline
  end(ending: Ending): void
}

let nextRunId = 1

export class TsHost {
  readonly #workerUrl: URL
  #live: Live | undefined
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
    const live = this.#live
    this.#live = undefined
    const wasRunning = live?.step !== undefined
    live?.step?.end({ kind: 'abort' })
    await this.#queue
    if (!live) return
    if (!wasRunning && !live.dead) await this.#closeClients(live)
    await this.#discard(live)
  }

  /** Asks the worker to close its sql/redis connections; gives up after a few seconds. */
  async #closeClients(live: Live): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      live.onClosed = resolve
      const timer = setTimeout(resolve, 3000)
      timer.unref()
    })
    try {
      live.worker.ref()
      live.worker.postMessage({ t: 'close' } satisfies HostToWorker)
      await closed
    } catch {
      // the worker is gone
    } finally {
      live.worker.unref()
    }
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
    if (this.#closed) return { ...base(), error: 'the TS host is closed' }
    if (req.signal?.aborted) return { ...base(), interrupted: true, error: 'interrupted' }
    const cwd = resolvePath(req.cwd ?? '.')
    if (!isDirectory(cwd)) return { ...base(), error: `working directory not found: ${cwd}` }

    let js: string
    let mappings: string
    try {
      const cached = this.#cache?.peek<{ js: string; mappings: string }>(`transpile-${req.loader}`, req.code)
      if (cached) ({ js, mappings } = cached)
      else {
        const out = await transform(req.code, {
          loader: req.loader,
          sourcemap: 'external',
          sourcefile: `step.${req.loader}`,
          target: 'node20',
        })
        js = out.code
        mappings = (JSON.parse(out.map) as { mappings: string }).mappings
        this.#cache?.put(`transpile-${req.loader}`, req.code, { js, mappings })
      }
    } catch (err) {
      const first = (err as { errors?: { text: string; location?: { line: number } | null }[] }).errors?.[0]
      if (!first) return { ...base(), error: String(err) }
      const line = first.location?.line
      return { ...base(), error: `${first.text}${line ? ` (line ${line})` : ''}`, ...(line ? { errorLine: line } : {}) }
    }

    let live: Live
    try {
      live = await this.#acquire()
    } catch (err) {
      return { ...base(), error: `the TS worker failed to start: ${errorText(err)}` }
    }
    if (req.signal?.aborted) return { ...base(), interrupted: true, error: 'interrupted' }

    let settle: (e: Ending) => void = () => undefined
    const ended = new Promise<Ending>((resolve) => (settle = resolve))
    const onAbort = (): void => run.end({ kind: 'abort' })
    const run: StepRun = {
      runId: nextRunId++,
      req,
      hooks,
      mappings,
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
    const msg: RunMessage = {
      t: 'run',
      runId: run.runId,
      js,
      env: req.env,
      inputs: req.inputs,
      state: req.state,
      cwd,
      timeoutMs: req.timeoutMs,
      ...(req.db ? { db: req.db } : {}),
    }
    try {
      live.worker.postMessage(msg)
    } catch (err) {
      run.end({ kind: 'crash', error: `could not send the step to the worker: ${errorText(err)}` })
    }
    const ending = await ended

    // Tear down: a worker that did not finish the step cleanly is replaced.
    if (ending.kind === 'done') live.worker.unref()
    else {
      if (this.#live === live) this.#live = undefined
      await this.#discard(live)
      if (!this.#closed) this.#prewarm()
    }
    run.execAbort.abort()
    await Promise.allSettled([...run.execs])
    await Promise.all(
      [...run.groups].map((pgid) =>
        stopGroup(pgid).finally(() => {
          untrackGroup(pgid)
        }),
      ),
    )

    const result: TsStepResult = { ...base(), checks: run.checks, commands: run.commands }
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
        error = `timed out after ${req.timeoutMs} ms`
        break
      case 'abort':
        result.interrupted = true
        error = 'interrupted'
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
    const failedChecks = run.checks.filter((c) => !c.ok)
    if (!error && failedChecks.length > 0) {
      error = `check failed: ${failedChecks.map((c) => c.name).join(', ')}`
    }
    if (error !== undefined) {
      const line = pos ? originalLine(run.mappings, pos.line, pos.col) : undefined
      result.error = line ? `${error} (line ${line})` : error
      if (line) result.errorLine = line
    }
    result.ok = error === undefined
    return result
  }

  async #acquire(): Promise<Live> {
    if (!this.#live || this.#live.dead) this.#live = this.#spawn()
    const live = this.#live
    try {
      await live.ready
    } catch (err) {
      if (this.#live === live) this.#live = undefined
      throw err
    }
    return live
  }

  #prewarm(): void {
    if (this.#live && !this.#live.dead) return
    this.#live = this.#spawn()
    this.#live.ready.catch(() => undefined)
  }

  #spawn(): Live {
    const flagBuffer = new SharedArrayBuffer(4)
    const { port1, port2 } = new MessageChannel()
    port1.unref() // only ever posted to; must not keep the runner alive
    const worker = new Worker(this.#workerUrl, {
      workerData: { flag: flagBuffer, syncPort: port2 },
      transferList: [port2],
      // Not `stdout: true`: reading a worker's stdio keeps the runner alive for good. The worker
      // sends console and process.stdout/stderr output as messages instead.
    })
    worker.unref()
    let markReady: () => void = () => undefined
    let failStart: (e: Error) => void = () => undefined
    const live: Live = {
      worker,
      flag: new Int32Array(flagBuffer),
      port: port1,
      dead: false,
      ready: new Promise<void>((res, rej) => {
        markReady = res
        failStart = rej
      }),
      backends: new Map(),
    }
    worker.on('message', (msg: WorkerToHost) => {
      if (msg.t === 'ready') markReady()
      else if (msg.t === 'closed') live.onClosed?.()
      else if (msg.t === 'pgBackend') live.backends.set(msg.processID, msg)
      else this.#onMessage(live, msg)
    })
    const died = (why: string): void => {
      if (live.dead) return
      live.dead = true
      failStart(new Error(why))
      live.step?.end({ kind: 'crash', error: `the TS worker stopped: ${why}` })
    }
    worker.on('error', (err) => died(errorText(err)))
    worker.on('exit', (code) => died(`exit code ${code}`))
    return live
  }

  async #discard(live: Live): Promise<void> {
    live.dead = true
    this.#reply(live, { deny: 'the step was stopped' }) // wake it if it waits on a command check
    // Its PostgreSQL sessions die with it (an open transaction rolls back), but a statement the
    // server is running would go on until it next talks to the client: cancel it.
    const backends = [...live.backends.values()]
    live.backends.clear()
    await Promise.all([live.worker.terminate().catch(() => undefined), ...backends.map((key) => cancelBackend(key).catch(() => undefined))])
    live.port.close()
  }

  #reply(live: Live, msg: GateReply | ExecReply): void {
    try {
      live.port.postMessage(msg)
    } catch {
      // closed port: the worker is gone
    }
    Atomics.store(live.flag, 0, 1)
    Atomics.notify(live.flag, 0)
  }

  #onMessage(live: Live, msg: WorkerToHost): void {
    const step = live.step
    const mine = step !== undefined && 'runId' in msg && msg.runId === step.runId
    switch (msg.t) {
      case 'gate':
        void this.#gate(live, mine ? step : undefined, msg.command, msg.reasons)
        return
      case 'exec':
        void this.#exec(live, mine ? step : undefined, msg)
        return
      case 'spawned':
        trackGroup(msg.pid)
        if (mine) step.groups.add(msg.pid)
        else void stopGroup(msg.pid).finally(() => untrackGroup(msg.pid)) // a step that already ended
        return
      case 'reaped':
        untrackGroup(msg.pid)
        step?.groups.delete(msg.pid)
        return
      default:
        break
    }
    if (!mine) return
    const hooks = step.hooks
    switch (msg.t) {
      case 'output':
        safely(() => hooks.onOutput(msg.text, msg.stream))
        return
      case 'check':
        step.checks.push(msg.check)
        safely(() => hooks.onCheck?.(msg.check))
        return
      case 'note':
        safely(() => hooks.onNote?.(msg.markdown))
        return
      case 'table':
        safely(() => hooks.onTable?.(msg.rows))
        return
      case 'commandEnd': {
        const record: TsCommand = { command: msg.command, exitCode: msg.exitCode, durationMs: msg.durationMs }
        step.commands.push(record)
        safely(() => hooks.onCommandEnd?.(record))
        return
      }
      case 'confirm':
        void this.#confirm(live, step, msg.id, msg.question)
        return
      case 'statement': {
        const line = msg.pos ? originalLine(step.mappings, msg.pos.line, msg.pos.col) : undefined
        const statement: TsStatement = { sql: msg.sql, command: msg.command, rowCount: msg.rowCount, durationMs: msg.durationMs, ...(line ? { line } : {}) }
        safely(() => hooks.onStatement?.(statement))
        return
      }
      case 'uncaught':
        step.end({ kind: 'uncaught', error: msg.error, pos: msg.pos })
        return
      case 'done':
        step.end({ kind: 'done', msg })
        return
      default:
        return
    }
  }

  async #gate(live: Live, step: StepRun | undefined, command: string, reasons?: string[]): Promise<void> {
    let reply: GateReply
    if (!step) reply = { deny: 'the step has ended' }
    else if (step.blocked) reply = { deny: step.blocked.reason }
    else {
      step.deadline.pause()
      try {
        const decision = await step.hooks.onCommand(command, reasons)
        reply = decision === 'allow' ? { allow: true } : { deny: decision.deny || 'denied' }
      } catch (err) {
        reply = { deny: `the command check failed: ${errorText(err)}` }
      } finally {
        step.deadline.resume()
      }
      if ('deny' in reply) step.blocked ??= { command, reason: reply.deny }
    }
    this.#reply(live, reply)
  }

  async #exec(live: Live, step: StepRun | undefined, msg: Extract<WorkerToHost, { t: 'exec' }>): Promise<void> {
    if (!step) {
      this.#reply(live, { pid: 0, status: null, signal: null, stdout: new Uint8Array(), stderr: new Uint8Array(), error: 'the step has ended' })
      return
    }
    const hooks = step.hooks
    safely(() => hooks.onOutput(`$ ${msg.command}\n`, 'stdout'))
    const chunks: Record<OutputStream, Buffer[]> = { stdout: [], stderr: [] }
    const running = runProcess({
      file: msg.file,
      args: msg.args,
      cwd: msg.cwd,
      env: msg.env,
      timeoutMs: 0,
      signal: step.execAbort.signal,
      input: msg.input,
      onData: (chunk, stream) => chunks[stream].push(chunk),
      onOutput: (text, stream) => safely(() => hooks.onOutput(text, stream)),
    })
    step.execs.add(running)
    const res = await running
    step.execs.delete(running)
    const record: TsCommand = { command: msg.command, exitCode: res.exitCode, durationMs: res.durationMs }
    step.commands.push(record)
    safely(() => hooks.onCommandEnd?.(record))
    this.#reply(live, {
      pid: 0,
      status: res.exitCode,
      signal: res.signal,
      stdout: Buffer.concat(chunks.stdout),
      stderr: Buffer.concat(chunks.stderr),
      ...(res.error !== undefined ? { error: res.error } : {}),
    })
  }

  async #confirm(live: Live, step: StepRun, id: number, question: string): Promise<void> {
    let answer: HostToWorker
    step.deadline.pause()
    try {
      answer = { t: 'confirmed', id, value: (await step.hooks.confirm(question)) === true }
    } catch (err) {
      answer = { t: 'confirmed', id, error: errorText(err) }
    } finally {
      step.deadline.resume()
    }
    if (live.step === step && !live.dead) live.worker.postMessage(answer)
  }
}

/** A timeout that can be paused while the operator is being asked something. */
class Deadline {
  #remaining: number
  #since = 0
  #timer: NodeJS.Timeout | undefined
  #paused = 0
  #cleared = false
  readonly #onExpire: () => void

  constructor(ms: number, onExpire: () => void) {
    this.#remaining = ms > 0 && Number.isFinite(ms) ? ms : Infinity
    this.#onExpire = onExpire
    this.#arm()
  }

  #arm(): void {
    if (this.#cleared || this.#remaining === Infinity) return
    this.#since = performance.now()
    this.#timer = setTimeout(this.#onExpire, Math.max(0, this.#remaining))
  }

  pause(): void {
    if (this.#paused++ > 0 || !this.#timer) return
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#remaining -= performance.now() - this.#since
  }

  resume(): void {
    if (this.#paused === 0 || --this.#paused > 0) return
    if (!this.#timer) this.#arm()
  }

  clear(): void {
    this.#cleared = true
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
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

function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    // a hook that throws must not break the step's bookkeeping
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Maps a 1-based generated position to the 1-based original line through a source map. */
export function originalLine(mappings: string, line: number, col: number): number | undefined {
  let srcLine = 0
  const lines = mappings.split(';')
  for (let l = 0; l < lines.length && l < line; l++) {
    let genCol = 0
    let best: number | undefined
    let first: number | undefined
    for (const segment of lines[l]!.split(',')) {
      if (!segment) continue
      const fields = decodeVlq(segment)
      genCol += fields[0] ?? 0
      if (fields.length < 4) continue
      srcLine += fields[2] ?? 0
      first ??= srcLine
      if (genCol <= col - 1) best = srcLine
    }
    if (l === line - 1) {
      const found = best ?? first
      return found === undefined ? undefined : found + 1
    }
  }
  return undefined
}

