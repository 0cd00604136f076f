// render(record, runbook) → the dated report's Markdown: YAML front matter, a status line, a
// summary table, then the runbook itself with each step's result inserted after its code block.
// Pure. It is the record an auditor opens, on GitHub or in any Markdown viewer, so nothing a step
// produced (output, notes, check names, table cells, reasons) can fake the report's structure:
// plain text is escaped (markdown-text.ts), output is fenced with a fence longer than any backtick
// run inside it, and a note that is not plain prose, lists, tables and inline formatting is shown
// fenced too (render-step.ts). The body with results is render-body.ts.
import { stringify } from 'yaml'
import { escapeInvisible } from './invisible.js'
import { formatDuration } from '../parse/duration.js'
import { msg } from '../terminal/messages/index.js'
import { codeSpan, escapeText } from './markdown-text.js'
import { bodyWithResults, tickNote } from './render-body.js'
import { resultBlock } from './render-step.js'
import { countSteps, RUN_MARK, STEP_STATUSES, stepState } from './status.js'
import type { RunRecord } from '../model/run-record.js'
import type { Runbook } from '../model/runbook.js'

export { capOutput, cleanOutput, codeSpan, cut, escapeText, fenced, INLINE_MAX_CHARS, INLINE_MAX_LINES, longestRun, oneLine, type CappedOutput } from './markdown-text.js'
export { renderNote, renderTable, resultBlock, TABLE_CELL_MAX } from './render-step.js'
export { countSteps, RUN_MARK, STEP_MARK, STEP_STATUSES } from './status.js'

export interface ReportRenderOptions {
  /** File name of the run's .log, named where inline output was cut. */
  logName?: string
}

// Every string double-quoted and JSON-escaped on one line: no value can span lines, so none can
// close the front matter or be read as another type by a YAML 1.1 reader (`yes`, `0123`).
const YAML_OPTIONS = { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0, doubleQuotedAsJSON: true } as const

export function renderReportMarkdown(record: RunRecord, runbook: Runbook, options: ReportRenderOptions = {}): string {
  const r = msg.report
  const logName = options.logName ?? r.logNextToReport
  const out: string[] = []
  out.push('---', escapeInvisible(stringify(frontMatter(record), YAML_OPTIONS).trimEnd()), '---', '')
  out.push(`# ${escapeText(r.title(record.runbook.title || record.runbook.id))}`, '')
  out.push(statusLine(record), '')
  for (const note of record.notes ?? []) out.push(`**${r.noteLabel}** · ${escapeText(note, 500)}`, '')
  out.push(...runInfoTable(record), '')
  if (runbook.sha256 !== record.runbook.sha256) out.push(r.otherSource(escapeText(record.runbook.sha256), escapeText(runbook.sha256)), '')
  if (record.resumes.length) {
    out.push(`**${r.resumesHeading}**`, '')
    for (const x of record.resumes) out.push(`- ${escapeText(x.at)} · ${escapeText(x.operator)} · ${r.resumedFrom(codeSpan(x.fromStep))}${x.options ? ` · ${r.resumedOptions(x.options.yes, x.options.auto)}` : ''}`)
    out.push('')
  }
  out.push(`## ${r.summaryHeading}`, '', ...summaryTable(record), '')
  out.push(`## ${r.bodyHeading}`, '')
  const { lines, orphans, unplacedTicks } = bodyWithResults(record, runbook, logName)
  out.push(...lines)
  if (orphans.length || unplacedTicks.length) {
    out.push('', `## ${r.orphansHeading}`, '')
    out.push(r.orphansNote, '')
    for (const step of orphans) out.push(...resultBlock(step, record, logName), '')
    if (unplacedTicks.length) {
      out.push(`**${r.checklistHeading}**`, '')
      for (const t of unplacedTicks) out.push(`- [${t.checked ? 'x' : ' '}] ${escapeText(t.text)} — ${tickNote(t)}`)
      out.push('')
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`
}

function frontMatter(record: RunRecord): Record<string, unknown> {
  return {
    run_id: record.runId,
    runbook: record.runbook.id,
    title: record.runbook.title,
    source: record.runbook.path,
    source_sha256: record.runbook.sha256,
    git_commit: record.runbook.gitCommit,
    git_dirty: record.runbook.gitDirty,
    target: record.target,
    operator: record.operator,
    host: record.host,
    started: record.started,
    finished: record.finished,
    status: record.status,
    dry_run: record.options.dryRun,
    counts: countSteps(record.steps),
    inputs: record.inputs,
    schema_version: record.schemaVersion,
  }
}

function statusLine(record: RunRecord): string {
  const r = msg.report
  const counts = countSteps(record.steps)
  const parts = STEP_STATUSES.filter((s) => counts[s]).map((s) => `${counts[s]} ${msg.run.stepStatus(s)}`)
  return [
    `${RUN_MARK[record.status]} **${msg.run.runStatus(record.status)}** — ${parts.join(', ') || r.stepsNone}`,
    `${r.target} ${codeSpan(record.target)}`,
    `${r.operator} ${escapeText(record.operator)}`,
    ...(record.options.dryRun ? [`**${r.dryRun}**`] : []),
  ].join(' · ')
}

function runInfoTable(record: RunRecord): string[] {
  const r = msg.report
  const { runbook, options } = record
  const git = runbook.gitCommit
    ? `${runbook.gitCommit}${runbook.gitDirty ? ` ${r.gitDirty}` : runbook.gitDirty === false ? '' : ` ${r.gitDirtyUnknown}`}`
    : r.gitUnknown
  const flags = [
    options.dryRun && '--dry-run',
    options.yes && '--yes',
    options.auto && '--auto',
    options.step !== undefined && `--step ${options.step}`,
    options.from !== undefined && `--from ${options.from}`,
  ].filter((f): f is string => typeof f === 'string')
  const inputs = Object.entries(record.inputs).map(([k, v]) => `${k}=${v}`)
  const rows: [string, string][] = [
    [r.infoRunId, record.runId],
    [r.infoRunbook, `${runbook.id} (${runbook.path})`],
    [r.infoSha, runbook.sha256],
    [r.infoGit, git],
    [r.infoTarget, record.target],
    [r.infoOperator, record.operator],
    [r.infoHost, record.host],
    [r.infoStarted, record.started],
    [r.infoFinished, record.finished ?? '—'],
    [r.infoOptions, flags.join(' ') || r.none],
    [r.infoInputs, inputs.join(', ') || r.none],
  ]
  return [`| ${r.infoItem} | ${r.infoValue} |`, '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${escapeText(v, 500) || ' '} |`)]
}

function summaryTable(record: RunRecord): string[] {
  const r = msg.report
  if (!record.steps.length) return [`_(${r.noSteps})_`]
  const rows = record.steps.map((step, i) => {
    const { mark, label } = stepState(step, record)
    const name = `${escapeText(step.id)}${step.title ? ` · ${escapeText(step.title, 120)}` : ''}`
    const duration = step.durationMs !== undefined ? formatDuration(step.durationMs) : '—'
    return `| ${i + 1} | ${name} | ${mark} ${label} | ${duration} |`
  })
  return [`| ${r.summaryNumber} | ${r.summaryStep} | ${r.summaryStatus} | ${r.summaryDuration} |`, '| ---: | --- | --- | ---: |', ...rows]
}
