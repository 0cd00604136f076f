// What a step says besides its output — its notes (Markdown), tables and checks — as the terminal
// shows them while the step runs: readable plain text (headings bold, list bullets, inline marks
// removed), tables aligned, every line cut to the width inside the gutter. Pure. The report shows
// the same notes and tables as Markdown (render-step.ts).
import type { ChalkInstance } from 'chalk'
import stringWidth from 'string-width'
import { cleanOutput } from '../report/markdown-text.js'
import { formatTextTable } from '../executors/sql/render.js'
import type { CheckResult, TableBlock } from '../model/run-record.js'

/** Columns the gutter (`  │ `) takes. */
const GUTTER = 4

/** A line cut to `width` columns (with `…`), or as it is when there is no width. */
export function cutLine(line: string, width: number | undefined): string {
  if (width === undefined || stringWidth(line) <= width) return line
  let out = ''
  for (const ch of line) {
    if (stringWidth(out + ch) > width - 1) break
    out += ch
  }
  return `${out}…`
}

/** Inline Markdown as plain text: `**b**`, `*i*`, `` `code` `` lose their marks, a link keeps its
 * address after its text. */
function inline(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, (_m, label: string, url: string) => (label && label !== url ? `${label} (${url})` : url))
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1$2')
}

/** A step's note as terminal lines (the terminal's width, gutter aside, when known). */
export function renderNote(markdown: string, c: ChalkInstance, columns?: number): string {
  const width = columns === undefined ? undefined : Math.max(20, columns - GUTTER)
  const lines: string[] = []
  let fenced = false
  for (const raw of cleanOutput(markdown).replace(/\n+$/, '').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced
      continue
    }
    if (fenced) {
      lines.push(cutLine(`  ${raw}`, width))
      continue
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw)
    if (heading) {
      lines.push(c.bold(cutLine(inline(heading[1]!), width)))
      continue
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(raw)
    const text = bullet ? `${bullet[1]}• ${inline(bullet[2]!)}` : inline(raw.replace(/^\s*>\s?/, '│ '))
    lines.push(cutLine(text, width))
  }
  return `${lines.join('\n')}\n`
}

/** A table a step made, aligned as psql aligns one, each line cut to the width. */
export function renderTable(table: TableBlock, c: ChalkInstance, columns?: number): string {
  const width = columns === undefined ? undefined : Math.max(20, columns - GUTTER)
  const clean = (cell: string) => cleanOutput(cell).replace(/\n/g, ' ')
  const text = formatTextTable(table.columns.map(clean), table.rows.map((r) => r.map(clean)), table.totalRows)
  const lines = text.replace(/\n$/, '').split('\n').map((l) => cutLine(l, width))
  const title = table.title ? `${c.bold(cutLine(clean(table.title), width))}\n` : ''
  return `${title}${lines.join('\n')}\n`
}

/** A check as it is made: ✔ or ✘, its name and detail. */
export function renderCheck(check: CheckResult, c: ChalkInstance, columns?: number): string {
  const width = columns === undefined ? undefined : Math.max(20, columns - GUTTER)
  const text = cutLine(`${check.ok ? '✔' : '✘'} ${cleanOutput(check.name)}${check.detail ? ` — ${cleanOutput(check.detail)}` : ''}`, width)
  return `${check.ok ? c.green(text) : c.red(text)}\n`
}
