// `runbook sign` and `runbook verify`: sign-offs appended to a finished report, and the checks that
// make any edited byte of any artefact show.
import { existsSync } from 'node:fs'
import { appendFile, readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { EXIT, RunbookError } from '../model/errors.js'
import { operatorIdentity } from '../run/operator.js'
import { countSteps } from '../report/render-md.js'
import { localIso } from '../report/time.js'
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
    throw new RunbookError('this run is incomplete (its journal is still there: the runner was stopped, or is still running); resume it or let it end first', EXIT.usage, paths.md)
  }
  const md = await readFile(paths.md).catch(() => {
    throw new RunbookError('no such report', EXIT.usage, paths.md)
  })
  const jsonText = await readFile(paths.json, 'utf8').catch(() => {
    throw new RunbookError('the JSON twin is missing', EXIT.usage, paths.json)
  })
  let record: RunRecord
  try {
    record = JSON.parse(jsonText) as RunRecord
  } catch {
    throw new RunbookError('the JSON twin is not valid JSON', EXIT.usage, paths.json)
  }
  const log = await readFile(paths.log).catch(() => null)
  return { paths, md, jsonText, record, logSha256: log ? sha256(log) : 'none' }
}

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
}

export async function signReport(opts: SignOptions): Promise<{ mdPath: string; statement: SignoffStatement }> {
  const a = await readArtefacts(opts.report)
  if (a.record.status === 'running') throw new RunbookError('this run has not finished', EXIT.usage, a.paths.md)
  const { blocks, problems } = findSignoffs(a.md.toString())
  const broken = [...problems, ...checkSignoffStructure(a.md, blocks, { json: sha256(a.jsonText), log: a.logSha256 })]
  if (broken.length > 0) throw new RunbookError(`refusing to sign a report that fails verification: ${broken.join('; ')}`, EXIT.failed, a.paths.md)
  const signer = operatorIdentity(opts.operator)
  const statement: SignoffStatement = {
    report: path.basename(a.paths.md),
    runId: a.record.runId,
    runbook: a.record.runbook.id,
    status: a.record.status,
    checklist: checklistState(a.record),
    signer,
    principal: principalOf(signer),
    signedAt: localIso(new Date()),
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
    throw new RunbookError('allowed signers file not found; pass --allowed-signers FILE (lines: "email key-type key")', EXIT.usage, allowedSigners)
  }
  const a = await readArtefacts(report)
  const text = a.md.toString()
  const { blocks, problems } = findSignoffs(text)
  problems.push(...checkSignoffStructure(a.md, blocks, { json: sha256(a.jsonText), log: a.logSha256 }))
  problems.push(...twinProblems(text, a.record))
  if (blocks.length === 0) problems.push('the report is not signed')
  const signoffs: VerifyResult['signoffs'] = []
  for (const block of blocks) signoffs.push(await verifyBlock(block, a.record, allowedSigners, problems))
  const required = a.record.runbook.approvals ?? 1
  const principals = [...new Set(signoffs.filter((s) => s.valid).map((s) => s.principal))]
  if (blocks.length > 0 && principals.length < required) {
    problems.push(`needs ${required} sign-offs from different people; has ${principals.length} (${principals.join(', ') || 'none valid'})`)
  }
  return { ok: problems.length === 0, signoffs, problems, approvals: { required, principals } }
}

async function verifyBlock(block: Signoff, record: RunRecord, allowedSigners: string, problems: string[]) {
  const s = block.statement
  const check = await verifyText(block.text, block.signature, s.principal, allowedSigners)
  if (!check.ok) problems.push(`signature of ${s.principal} does not verify: ${check.message}`)
  if (s.runId !== record.runId) problems.push(`sign-off of ${s.principal} names run ${s.runId}, the JSON says ${record.runId}`)
  if (principalOf(s.signer) !== s.principal) problems.push(`sign-off of ${s.principal}: signer and principal differ`)
  return { ...s, valid: check.ok, message: check.message }
}

/** The JSON twin must tell the same story as the Markdown's front matter. */
function twinProblems(md: string, record: RunRecord): string[] {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(md)
  if (!m) return ['the Markdown has no front matter']
  let front: Record<string, unknown>
  try {
    front = parseYaml(m[1]!) as Record<string, unknown>
  } catch {
    return ['the Markdown front matter is not valid YAML']
  }
  const problems: string[] = []
  if (front.run_id !== record.runId) problems.push(`run id differs: Markdown ${String(front.run_id)}, JSON ${record.runId}`)
  if (front.status !== record.status) problems.push(`status differs: Markdown ${String(front.status)}, JSON ${record.status}`)
  if (JSON.stringify(front.counts ?? {}) !== JSON.stringify(countSteps(record.steps))) problems.push('step counts differ between the Markdown and the JSON')
  if (front.source_sha256 !== record.runbook.sha256) problems.push('runbook sha256 differs between the Markdown and the JSON')
  return problems
}
