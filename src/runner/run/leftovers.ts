// What an attempt that did not pass left behind, where its step declares it: `leaves=` names the
// files a half-done attempt leaves (`$BACKUP_DIR/*.partial`). They are listed in the record after
// a failed, timed-out or interrupted attempt (for a runner killed with -9, when the run is
// resumed), so that a 41 MB `.partial` dump is not a surprise. Read-only: nothing is removed.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

/** At most this many files per step are listed (and how many more). */
const MAX_LISTED = 50

/**
 * The files matching the step's `leaves=` patterns: `$VAR`/`${VAR}` from env, relative to cwd, `*`
 * and `?` in the last segment only (the folder is literal). A pattern naming an unset variable or a
 * missing folder matches nothing. Each as `path (size)`.
 */
export function findLeftovers(patterns: readonly string[], env: Record<string, string>, cwd: string): string[] {
  const found: string[] = []
  let more = 0
  for (const pattern of patterns) {
    const expanded = expand(pattern, env)
    if (expanded === undefined) continue
    const full = path.resolve(cwd, expanded)
    const dir = path.dirname(full)
    const name = new RegExp(`^${path.basename(full).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`)
    let entries: string[]
    try {
      entries = readdirSync(dir)
    } catch {
      continue
    }
    for (const entry of entries.filter((e) => name.test(e)).sort()) {
      const file = path.join(dir, entry)
      if (found.length >= MAX_LISTED) {
        more++
        continue
      }
      found.push(`${file} (${sizeOf(file)})`)
    }
  }
  if (more > 0) found.push(`… +${more}`)
  return found
}

function expand(pattern: string, env: Record<string, string>): string | undefined {
  let unset = false
  const out = pattern.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced?: string, bare?: string) => {
    const v = env[(braced ?? bare)!]
    if (v === undefined || v === '') unset = true
    return v ?? ''
  })
  return unset ? undefined : out
}

function sizeOf(file: string): string {
  try {
    const bytes = statSync(file).size
    return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`
  } catch {
    return '?'
  }
}
