// Past runs, read from the reports folder: what `runbook history` lists and `list` shows as the
// last run of each runbook.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { RunbookError } from '../model/errors.js'
import { loadReport } from './writer.js'
import { findSignoffs } from './signoff.js'

export interface HistoryEntry {
  runId: string
  runbook: string
  title: string
  status: string
  started: string
  finished: string | null
  operator: string
  target: string
  /** Principals who signed (not verified here: `runbook verify` does that). */
  signedBy: string[]
  approvals: number
  report: string
  /** A run of part of the runbook or a dry run: `--step X`, `--from X`, `--dry-run`; absent for a full run. */
  partial?: string
}

/** How a run was limited, as its options were given (none: a full run). */
function partialOf(options: { step?: string; from?: string; dryRun: boolean }): string | undefined {
  const parts = [options.step ? `--step ${options.step}` : '', options.from ? `--from ${options.from}` : '', options.dryRun ? '--dry-run' : ''].filter(Boolean)
  return parts.length ? parts.join(' ') : undefined
}

export function reportsDir(explicit?: string): string {
  return explicit ?? process.env.RUNBOOK_REPORTS ?? 'reports'
}

export async function readHistory(dir: string): Promise<HistoryEntry[]> {
  if (!existsSync(dir)) return []
  const files = (await readdir(dir, { recursive: true, encoding: 'utf8' })).filter((f) => f.endsWith('.md') && /\d{4}-\d{2}-\d{2}/.test(f))
  const entries: HistoryEntry[] = []
  for (const file of files) {
    const md = path.join(dir, file)
    try {
      const { record } = await loadReport(md)
      const text = await readFile(md, 'utf8').catch(() => '')
      entries.push({
        runId: record.runId,
        runbook: record.runbook.id,
        title: record.runbook.title,
        status: record.status,
        started: record.started,
        finished: record.finished,
        operator: record.operator,
        target: record.target,
        signedBy: findSignoffs(text).blocks.map((b) => b.statement.principal),
        approvals: record.runbook.approvals ?? 1,
        report: md,
        ...(partialOf(record.options) ? { partial: partialOf(record.options) } : {}),
      })
    } catch (e) {
      if (!(e instanceof RunbookError)) throw e
      // A report being created this very moment, or not ours: leave it out.
    }
  }
  return entries.sort((a, b) => (a.started < b.started ? 1 : a.started > b.started ? -1 : 0))
}

/** The newest full run of each runbook: a `--step` run or a dry run does not tell that the runbook passed. */
export function lastRuns(entries: HistoryEntry[]): Map<string, HistoryEntry> {
  const last = new Map<string, HistoryEntry>()
  for (const e of entries) if (!e.partial && !last.has(e.runbook)) last.set(e.runbook, e)
  return last
}
