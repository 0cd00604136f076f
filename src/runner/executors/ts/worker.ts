// The child process that runs TS/JS steps (entry bundled to dist/ts-worker.js): a process of its
// own, so the operating system can hold it to what the step may touch. One step at a time; the
// host kills it to stop a step (even `while (true) {}`) and starts a new one.
//
// Commands run through zx's `$`:
// - are checked before they start: zx's `spawn`/`spawnSync` options are replaced by wrappers that
//   ask the host (a synchronous request on the host's pipes, child-channel.ts, so the worker
//   blocks until the operator or policy answers; works for `$.sync` too). A denied command never spawns, and every
//   later command of the same step is denied as well.
// - run detached (a process group each); the host is told every pid so it can kill the groups
//   when it stops the step. When a command's main process exits, anything it left in its group
//   is stopped (the same rule as shell steps).
// - `$.sync` commands are run by the host itself (so their output streams live, and a timeout
//   can kill them while this thread is blocked); the worker only waits for the result.
// - their output always streams to the host, `.quiet()` or not: the report is the record of what
//   ran. The command line comes first, as `$ cmd`.
// - stdin is closed at once unless the command gets `input`, a pipe, or is written to in the
//   same tick (a command waiting on stdin would otherwise hang until the step's timeout).
// `sql` and `redis` (clients.ts) connect on first use, judge every call before it is sent
// (read-only SQL and Redis command checks in steps that are not destructive) and are closed when
// the host asks the worker to close at the end of the run.
// `cd()` sets the cwd of later `$` calls (scoped by `within` like zx's own); `fs` calls with
// relative paths resolve against the process's cwd (the runner's).
import { spawn as cpSpawn, type ChildProcess, type SpawnOptions, type SpawnSyncReturns } from 'node:child_process'
import { Console } from 'node:console'
import { statSync } from 'node:fs'
import { Writable, type Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { inspect } from 'node:util'
import vm from 'node:vm'
import { $, ProcessOutput, ProcessPromise, YAML, chalk, echo, fetch, fs, glob, os, path, quote, retry, sleep, which, within } from 'zx'
import type { LogEntry } from 'zx'
import { msg, setLanguage } from '../../terminal/messages/index.js'
import { stopGroup } from '../process-group.js'
import { applicationName } from '../targets.js'
import { beginStep, closeClients, endStep, stepGlobals, type ClientStep } from './clients.js'
import { askHost, onHostMessage, postToHost } from './child-channel.js'
import type { ExecReply, GateReply, HostToWorker, RunMessage, WorkerToHost } from './protocol.js'

// Code from strings. The judge never proves eval or Function read-only, but a name it cannot
// follow (`f[key]`, with key = 'constructor' computed at run time) reaches Function through any
// function. Only steps run in this process, so the function constructors are taken off their
// prototypes: `(() => 0).constructor` is undefined here. (Classes keep their own `constructor`.)
for (const fn of [function () {}, async function () {}, function* () {}, async function* () {}]) {
  Object.defineProperty(Object.getPrototypeOf(fn), 'constructor', { value: undefined, writable: false, configurable: false })
}

const post = (message: WorkerToHost): void => postToHost(message)

/** Blocks this process until the host answers. */
function callHost<T>(message: WorkerToHost): T {
  return askHost<T>(message, msg.executors.runnerDidNotAnswer)
}

interface Current {
  runId: number
  blocked?: { command: string; reason: string }
}
let current: Current | undefined
const runId = (): number => current?.runId ?? -1

// ---------------------------------------------------------------------------------------------
// Output: console, process.stdout/stderr and zx's echo all go to the host.

function sink(stream: 'stdout' | 'stderr'): Writable {
  const decoder = new StringDecoder('utf8')
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk)
      if (text) post({ t: 'output', runId: runId(), stream, text })
      done()
    },
  })
}
const outStreams = { stdout: sink('stdout'), stderr: sink('stderr') }
Object.defineProperty(globalThis, 'console', {
  value: new Console({ stdout: outStreams.stdout, stderr: outStreams.stderr, colorMode: false }),
  writable: true,
  configurable: true,
})
for (const stream of ['stdout', 'stderr'] as const) {
  const target = outStreams[stream]
  process[stream].write = ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown): boolean => {
    const callback = typeof encoding === 'function' ? encoding : cb
    target.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk))
    if (typeof callback === 'function') queueMicrotask(() => (callback as () => void)())
    return true
  }) as typeof process.stdout.write
}

// ---------------------------------------------------------------------------------------------
// zx configuration (the defaults store; each step runs in its own `within` copy of it).

const DEFAULT_PREFIX = typeof $.prefix === 'string' ? $.prefix : ''

