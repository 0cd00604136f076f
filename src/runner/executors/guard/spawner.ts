// Long-lived guarded spawners: one small Node process per view (the same bubblewrap command line,
// so the same writable paths), started once inside bubblewrap, which forks each guarded step
// instead of a bubblewrap start per step (issue 13, "Cost"). The view is exactly the direct path's:
// the spawner and every step it starts live in it, so even a spawner a step took over is confined.
// The protocol and the spawner's side: spawner-worker.ts. Processes: docs/SECURITY.md.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { msg } from '../../terminal/messages/index.js'
import { signalGroup } from '../process-group.js'
import { spawnerMain } from './spawner-worker.js'

/** One step's process as the spawner should start it (inside the view). */
export interface LaunchRequest {
  file: string
  args: string[]
  cwd?: string
  env: Record<string, string>
  /** Whether input follows (stdin a pipe); else stdin is /dev/null. */
  input: boolean
}

/** A started step (pid known, its events held until release()), the spawner's report that the
 * program could not start, or undefined: no spawner for this view, use the direct path. */
export type Launched = { child: RemoteChild } | { error: string } | undefined
export type Launcher = (req: LaunchRequest) => Promise<Launched>

/** How long a spawner may take to say it is ready before the direct path is used instead. */
const READY_TIMEOUT_MS = 5000
/** A spawner nobody used for this long is closed (runs end; tests start many runs in one process). */
const IDLE_MS = 10_000
const HEAD = 9

const pool = new Map<string, Spawner>()
/** Views whose spawner never became ready: their steps take the direct path for the rest of the
 * process (no spawner start per step). A spawner that was ready and then died is simply replaced. */
const broken = new Set<string>()

/**
 * `RUNBOOK_GUARD_SPAWNER` in the runner's environment: `off`, a bubblewrap start per step (the
 * bench's "guarded direct" figure; also a way out should spawners misbehave on some machine);
 * `always`, every guarded non-interactive process goes through a spawner, the first one waiting for
 * it to start (to run a test suite entirely through spawners); anything else, the default.
 */
export type SpawnerMode = 'off' | 'default' | 'always'
export function spawnerMode(env: NodeJS.ProcessEnv = process.env): SpawnerMode {
  const v = env.RUNBOOK_GUARD_SPAWNER
  return v === 'off' || v === 'always' ? v : 'default'
}

/** The spawner program: the worker function's source, run by this Node. */
function program(): string[] {
  return [process.execPath, '-e', `(${spawnerMain.toString()})(require)`]
}

/**
 * The spawner's view, derived from the step's own `confine` (guard/choose.ts): the same bubblewrap
 * options, less the two that belong to one step or are done by the spawner itself:
 * - `--chdir`: each step's cwd is given with its request (so one spawner serves every cwd);
 * - `--die-with-parent`: the spawner sees the runner's end of the channel close when the runner
 *   dies (even by SIGKILL), then kills each running step's main process, as the flag does on the
 *   direct path, and exits. The flag itself would SIGKILL the spawner first and leave its steps.
 * `--setenv` pairs are applied to each step's environment, as bubblewrap applies them.
 * Undefined when confine's argv does not have the expected shape (the direct path then).
 */
export function spawnerView(confine: (argv: string[]) => string[]): { key: string; argv: string[]; setenv: Record<string, string> } | undefined {
  const prog = program()
  const full = confine(prog)
  const sep = full.length - prog.length - 1
  if (sep < 1 || full[sep] !== '--' || full.slice(sep + 1).some((a, i) => a !== prog[i])) return undefined
  const options: string[] = []
  const setenv: Record<string, string> = {}
  const head = full.slice(0, sep)
  for (let i = 0; i < head.length; i++) {
    const a = head[i]!
    if (a === '--chdir') i++
    else if (a === '--die-with-parent') continue
    else {
      if (a === '--setenv' && i + 2 < head.length) setenv[head[i + 1]!] = head[i + 2]!
      options.push(a)
    }
  }
  return { key: JSON.stringify(options), argv: [...options, '--', ...prog], setenv }
}

/** A view's spawner is started at its second guarded process: a runbook of one guarded step (or
 * one probe) pays one bubblewrap start (~7 ms), not a spawner's (~50 ms, a Node start-up). */
const START_AT = 2
const requests = new Map<string, number>()

/**
 * The launcher for a view, or undefined (use the direct path). It never waits for a spawner: while
 * the view's spawner is not started or not ready yet (it starts in the background), after it died
 * (the next one starts), or when it died before it received the request, the step takes the
 * direct path; it goes through the spawner once that is ready.
 */
export function spawnerFor(confine: (argv: string[]) => string[], mode: SpawnerMode = 'default'): Launcher | undefined {
  const view = spawnerView(confine)
  if (!view) return undefined
  return async (req) => {
    const count = (requests.get(view.key) ?? 0) + 1
    requests.set(view.key, count)
    const s = mode === 'always' || count >= START_AT || pool.get(view.key)?.alive ? spawnerOf(view) : undefined
    if (mode === 'always') await s?.whenReady()
    if (!s?.isReady) return undefined
    const launched = await s.launch({ ...req, env: { ...req.env, ...view.setenv, [SPAWN_ID]: randomUUID() } })
    return launched === 'lost' ? undefined : launched
  }
}

