// Finishing a report whose runner died. The journal is the truth; the .md and .json are views of
// it. A runner killed after it journaled the end of the run but before it rendered leaves the
// placeholder .md, perhaps no .json, and temp files of an atomic write: `repair` renders both
// views from the journal (atomically, idempotently: running it twice changes nothing more),
// removes the temp files no live process is writing, and, when the run had ended, closes the run
// as the runner would have (log kept only when an output was cut, journal deleted). A run that
// had not ended is rendered as incomplete and keeps its journal, so `resume` continues it.
import { existsSync } from 'node:fs'
import { readdir, readFile, unlink } from 'node:fs/promises'
import path from 'node:path'
import type { RunRecord } from '../model/run-record.js'
import type { Runbook } from '../model/runbook.js'
import { accessOf } from './access.js'
import { outputCutInReport } from './render-step.js'
import { foldEvents } from './fold.js'
import { renderReportJson } from './render-json.js'
import { renderReportMarkdown } from './render-md.js'
import { allMessages, inRecordLanguage } from '../terminal/messages/index.js'
import { atomicWrite, ignoreMissing, loadReport, parseJournal, reportPaths, syncDir } from './writer.js'

export interface RepairResult {
  /** The journal had the run's end: the report is final now (the journal is gone). */
  finished: boolean
  /** Rendered from the journal (false: the report was already final; only temp files were looked at). */
  rendered: boolean
  status: RunRecord['status']
  /** Temp files of atomic writes that no live process was writing, removed. */
  removed: string[]
  /** Nothing had been recorded (the runner died before the run's start was journaled): the
   * placeholder report is removed. */
  discarded?: boolean
}

/** The placeholder and at most an empty journal and log: the run's start never reached the disk. */
async function nothingRecorded(paths: ReturnType<typeof reportPaths>): Promise<boolean> {
  if (existsSync(paths.json)) return false
  const journal = await readFile(paths.journal, 'utf8').catch(() => '')
  if (parseJournalQuietly(journal, paths.journal) > 0) return false
  const md = await readFile(paths.md, 'utf8').catch(() => null)
  const log = await readFile(paths.log, 'utf8').catch(() => '')
  // The placeholder in any language the runner speaks: the run may have spoken another.
  const placeholders = Object.values(allMessages).map((m) => `${m.report.placeholder(path.basename(paths.journal), path.basename(paths.md))}\n`)
  // Empty: killed between creating the file and writing the placeholder into it.
  return md !== null && (md === '' || placeholders.includes(md)) && log === ''
}

function parseJournalQuietly(text: string, file: string): number {
  try {
    return parseJournal(text, file).length
  } catch {
    return 1 // unreadable lines are not "nothing": loadReport names them
  }
}

/** Whether a report needs `repair`: its journal says the run ended, but the journal is still there. */
export async function endedButNotRendered(file: string): Promise<boolean> {
  const text = await readFile(reportPaths(file).journal, 'utf8').catch(() => null)
  if (text === null) return false
  const events = parseJournal(text, reportPaths(file).journal)
  return events.length > 0 && foldEvents(events).status !== 'running'
}

/** Renders a report from its journal (see the file comment). `runbookOf` loads the runbook the
 * record names, for the report's body. */
export async function repairReport(file: string, runbookOf: (record: RunRecord) => Promise<Runbook>): Promise<RepairResult> {
  const paths = reportPaths(file)
  const removed = await removeStaleTemps(paths.base)
  if (await nothingRecorded(paths)) {
    // Killed between reserving the report's name and journaling the run's start: no step ran
    // (a step runs only after the start is on disk), so the placeholder is all there is.
    for (const leftover of [paths.md, paths.journal, paths.log]) await unlink(leftover).catch(ignoreMissing)
    await syncDir(paths.dir)
    return { finished: true, rendered: false, discarded: true, status: 'aborted', removed: [...removed, paths.md] }
  }
  const loaded = await loadReport(file)
  const { record } = loaded
  if (!loaded.fromJournal) return { finished: true, rendered: false, status: record.status, removed }
  const ended = await endedButNotRendered(file)
  const runbook = await runbookOf(record)
  const access = await accessOf(paths.md)
  const [json, md] = inRecordLanguage(() => [renderReportJson(record), renderReportMarkdown(record, runbook, { logName: path.basename(paths.log) })])
  await atomicWrite(paths.json, json, access)
  await atomicWrite(paths.md, md, access)
  if (ended) {
    if (!record.steps.some(outputCutInReport)) await unlink(paths.log).catch(ignoreMissing)
    await unlink(paths.journal).catch(ignoreMissing)
    await syncDir(paths.dir)
  }
  return { finished: ended, rendered: true, status: record.status, removed }
}

/** `<base>.md.tmp-<pid>-<n>` and the like, left by an atomic write whose process is gone. */
async function removeStaleTemps(base: string): Promise<string[]> {
  const dir = path.dirname(base)
  const stem = path.basename(base)
  const removed: string[] = []
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = /^(.*)\.(?:md|json|journal\.jsonl)\.tmp-(\d+)-\d+$/.exec(name)
    if (!m || m[1] !== stem || alive(Number(m[2]))) continue
    await unlink(path.join(dir, name)).catch(ignoreMissing)
    removed.push(path.join(dir, name))
  }
  return removed
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