/**
 * The command line as the operator is shown it: zx's own default prefix (`set -euo pipefail;`)
 * is left out, anything else a step put around the command (another prefix, a postfix) is shown.
 * The gate judges the whole line either way.
 */
function displayCommand(full: string): string {
  return DEFAULT_PREFIX && full.startsWith(DEFAULT_PREFIX) ? full.slice(DEFAULT_PREFIX.length) : full
}

class CommandBlocked extends Error {
  override name = 'CommandBlocked'
}

/**
 * Asks the host before a command starts; throws when it is denied. `reasons`: the command was
 * already judged destructive (a `redis` command). `exact`: a `$` command as it will run — the
 * whole line zx hands the shell (prefix and postfix included, interpolations quoted) and the
 * shell that runs it; the host judges that, not what the operator is shown.
 */
function gate(command: string, reasons?: string[], exact?: { line: string; shell: string }): void {
  const step = current
  if (!step) throw new CommandBlocked(msg.executors.noStepRunning)
  if (step.blocked) throw new CommandBlocked(step.blocked.reason)
  const reply = callHost<GateReply>({ t: 'gate', runId: step.runId, command, ...(reasons ? { reasons } : {}), ...(exact ? { exact } : {}) })
  if ('deny' in reply) {
    step.blocked = { command, reason: reply.deny }
    throw new CommandBlocked(reply.deny)
  }
}

/** What the gate judges of a `$` command: the line and the shell exactly as they will be spawned. */
function exactCommand(cmd: string, args: readonly string[], shell: unknown): { line: string; shell: string } {
  return { line: [cmd, ...args].join(' '), shell: shell === true || shell === undefined ? '/bin/sh' : typeof shell === 'string' ? shell : String(shell) }
}

/** How the shell runs a command line; bash gets no rc files (with a pipe as stdin, bash would
 * otherwise source ~/.bashrc, taking it for an ssh session). */
function shellCommand(cmd: string, args: readonly string[], shell: unknown): { file: string; args: string[] } {
  const line = [cmd, ...args].join(' ')
  const file = typeof shell === 'string' ? shell : '/bin/sh'
  return { file, args: path.basename(file) === 'bash' ? ['--noprofile', '--norc', '-c', line] : ['-c', line] }
}

function stringEnv(env: NodeJS.ProcessEnv | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env ?? {})) if (v !== undefined) out[k] = v
  return out
}

function checkedSpawn(cmd: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  gate(displayCommand(cmd), undefined, exactCommand(cmd, args, options.shell))
  const shell = shellCommand(cmd, args, options.shell)
  const child =
    options.shell === true
      ? cpSpawn(cmd, [...args], { ...options, detached: true })
      : cpSpawn(shell.file, shell.args, { ...options, shell: false, detached: true })
  const pid = child.pid
  if (pid !== undefined) {
    post({ t: 'spawned', runId: runId(), pid })
    let closed = false
    child.once('close', () => (closed = true))
    child.once('exit', () => {
      void stopGroup(pid).finally(() => {
        post({ t: 'reaped', pid })
        // A process that left the group (setsid) may still hold the pipes: do not wait for it.
        setTimeout(() => {
          if (closed) return
          child.stdout?.destroy()
          child.stderr?.destroy()
        }, 300)
      })
    })
  }
  // zx pipes its own stdin stream into the child and never ends it. End it on the next turn
  // unless something was piped into it (`.pipe($`…`)`) — `input` does not go through it.
  child.stdin?.once('pipe', (source: Readable) => {
    if (source.constructor?.name !== 'VoidStream') return
    setImmediate(() => {
      const writable = source as unknown as Writable
      if (source.listenerCount('unpipe') === 0 && !writable.writableEnded) writable.end()
    })
  })
  return child
}

/** `$.sync` commands whose zx log entries must not be forwarded again (the host streamed them). */
let syncStarting = false
const hostRun = new Set<string>()

function checkedSpawnSync(cmd: string, args: readonly string[], options: SpawnOptions & { input?: unknown }): SpawnSyncReturns<Buffer> {
  const command = displayCommand(cmd)
  gate(command, undefined, exactCommand(cmd, args, options.shell))
  const { file, args: shellArgs } = shellCommand(cmd, args, options.shell)
  const input = typeof options.input === 'string' || options.input instanceof Uint8Array ? options.input : undefined
  const reply = callHost<ExecReply>({
    t: 'exec',
    runId: runId(),
    command,
    file,
    args: shellArgs,
    cwd: typeof options.cwd === 'string' ? options.cwd : undefined,
    env: stringEnv(options.env),
    input,
  })
  syncStarting = true // the 'cmd' log entry follows synchronously once this returns
  const stdout = Buffer.from(reply.stdout)
  const stderr = Buffer.from(reply.stderr)
  return {
    pid: reply.pid,
    output: [null, stdout, stderr],
    stdout,
    stderr,
    status: reply.status,
    signal: reply.signal as NodeJS.Signals | null,
    ...(reply.error !== undefined ? { error: new Error(reply.error) } : {}),
  }
}