/** Starts the view's spawner now (if there is none) and resolves when it is ready: false when it
 * cannot be (no spawner for this view: the direct path). For a runner that knows it will need it,
 * and for tests. */
export async function warmSpawner(confine: (argv: string[]) => string[]): Promise<boolean> {
  const view = spawnerView(confine)
  const s = view ? spawnerOf(view) : undefined
  return s ? s.whenReady() : false
}

/** The view's live spawner, started when there is none; undefined when spawners fail for it. */
function spawnerOf(view: { key: string; argv: string[] }): Spawner | undefined {
  if (broken.has(view.key)) return undefined
  const live = pool.get(view.key)
  if (live?.alive) return live
  const s = new Spawner(view.argv)
  pool.set(view.key, s)
  void s.ready.then((ok) => {
    if (ok) return
    broken.add(view.key)
    if (pool.get(view.key) === s) pool.delete(view.key)
  })
  return s
}

/** In each step's environment under a spawner: finds the step's group should the spawner die after
 * starting it but before it could say its pid. */
export const SPAWN_ID = 'RUNBOOK_SPAWN_ID'

/** SIGKILLs the groups of the processes whose environment carries this spawn id (rare path). */
function killBySpawnId(id: string): void {
  const needle = `${SPAWN_ID}=${id}\0`
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) continue
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      signalGroup(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]), 'SIGKILL')
    } catch {
      // exited meanwhile
    }
  }
}

/** Closes every spawner (their steps are done; a spawner closes itself when its channel ends). */
export function closeSpawners(): void {
  for (const s of pool.values()) s.close()
  pool.clear()
  requests.clear()
}

/** Pids of the live spawners (tests: to kill one, to look at its namespaces). */
export function spawnerPids(): number[] {
  return [...pool.values()].filter((s) => s.alive && s.pid !== undefined).map((s) => s.pid!)
}

function frame(type: string, id: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(HEAD)
  head.write(type, 0, 'latin1')
  head.writeUInt32BE(id, 1)
  head.writeUInt32BE(body.length, 5)
  return Buffer.concat([head, body])
}

class Spawner {
  alive = true
  readonly ready: Promise<boolean>
  isReady = false
  private readonly proc: ChildProcess
  private readonly steps = new Map<number, RemoteChild>()
  private nextId = 1
  private idle: NodeJS.Timeout | undefined
  private pending: Buffer = Buffer.alloc(0)
  private markReady: (ok: boolean) => void = () => {}
  /** The spawner's own pid (bubblewrap's child; `proc` is bubblewrap). */
  private innerPid: number | undefined

  constructor(argv: string[]) {
    this.ready = new Promise<boolean>((resolve) => (this.markReady = resolve))
    this.proc = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'ignore'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } })
    const timer = setTimeout(() => this.stop(), READY_TIMEOUT_MS)
    timer.unref() // a run that ends while its spawner starts does not wait for it
    void this.ready.then(() => clearTimeout(timer))
    this.proc.once('error', () => this.stop())
    this.proc.once('exit', () => this.stop())
    this.proc.stdin!.on('error', () => this.stop())
    this.proc.stdout!.on('data', (chunk: Buffer) => this.receive(chunk))
    // Never what keeps the runner alive: only a step in flight holds the event loop.
    this.proc.unref()
    this.hold(false)
  }

  get pid(): number | undefined {
    return this.innerPid
  }

  /** Readiness, for a caller that waits for it: the event loop is held meanwhile (a start in the
   * background holds nothing: a run that ends first does not wait for it). */
  async whenReady(): Promise<boolean> {
    this.hold(true)
    const ok = await this.ready
    this.hold(false)
    return ok
  }

  /** The started step, the program's start failure, or 'lost': the spawner died before answering. */
  async launch(req: LaunchRequest): Promise<Launched | 'lost'> {
    const id = this.nextId++
    const child = new RemoteChild(id, (type, body) => this.send(type, id, body))
    this.steps.set(id, child)
    this.hold(true)
    this.send('S', id, Buffer.from(JSON.stringify(req)))
    const started = await child.started
    if ('lost' in started) {
      if (!child.acked) return 'lost'
      // Received, maybe started, pid never said: stop whatever carries its spawn id.
      killBySpawnId(req.env[SPAWN_ID]!)
      return { error: msg.executors.spawnerStopped }
    }
    if ('error' in started) {
      this.finished(id)
      return { error: started.error }
    }
    return { child }
  }

  close(): void {
    if (this.alive) this.proc.stdin!.end()
  }

  private send(type: string, id: number, body?: Buffer): void {
    if (this.alive) this.proc.stdin!.write(frame(type, id, body))
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk
    while (this.pending.length >= HEAD) {
      const len = this.pending.readUInt32BE(5)
      if (this.pending.length < HEAD + len) break
      const type = this.pending.toString('latin1', 0, 1)
      const id = this.pending.readUInt32BE(1)
      const body = this.pending.subarray(HEAD, HEAD + len)
      this.pending = this.pending.subarray(HEAD + len)
      if (type === 'R') {
        this.innerPid = (JSON.parse(body.toString('utf8')) as { pid: number }).pid
        this.isReady = true
        this.markReady(true)
      }
      else this.steps.get(id)?.frame(type, body, () => this.finished(id))
    }
  }

  private finished(id: number): void {
    this.steps.delete(id)
    if (this.steps.size > 0) return
    this.hold(false)
    clearTimeout(this.idle)
    this.idle = setTimeout(() => this.close(), IDLE_MS)
    this.idle.unref()
  }

  /** The channel keeps the event loop alive only while a step is in flight (or the spawner starts). */
  private hold(on: boolean): void {
    const stdout = this.proc.stdout as unknown as { ref(): void; unref(): void }
    if (on || this.steps.size > 0) stdout.ref()
    else stdout.unref()
    if (on) clearTimeout(this.idle)
  }

  /** The spawner is gone or unusable: its steps end (their groups are the runner's to clean). */
  private stop(): void {
    if (!this.alive) return
    this.alive = false
    this.isReady = false
    this.markReady(false)
    clearTimeout(this.idle)
    try {
      this.proc.kill('SIGKILL')
    } catch {
      // gone
    }
    for (const child of this.steps.values()) child.lost(msg.executors.spawnerStopped)
    this.steps.clear()
    ;(this.proc.stdout as unknown as { unref(): void }).unref()
  }
}

