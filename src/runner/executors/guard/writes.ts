// A step's `writes=` paths made concrete for the OS guard: `$VAR` / `${VAR}` from the step's env,
// relative paths from its working directory, symlinks followed (the view binds the target), and
// refused when they would open up `/`, a system root, the reports folder or a folder holding it.
import { existsSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { msg } from '../../terminal/messages/index.js'

/** Roots a step may never declare as a whole (a folder below them is fine: /var/backups/app). */
const SYSTEM_ROOTS = new Set(['/', '/etc', '/usr', '/bin', '/sbin', '/boot', '/var', '/root', '/home', '/opt', '/srv', '/proc', '/sys', '/dev', '/run', '/tmp'])
const isSystemRoot = (p: string): boolean => SYSTEM_ROOTS.has(p) || /^\/lib(32|64|x32)?$/.test(p) || /^\/usr\/lib(32|64|x32)?$/.test(p)

export type WritablePaths = { ok: true; paths: string[] } | { ok: false; problem: string }

/**
 * The bind-mountable paths for `declared`. A path that does not exist yet is made writable through
 * its nearest existing folder (a step creates `$BACKUP_DIR/today/`), which must pass the same rules.
 */
export function writablePaths(declared: readonly string[], env: Record<string, string>, cwd: string, reportsDir: string | undefined): WritablePaths {
  const paths: string[] = []
  const reports = reportsDir !== undefined ? realOrSelf(path.resolve(cwd, reportsDir)) : undefined
  for (const entry of declared) {
    const expanded = expand(entry, env)
    if ('unset' in expanded) return { ok: false, problem: msg.executors.writesUnset(entry, expanded.unset) }
    if (expanded.value.trim() === '') return { ok: false, problem: msg.executors.writesEmpty(entry) }
    const resolved = real(path.resolve(cwd, expanded.value))
    if (isSystemRoot(resolved)) return { ok: false, problem: msg.executors.writesSystemRoot(entry, resolved) }
    if (reports !== undefined && (resolved === reports || reports.startsWith(`${resolved}/`) || resolved.startsWith(`${reports}/`))) {
      return { ok: false, problem: msg.executors.writesReports(entry, reports) }
    }
    if (!paths.includes(resolved)) paths.push(resolved)
  }
  return { ok: true, paths }
}

/** `$NAME` and `${NAME}` replaced from env; the first unset name is reported, not guessed. */
function expand(value: string, env: Record<string, string>): { value: string } | { unset: string } {
  let unset: string | undefined
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced?: string, bare?: string) => {
    const name = (braced ?? bare)!
    const v = env[name]
    if (v === undefined) unset ??= name
    return v ?? ''
  })
  return unset !== undefined ? { unset } : { value: out }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

/** The real path of `p`, or of its nearest existing ancestor when `p` does not exist. */
function real(p: string): string {
  let current = p
  while (!existsSync(current)) {
    const parent = path.dirname(current)
    if (parent === current) break
    current = parent
  }
  try {
    return realpathSync(current)
  } catch {
    return current
  }
}