interface Running {
  cmd: string
  decoders: { stdout: StringDecoder; stderr: StringDecoder }
}
const running = new Map<string, Running>()

function onLog(entry: LogEntry): void {
  switch (entry.kind) {
    case 'cmd': {
      if (syncStarting) {
        syncStarting = false
        hostRun.add(entry.id)
        return
      }
      running.set(entry.id, { cmd: entry.cmd, decoders: { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') } })
      post({ t: 'output', runId: runId(), stream: 'stdout', text: `$ ${entry.cmd}\n` })
      return
    }
    case 'stdout':
    case 'stderr': {
      const r = running.get(entry.id)
      if (!r) return
      const text = r.decoders[entry.kind].write(entry.data)
      if (text) post({ t: 'output', runId: runId(), stream: entry.kind, text })
      return
    }
    case 'end': {
      if (hostRun.delete(entry.id)) return
      const r = running.get(entry.id)
      if (!r) return // never started (denied, or failed to spawn)
      running.delete(entry.id)
      for (const stream of ['stdout', 'stderr'] as const) {
        const text = r.decoders[stream].end()
        if (text) post({ t: 'output', runId: runId(), stream, text })
      }
      post({ t: 'commandEnd', runId: runId(), command: r.cmd, exitCode: entry.exitCode, durationMs: entry.duration })
      return
    }
    case 'retry': {
      const why = entry.error ?? (entry.exception instanceof Error ? entry.exception.message : '')
      const text = `${msg.executors.retry(entry.attempt, entry.total)}${why ? `: ${why.split('\n')[0]}` : ''}\n`
      post({ t: 'output', runId: runId(), stream: 'stderr', text })
      return
    }
    default:
      return
  }
}

$.verbose = false
$.log = onLog as typeof $.log
$.spawn = checkedSpawn as unknown as typeof $.spawn
$.spawnSync = checkedSpawnSync as unknown as typeof $.spawnSync
$.detached = true

// Remember which command a ProcessOutput came from, for readable step errors.
const commandOf = new WeakMap<object, string>()
{
  const proto = ProcessPromise.prototype as unknown as { finalize?: (this: ProcessPromise, output: unknown, legacy?: boolean) => unknown }
  const finalize = proto.finalize
  if (typeof finalize === 'function') {
    proto.finalize = function (output, legacy) {
      if (output && typeof output === 'object') commandOf.set(output, this.cmd)
      return finalize.call(this, output, legacy)
    }
  }
}

function cd(dir: string | ProcessOutput): void {
  const target = path.resolve(typeof $.cwd === 'string' ? $.cwd : process.cwd(), dir instanceof ProcessOutput ? dir.toString().trim() : String(dir))
  if (!statSync(target).isDirectory()) throw new Error(msg.executors.notADirectory(target))
  $.cwd = target
}

// ---------------------------------------------------------------------------------------------
// Steps

const GLOBALS = ['$', 'cd', 'within', 'retry', 'sleep', 'fs', 'path', 'os', 'chalk', 'fetch', 'echo', 'glob', 'YAML', 'which', 'quote', 'env', 'inputs', 'state', 'check', 'note', 'table', 'confirm', 'sql', 'redis'] as const
type Globals = Record<(typeof GLOBALS)[number], unknown>

const stepFile = (id: number): string => `file:///runbook/step-${id}.js`

/** The step body as an async function; its first line is line 1 of the reported positions. */
function compile(js: string, id: number): (globals: Globals) => () => Promise<unknown> {
  const head = `(function (__runbook) { "use strict"; const { ${GLOBALS.join(', ')} } = __runbook; return async function () {`
  const script = new vm.Script(`${head}\n${js}\n} })`, { filename: stepFile(id), lineOffset: -1 })
  return script.runInThisContext() as (globals: Globals) => () => Promise<unknown>
}

let confirmSeq = 0
const confirms = new Map<number, { resolve: (v: boolean) => void; reject: (e: Error) => void }>()

function plain(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null))
  } catch {
    return inspect(value)
  }
}

