// The worker thread behind a TS host: started on demand (and again after one was killed), told
// apart from its successors, answered through the synchronous handshake (a SharedArrayBuffer flag
// and a MessagePort, while the worker blocks in Atomics.wait), and discarded: terminated, with the
// statements its PostgreSQL backends were still running cancelled on the server.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import { msg } from '../../terminal/messages/index.js'
import { errorText } from '../error-text.js'
import { cancelBackend, type PgBackendKey } from '../sql/cancel.js'
import type { ExecReply, GateReply, HostToWorker, WorkerToHost } from './protocol.js'
import type { StepRun } from './step-run.js'

/** How long an idle worker gets to close its sql/redis connections at the end of the run. */
const CLOSE_CLIENTS_MS = 3000

export interface LiveWorker {
  worker: Worker
  /** The handshake flag: 0 while the worker waits, 1 once the host replied on `port`. */
  flag: Int32Array
  port: MessagePort
  ready: Promise<void>
  dead: boolean
  /** The step it runs now. */
  step?: StepRun
  /** PostgreSQL backends the worker's `sql` opened (cancelled when the worker is killed). */
  backends: Map<number, PgBackendKey>
  onClosed?: () => void
}

/** Starts a worker; messages about steps go to `onMessage`, the rest is handled here. */
export function spawnWorker(url: URL, onMessage: (live: LiveWorker, message: WorkerToHost) => void): LiveWorker {
  const flagBuffer = new SharedArrayBuffer(4)
  const { port1, port2 } = new MessageChannel()
  port1.unref() // only ever posted to; must not keep the runner alive
  const worker = new Worker(url, {
    workerData: { flag: flagBuffer, syncPort: port2 },
    transferList: [port2],
    // Not `stdout: true`: reading a worker's stdio keeps the runner alive for good. The worker
    // sends console and process.stdout/stderr output as messages instead.
  })
  worker.unref()
  let markReady: () => void = () => undefined
  let failStart: (e: Error) => void = () => undefined
  const live: LiveWorker = {
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
  worker.on('message', (message: WorkerToHost) => {
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
  worker.on('error', (err) => died(errorText(err)))
  worker.on('exit', (code) => died(msg.executors.exitCode(code)))
  return live
}

/** Answers a worker that blocks on the handshake (a command check or a `$.sync` command). */
export function replyToWorker(live: LiveWorker, reply: GateReply | ExecReply): void {
  try {
    live.port.postMessage(reply)
  } catch {
    // closed port: the worker is gone
  }
  Atomics.store(live.flag, 0, 1)
  Atomics.notify(live.flag, 0)
}

/** Terminates the worker; statements its backends still run are cancelled on the server. */
export async function discardWorker(live: LiveWorker): Promise<void> {
  live.dead = true
  replyToWorker(live, { deny: msg.executors.stepStopped }) // wake it if it waits on a command check
  // Its PostgreSQL sessions die with it (an open transaction rolls back), but a statement the
  // server is running would go on until it next talks to the client: cancel it.
  const backends = [...live.backends.values()]
  live.backends.clear()
  await Promise.all([live.worker.terminate().catch(() => undefined), ...backends.map((key) => cancelBackend(key).catch(() => undefined))])
  live.port.close()
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
    live.worker.postMessage({ t: 'close' } satisfies HostToWorker)
    await closed
  } catch {
    // the worker is gone
  } finally {
    live.worker.unref()
  }
}
