// A stand-in outlives the command that started it. If its sandbox folder is deleted under it (a
// temp folder cleaned up), nothing can `down` that sandbox any more: the stand-in stops, and the
// app stand-in also stops the throwaway servers the folder recorded.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Role } from '../../standins.js'

interface Owned {
  pgData?: string
  redisPid?: number
}

const CHECK_EVERY_MS = 3000

function signal(pid: number | undefined, sig: NodeJS.Signals, marker: string): void {
  if (!pid) return
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) process.kill(pid, sig)
  } catch {
    // gone
  }
}

function stopOwnedServers(owned: Owned): void {
  if (owned.pgData) {
    try {
      signal(Number(readFileSync(path.join(owned.pgData, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGINT', 'postgres')
    } catch {
      // not running
    }
    if (path.basename(owned.pgData).startsWith('runbook-sandbox-pg-')) setTimeout(() => rmSync(owned.pgData!, { recursive: true, force: true }), 3000).unref()
  }
  signal(owned.redisPid, 'SIGTERM', 'redis-server')
}

/** Watches the sandbox folder; `exit` is called once it is gone (after stopping what it owned). */
export function watchSandboxFolder(root: string, role: Role, exit: () => void): void {
  let owned: Owned = {}
  const watch = (): boolean => {
    if (existsSync(root)) {
      try {
        const state = JSON.parse(readFileSync(path.join(root, 'state.json'), 'utf8')) as { pg?: { mode?: string; dataDir?: string }; redis?: { mode?: string; pid?: number } }
        owned = {
          pgData: state.pg?.mode === 'throwaway' ? state.pg.dataDir : undefined,
          redisPid: state.redis?.mode === 'throwaway' ? state.redis.pid : undefined,
        }
      } catch {
        // keep what we knew
      }
      return true
    }
    if (role === 'app') stopOwnedServers(owned)
    setTimeout(exit, role === 'app' ? 3500 : 0)
    return false
  }
  if (!watch()) return
  const timer = setInterval(() => {
    if (!watch()) clearInterval(timer)
  }, CHECK_EVERY_MS)
}
