// `runbook list`: the catalogue of runbooks with their schedule, review state and last run.
import { RunbookError } from '../../model/errors.js'
import type { RunbookSource } from '../../model/runbook.js'
import { localDate } from '../../plan/lint.js'
import { openDetectionCache } from '../../plan/judge-cache.js'
import { lastRuns, readHistory, reportsDir } from '../../report/history.js'
import { findRunbookFiles, isStrictFor, loadRunbook, strictly } from '../../parse/load.js'
import { plan } from '../../plan/plan.js'
import { nextCronRun } from '../../parse/cron.js'
import { renderList, reviewStatus, type CatalogueEntry } from '../render-list.js'
import { chalkFor } from '../colour.js'
import { done, fromCwd, type CommandIo, type CommandResult } from '../io.js'

export interface ListOptions {
  /** Folder of runbooks (default runbooks/). */
  dir?: string
  json?: boolean
  /** Reports folder for the last run (default $RUNBOOK_REPORTS or reports/). */
  reports?: string
}

export async function listCommand(cwd: string, options: ListOptions, io: CommandIo): Promise<CommandResult> {
  const files = await findRunbookFiles([options.dir ?? 'runbooks'], cwd)
  const today = localDate(io.now())
  const cache = openDetectionCache()
  const last = lastRuns(await readHistory(fromCwd(cwd, reportsDir(options.reports ?? io.env.RUNBOOK_REPORTS))))
  const entries: CatalogueEntry[] = []
  for (const file of files) {
    try {
      const runbook = await loadRunbook(file, cwd)
      const planned = await plan(runbook, cache)
      entries.push({
        id: runbook.meta.id,
        title: runbook.meta.title,
        path: file,
        schedule: runbook.meta.schedule ?? null,
        owner: runbook.meta.owner ?? null,
        cron: runbook.meta.cron ?? null,
        nextRun: runbook.meta.cron ? (nextCronRun(runbook.meta.cron, io.now())?.toISOString() ?? null) : null,
        steps: planned.steps.length,
        destructive: planned.steps.filter((s) => s.destructive).length,
        review: reviewStatus(runbook.meta.review?.next, today),
        lastRun: lastRunOf(last.get(runbook.meta.id)),
        // As lint counts them: this project's runbooks strictly (an unknown key is an error there).
        problems: (isStrictFor(cwd, file) ? strictly(runbook.diagnostics) : runbook.diagnostics).filter((d) => d.severity === 'error').length,
        source: sourceOf(runbook.meta.source, today),
      })
    } catch (e) {
      // An unreadable file is named and skipped: the rest of the catalogue is still useful.
      if (!(e instanceof RunbookError)) throw e
      io.stderr.write(`${e.located}\n`)
    }
  }
  io.stdout.write(options.json ? JSON.stringify(entries, null, 2) + '\n' : renderList(entries, chalkFor(io.stdout)))
  return done()
}

function sourceOf(source: RunbookSource | undefined, today: string): CatalogueEntry['source'] {
  return source ? { guide: source.guide, section: source.section ?? null, ...reviewStatus(source.next, today) } : null
}

function lastRunOf(entry: { started: string; status: string; report: string } | undefined): CatalogueEntry['lastRun'] {
  return entry ? { started: entry.started, status: entry.status, report: entry.report } : null
}
