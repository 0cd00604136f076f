// write(report): the only part of the report stage that touches the disk.
//
// A run's files, side by side in `<reports>/<YYYY-MM-DD>/`:
//   <runbook-id>-<HHMMSS>[-N].md             the report (rendered from the record)
//   <runbook-id>-<HHMMSS>[-N].json           its JSON twin (the record itself)
//   <runbook-id>-<HHMMSS>[-N].log            full step outputs, each attempt under its header line
//                                            (`stepLogHeader`, written here and nowhere else); kept
//                                            only when some step's inline output was cut
//   <runbook-id>-<HHMMSS>[-N].journal.jsonl  the append-only event journal while the run is
//                                            going; deleted by `finish` (the .json then carries
//                                            everything). Still there = the run never finished.
//
// Every event is one JSON line appended and fsynced, so a step's result is on disk before the
// next step starts and the cost of recording it does not grow with the number of steps. The .md
// and .json are views, rendered (atomically: temp file + rename) when the caller asks and at the
// end. A run killed with -9 leaves its journal; `loadReport` folds it and marks the run
// incomplete, and `reopen` continues the same files.
import { fdatasyncSync, writeSync } from 'node:fs'
import { mkdir, open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { inRecordLanguage, msg } from '../terminal/messages/index.js'
import type { RunEvent, RunRecord } from '../model/run-record.js'
import type { Runbook } from '../model/runbook.js'
import { accessOf, applyDirAccess, applyFileAccess, PRIVATE_ACCESS, type ReportAccess } from './access.js'
import { outputCutInReport } from './render-step.js'
import { foldEvents, markIncomplete } from './fold.js'
import { renderReportJson } from './render-json.js'
import { renderReportMarkdown } from './render-md.js'
import { reportClock, reportDate } from './time.js'

export interface ReportPaths {
  /** The path without extension: `<dir>/<runbook-id>-<HHMMSS>[-N]`. */
  base: string
  dir: string
  md: string
  json: string
  log: string
  journal: string
}

export interface LoadedReport {
  record: RunRecord
  paths: ReportPaths
  /** True when the record was folded from a journal left by a run that never finished. */
  fromJournal: boolean
}

/** The files of a report, from its .md, .json, .log, .journal.jsonl or base path. */
export function reportPaths(file: string): ReportPaths {
  const base = file.replace(/\.(?:md|json|log|journal\.jsonl)$/, '')
  return {
    base,
    dir: path.dirname(base),
    md: `${base}.md`,
    json: `${base}.json`,
    log: `${base}.log`,
    journal: `${base}.journal.jsonl`,
  }
}

/** The line that starts each step attempt's output in the .log. */
export function stepLogHeader(stepId: string, attempt: number, at: string): string {
  return `===== ${stepId} (attempt ${attempt}) ${at} =====\n`
}

/** Log buffered in memory up to this size before it is written. */
const LOG_BUFFER_BYTES = 64 * 1024
const MAX_SUFFIX = 10_000

export class ReportWriter {
  readonly mdPath: string
  readonly jsonPath: string
  readonly logPath: string
  readonly journalPath: string
  /** Set by `reopen`: the record loaded from disk, and whether it came from a journal. */
  loaded?: { record: RunRecord; fromJournal: boolean }

  private queue: Promise<void> = Promise.resolve()
  private failure: Error | null = null
  private logChunks: string[] = []
  private logBytes = 0
  private logWritten = false
  private readonly attempts = new Map<string, number>()
  private closed = false
  private runbook: Runbook | undefined

  private constructor(
    readonly paths: ReportPaths,
    private readonly journal: FileHandle,
    private readonly log: FileHandle,
    runbook: Runbook | undefined,
    private readonly access: ReportAccess,
  ) {
    this.mdPath = paths.md
    this.jsonPath = paths.json
    this.logPath = paths.log
    this.journalPath = paths.journal
    this.runbook = runbook
  }

  /** Reserves `<dir>/<YYYY-MM-DD>/<runbook-id>-<HHMMSS>.md` (or `-2`, `-3` … when taken; the
   * reservation is an exclusive create, so concurrent runs never share a name) and proves the
   * folder writable before anything runs. Throws a RunbookError naming the folder otherwise. */
  static async create(opts: { dir: string; runbookId: string; started: Date; runbook?: Runbook; access?: ReportAccess }): Promise<ReportWriter> {
    const folder = path.join(opts.dir, reportDate(opts.started))
    const access = opts.access ?? PRIVATE_ACCESS
    try {
      // The reports folder gets the access only when this run creates it: `--reports .` must not
      // close the project's folder. The date folder is the runner's own.
      const createdRoot = !(await exists(opts.dir))
      await mkdir(folder, { recursive: true, mode: access.dirMode })
      for (const dir of createdRoot ? [opts.dir, folder] : [folder]) await applyDirAccess(dir, access)
    } catch (e) {
      throw unwritable(folder, e)
    }
    const stem = `${fileSafe(opts.runbookId)}-${reportClock(opts.started)}`
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const paths = reportPaths(path.join(folder, n === 1 ? stem : `${stem}-${n}`))
      let md: FileHandle
      try {
        md = await open(paths.md, 'wx', access.fileMode)
      } catch (e) {
        if (errorCode(e) === 'EEXIST') continue
        throw unwritable(folder, e)
      }
      let journal: FileHandle | undefined
      try {
        // An orphan .json or journal under this name (its .md deleted): leave it alone.
        if ((await exists(paths.json)) || (await exists(paths.journal))) {
          await md.close()
          await unlink(paths.md)
          continue
        }
        await applyFileAccess(md, access)
        await md.writeFile(placeholderText(paths))
        await md.datasync()
        await md.close()
        journal = await open(paths.journal, 'wx', access.fileMode)
        await applyFileAccess(journal, access)
        const log = await open(paths.log, 'a', access.fileMode)
        await applyFileAccess(log, access)
        await syncDir(folder)
        return new ReportWriter(paths, journal, log, opts.runbook, access)
      } catch (e) {
        await md.close().catch(() => undefined)
        await journal?.close().catch(() => undefined)
        for (const file of [paths.md, paths.journal, paths.log]) await unlink(file).catch(() => undefined)
        throw unwritable(folder, e)
      }
    }
    throw new RunbookError(msg.report.noFreeName(stem, folder), EXIT.usage)
  }

  /** Continues a report (resume): loads its record (from the journal when the run never finished,
   * else from the .json; see `loadReport`), starts a new journal seeded with a `run-started`
   * event of that record, and appends to the same .log. The caller renders. */
  static async reopen(file: string, runbook?: Runbook): Promise<ReportWriter> {
    const loaded = await loadReport(file)
    const { paths } = loaded
    let journal: FileHandle | undefined
    try {
      const access = await accessOf(paths.md)
      await atomicWrite(paths.journal, journalLine({ type: 'run-started', record: loaded.record }), access)
      journal = await open(paths.journal, 'a')
      const log = await open(paths.log, 'a', access.fileMode)
      await applyFileAccess(log, access)
      const writer = new ReportWriter(paths, journal, log, runbook, access)
      writer.loaded = { record: loaded.record, fromJournal: loaded.fromJournal }
      writer.logWritten = true
      return writer
    } catch (e) {
      await journal?.close().catch(() => undefined)
      throw unwritable(paths.dir, e)
    }
  }

  /** Appends one event to the journal and fsyncs it (a `step-started` marker is only written: the
   * next fsync carries it). A `step-started` also starts the attempt's section of the .log. The
   * log buffered so far is written before a `step-finished` is journaled, so a killed runner
   * never leaves a finished step without its output. Synchronous writes: a step's record costs
   * two syscalls, not a round trip through the thread pool each. */
  append(event: RunEvent): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`report ${this.mdPath} is already finished`))
    if (event.type === 'step-started') {
      const attempt = (this.attempts.get(event.stepId) ?? 0) + 1
      this.attempts.set(event.stepId, attempt)
      this.pushLog(`${this.logWritten || this.logChunks.length ? '\n' : ''}${stepLogHeader(event.stepId, attempt, event.at)}`)
    }
    const line = journalLine(event)
    return this.enqueue(async () => {
      if (event.type === 'step-finished') this.writeLogSync()
      writeAll(this.journal.fd, line)
      if (event.type !== 'step-started' && event.type !== 'step-process') fdatasyncSync(this.journal.fd)
    })
  }

  /** Records a step's full (already redacted) output in the .log, in the section its
   * `step-started` opened. Buffered. */
  appendLog(_stepId: string, text: string): void {
    if (!text || this.closed) return
    this.pushLog(text)
    // Written synchronously once the buffer is full: a step printing hundreds of megabytes must
    // not pile up queued writes in memory.
    if (this.logBytes >= LOG_BUFFER_BYTES) {
      try {
        this.writeLogSync()
      } catch (e) {
        this.failure ??= e as Error
      }
    }
  }

  /** Writes the buffered log to disk and fsyncs it. */
  flushLog(): Promise<void> {
    return this.enqueue(() => this.writeLog(true))
  }

  /** Writes the .json and the .md (each atomically) from the record. */
  render(record: RunRecord, runbook?: Runbook): Promise<void> {
    const rb = runbook ?? this.runbook
    if (!rb) return Promise.reject(new Error('ReportWriter.render needs the runbook (pass it to render, create or reopen)'))
    this.runbook = rb
    // The report speaks the repository's language, whoever runs it (the terminal speaks theirs).
    const [md, json] = inRecordLanguage(() => [renderReportMarkdown(record, rb, { logName: path.basename(this.logPath) }), renderReportJson(record)])
    return this.enqueue(async () => {
      await atomicWrite(this.jsonPath, json, this.access)
      await atomicWrite(this.mdPath, md, this.access)
    })
  }

  /** Renders the final report, closes the .log (deleting it when no step's output was cut, as
   * the .md then holds every output in full) and deletes the journal. Append `run-finished`
   * first. */
  async finish(record: RunRecord, runbook?: Runbook): Promise<void> {
    await this.flushLog()
    await this.render(record, runbook)
    await this.enqueue(async () => {
      this.closed = true
      await this.log.close()
      if (!record.steps.some(outputCutInReport)) await unlink(this.logPath).catch(ignoreMissing)
      await this.journal.close()
      await unlink(this.journalPath).catch(ignoreMissing)
      await syncDir(this.paths.dir)
    })
  }

  /** Releases the files without finishing (the journal stays: the run counts as incomplete). */
  async close(): Promise<void> {
    if (this.closed) return
    await this.flushLog().catch(() => undefined)
    await this.enqueue(async () => {
      this.closed = true
      await this.log.close().catch(() => undefined)
      await this.journal.close().catch(() => undefined)
    })
  }

  private pushLog(text: string): void {
    this.logChunks.push(text)
    this.logBytes += text.length
  }

  private writeLogSync(): void {
    if (!this.logChunks.length) return
    const text = this.logChunks.join('')
    this.logChunks = []
    this.logBytes = 0
    writeAll(this.log.fd, text)
    this.logWritten = true
  }

  private async writeLog(sync: boolean): Promise<void> {
    if (this.logChunks.length) {
      const text = this.logChunks.join('')
      this.logChunks = []
      this.logBytes = 0
      await this.log.appendFile(text)
      this.logWritten = true
    }
    if (sync && this.logWritten) await this.log.datasync()
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => {
      if (this.failure) throw this.failure
      return work()
    })
    this.queue = run.catch(() => undefined)
    return run
  }
}

