// Process groups of step processes: every step runs in a group of its own, so a timeout, an
// interruption or the end of the step stops everything it started. Live groups are tracked so a
// signal or exit handler of the runner can still stop them (a detached reaper sends the SIGKILL).
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export const DEFAULT_KILL_GRACE_MS = 2000
const POLL_MS = 25
/** After SIGKILL, how long to wait for the group to be gone. */
const KILL_WAIT_MS = 1000

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

/** A process started for a step: its group when it has one, else the process alone. */
export function trackProcess(pid: number, grouped: boolean): void {
  ;(grouped ? liveGroups : liveChildren).add(pid)
}

export function untrackProcess(pid: number, grouped: boolean): void {
  ;(grouped ? liveGroups : liveChildren).delete(pid)
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

/** Polls until the group is empty or `ms` passed (a monotonic clock: no wall-clock time). */
async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const until = performance.now() + ms
  for (;;) {
    if (groupMembers(pgid).length === 0) return true
    if (performance.now() >= until) return false
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
      await waitGroupGone(pgid, KILL_WAIT_MS)
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
