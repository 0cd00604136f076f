// Runs one child process for a step: its own process group, live UTF-8 output, a timeout that
// stops the whole group (SIGTERM, then SIGKILL after a grace), and cleanup of whatever the step
// left running in its group once its main process exits. Phases: start → watch (stops, output,
// input) → after the exit (leftovers, pipes) → the result.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { statSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { msg } from '../terminal/messages/index.js'
import { errorText } from './error-text.js'
import { DEFAULT_KILL_GRACE_MS, signalGroup, stopGroup, trackProcess, untrackProcess } from './process-group.js'
import { hasLimit } from './step-stop.js'
import type { Launcher } from './guard/spawner.js'

export type OutputStream = 'stdout' | 'stderr'

export interface ProcessOptions {
  file: string
  args: string[]
  cwd?: string
  env: Record<string, string>
  /** Stop the process group after this long; 0 (or less, or Infinity) means no limit. */
  timeoutMs: number
  signal?: AbortSignal
  /** Output decoded as UTF-8 (a streaming decoder: characters split across chunks survive). */
  onOutput?: (text: string, stream: OutputStream) => void
  /** The raw bytes, for callers that need them. */
  onData?: (chunk: Buffer, stream: OutputStream) => void
  /** Called with the pid (= process group id, unless interactive) once the child started. */
  onSpawn?: (pid: number) => void
  /** Written to stdin, which is then closed. Without it stdin is /dev/null (EOF at once). */
  input?: string | Uint8Array
  /** stdio inherited, not detached (keeps the controlling terminal), nothing captured. */
  interactive?: boolean
  /** Time between SIGTERM and SIGKILL (default 2000 ms). */
  killGraceMs?: number
  /** Start `file args` through a guarded spawner (guard/spawner.ts) instead: the program to run
   * inside its view. When the spawner is not available, `file`/`args` above run directly. */
  spawner?: { launch: Launcher; file: string; args: string[] }
}

/** What watch() needs of a child: a ChildProcess, or a step a spawner started (RemoteChild). */
interface StepChild {
  readonly pid?: number | undefined
  readonly stdout: { on(event: 'data', listener: (chunk: Buffer) => void): unknown; destroy(): unknown } | null
  readonly stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown; destroy(): unknown } | null
  readonly stdin: { on(event: 'error', listener: () => void): unknown; end(data: string | Uint8Array): unknown } | null
  once(event: 'error', listener: (err: Error) => void): unknown
  once(event: 'close', listener: () => void): unknown
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown
  kill(signal: NodeJS.Signals): boolean
  /** A spawner's child holds its events until the listeners are attached. */
  release?(): void
}

export interface ProcessResult {
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  interrupted: boolean
  durationMs: number
  /** Processes still in the step's group after its main process exited, then stopped. */
  leftoverKilled: number
  /** Set when the process could not be started (e.g. missing program or cwd). */
  error?: string
}

/** After the group is gone, how long to wait for the pipes to close (a process that escaped the
 * group, e.g. via setsid, may still hold them). */
const CLOSE_WAIT_MS = 300

export async function runProcess(opts: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now()
  const start = (await startRemote(opts)) ?? startChild(opts)
  if ('result' in start) return start.result
  return watch(start.child, opts, started)
}

const NOT_STARTED = { exitCode: null, signal: null, timedOut: false, leftoverKilled: 0, durationMs: 0 }

/** Interrupted already, or a cwd that does not exist: the result without starting anything. */
function refusedStart(opts: ProcessOptions): { result: ProcessResult } | undefined {
  if (opts.signal?.aborted) return { result: { ...NOT_STARTED, interrupted: true } }
  if (opts.cwd !== undefined && !isDirectory(opts.cwd)) {
    return { result: { ...NOT_STARTED, interrupted: false, error: msg.executors.workingDirectoryNotFound(opts.cwd) } }
  }
  return undefined
}

/** Through the spawner, when one is given and works (interactive steps never: they keep the
 * terminal); undefined means start directly. */
async function startRemote(opts: ProcessOptions): Promise<{ child: StepChild } | { result: ProcessResult } | undefined> {
  if (!opts.spawner || opts.interactive === true) return undefined
  const refused = refusedStart(opts)
  if (refused) return refused
  const { launch, file, args } = opts.spawner
  const launched = await launch({ file, args, cwd: opts.cwd, env: opts.env, input: opts.input !== undefined })
  if (!launched) return undefined
  if ('error' in launched) return { result: { ...NOT_STARTED, interrupted: false, error: launched.error } }
  return { child: launched.child }
}

