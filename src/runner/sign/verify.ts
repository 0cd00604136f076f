// `runbook verify`: the checks that make any edited byte of any artefact show, signatures checked
// by ssh-keygen against allowed_signers, and the approvals counted against a number the signer
// cannot change (approvals.ts).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { EXIT, RunbookError } from '../model/errors.js'
import { countSteps } from '../report/status.js'
import { msg } from '../terminal/messages/index.js'
import { checkSignoffStructure, findSignoffs, principalOf, type Signoff, type SignoffStatement } from '../report/signoff.js'
import type { RunRecord } from '../model/run-record.js'
import { requiredApprovals, type ApprovalsSource } from './approvals.js'
import { expected, readArtefacts, type Artefacts } from './artefacts.js'
import { firstDifference, signedReportText } from './changed-line.js'
import { parseAllowedSigners, signatureKey, signerCause, type AllowedSigner, type SignerCause } from './keys.js'
import { verifyText } from './ssh.js'

export interface VerifyOptions {
  /** `--approvals N`: the number to require when the runbook at the recorded commit cannot be found. */
  approvals?: number
  /** Where the runbook path the report records is resolved from; default: the process's directory. */
  cwd?: string
}

export interface VerifyResult {
  ok: boolean
  /** Each sign-off as stated, whether its signature is valid, and the fingerprint of the key that made it. */
  signoffs: (SignoffStatement & { valid: boolean; message: string; key?: string })[]
  problems: string[]
  approvals: {
    /** null: unknown (the runbook was not found and no `--approvals` was given). */
    required: number | null
    /** Principals with a valid signature. */
    principals: string[]
    /** Approvals that count: valid sign-offs with pairwise distinct keys and principals. */
    counted?: number
    source?: ApprovalsSource
  }
}

export async function verifyReport(report: string, allowedSigners: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  if (!existsSync(allowedSigners)) {
    throw new RunbookError(msg.sign.allowedSignersMissing, EXIT.usage, allowedSigners)
  }
  const a = await readArtefacts(report)
  const text = a.md.toString()
  const { blocks, problems } = findSignoffs(text)
  // Signatures first: a block whose statement was edited points at the statement's lines.
  const signers = parseAllowedSigners(readFileSync(allowedSigners, 'utf8'))
  const signoffs: VerifyResult['signoffs'] = []
  const signatureProblems: string[] = []
  const restated = new Set<number>()
  for (const [i, block] of blocks.entries()) {
    const checked = await verifyBlock(block, i + 1, { file: allowedSigners, signers }, signatureProblems)
    signoffs.push(checked.signoff)
    if (checked.restated) restated.add(i)
  }
  problems.push(...checkSignoffStructure(a.md, blocks, { ...expected(a), restated }))
  problems.push(...signatureProblems)
  problems.push(...twinProblems(text, a.record))
  if (blocks.length === 0) problems.push(msg.sign.notSigned)
  const principals = [...new Set(signoffs.filter((s) => s.valid).map((s) => s.principal))]
  const counted = distinctPeople(signoffs)
  const cwd = opts.cwd ?? process.cwd()
  const approvals = await requiredApprovals(a.record.runbook, { cwd, override: opts.approvals, reportDir: path.dirname(path.resolve(a.paths.md)) })
  locateChange(a, blocks[0], approvals.runbook, cwd, problems)
  if ('problem' in approvals) {
    problems.push(approvals.problem)
    return { ok: false, signoffs, problems, approvals: { required: null, principals, counted } }
  }
  if (blocks.length > 0 && counted < approvals.required) problems.push(msg.sign.needsApprovals(approvals.required, counted, principals))
  return { ok: problems.length === 0, signoffs, problems, approvals: { required: approvals.required, principals, counted, source: approvals.source } }
}

/** Says at which line the report text under the first sign-off changed, when that can be proven. */
function locateChange(a: Artefacts, first: Signoff | undefined, runbook: Buffer | undefined, cwd: string, problems: string[]): void {
  if (!first) return
  const who = msg.sign.who(1, first.statement.principal)
  const at = problems.indexOf(msg.sign.markdownChanged(who))
  if (at === -1) return
  const signed = signedReportText(a.record, runbook, path.basename(a.paths.log), first.statement.mdSha256, cwd)
  if (signed !== undefined) problems[at] = msg.sign.markdownChangedAt(who, firstDifference(signed, a.md.toString()))
}

async function verifyBlock(block: Signoff, index: number, allowed: { file: string; signers: AllowedSigner[] }, problems: string[]) {
  const s = block.statement
  const key = signatureKey(block.signature)
  const check = await verifyText(block.text, block.signature, s.principal, allowed.file)
  const cause = check.ok ? undefined : signerCause(allowed.signers, s.principal, key)
  if (cause) problems.push(whyInvalid(index, s.principal, cause, check.message, allowed.file))
  if (principalOf(s.signer) !== s.principal) problems.push(msg.sign.signerMismatch(s.principal))
  return { signoff: { ...s, valid: check.ok, message: check.message, key }, restated: cause?.cause === 'other' }
}

/** ssh-keygen says "Could not verify signature" for every cause; the file says which it is. */
function whyInvalid(index: number, principal: string, cause: SignerCause, message: string, file: string): string {
  const who = msg.sign.who(index, principal)
  if (cause.cause === 'unknown-principal') return msg.sign.principalNotAllowed(who, principal, file)
  if (cause.cause === 'wrong-key') return msg.sign.wrongKey(who, principal, cause.key, cause.allowedKeys, file)
  return msg.sign.signatureInvalid(principal, message)
}

/**
 * How many different people signed, failing closed: valid sign-offs are linked when they share a
 * key or a principal, and each linked group counts once. One key allowed as two principals, or one
 * principal signing with two keys, is one approval; so is any chain of them, since nothing proves
 * two people stand behind it.
 */
function distinctPeople(signoffs: VerifyResult['signoffs']): number {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    const p = parent.get(x) ?? x
    if (p === x) return x
    const root = find(p)
    parent.set(x, root)
    return root
  }
  const roots = new Set<string>()
  const valid = signoffs.filter((s) => s.valid && s.key)
  for (const s of valid) parent.set(find(`k:${s.key}`), find(`p:${s.principal}`))
  for (const s of valid) roots.add(find(`p:${s.principal}`))
  return roots.size
}

/** The JSON twin must tell the same story as the Markdown's front matter, including the commit,
 * path and sha256 that approvals are read from. */
function twinProblems(md: string, record: RunRecord): string[] {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(md)
  if (!m) return [msg.sign.noFrontMatter]
  let front: Record<string, unknown>
  try {
    front = parseYaml(m[1]!) as Record<string, unknown>
  } catch {
    return [msg.sign.frontMatterInvalid]
  }
  const problems: string[] = []
  if (front.run_id !== record.runId) problems.push(msg.sign.runIdDiffers(String(front.run_id), record.runId))
  if (front.status !== record.status) problems.push(msg.sign.statusDiffers(String(front.status), record.status))
  if (JSON.stringify(front.counts ?? {}) !== JSON.stringify(countSteps(record.steps))) problems.push(msg.sign.countsDiffer)
  if (front.source_sha256 !== record.runbook.sha256) problems.push(msg.sign.shaDiffers)
  const same: [string, unknown][] = [
    ['source', record.runbook.path],
    ['git_commit', record.runbook.gitCommit],
    ['git_dirty', record.runbook.gitDirty],
  ]
  for (const [key, json] of same) if (front[key] !== json) problems.push(msg.sign.frontMatterDiffers(key, JSON.stringify(front[key]), JSON.stringify(json)))
  return problems
}
