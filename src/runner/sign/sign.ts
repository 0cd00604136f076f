// `runbook sign`: a sign-off appended to a finished report that verifies, covering every byte of
// every artefact. Verification is verify.ts.
import { appendFile } from 'node:fs/promises'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { systemClock, type Clock } from '../model/clock.js'
import { operatorIdentity } from '../run/operator.js'
import { localIso } from '../report/time.js'
import { msg } from '../terminal/messages/index.js'
import { checkSignoffStructure, findSignoffs, principalOf, renderSignoffBlock, sha256, statementText, type SignoffStatement } from '../report/signoff.js'
import { checklistState, expected, readArtefacts } from './artefacts.js'
import { findSigningKey, signText } from './ssh.js'

export { checklistState } from './artefacts.js'
export { verifyReport, type VerifyOptions, type VerifyResult } from './verify.js'

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
  const broken = [...problems, ...checkSignoffStructure(a.md, blocks, expected(a))]
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