/** Loads a report from its .md, .json or base path. A journal next to it means the run never
 * finished (killed, crashed): its events are folded and the record is marked incomplete. */
export async function loadReport(file: string): Promise<LoadedReport> {
  const paths = reportPaths(file)
  const journalText = await readFile(paths.journal, 'utf8').catch(nullWhenMissing)
  if (journalText !== null) {
    const events = parseJournal(journalText, paths.journal)
    if (events.length) return { record: markIncomplete(foldEvents(events)), paths, fromJournal: true }
  }
  const jsonText = await readFile(paths.json, 'utf8').catch(nullWhenMissing)
  if (jsonText === null) {
    const why = journalText !== null ? msg.report.noDataStopped : msg.report.noDataNeither(paths.json, paths.journal)
    throw new RunbookError(msg.report.noData(paths.md, why), EXIT.usage, file)
  }
  let record: RunRecord
  try {
    record = JSON.parse(jsonText) as RunRecord
  } catch (e) {
    throw new RunbookError(msg.report.notJson(paths.json, (e as Error).message), EXIT.usage, file)
  }
  if (record?.schemaVersion !== 1 || typeof record.runId !== 'string' || !Array.isArray(record.steps)) {
    throw new RunbookError(msg.report.unknownSchema(paths.json), EXIT.usage, file)
  }
  return { record: markIncomplete(record), paths, fromJournal: false }
}

