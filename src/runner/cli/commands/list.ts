import { defineCommand } from 'citty'
import { RunbookError } from '../../model/errors.js'
import { localDate } from '../../plan/lint.js'
import { openDetectionCache } from '../../plan/judge-cache.js'
import { lastRuns, readHistory, reportsDir } from '../../report/history.js'
import { findRunbookFiles, loadRunbook } from '../../parse/load.js'
import { plan } from '../../plan/plan.js'
import { renderList, reviewStatus, type CatalogueEntry } from '../render-list.js'
import { makeChalk } from '../../terminal/style.js'

export default defineCommand({
  meta: { name: 'list', description: 'Catalogue: id, title, schedule, owner, steps, destructive count, review, last run' },
  args: {
    dir: { type: 'positional', description: 'folder of runbooks (default: runbooks/)', required: false },
    json: { type: 'boolean', description: 'print JSON for machines' },
    reports: { type: 'string', description: 'reports folder for the last run (default: reports/ or $RUNBOOK_REPORTS)' },
  },
  async run({ args }) {
    const files = await findRunbookFiles([args.dir ?? 'runbooks'])
    const today = localDate()
    const cache = openDetectionCache()
    const last = lastRuns(await readHistory(reportsDir(args.reports)))
    const entries: CatalogueEntry[] = []
    for (const file of files) {
      try {
        const runbook = await loadRunbook(file)
        const planned = await plan(runbook, cache)
        entries.push({
          id: runbook.meta.id,
          title: runbook.meta.title,
          path: file,
          schedule: runbook.meta.schedule ?? null,
          owner: runbook.meta.owner ?? null,
          cron: runbook.meta.cron ?? null,
          steps: planned.steps.length,
          destructive: planned.steps.filter((s) => s.destructive).length,
          review: reviewStatus(runbook.meta.review?.next, today),
          lastRun: lastRunOf(last.get(runbook.meta.id)),
          problems: runbook.diagnostics.filter((d) => d.severity === 'error').length,
        })
      } catch (e) {
        if (!(e instanceof RunbookError)) throw e
        process.stderr.write(`${e.located}\n`)
      }
    }
    process.stdout.write(args.json ? JSON.stringify(entries, null, 2) + '\n' : renderList(entries, makeChalk()))
  },
})

function lastRunOf(entry: { started: string; status: string; report: string } | undefined): CatalogueEntry['lastRun'] {
  return entry ? { started: entry.started, status: entry.status, report: entry.report } : null
}