type Started = { pid: number } | { error: string } | { lost: true }

/** A minimal stream end for process.ts: 'data' events in, destroy() out. */
class RemoteOutput extends EventEmitter {
  constructor(private readonly onDestroy: () => void) {
    super()
  }
  destroy(): void {
    this.onDestroy()
  }
}

/** A step's stdin: written and ended by process.ts, relayed as frames. */
class RemoteInput extends EventEmitter {
  constructor(private readonly send: (type: string, body?: Buffer) => void) {
    super()
  }
  end(data?: string | Uint8Array): void {
    if (data !== undefined && data.length > 0) this.send('I', Buffer.from(data))
    this.send('E')
  }
}

/**
 * A step started by a spawner, shaped like the part of a ChildProcess that process.ts uses. Its
 * events are held until release() (process.ts attaches its listeners first), then delivered in
 * the order the spawner sent them: output, exit, close.
 */
export class RemoteChild extends EventEmitter {
  pid: number | undefined
  readonly stdout: RemoteOutput
  readonly stderr: RemoteOutput
  readonly stdin: RemoteInput
  readonly started: Promise<Started>
  private resolveStarted: (s: Started) => void = () => {}
  private held: (() => void)[] | undefined = []
  /** The spawner received the start request (from then on it may have started the step). */
  acked = false
  private exited = false
  private closed = false

  constructor(
    readonly id: number,
    send: (type: string, body?: Buffer) => void,
  ) {
    super()
    this.started = new Promise((resolve) => (this.resolveStarted = resolve))
    const detach = () => send('D')
    this.stdout = new RemoteOutput(detach)
    this.stderr = new RemoteOutput(detach)
    this.stdin = new RemoteInput(send)
  }

  /** Group signals go straight to the pid (shared PID space); this is for a lone process. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.pid === undefined) return false
    try {
      process.kill(this.pid, signal)
      return true
    } catch {
      return false
    }
  }

  release(): void {
    const queued = this.held ?? []
    this.held = undefined
    for (const deliver of queued) deliver()
  }

  frame(type: string, body: Buffer, done: () => void): void {
    if (type === 'A') this.acked = true
    else if (type === 'P') {
      this.pid = (JSON.parse(body.toString('utf8')) as { pid: number }).pid
      this.resolveStarted({ pid: this.pid })
    } else if (type === 'F') this.resolveStarted({ error: (JSON.parse(body.toString('utf8')) as { message: string }).message })
    else if (type === 'O') this.deliver(() => this.stdout.emit('data', body))
    else if (type === 'e') this.deliver(() => this.stderr.emit('data', body))
    else if (type === 'X') {
      const { code, signal } = JSON.parse(body.toString('utf8')) as { code: number | null; signal: NodeJS.Signals | null }
      this.exited = true
      this.deliver(() => this.emit('exit', code, signal))
    } else if (type === 'C') {
      this.closed = true
      this.deliver(() => this.emit('close'))
      done()
    }
  }

  /** The spawner died under this step: an error, then exit and close, so the step ends (never hangs). */
  lost(reason: string): void {
    if (this.pid === undefined) return this.resolveStarted({ lost: true })
    this.deliver(() => this.emit('error', new Error(reason)))
    if (!this.exited) this.deliver(() => this.emit('exit', null, null))
    if (!this.closed) this.deliver(() => this.emit('close'))
  }

  private deliver(event: () => void): void {
    if (this.held) this.held.push(event)
    else event()
  }
}