function globalsFor(step: Current, run: RunMessage, clients: ClientStep): Globals {
  const id = step.runId
  return {
    $, cd, within, retry, sleep, fs, path, os, chalk, fetch, echo, glob, YAML, which, quote,
    ...stepGlobals(clients),
    env: run.env,
    inputs: run.inputs,
    state: run.state,
    check(name: unknown, ok: unknown, detail?: unknown): boolean {
      const check = {
        name: String(name),
        ok: Boolean(ok),
        ...(detail !== undefined ? { detail: typeof detail === 'string' ? detail : inspect(detail) } : {}),
      }
      post({ t: 'check', runId: id, check })
      return check.ok
    },
    note(markdown: unknown): void {
      post({ t: 'note', runId: id, markdown: String(markdown) })
    },
    table(rows: unknown): void {
      post({ t: 'table', runId: id, rows: plain(rows) })
    },
    confirm(question: unknown): Promise<boolean> {
      const cid = ++confirmSeq
      return new Promise<boolean>((resolve, reject) => {
        confirms.set(cid, { resolve, reject })
        post({ t: 'confirm', runId: id, id: cid, question: String(question) })
      })
    },
  }
}

const POSITION = /file:\/\/\/runbook\/step-(\d+)\.js:(\d+):(\d+)/

/** A readable message for anything a step threw, and where in the (transpiled) step it was. */
function describe(err: unknown, id: number): { message: string; pos?: { line: number; col: number } } {
  let message: string
  let where = ''
  if (err instanceof ProcessOutput) {
    const cmd = commandOf.get(err)
    const cause = err.cause
    if (cause) message = `${cmd ? `$ ${cmd}: ` : ''}${cause.message}`
    else {
      const status = err.signal ? msg.executors.killedBy(err.signal) : msg.executors.exitCode(err.exitCode)
      const tail = err.stderr.trim().split('\n').slice(-3).join('\n')
      message = `${msg.executors.commandFailed(cmd ? `$ ${cmd}` : msg.executors.aCommand, status)}${tail ? `\n${tail}` : ''}`
    }
    where = `${err.message}\n${err.stack ?? ''}`
  } else if (err instanceof Error) {
    message = err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message
    where = err.stack ?? ''
  } else {
    message = msg.executors.thrown(inspect(err))
  }
  for (const m of where.matchAll(new RegExp(POSITION, 'g'))) {
    if (Number(m[1]) === id) return { message, pos: { line: Number(m[2]), col: Number(m[3]) } }
  }
  return { message }
}

function setProcessEnv(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) delete process.env[key]
  Object.assign(process.env, env)
}

function clientStep(step: Current, run: RunMessage): ClientStep {
  const db = run.db
  return {
    runId: run.runId,
    env: run.env,
    destructive: db?.destructive ?? false,
    safe: db?.safe ?? false,
    dbVar: db?.dbVar ?? 'DATABASE_URL',
    redisVar: db?.redisVar ?? 'REDIS_URL',
    timeoutMs: run.timeoutMs ?? 0,
    applicationName: applicationName(db?.runbookId ?? 'ts', db?.stepId ?? String(run.runId)),
    connectionName: `runbook:${db?.runbookId ?? 'ts'}`,
    gate: (command, reasons) => gate(command, reasons),
    blocked: () => step.blocked?.reason,
    post,
  }
}

async function runStep(run: RunMessage): Promise<void> {
  setLanguage(run.language)
  const step: Current = { runId: run.runId }
  current = step
  setProcessEnv(run.env)
  const clients = clientStep(step, run)
  beginStep(clients)
  let failure: { message: string; pos?: { line: number; col: number } } | undefined
  try {
    const body = compile(run.js, run.runId)(globalsFor(step, run, clients))
    await within(async () => {
      // A copy: what the step writes into its `env` (BASH_ENV, PATH, …) is not the environment
      // of its commands — the gate judges their command line, not their environment.
      $.env = { ...run.env }
      $.cwd = run.cwd
      await body()
    })
  } catch (err) {
    failure = describe(err, run.runId)
  }
  let state: Record<string, unknown> | undefined
  try {
    state = JSON.parse(JSON.stringify(run.state)) as Record<string, unknown>
  } catch (err) {
    failure ??= { message: msg.executors.stateNotJson(err instanceof Error ? err.message : String(err)) }
  }
  endStep(clients)
  current = undefined
  post({ t: 'done', runId: run.runId, state, ...(failure ? { error: failure.message, pos: failure.pos } : {}) })
}

function onUncaught(err: unknown): void {
  const step = current
  if (!step) return // late noise from a step that already ended
  const failure = describe(err, step.runId)
  post({ t: 'uncaught', runId: step.runId, error: failure.message, pos: failure.pos })
}
process.on('uncaughtException', onUncaught)
process.on('unhandledRejection', onUncaught)

onHostMessage((received) => {
  const message = received as HostToWorker
  if (message.t === 'run') void runStep(message)
  else if (message.t === 'close') void closeClients().finally(() => post({ t: 'closed' }))
  else if (message.t === 'confirmed') {
    const pending = confirms.get(message.id)
    if (!pending) return
    confirms.delete(message.id)
    if (message.error !== undefined) pending.reject(new Error(message.error))
    else pending.resolve(message.value === true)
  }
})

post({ t: 'ready' })
