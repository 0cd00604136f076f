// How many approvals a report needs, from what its signer cannot change: the runbook as committed
// at the commit the report records, whose sha256 must be the one the run recorded. The report's
// own `approvals` (JSON) is never read here: whoever signs can edit it before signing.
//
// A run with `git_dirty: true` ran a working file that differed from that commit, so the committed
// blob's sha256 does not match and the number is unknown; so is it outside git, when the commit or
// the path is gone, or git is missing. Unknown fails verify unless the verifier gives
// `--approvals N` (and the result says the number came from the verifier). Given with a runbook
// that is found, `--approvals` can only raise the number.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseFrontMatter, splitFrontMatter } from '../parse/frontmatter.js'
import { sha256 } from '../report/signoff.js'
import { msg } from '../terminal/messages/index.js'
import type { RunRecord } from '../model/run-record.js'

export type ApprovalsSource =
  /** The runbook's front matter at `commit:path`. */
  | { from: 'runbook'; where: string }
  /** `--approvals N`; `why` says why the runbook's own number was not used, when it was not found. */
  | { from: 'verifier'; why?: string }

export type RequiredApprovals = ({ required: number; source: ApprovalsSource } | { problem: string }) & {
  /** The runbook's bytes as committed, when found (verify re-renders the report from them). */
  runbook?: Buffer
}

export interface ApprovalsOptions {
  /** Where the recorded runbook path is resolved from (it was recorded as the operator typed it,
   * from the directory the run started in). */
  cwd: string
  /** The report's folder: a relative runbook path is also tried from the root of the git
   * repository that holds it (reports usually live in the runbooks' repository). */
  reportDir?: string
  /** `--approvals N` given by the verifier. */
  override?: number
}

export async function requiredApprovals(runbook: RunRecord['runbook'], opts: ApprovalsOptions): Promise<RequiredApprovals> {
  const bases = [opts.cwd]
  if (!path.isAbsolute(runbook.path) && opts.reportDir) {
    const top = await git(opts.reportDir, ['rev-parse', '--show-toplevel'])
    if ('bytes' in top) bases.push(top.bytes.toString('utf8').trim())
  }
  // The first base's answer explains a failure; any base that finds the blob with the recorded
  // sha256 is the runbook that ran.
  let found = await committedApprovals(runbook, opts.cwd)
  for (const base of new Set(bases.slice(1))) {
    if ('approvals' in found) break
    const tried = await committedApprovals(runbook, base)
    if ('approvals' in tried) found = tried
  }
  if ('approvals' in found) {
    if (opts.override !== undefined && opts.override > found.approvals) return { required: opts.override, source: { from: 'verifier' }, runbook: found.bytes }
    return { required: found.approvals, source: { from: 'runbook', where: found.where }, runbook: found.bytes }
  }
  if (opts.override !== undefined) return { required: opts.override, source: { from: 'verifier', why: found.why } }
  return { problem: msg.sign.approvalsUnknown(found.why) }
}

/** The `approvals` of the runbook blob at the recorded commit, or why it cannot be had. */
export async function committedApprovals(runbook: RunRecord['runbook'], cwd: string): Promise<{ approvals: number; where: string; bytes: Buffer } | { why: string }> {
  const commit = runbook.gitCommit
  if (!commit) return { why: msg.sign.noCommit }
  // The commit comes from a file the signer could edit: only a hex object name reaches git.
  if (!/^[0-9a-f]{7,64}$/.test(commit)) return { why: msg.sign.badCommit(commit) }
  const file = path.resolve(cwd, runbook.path)
  const dir = path.dirname(file)
  if (!existsSync(dir)) return { why: msg.sign.runbookFolderGone(dir) }
  const where = `${commit}:${runbook.path}`
  const blob = await git(dir, ['cat-file', 'blob', `${commit}:./${path.basename(file)}`])
  if ('why' in blob) return { why: msg.sign.notInGit(where, blob.why) }
  const actual = sha256(blob.bytes)
  if (actual !== runbook.sha256) {
    return { why: runbook.gitDirty ? msg.sign.ranUncommitted(where, actual, runbook.sha256) : msg.sign.committedShaDiffers(where, actual, runbook.sha256) }
  }
  const { meta, diagnostics } = parseFrontMatter(splitFrontMatter(blob.bytes.toString('utf8')), where, 'runbook')
  if (diagnostics.some((d) => d.severity === 'error')) return { why: msg.sign.committedFrontMatterInvalid(where) }
  return { approvals: meta.approvals, where, bytes: blob.bytes }
}

/** `cat-file blob` is `git show COMMIT:path` without any textconv or pager: the bytes as committed.
 * Replace refs are ignored (they would substitute other objects for the commit's), and so is an
 * fsmonitor hook a repository's config might name. */
function git(dir: string, args: string[]): Promise<{ bytes: Buffer } | { why: string }> {
  return new Promise((resolve) => {
    execFile('git', ['--no-replace-objects', '-c', 'core.fsmonitor=false', '-C', dir, ...args], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024, timeout: 15_000 }, (error, stdout, stderr) => {
      if (!error) return resolve({ bytes: stdout })
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return resolve({ why: msg.sign.noGit })
      resolve({ why: stderr.toString().trim().split('\n')[0] || error.message })
    })
  })
}
