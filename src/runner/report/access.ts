// Who may read a run's records. Reports, journals and logs hold what steps printed (hosts, rows,
// names) and are the evidence of a run: by default only their owner reads them — 0600 files in
// 0700 folders, whatever the umask. A team where leads and second approvers read and sign names a
// group (`RUNBOOK_REPORTS_GROUP`, or `reports.group` in `.runbook/settings.yaml`): then 0640 files
// in 0750 folders of that group.
import { readFileSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { chmod, chown, stat } from 'node:fs/promises'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { msg } from '../terminal/messages/index.js'
import { readSettings, SETTINGS_FILE } from './settings.js'

export interface ReportAccess {
  fileMode: number
  dirMode: number
  /** The group that reads and signs too (its id), when one is set. */
  gid?: number
}

export const PRIVATE_ACCESS: ReportAccess = { fileMode: 0o600, dirMode: 0o700 }

/** The access of a project's reports: its settings file and the environment (which wins). */
export function reportAccess(cwd: string, env: Readonly<Record<string, string | undefined>>, groupFile = '/etc/group'): ReportAccess {
  const group = env.RUNBOOK_REPORTS_GROUP?.trim() || settingsGroup(cwd)
  if (!group) return PRIVATE_ACCESS
  return { fileMode: 0o640, dirMode: 0o750, gid: groupId(group, groupFile) }
}

function settingsGroup(cwd: string): string | undefined {
  const value = (readSettings(cwd).reports as { group?: unknown } | undefined)?.group
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' && typeof value !== 'number') throw new RunbookError(msg.report.settingsInvalid(path.join(cwd, SETTINGS_FILE), 'reports.group'), EXIT.usage)
  return String(value)
}

/** A group's id: a number as it is, a name from the group file. */
function groupId(group: string, groupFile: string): number {
  if (/^\d+$/.test(group)) return Number(group)
  let text = ''
  try {
    text = readFileSync(groupFile, 'utf8')
  } catch {
    // no group file: the name cannot be found
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':')
    if (name === group && gid !== undefined && /^\d+$/.test(gid)) return Number(gid)
  }
  throw new RunbookError(msg.report.unknownGroup(group), EXIT.usage)
}

/** Gives an open file the access (explicitly: the umask does not decide). */
export async function applyFileAccess(handle: FileHandle, access: ReportAccess): Promise<void> {
  if (access.gid !== undefined) await handle.chown(process.getuid?.() ?? -1, access.gid)
  await handle.chmod(access.fileMode)
}

/** Gives a folder the access, when it is ours (a shared parent we do not own is left as it is). */
export async function applyDirAccess(dir: string, access: ReportAccess): Promise<void> {
  const info = await stat(dir)
  if (process.getuid && info.uid !== process.getuid()) return
  if (access.gid !== undefined && info.gid !== access.gid) await chown(dir, info.uid, access.gid)
  if ((info.mode & 0o777) !== access.dirMode) await chmod(dir, access.dirMode)
}

/** The access an existing report has (a resumed run keeps it). */
export async function accessOf(file: string): Promise<ReportAccess> {
  const info = await stat(file)
  const groupReads = (info.mode & 0o040) !== 0
  return groupReads ? { fileMode: 0o640, dirMode: 0o750, gid: info.gid } : PRIVATE_ACCESS
}

/** Whether anyone on the machine can read the file (verify warns). */
export async function worldReadable(file: string): Promise<boolean> {
  try {
    return ((await stat(file)).mode & 0o004) !== 0
  } catch {
    return false
  }
}
