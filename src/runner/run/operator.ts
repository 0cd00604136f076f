// Who is running: `--operator`, else git's user.name/user.email, else user@host. Also the git
// state of the runbooks, recorded in every report.
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000 }).trim()
  } catch {
    return null
  }
}

export function operatorIdentity(explicit: string | undefined, cwd = process.cwd()): string {
  if (explicit && explicit.trim()) return explicit.trim()
  const name = git(['config', 'user.name'], cwd)
  const email = git(['config', 'user.email'], cwd)
  if (name && email) return `${name} <${email}>`
  const user = os.userInfo().username
  return `${user} <${user}@${os.hostname()}>`
}

export function gitState(file: string): { commit: string | null; dirty: boolean | null } {
  const dir = path.dirname(path.resolve(file))
  const commit = git(['rev-parse', 'HEAD'], dir)
  if (!commit) return { commit: null, dirty: null }
  const status = git(['status', '--porcelain', '--', path.basename(file)], dir)
  return { commit, dirty: status === null ? null : status !== '' }
}
