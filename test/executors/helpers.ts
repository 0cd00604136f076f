import { spawnSync } from 'node:child_process'

/** Whether a process whose command line contains `marker` is alive (zombies do not count). */
export function running(marker: string): boolean {
  return spawnSync('pgrep', ['-f', marker]).status === 0
}

/** Polls until `marker` is gone or `ms` passed; true when gone. */
export async function gone(marker: string, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (!running(marker)) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return !running(marker)
}

export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...extra }
}

/** Collects onOutput text per stream. */
export function collector(): { out: { stdout: string; stderr: string }; onOutput: (t: string, s: 'stdout' | 'stderr') => void } {
  const out = { stdout: '', stderr: '' }
  return { out, onOutput: (t, s) => void (out[s] += t) }
}
