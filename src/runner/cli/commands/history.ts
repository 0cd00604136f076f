// `runbook history [RUNBOOK]`: past runs from the reports folder, with status, operator and sign-offs.
import { readHistory, reportsDir, type HistoryEntry } from '../../report/history.js'
import { msg } from '../../terminal/messages/index.js'
import { table } from '../../terminal/style.js'
import { chalkFor } from '../colour.js'
import { done, fromCwd, type CommandIo, type CommandResult } from '../io.js'
import type { ChalkInstance } from 'chalk'
import type { RunStatus } from '../../model/run-record.js'

export interface HistoryOptions {
  /** Only this runbook (an id or its file). */
  runbook?: string
  /** Reports folder (default $RUNBOOK_REPORTS or reports/). */
  reports?: string
  json?: boolean
  /** Only runs against this target (`sandbox`, `local`, an environments/ name). */
  target?: string
}

export async function historyCommand(cwd: string, options: HistoryOptions, io: CommandIo): Promise<CommandResult> {
  const wanted = options.runbook?.replace(/^.*\//, '').replace(/\.md$/, '')
  const all = await readHistory(fromCwd(cwd, reportsDir(options.reports ?? io.env.RUNBOOK_REPORTS)))
  const entries = all.filter((e) => (!wanted || e.runbook === wanted || e.report.includes(`/${wanted}-`)) && (options.target === undefined || e.target === options.target))
  if (options.json) io.stdout.write(JSON.stringify(entries, null, 2) + '\n')
  else io.stdout.write(renderHistory(entries, chalkFor(io.stdout)))
  return done()
}

/** A run's status in the interface's words (the JSON keeps the English name). */
function shown(status: string): string {
  return msg.run.runStatus(status as RunStatus) ?? status
}

export function renderHistory(entries: HistoryEntry[], c: ChalkInstance): string {
  if (entries.length === 0) return c.dim(msg.cli.noRuns) + '\n'
  const rows = entries.map((e) => [
    e.started.replace('T', ' ').slice(0, 19),
    e.runbook,
    e.target,
    (e.status === 'passed' ? c.green(shown(e.status)) : e.status === 'failed' || e.status === 'incomplete' ? c.red(shown(e.status)) : c.yellow(shown(e.status))) +
      (e.partial ? c.yellow(` (${msg.cli.partialRun(e.partial)})`) : ''),
    e.operator,
    e.signedBy.length === 0 ? c.dim(msg.cli.unsigned) : `${e.signedBy.join(', ')}${e.signedBy.length < e.approvals ? c.yellow(` (${e.signedBy.length}/${e.approvals})`) : ''}`,
    e.report,
  ])
  const h = msg.cli.historyHead
  return table([[h.started, h.runbook, msg.cli.historyTarget, h.status, h.operator, h.signoff, h.report].map((text) => c.dim(text)), ...rows]) + '\n'
}
