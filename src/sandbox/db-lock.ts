// The db-lock drill's helper process (programs/lock.ts): started detached, it holds an ACCESS
// EXCLUSIVE lock on excel_files with one backend while another waits; it ends when the blocking
// backend is terminated (the runbook's repair) or when the drill is healed.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { msg } from '../runner/api.js'
import { pgClient } from './postgres.js'
import { alive, isOurProcess } from './standins.js'
import type { SandboxState } from './state.js'

const lockProgram = (root: string) => path.join(root, 'bin', '.programs', 'lock.mjs')
export const lockFile = (root: string) => path.join(root, 'run', 'db-lock.json')
const lockOutput = (root: string) => path.join(root, 'run', 'db-lock.out')

export interface LockInfo {
  helperPid: number
  blockingPid: number
  blockedPid: number
}

function readLock(root: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(lockFile(root), 'utf8')) as LockInfo
  } catch {
    return undefined
  }
}

/** Whether the db-lock helper still holds its lock. */
export function lockHeld(root: string): boolean {
  const info = readLock(root)
  return Boolean(info && isOurProcess(info.helperPid, lockProgram(root), lockFile(root)))
}

export async function startLock(root: string, sandbox: SandboxState): Promise<LockInfo> {
  if (!sandbox.pg) throw new Error(msg.sandbox.noDatabase)
  if (lockHeld(root)) return readLock(root)!
  rmSync(lockFile(root), { force: true })
  mkdirSync(path.join(root, 'run'), { recursive: true })
  const out = openSync(lockOutput(root), 'a')
  const child = spawn(process.execPath, [lockProgram(root), sandbox.pg.url, lockFile(root)], { cwd: root, detached: true, stdio: ['ignore', out, out] })
  closeSync(out)
  child.unref()
  const end = performance.now() + 15_000
  while (performance.now() < end) {
    const info = readLock(root)
    if (info) return info
    if (!alive(child.pid)) break
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(msg.sandbox.lockHelperFailed(existsSync(lockOutput(root)) ? readFileSync(lockOutput(root), 'utf8').slice(-500) : ''))
}

export async function stopLock(root: string, sandbox: SandboxState | undefined): Promise<void> {
  const info = readLock(root)
  if (!info) return
  if (sandbox?.pg) {
    // Terminate exactly the two backends the helper opened, if they are still there.
    try {
      const c = await pgClient(sandbox.pg.url, 3000)
      try {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND datname = current_database()', [[info.blockingPid, info.blockedPid]])
      } finally {
        await c.end()
      }
    } catch {
      // server gone: the helper's connections are gone too
    }
  }
  if (isOurProcess(info.helperPid, lockProgram(root), lockFile(root))) {
    try {
      process.kill(info.helperPid, 'SIGTERM')
    } catch {
      // gone
    }
    for (let i = 0; i < 60 && alive(info.helperPid); i++) await new Promise((r) => setTimeout(r, 50))
  }
  rmSync(lockFile(root), { force: true })
}
