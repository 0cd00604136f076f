// The worker process behind a TS host: a child process (so the operating system can hold a step
// to what it may touch), started on demand (and again after one was killed), told apart from its
// successors, answered through its pipes (child-channel.ts: it writes every message on fd 4 and,
// for a request that blocks it, reads the answer from fd 5; run/confirm/close go over IPC), and
// discarded: killed, with the statements its PostgreSQL backends were still running cancelled on
// the server. It runs in a process group of its own, so the terminal's Ctrl-C reaches the runner
// only (which stops the step), and it exits when the runner goes away (its IPC channel closes).
import { spawn, type ChildProcess } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import { deserialize } from 'node:v8'
import { msg } from '../../terminal/messages/index.js'
import { errorText } from '../error-text.js'
import { cancelBackend, type PgBackendKey } from '../sql/cancel.js'
import { frame } from './child-channel.js'
import type { ExecReply, GateReply, HostToWorker, WorkerToHost } from './protocol.js'
import type { StepRun } from './step-run.js'

/** How long an idle worker gets to close its sql/redis connections at the end of the run. */
const CLOSE_CLIENTS_MS = 3000
/** How much of the worker's stderr is kept, to say why it died. */
const STDERR_TAIL = 2000

/** What the host does with its worker: send, keep the runner alive while a step runs, stop it. */
export interface WorkerHandle {
  postMessage(message: HostToWorker): void
  ref(): void
  unref(): void
  terminate(): Promise<void>
}

export interface LiveWorker {
  worker: WorkerHandle
  child: ChildProcess
  ready: Promise<void>
  dead: boolean
  /** The step it runs now. */
  step?: StepRun
  /** PostgreSQL backends the worker's `sql` opened (cancelled when the worker is killed). */
  backends: Map<number, PgBackendKey>
  onClosed?: () => void
}

type Unrefable = { ref?: () => void; unref?: () => void }

/** The pipe on which the worker waits for answers (fd 5). */
const repliesOf = (child: ChildProcess): Writable | undefined => (child.stdio as unknown as (Writable | null)[])[5] ?? undefined

/** Reads length-prefixed V8 frames from a stream. */
function readFrames(stream: Readable, onFrame: (value: unknown) => void): void {
  let pending: Buffer = Buffer.alloc(0)
  stream.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
    while (pending.length >= 4) {
      const length = pending.readUInt32LE(0)
      if (pending.length < 4 + length) break
      const body = pending.subarray(4, 4 + length)
      pending = pending.subarray(4 + length) as Buffer
      onFrame(deserialize(body))
    }
  })
}

/** The handle; it keeps the runner alive while anyone holds a reference (it starts with one). */
function handleOf(child: ChildProcess): WorkerHandle {
  const handles = (): Unrefable[] => [child, child.channel as Unrefable | undefined, child.stdio[2], child.stdio[4], repliesOf(child)].filter(Boolean) as Unrefable[]
  let holders = 1
  return {
    postMessage(message) {
      if (!child.connected) throw new Error(msg.executors.tsWorkerStopped(msg.executors.exitCode(child.exitCode)))
      child.send(message)
    },
    ref: () => {
      if (holders++ === 0) handles().forEach((h) => h.ref?.())
    },
    unref: () => {
      if (holders > 0 && --holders === 0) handles().forEach((h) => h.unref?.())
    },
    terminate: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.ref() // until it is gone: the runner waits for it
        child.once('exit', () => resolve())
        // The whole group: under the guard, bwrap and the worker inside it (--die-with-parent
        // would follow, but not before bwrap's exit is seen here).
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          child.kill('SIGKILL')
        }
      }),
  }
}

/**
 * Starts a worker from `argv` (node and the worker bundle, or that wrapped in bubblewrap's view:
 * bwrap passes the inherited fds 3–5 and the environment on, NODE_CHANNEL_FD included); messages
 * about steps go to `onMessage`, the rest is handled here.
 */
export function spawnWorker(argv: readonly string[], onMessage: (live: LiveWorker, message: WorkerToHost) => void): LiveWorker {
  const child = spawn(argv[0]!, argv.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe', 'pipe'],
    serialization: 'advanced',
    detached: true,
  })
  const worker = handleOf(child)
  let markReady: () => void = () => undefined
  let failStart: (e: Error) => void = () => undefined
  const live: LiveWorker = {
    worker,
    child,
    dead: false,
    ready: new Promise<void>((res, rej) => {
      markReady = res
      failStart = rej
    }),
    backends: new Map(),
  }
  // Referenced until it is ready (a runner waiting for its first step must not exit meanwhile);
  // then only while a step runs (host.ts refs it for each step).
  live.ready.then(
    () => worker.unref(),
    () => worker.unref(),
  )
  let stderr = ''
  child.stdio[2]?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL)))
  readFrames(child.stdio[4] as Readable, (value) => {
    const message = value as WorkerToHost
    if (message.t === 'ready') markReady()
    else if (message.t === 'closed') live.onClosed?.()
    else if (message.t === 'pgBackend') live.backends.set(message.processID, message)
    else onMessage(live, message)
  })
  const died = (why: string): void => {
    if (live.dead) return
    live.dead = true
    failStart(new Error(why))
    live.step?.end({ kind: 'crash', error: msg.executors.tsWorkerStopped(why) })
  }
  child.on('error', (err) => died(errorText(err)))
  child.on('exit', (code, signal) => {
    const last = stderr.trim().split('\n').slice(-3).join('\n')
    died(`${signal ? msg.executors.killedBy(signal) : msg.executors.exitCode(code)}${last ? `\n${last}` : ''}`)
  })
  repliesOf(child)?.on('error', () => undefined)
  return live
}

/** Answers a worker that blocks on a request (a command check or a `$.sync` command). */
export function replyToWorker(live: LiveWorker, reply: GateReply | ExecReply): void {
  try {
    repliesOf(live.child)?.write(frame(reply))
  } catch {
    // closed pipe: the worker is gone
  }
}

/** Kills the worker; statements its backends still run are cancelled on the server. */
export async function discardWorker(live: LiveWorker): Promise<void> {
  live.dead = true
  replyToWorker(live, { deny: msg.executors.stepStopped }) // wake it if it waits on a command check
  // Its PostgreSQL sessions die with it (an open transaction rolls back), but a statement the
  // server is running would go on until it next talks to the client: cancel it.
  const backends = [...live.backends.values()]
  live.backends.clear()
  await Promise.all([live.worker.terminate().catch(() => undefined), ...backends.map((key) => cancelBackend(key).catch(() => undefined))])
}

/** Asks the worker to close its sql/redis connections; gives up after a few seconds. */
export async function closeWorkerClients(live: LiveWorker): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    live.onClosed = resolve
    const timer = setTimeout(resolve, CLOSE_CLIENTS_MS)
    timer.unref()
  })
  try {
    live.worker.ref()
    // A worker still starting would not hear the message yet.
    await Promise.race([live.ready, closed])
    live.worker.postMessage({ t: 'close' } satisfies HostToWorker)
    await closed
  } catch {
    // the worker is gone
  } finally {
    live.worker.unref()
  }
}
