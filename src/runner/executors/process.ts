// Runs one child process for a step: its own process group, live UTF-8 output, a timeout that
// stops the whole group (SIGTERM, then SIGKILL after a grace), and cleanup of whatever the step
// left running in its group once its main process exits.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'

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

export const DEFAULT_KILL_GRACE_MS = 2000
/** After the group is gone, how long to wait for the pipes to close (a process that escaped the
 * group, e.g. via setsid, may still hold them). */
const CLOSE_WAIT_MS = 300
const POLL_MS = 25

// ---------------------------------------------------------------------------------------------
// Process groups

/** Live process groups started for steps (by runProcess or reported by the TS worker). */
const liveGroups = new Set<number>()
/** Non-detached (interactive) children: no group of their own, killed by pid. */
const liveChildren = new Set<number>()

export function trackGroup(pgid: number): void {
  liveGroups.add(pgid)
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid)
}

/** Sends `signal` to every process of the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false
  }
}

const HAS_PROC = (() => {
  try {
    readdirSync('/proc/self')
    return true
  } catch {
    return false
  }
})()

/** Pids of the live (non-zombie) members of a process group, from /proc/<pid>/stat. */
export function groupMembers(pgid: number): number[] {
  if (!HAS_PROC) return signalGroup(pgid, 0) ? [pgid] : []
  const members: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // exited meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] !== 'Z' && fields[0] !== 'X' && Number(fields[2]) === pgid) members.push(Number(name))
  }
  return members
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms
  for (;;) {
    if (groupMembers(pgid).length === 0) return true
    if (Date.now() >= until) return false
    await delay(POLL_MS)
  }
}

/**
 * Stops everything left in a process group: SIGTERM, then SIGKILL after `graceMs`. Resolves with
 * the number of processes that were in it (0 when it was already empty).
 */
export async function stopGroup(pgid: number, graceMs = DEFAULT_KILL_GRACE_MS): Promise<number> {
  // Usually the step left nothing: one kill(0) says so without scanning /proc.
  if (!signalGroup(pgid, 0)) return 0
  const found = groupMembers(pgid).length
  if (found > 0) {
    signalGroup(pgid, 'SIGTERM')
    if (!(await waitGroupGone(pgid, graceMs))) {
      signalGroup(pgid, 'SIGKILL')
      await waitGroupGone(pgid, 1000)
    }
  }
  return found
}

/**
 * Stops every live step process: SIGTERM now, and SIGKILL after the grace from a small detached
 * reaper (so it still happens when this process is exiting). For signal and exit handlers.
 * Returns how many groups and children were signalled.
 */
export function killAllRunning(graceMs = DEFAULT_KILL_GRACE_MS): number {
  const groups = [...liveGroups].filter((g) => signalGroup(g, 'SIGTERM'))
  const children = [...liveChildren].filter((pid) => {
    try {
      process.kill(pid, 'SIGTERM')
      return true
    } catch {
      return false
    }
  })
  liveGroups.clear()
  liveChildren.clear()
  const targets = [...groups.map((g) => `-${g}`), ...children.map(String)]
  if (targets.length > 0) {
    try {
      const script = `sleep ${graceMs / 1000}; for t in "$@"; do kill -KILL -- "$t" 2>/dev/null; done`
      spawn('/bin/sh', ['-c', script, 'reaper', ...targets], { detached: true, stdio: 'ignore' }).unref()
    } catch {
      for (const g of groups) signalGroup(g, 'SIGKILL')
    }
  }
  return targets.length
}

process.on('exit', () => {
  if (liveGroups.size > 0 || liveChildren.size > 0) killAllRunning()
})

// ---------------------------------------------------------------------------------------------
// runProcess

export async function runProcess(opts: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now()
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS
  const base = { exitCode: null, signal: null, timedOut: false, leftoverKilled: 0 }
  if (opts.signal?.aborted) return { ...base, interrupted: true, durationMs: 0 }

  if (opts.cwd !== undefined && !isDirectory(opts.cwd)) {
    return { ...base, interrupted: false, durationMs: 0, error: `working directory not found: ${opts.cwd}` }
  }
  const interactive = opts.interactive === true
  const stdio: StdioOptions = interactive
    ? 'inherit'
    : [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe']
  let child: ChildProcess
  try {
    child = spawn(opts.file, opts.args, { cwd: opts.cwd, env: opts.env, stdio, detached: !interactive })
  } catch (err) {
    return { ...base, interrupted: false, durationMs: 0, error: errorText(err) }
  }

  return new Promise<ProcessResult>((resolve) => {
    let timedOut = false
    let interrupted = false
    let spawnError: string | undefined
    let exit: { code: number | null; signal: string | null } | undefined
    let closed = false
    let onClosed: (() => void) | undefined
    let killTimer: NodeJS.Timeout | undefined
    let settled = false
    let leftoverKilled = 0
    const pid = child.pid
    const grouped = !interactive && pid !== undefined
    if (pid !== undefined) opts.onSpawn?.(pid)

    if (pid !== undefined) (grouped ? liveGroups : liveChildren).add(pid)

    const send = (signal: NodeJS.Signals): void => {
      if (pid === undefined) return
      if (grouped) signalGroup(pid, signal)
      else child.kill(signal)
    }
    const terminate = (): void => {
      if (killTimer || exit) return
      send('SIGTERM')
      killTimer = setTimeout(() => send('SIGKILL'), grace)
    }

    const timeout =
      opts.timeoutMs > 0 && Number.isFinite(opts.timeoutMs)
        ? setTimeout(() => {
            timedOut = true
            terminate()
          }, opts.timeoutMs)
        : undefined
    const onAbort = (): void => {
      interrupted = true
      terminate()
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })

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
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {}) // EPIPE when the child does not read it
      child.stdin.end(opts.input)
    }

    const finish = (): void => {
      if (settled) return
      settled = true
      clearTimeout(timeout)
      clearTimeout(killTimer)
      opts.signal?.removeEventListener('abort', onAbort)
      if (pid !== undefined) (grouped ? liveGroups : liveChildren).delete(pid)
      emit(decoders.stdout.end(), 'stdout')
      emit(decoders.stderr.end(), 'stderr')
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        interrupted,
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
      closed = true
      onClosed?.()
      if (pid === undefined) finish()
    })
    child.once('exit', (code, signal) => {
      exit = { code, signal }
      void (async () => {
        if (grouped) {
          // The step ended: whatever it left in its group goes too. A timeout's SIGKILL timer
          // keeps running meanwhile for the case that the group ignores SIGTERM.
          leftoverKilled = await stopGroup(pid, grace)
        }
        if (!closed) {
          await new Promise<void>((done) => {
            // Cleared once the pipes close: a pending timer would keep the runner alive at exit.
            const timer = setTimeout(done, CLOSE_WAIT_MS)
            onClosed = () => {
              clearTimeout(timer)
              done()
            }
          })
        }
        if (!closed) {
          child.stdout?.destroy()
          child.stderr?.destroy()
        }
        finish()
      })()
    })
  })
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
