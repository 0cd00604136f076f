// `runbook sign` and `runbook verify`: sign-offs appended to a finished report, and the checks that
// make any edited byte of any artefact show.
import { existsSync } from 'node:fs'
import { appendFile, readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { EXIT, RunbookError } from '../model/errors.js'
import { systemClock, type Clock } from '../model/clock.js'
import { operatorIdentity } from '../run/operator.js'
import { countSteps } from '../report/status.js'
import { localIso } from '../report/time.js'
import { msg } from '../terminal/messages/index.js'
import { reportPaths, type ReportPaths } from '../report/writer.js'
import type { RunRecord } from '../model/run-record.js'
import {
  checkSignoffStructure,
  findSignoffs,
  principalOf,
  renderSignoffBlock,
  sha256,
  statementText,
  type Signoff,
  type SignoffStatement,
} from '../report/signoff.js'
import { findSigningKey, signText, verifyText } from './ssh.js'

interface Artefacts {
  paths: ReportPaths
  md: Buffer
  jsonText: string
  record: RunRecord
  logSha256: string
}

async function readArtefacts(report: string): Promise<Artefacts> {
  const paths = reportPaths(report)
  if (existsSync(paths.journal)) {
    throw new RunbookError(msg.sign.incomplete, EXIT.usage, paths.md)
  }
  const md = await readFile(paths.md).catch(() => {
    throw new RunbookError(msg.sign.noSuchReport, EXIT.usage, paths.md)
  })
  const jsonText = await readFile(paths.json, 'utf8').catch(() => {
    throw new RunbookError(msg.sign.jsonMissing, EXIT.usage, paths.json)
  })
  let record: RunRecord
  try {
    record = JSON.parse(jsonText) as RunRecord
  } catch {
    throw new RunbookError(msg.sign.jsonInvalid, EXIT.usage, paths.json)
  }
  const log = await readFile(paths.log).catch(() => null)
  return { paths, md, jsonText, record, logSha256: log ? sha256(log) : 'none' }
}

/** The state of the checklist as signed: `complete 2/2` or `unfinished 1/2` (a value of the
 * signed statement, not words of the interface). */
export function checklistState(record: RunRecord): string {
  const total = record.runbook.checklistItems ?? record.checklist.length
  const done = record.checklist.filter((t) => t.checked).length
  return done >= total ? `complete ${done}/${total}` : `unfinished ${done}/${total}`
}

export interface SignOptions {
  report: string
  comment?: string
  key?: string
  operator?: string
  /** The clock of `signed_at`; default: the system clock. */
  now?: Clock
}

export async function signReport(opts: SignOptions): Promise<{ mdPath: string; statement: SignoffStatement }> {
  const a = await readArtefacts(opts.report)
  if (a.record.status === 'running') throw new RunbookError(msg.sign.notFinished, EXIT.usage, a.paths.md)
  const { blocks, problems } = findSignoffs(a.md.toString())
  const broken = [...problems, ...checkSignoffStructure(a.md, blocks, { json: sha256(a.jsonText), log: a.logSha256 })]
  if (broken.length > 0) throw new RunbookError(msg.sign.refusing(broken), EXIT.failed, a.paths.md)
  const signer = operatorIdentity(opts.operator)
  const statement: SignoffStatement = {
    report: path.basename(a.paths.md),
    runId: a.record.runId,
    runbook: a.record.runbook.id,
    status: a.record.status,
    checklist: checklistState(a.record),
    signer,
    principal: principalOf(signer),
    signedAt: localIso((opts.now ?? systemClock)()),
    comment: opts.comment ?? '',
    mdBytes: a.md.length,
    mdSha256: sha256(a.md),
    jsonSha256: sha256(a.jsonText),
    logSha256: a.logSha256,
  }
  const key = findSigningKey(opts.key)
  try {
    const signature = await signText(statementText(statement), key.file)
    await appendFile(a.paths.md, renderSignoffBlock(statement, signature))
  } finally {
    key.cleanup?.()
  }
  return { mdPath: a.paths.md, statement }
}

export interface VerifyResult {
  ok: boolean
  signoffs: (SignoffStatement & { valid: boolean; message: string })[]
  problems: string[]
  approvals: { required: number; principals: string[] }
}

export async function verifyReport(report: string, allowedSigners: string): Promise<VerifyResult> {
  if (!existsSync(allowedSigners)) {
    throw new RunbookError(msg.sign.allowedSignersMissing, EXIT.usage, allowedSigners)
  }
  const a = await readArtefacts(report)
  const text = a.md.toString()
  const { blocks, problems } = findSignoffs(text)
  problems.push(...checkSignoffStructure(a.md, blocks, { json: sha256(a.jsonText), log: a.logSha256 }))
  problems.push(...twinProblems(text, a.record))
  if (blocks.length === 0) problems.push(msg.sign.notSigned)
  const signoffs: VerifyResult['signoffs'] = []
  for (const block of blocks) signoffs.push(await verifyBlock(block, a.record, allowedSigners, problems))
  const required = a.record.runbook.approvals ?? 1
  const principals = [...new Set(signoffs.filter((s) => s.valid).map((s) => s.principal))]
  if (blocks.length > 0 && principals.length < required) {
    problems.push(msg.sign.needsApprovals(required, principals))
  }
  return { ok: problems.length === 0, signoffs, problems, approvals: { required, principals } }
}

async function verifyBlock(block: Signoff, record: RunRecord, allowedSigners: string, problems: string[]) {
  const s = block.statement
  const check = await verifyText(block.text, block.signature, s.principal, allowedSigners)
  if (!check.ok) problems.push(msg.sign.signatureInvalid(s.principal, check.message))
  if (s.runId !== record.runId) problems.push(msg.sign.otherRun(s.principal, s.runId, record.runId))
  if (principalOf(s.signer) !== s.principal) problems.push(msg.sign.signerMismatch(s.principal))
  return { ...s, valid: check.ok, message: check.message }
}

/** The JSON twin must tell the same story as the Markdown's front matter. */
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
  return problems
}
