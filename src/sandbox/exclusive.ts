// One `up`, `reset` or `down` at a time per sandbox folder: a lock file with the holder's pid; a
// second command waits, then gives up; a lock whose holder died is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { msg } from '../runner/api.js'
import { SandboxError } from './errors.js'
import { alive } from './standins.js'

const WAIT_MS = 120_000

function take(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx')
    writeFileSync(fd, String(process.pid))
    closeSync(fd)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    return false
  }
}

export async function exclusive<T>(root: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(path.join(root, 'run'), { recursive: true })
  const lock = path.join(root, 'run', 'sandbox.lock')
  const end = performance.now() + WAIT_MS
  while (!take(lock)) {
    const holder = Number(readFileSync(lock, 'utf8').trim() || 0)
    if (!alive(holder)) {
      rmSync(lock, { force: true })
      continue
    }
    if (performance.now() > end) throw new SandboxError(msg.sandbox.busy(holder, root))
    await new Promise((r) => setTimeout(r, 200))
  }
  try {
    return await work()
  } finally {
    rmSync(lock, { force: true })
  }
}
