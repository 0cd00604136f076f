// Is the OS guard available on this machine: Linux, `bwrap` on PATH, and a trial run of the
// smallest guarded command succeeds (user namespaces, AppArmor and seccomp may each forbid it).
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { msg } from '../../terminal/messages/index.js'
import { probeArgv } from './bwrap.js'

/** The guard as found: usable (with bubblewrap's path), or not and why. */
export type OsGuard = { available: true; bwrap: string } | { available: false; why: string }

/** Finds the guard; injected where it is used, so tests can stand for a machine without it. */
export type DetectOsGuard = () => Promise<OsGuard>

/** Where bubblewrap is looked for besides $PATH (a run's PATH may be a target's, without /usr/bin). */
const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/local/bin']
const TRIAL_TIMEOUT_MS = 5000

export function findBwrap(pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...pathVar.split(path.delimiter), ...SYSTEM_DIRS]) {
    if (!dir) continue
    const file = path.join(dir, 'bwrap')
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

/** Runs argv; resolves with its exit code (null when it could not start or was killed) and stderr. */
export function runQuietly(argv: readonly string[], timeoutMs = TRIAL_TIMEOUT_MS): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
      resolve({ code, stdout, stderr: (stderr || (err && code === null ? err.message : '')).trim() })
    })
  })
}

let found: Promise<OsGuard> | undefined

/** The real detector: the answer is kept for the life of the process (one trial run, ~10 ms). */
export const detectOsGuard: DetectOsGuard = () => {
  found ??= detect()
  return found
}

async function detect(): Promise<OsGuard> {
  if (process.platform !== 'linux') return { available: false, why: msg.executors.guardNotLinux(process.platform) }
  const bwrap = findBwrap()
  if (!bwrap) return { available: false, why: msg.executors.guardNoBwrap }
  const trial = await runQuietly(probeArgv(bwrap))
  if (trial.code !== 0) return { available: false, why: msg.executors.guardTrialFailed(trial.stderr.split('\n')[0] || String(trial.code)) }
  return { available: true, bwrap }
}