/** The journal's events. A last line cut short (the process died mid-write) is ignored; any
 * other unreadable line is an error naming it. */
export function parseJournal(text: string, file: string): RunEvent[] {
  const lines = text.split('\n')
  const events: RunEvent[] = []
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue
    try {
      events.push(JSON.parse(line) as RunEvent)
    } catch (e) {
      const last = i === lines.length - 1
      if (last) break
      throw new RunbookError(msg.report.badJournalLine((e as Error).message), EXIT.usage, file, i + 1)
    }
  }
  return events
}

function journalLine(event: RunEvent): string {
  return `${JSON.stringify(event)}\n`
}

function placeholderText(paths: ReportPaths): string {
  return `${msg.report.placeholder(path.basename(paths.journal), path.basename(paths.md))}\n`
}

let tempCounter = 0
/** Writes a file whole or not at all: a temp file, fsynced, renamed over it, the folder fsynced. */
export async function atomicWrite(file: string, text: string, access: ReportAccess): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${++tempCounter}`
  const handle = await open(temp, 'w', access.fileMode)
  try {
    await applyFileAccess(handle, access)
    await handle.writeFile(text)
    await handle.datasync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temp, file)
  } catch (e) {
    await unlink(temp).catch(() => undefined)
    throw e
  }
  await syncDir(path.dirname(file))
}

/** fsync a folder so new names in it survive a crash (best effort: not every platform can). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // not supported here
  }
}

/** A runbook id as a file name: letters (any script), digits, `.`, `_`, `-`. */
function fileSafe(id: string): string {
  const safe = id
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.-]+|-+$/g, '')
  return safe.slice(0, 100) || 'runbook'
}

function unwritable(folder: string, e: unknown): RunbookError {
  const message = e instanceof Error ? e.message : String(e)
  return new RunbookError(msg.report.unwritable(folder, message), EXIT.usage)
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code
}

async function exists(file: string): Promise<boolean> {
  try {
    const handle = await open(file, 'r')
    await handle.close()
    return true
  } catch (e) {
    return errorCode(e) !== 'ENOENT'
  }
}

function nullWhenMissing(e: unknown): null {
  if (errorCode(e) === 'ENOENT') return null
  throw e
}

export function ignoreMissing(e: unknown): void {
  if (errorCode(e) !== 'ENOENT') throw e
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text)
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset)
}
