// Where a signed report's text was changed. A sign-off holds only the sha256 of the Markdown it
// covers, not its text; but the report is a rendering of its JSON twin and its runbook. When the
// JSON is intact and the runbook is at hand (as committed, or on disk with the recorded sha256),
// rendering them again in the language the run spoke gives the signed text back, proven by its
// sha256 matching the one that was signed; the first line where the file differs from it is the
// changed line. When no rendering reproduces the signed hash (another version of the renderer, a
// runbook that cannot be found), there is no line to give, and none is guessed.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseRunbook } from '../parse/parse.js'
import { renderReportMarkdown } from '../report/render-md.js'
import { sha256 } from '../report/signoff.js'
import { allMessages, language, setLanguage, type Language } from '../terminal/messages/index.js'
import type { RunRecord } from '../model/run-record.js'

/** The signed text of the report (the bytes its first sign-off covers), when it can be rebuilt. */
export function signedReportText(record: RunRecord, runbookBytes: Buffer | undefined, logName: string, signedSha256: string, cwd: string): string | undefined {
  const bytes = runbookBytes ?? runbookOnDisk(record, cwd)
  if (!bytes || sha256(bytes) !== record.runbook.sha256) return undefined
  const runbook = parseRunbook(bytes, record.runbook.path)
  const was = language()
  try {
    for (const lang of Object.keys(allMessages) as Language[]) {
      setLanguage(lang)
      const text = renderReportMarkdown(record, runbook, { logName })
      if (sha256(text) === signedSha256) return text
    }
  } catch {
    // A record the renderer of this version cannot render: no line to give.
  } finally {
    setLanguage(was)
  }
  return undefined
}

function runbookOnDisk(record: RunRecord, cwd: string): Buffer | undefined {
  try {
    return readFileSync(path.resolve(cwd, record.runbook.path))
  } catch {
    return undefined
  }
}

/** 1-based line of the first line where `actual` differs from `signed`. */
export function firstDifference(signed: string, actual: string): number {
  const a = signed.split('\n')
  const b = actual.split('\n')
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i + 1
}
