// Markdown prose for a terminal: checklist boxes, bold and code marked, the rest as written.
// Shared by `runbook read` and the walk's introduction.
import type { ChalkInstance } from 'chalk'
import { showControlChars } from '../parse/control-chars.js'
import type { Runbook } from '../model/runbook.js'

export function renderProse(markdown: string, c: ChalkInstance): string {
  return markdown
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)[-*+] \[ \] /, '$1☐ ')
        .replace(/^(\s*)[-*+] \[[xX]\] /, '$1☑ ')
        .replace(/\*\*([^*]+)\*\*/g, (_m, t: string) => c.bold(t))
        .replace(/`([^`]+)`/g, (_m, t: string) => c.cyan(t)),
    )
    .join('\n')
}

/**
 * The runbook's introduction: the prose before its first section (a heading below the title), what
 * the author wants read before anything runs. Empty when there is none, and when a step comes
 * before any section: that prose is then the first step's own, shown with it.
 */
export function renderIntroduction(runbook: Runbook, c: ChalkInstance): string {
  const parts: string[] = []
  for (const segment of runbook.segments) {
    if (segment.type === 'step') return ''
    if (segment.type === 'heading' && segment.heading.level > 1) break
    if (segment.type === 'prose' && segment.markdown.trim()) parts.push(renderProse(showControlChars(segment.markdown.trim(), (s) => c.inverse.yellow(s)), c))
  }
  return parts.length ? `\n${parts.join('\n\n')}\n` : ''
}
