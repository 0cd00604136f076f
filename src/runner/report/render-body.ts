// The runbook's own Markdown with each step's result inserted after its code block and each
// checklist tick written into its item; results that find no place come back as orphans. Pure.
import { showControlChars } from '../parse/control-chars.js'
import { msg } from '../terminal/messages/index.js'
import { rewriteLinks } from './links.js'
import { escapeText } from './markdown-text.js'
import { resultBlock } from './render-step.js'
import type { RunRecord, StepRecord } from '../model/run-record.js'
import type { Runbook, Step } from '../model/runbook.js'

interface Fence {
  /** Container prefix (blockquote markers kept, list markers turned into spaces) and indent. */
  prefix: string
  char: string
  length: number
}

function openingFence(line: string | undefined): Fence | null {
  const m = /^((?:[ \t]*(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+))*)([ \t]*)(`{3,}|~{3,})/.exec(line ?? '')
  if (!m) return null
  const containers = m[1]!.replace(/[-*+]|\d{1,9}[.)]/g, (x) => ' '.repeat(x.length))
  return { prefix: containers + m[2]!, char: m[3]![0]!, length: m[3]!.length }
}

const stripQuotes = (line: string) => line.replace(/^(?:[ \t]*>[ \t]?)*/, '')

function closesFence(line: string | undefined, open: Fence): boolean {
  if (line === undefined) return false
  const m = /^([ \t]*)(`+|~+)[ \t]*$/.exec(stripQuotes(line))
  if (!m || m[2]![0] !== open.char || m[2]!.length < open.length) return false
  return m[1]!.length <= stripQuotes(open.prefix).length + 3
}

const TASK = /^([ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[([ xX])\]([ \t]+)(.*)$/

/** `<ticked or not>: who · when`, written after a checklist item. */
export function tickNote(t: { checked: boolean; by: string; at: string }): string {
  return `${t.checked ? msg.report.ticked : msg.report.notTicked}: ${escapeText(t.by)} · ${escapeText(t.at)}`
}

/** The body after the front matter, with results and ticks in place (see the file comment). */
export function bodyWithResults(
  record: RunRecord,
  runbook: Runbook,
  logName: string,
): { lines: string[]; orphans: StepRecord[]; unplacedTicks: RunRecord['checklist'] } {
  const source = rewriteLinks(runbook.source.split('\n'), record.runbook.linkBase)
  const start = Math.max(0, runbook.bodyLine - 1)
  const byId = new Map(record.steps.map((s) => [s.id, s]))
  const placed = new Set<string>()
  const after = new Map<number, string[]>()
  const replaced = new Map<number, string>()
  const insert = (index: number, lines: string[]) => after.set(index, [...(after.get(index) ?? []), ...lines])

  for (const step of runbook.steps) {
    const rec = byId.get(step.id)
    if (!rec) continue
    placed.add(step.id)
    const last = Math.min(source.length - 1, Math.max(start, step.endLine - 2))
    const gapAfter = (source[last + 1] ?? '').trim() === '' ? [] : ['']
    insert(last, [...closeIfOpen(source, step, last), '', ...resultBlock(rec, record, logName), ...gapAfter])
  }

  const unplacedTicks: RunRecord['checklist'] = []
  for (const tick of record.checklist) {
    const index = tick.line - 1
    const m = index >= start ? TASK.exec(source[index] ?? '') : null
    if (!m) {
      unplacedTicks.push(tick)
      continue
    }
    replaced.set(index, `${m[1]}[${tick.checked ? 'x' : ' '}]${m[3]}${m[4]} — ${tickNote(tick)}`)
  }

  const lines: string[] = []
  let first = start
  while (first < source.length - 1 && source[first]!.trim() === '' && !after.has(first)) first++
  for (let i = first; i < source.length; i++) {
    // The runbook's own lines: a control character in them (an escape, a bidi override) is shown as
    // its visible mark, so that reading the report in a terminal shows what ran (as `read` does).
    lines.push(showControlChars(replaced.get(i) ?? source[i]!, (shown) => shown))
    const extra = after.get(i)
    if (extra) lines.push(...extra)
  }
  const orphans = record.steps.filter((s) => !placed.has(s.id))
  return { lines, orphans, unplacedTicks }
}

/** The closing fence an unclosed block lacks (CommonMark runs it to the end of its container),
 * so the result inserted after it is not swallowed. */
function closeIfOpen(source: string[], step: Step, last: number): string[] {
  const open = openingFence(source[step.line - 1])
  if (!open) return []
  if (last > step.line - 1 && closesFence(source[last], open)) return []
  return [`${open.prefix}${open.char.repeat(open.length)}`]
}
