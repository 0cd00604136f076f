// One step's result in the report: a bold result line, then its facts (destructive, consent,
// reason, checks, notes, tables, commands, SQL statements) and its output, fenced. Pure. Nothing
// a step produced can pass for the report's structure: see render-md.ts.
import markdownIt, { type MarkdownIt } from 'markdown-it'
import { formatDuration } from '../parse/duration.js'
import { allMessages, msg } from '../terminal/messages/index.js'
import { capOutput, cleanOutput, codeSpan, escapeText, fenced, oneLine } from './markdown-text.js'
import { statementItems } from './render-sql.js'
import { STEP_MARK, stepState } from './status.js'
import type { Consent, EarlierAttempt, RunRecord, StepGuard, StepRecord, StepStatus, TableBlock } from '../model/run-record.js'

/** Every step's result begins with a paragraph `**<result label> · <step id>: <mark> <status>** · …`. */
export function resultLine(step: StepRecord, record: RunRecord): string {
  const { mark, label } = stepState(step, record)
  const facts: string[] = []
  if (step.exitCode !== undefined && step.exitCode !== null) facts.push(msg.run.exitCode(step.exitCode))
  if (step.durationMs !== undefined) facts.push(formatDuration(step.durationMs))
  const when = step.finished ?? step.started
  if (when) facts.push(escapeText(when))
  if (step.attempts > 1) facts.push(msg.report.attempts(step.attempts))
  return `**${msg.report.resultLabel} · ${escapeText(step.id)}: ${mark} ${label}**${facts.map((f) => ` · ${f}`).join('')}`
}

/** `os-readonly (writable: …)` or `none (why)`: the names stay English, like statuses in JSON. */
export function guardText(guard: StepGuard): string {
  if (guard.held === 'none') return `none (${escapeText(guard.why, 300)})`
  return `os-readonly (${msg.report.guardWritable(guard.writable.map((p) => codeSpan(p, 200)).join(', '))})`
}

/** One step's result: the result line, its facts as paragraphs, lists, tables and a fenced
 * output, ending with a thematic break. */
export function resultBlock(step: StepRecord, record: RunRecord, logName: string): string[] {
  const r = msg.report
  const sections: string[][] = [[resultLine(step, record)]]
  if (step.destructive) {
    const how = step.declared ? r.declaredAs(step.declared) : r.detected
    const why = step.reasons.length ? ` — ${step.reasons.map((reason) => escapeText(reason, 300)).join('; ')}` : ''
    sections.push([`**${r.destructiveLabel}** · ${how}${why}`])
  }
  if (step.consent) sections.push([`**${r.consentLabel}** · ${consentText(step.consent)}`])
  if (step.guard) sections.push([`**${r.guardLabel}** · ${guardText(step.guard)}`])
  if (step.reason) {
    const reason = cleanOutput(step.reason).trim()
    sections.push(
      !reason.includes('\n') && reason.length <= 300
        ? [`**${r.reasonLabel}** · ${escapeText(reason)}`]
        : [`**${r.reasonLabel}**`, '', ...fenced(capOutput(reason).text)],
    )
  }
  if (step.checks.length) {
    const checks = step.checks.map(
      (c) => `- ${c.ok ? '✅' : '❌'} ${escapeText(c.name, 300) || r.unnamedCheck}${c.detail ? ` — ${escapeText(c.detail, 500)}` : ''}`,
    )
    sections.push([`**${r.checksLabel}**`, '', ...checks])
  }
  for (const note of step.notes) {
    const lines = renderNote(note)
    if (lines.length) sections.push([`**${r.noteLabel}**`, '', ...lines])
  }
  for (const table of step.tables) sections.push([`**${r.tableLabel}**${table.title ? ` · ${escapeText(table.title, 200)}` : ''}`, '', ...renderTable(table)])
  if (step.commands.length) {
    const commands = step.commands.map(
      (c) => `- ${codeSpan(c.command, 500)} → ${c.exitCode === null ? r.noExitCode : msg.run.exitCode(c.exitCode)} · ${formatDuration(c.durationMs)}`,
    )
    sections.push([`**${r.commandsLabel}**`, '', ...commands])
  }
  if (step.statements.length) {
    const statements = step.statements.flatMap(statementItems)
    sections.push([`**${r.statementsLabel}**`, '', ...statements])
  }
  if (step.leftovers?.length) sections.push([`**${r.leftoversLabel}**`, '', ...step.leftovers.map((f) => `- ${codeSpan(f, 300)}`)])
  if (step.earlier?.length) sections.push([`**${r.earlierLabel}**`, '', ...step.earlier.map((a, i) => earlierLine(a, i + 1))])
  sections.push(...outputSection(step, logName))
  sections.push(['***'])
  return sections.flatMap((s, i) => (i ? ['', ...s] : s))
}

