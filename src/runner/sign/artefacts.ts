// Reading a finished report's artefacts (Markdown, JSON twin, log) for `sign` and `verify`, and
// the values of the report that a sign-off states.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { EXIT, RunbookError } from '../model/errors.js'
import { msg } from '../terminal/messages/index.js'
import { reportPaths, type ReportPaths } from '../report/writer.js'
import { sha256, type ArtefactHashes } from '../report/signoff.js'
import type { RunRecord } from '../model/run-record.js'

export interface Artefacts {
  paths: ReportPaths
  md: Buffer
  jsonText: string
  record: RunRecord
  logSha256: string
}

export async function readArtefacts(report: string): Promise<Artefacts> {
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

/** The hashes and facts every sign-off of this report must agree with. */
export function expected(a: Artefacts): ArtefactHashes {
  const r = a.record
  return { json: sha256(a.jsonText), log: a.logSha256, facts: { runId: r.runId, runbook: r.runbook.id, status: r.status, checklist: checklistState(r) } }
}