/** The child, or the result of a process that never started (interrupted, missing cwd or program). */
function startChild(opts: ProcessOptions): { child: ChildProcess } | { result: ProcessResult } {
  const refused = refusedStart(opts)
  if (refused) return refused
  const interactive = opts.interactive === true
  const stdio: StdioOptions = interactive ? 'inherit' : [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe']
  try {
    return { child: spawn(opts.file, opts.args, { cwd: opts.cwd, env: opts.env, stdio, detached: !interactive }) }
  } catch (err) {
    return { result: { ...NOT_STARTED, interrupted: false, error: errorText(err) } }
  }
}

/** Follows the child until it exited, its leftovers were stopped and its pipes closed. */
function watch(child: StepChild, opts: ProcessOptions, started: number): Promise<ProcessResult> {
  return new Promise<ProcessResult>((resolve) => {
    const pid = child.pid
    const grouped = opts.interactive !== true && pid !== undefined
    if (pid !== undefined) {
      opts.onSpawn?.(pid)
      trackProcess(pid, grouped)
    }
    const stops = watchStops(child, grouped, opts)
    const output = streamOutput(child, opts)
    feedInput(child, opts)
    let spawnError: string | undefined
    let exit: { code: number | null; signal: string | null } | undefined
    const pipes = { closed: false, onClosed: undefined as (() => void) | undefined }
    let settled = false
    const finish = (leftoverKilled = 0): void => {
      if (settled) return
      settled = true
      stops.clear()
      if (pid !== undefined) untrackProcess(pid, grouped)
      output.flush()
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut: stops.timedOut,
        interrupted: stops.interrupted,
        durationMs: Math.round(performance.now() - started),
        leftoverKilled,
        ...(spawnError !== undefined ? { error: spawnError } : {}),
      })
    }

    child.once('error', (err) => {
      // Failing to start (ENOENT, bad cwd): no exit event follows. A failed kill also lands
      // here; that one is harmless.
      if (pid === undefined || !exit) spawnError = errorText(err)
      if (pid === undefined) finish()
    })
    child.once('close', () => {
      pipes.closed = true
      pipes.onClosed?.()
      if (pid === undefined) finish()
    })
    child.once('exit', (code, signal) => {
      exit = { code, signal }
      stops.exited()
      void afterExit(child, grouped ? pid : undefined, opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS, pipes).then(finish)
    })
    child.release?.()
  })
}

/** The timeout and the abort signal: both stop the group, SIGTERM then SIGKILL after the grace. */
function watchStops(child: StepChild, grouped: boolean, opts: ProcessOptions) {
  const state = { timedOut: false, interrupted: false, exited: false }
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS
  let killTimer: NodeJS.Timeout | undefined
  const send = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return
    if (grouped) signalGroup(child.pid, signal)
    else child.kill(signal)
  }
  const terminate = (): void => {
    if (killTimer || state.exited) return
    send('SIGTERM')
    killTimer = setTimeout(() => send('SIGKILL'), grace)
  }
  const timeout = hasLimit(opts.timeoutMs)
    ? setTimeout(() => {
        state.timedOut = true
        terminate()
      }, opts.timeoutMs)
    : undefined
  const onAbort = (): void => {
    state.interrupted = true
    terminate()
  }
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  return {
    get timedOut() {
      return state.timedOut
    },
    get interrupted() {
      return state.interrupted
    },
    /** The main process exited: no new SIGTERM (a pending SIGKILL still fires for the group). */
    exited() {
      state.exited = true
    },
    clear() {
      clearTimeout(timeout)
      clearTimeout(killTimer)
      opts.signal?.removeEventListener('abort', onAbort)
    },
  }
}

/** stdout and stderr: raw bytes to onData, decoded text to onOutput; flush() at the end. */
function streamOutput(child: StepChild, opts: ProcessOptions): { flush(): void } {
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') }
  const emit = (text: string, stream: OutputStream): void => {
    if (text && opts.onOutput) opts.onOutput(text, stream)
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.on('data', (chunk: Buffer) => {
      opts.onData?.(chunk, stream)
      emit(decoders[stream].write(chunk), stream)
    })
  }
  return {
    flush() {
      emit(decoders.stdout.end(), 'stdout')
      emit(decoders.stderr.end(), 'stderr')
    },
  }
}

function feedInput(child: StepChild, opts: ProcessOptions): void {
  if (opts.input === undefined || !child.stdin) return
  child.stdin.on('error', () => {}) // EPIPE when the child does not read it
  child.stdin.end(opts.input)
}

/**
 * After the main process exited: whatever it left in its group goes too (a timeout's SIGKILL
 * timer keeps running meanwhile for a group that ignores SIGTERM); then the pipes get a moment
 * to close, and are destroyed if a process that escaped the group still holds them.
 * Resolves with the number of leftover processes stopped.
 */
async function afterExit(
  child: StepChild,
  pgid: number | undefined,
  grace: number,
  pipes: { closed: boolean; onClosed: (() => void) | undefined },
): Promise<number> {
  const leftoverKilled = pgid !== undefined ? await stopGroup(pgid, grace) : 0
  if (!pipes.closed) {
    await new Promise<void>((done) => {
      // Cleared once the pipes close: a pending timer would keep the runner alive at exit.
      const timer = setTimeout(done, CLOSE_WAIT_MS)
      pipes.onClosed = () => {
        clearTimeout(timer)
        done()
      }
    })
  }
  if (!pipes.closed) {
    child.stdout?.destroy()
    child.stderr?.destroy()
  }
  return leftoverKilled
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