/** `- attempt 1: ❌ failed · exit 1 · 2s · 2026-… — why`: the output of each is in the .log. */
function earlierLine(a: EarlierAttempt, n: number): string {
  const facts: string[] = [`${STEP_MARK[a.status]} ${msg.run.stepStatus(a.status)}`]
  if (a.exitCode !== undefined && a.exitCode !== null) facts.push(msg.run.exitCode(a.exitCode))
  if (a.durationMs !== undefined) facts.push(formatDuration(a.durationMs))
  if (a.started) facts.push(escapeText(a.started))
  const left = a.leftovers?.length ? ` · ${msg.report.leftoversLabel}: ${a.leftovers.map((f) => codeSpan(f, 200)).join(', ')}` : ''
  return `- ${msg.report.earlierAttempt(n)}: ${facts.join(' · ')}${a.reason ? ` — ${escapeText(oneLine(a.reason), 300)}` : ''}${left}`
}

function consentText(c: Consent): string {
  const r = msg.report
  const by = c.by === 'operator' ? r.consentByOperator : c.by === 'flag' ? r.consentByFlag : r.consentByDryRun
  return `${by} ${escapeText(c.who)} · ${escapeText(c.how)} · ${escapeText(c.at)}`
}

const RAN: StepStatus[] = ['passed', 'fixed', 'tolerated', 'failed', 'timed-out', 'interrupted', 'previewed']

/** Whether the report shows only part of the step's output (then the .log, which it names, is kept). */
export function outputCutInReport(step: StepRecord): boolean {
  if (step.outputTruncated) return true
  const capped = capOutput(cleanOutput(step.output).replace(/\n+$/, ''))
  return capped.cutLines > 0 || capped.cutChars > 0
}

function outputSection(step: StepRecord, logName: string): string[][] {
  const r = msg.report
  const clean = cleanOutput(step.output).replace(/\n+$/, '')
  if (!clean.trim()) return RAN.includes(step.status) ? [[`**${r.outputLabel}** · ${r.outputNone}`]] : []
  const capped = capOutput(clean)
  const cut = step.outputTruncated || capped.cutLines > 0 || capped.cutChars > 0
  const size = step.outputBytes > 0 ? step.outputBytes.toLocaleString('en-US') : ''
  const head = cut ? `**${r.outputLabel}** · ${r.outputCut(codeSpan(logName), size)}` : `**${r.outputLabel}**`
  return [[head, '', ...fenced(capped.text)]]
}

/** A note is Markdown from the step. Plain prose, lists, tables and inline formatting are kept;
 * anything that could be structure (headings, fences, code blocks, HTML, rules, quotes, link
 * definitions, images, something that looks like a result line) is shown fenced instead. */
export function renderNote(note: string): string[] {
  const clean = cleanOutput(note).replace(/^\n+|\s+$/g, '')
  if (!clean.trim()) return []
  if (isPlainMarkdown(clean)) return clean.split('\n')
  return [`_(${msg.report.noteShownRaw})_`, '', ...fenced(clean, 'markdown')]
}

let noteParser: MarkdownIt | undefined
const BLOCK_TOKENS = new Set(
  ['paragraph', 'bullet_list', 'ordered_list', 'list_item', 'table', 'thead', 'tbody', 'tr', 'th', 'td'].flatMap((t) => [`${t}_open`, `${t}_close`]).concat('inline'),
)
const INLINE_TOKENS = new Set(['text', 'text_special', 'softbreak', 'hardbreak', 'code_inline', ...['strong', 'em', 's', 'link'].flatMap((t) => [`${t}_open`, `${t}_close`])])

/** Result labels in every language: a note may not look like a result line in any of them. */
const RESULT_LABELS = [...new Set(Object.values(allMessages).map((m) => m.report.resultLabel))]

function isPlainMarkdown(md: string): boolean {
  if (RESULT_LABELS.some((label) => new RegExp(`${label}\\s*[·•∙・]`).test(md))) return false
  if (/^[ \t]{0,3}\[[^\]]*\]:/m.test(md)) return false
  noteParser ??= markdownIt('default', { html: true })
  for (const token of noteParser.parse(md, {})) {
    if (!BLOCK_TOKENS.has(token.type)) return false
    if (token.type !== 'inline') continue
    const children = token.children ?? []
    if (children.some((c) => !INLINE_TOKENS.has(c.type))) return false
    const text = children.map((c) => c.content).join('')
    if (RESULT_LABELS.some((label) => text.includes(label)) && children[0]?.type === 'strong_open') return false
  }
  return true
}

export const TABLE_CELL_MAX = 200

/** A result set as a Markdown table: cells escaped and capped, "… N more rows" when rows were left out. */
export function renderTable(table: TableBlock): string[] {
  const r = msg.report
  const width = Math.max(table.columns.length, ...table.rows.map((row) => row.length))
  if (width === 0) return [`_(${r.noColumns(table.totalRows)})_`]
  const columns = Array.from({ length: width }, (_, i) => table.columns[i] ?? `${i + 1}`)
  const cell = (text: string | undefined) => escapeText(text ?? '', TABLE_CELL_MAX) || ' '
  const lines = [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${columns.map((_, i) => cell(row[i])).join(' | ')} |`),
  ]
  const more = table.totalRows - table.rows.length
  if (table.rows.length === 0) lines.push('', `_(${r.noRows})_`)
  else if (more > 0) lines.push('', `_${r.moreRows(more, table.totalRows)}_`)
  return lines
}
