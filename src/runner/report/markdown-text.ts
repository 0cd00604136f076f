// Plain text made safe for the report's Markdown: terminal output cleaned to what a terminal
// showed, one-line escaped text, code spans and fences nothing inside can close, long output cut
// in the middle. Pure.
import { msg } from '../terminal/messages/index.js'

/** Terminal escape sequences: CSI, OSC, DCS/SOS/PM/APC strings, and the short ESC forms. */
export const ANSI = new RegExp(
  [
    '\\u001b\\[[0-?]*[ -/]*[@-~]', // CSI … final byte
    '\\u009b[0-?]*[ -/]*[@-~]', // 8-bit CSI
    '\\u001b\\][\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c)', // OSC … BEL or ST
    '\\u009d[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c)', // 8-bit OSC
    '\\u001b[PX^_][\\s\\S]*?(?:\\u001b\\\\|\\u009c)', // DCS, SOS, PM, APC … ST
    '\\u001b[ -/]*[0-~]', // two-byte and charset-designation forms
  ].join('|'),
  'g',
)
/** C0 and C1 controls except \t and \n (\r and \b are handled before, as a terminal would). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
/** Bidirectional overrides and isolates: they can make text read differently than it is. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Output as a terminal would have shown it, as plain text: ANSI codes removed, `\r` progress
 * bars reduced to their last state, backspaces applied, other control characters, bidi overrides
 * and runs of U+FFFD (bytes that were not UTF-8) dropped or collapsed; a line that is mostly
 * such noise becomes a short marker. Idempotent. */
export function cleanOutput(text: string): string {
  if (!text) return ''
  const stripped = text.replace(ANSI, '').replace(/\r\n/g, '\n').replace(LONE_SURROGATE, '\uFFFD')
  return stripped
    .split('\n')
    .map((line) => {
      let l = /[\r\b]/.test(line) ? overlay(line) : line
      l = l.replace(CONTROLS, '').replace(BIDI, '')
      if (!l.includes('\uFFFD')) return l
      const noise = (l.match(/\uFFFD/g) ?? []).length
      if (noise >= 8 && noise / l.length > 0.3) return msg.report.binaryLeftOut(l.length)
      return l.replace(/\uFFFD+/g, '\uFFFD')
    })
    .join('\n')
}

/** What a terminal shows for one line with carriage returns and backspaces in it. */
export function overlay(line: string): string {
  if (!/[\r\b]/.test(line)) return line
  const cells: string[] = []
  let cursor = 0
  for (const ch of line) {
    if (ch === '\r') cursor = 0
    else if (ch === '\b') cursor = Math.max(0, cursor - 1)
    else cells[cursor++] = ch
  }
  return Array.from(cells, (c) => c ?? ' ').join('')
}

/** One line of plain text (newlines and tabs become spaces), cut to `max` characters. */
export function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
  const flat = cleanOutput(text).replace(/\s+/g, ' ').trim()
  return cut(flat, max)
}

export function cut(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join('')}…` : text
}

/** Inline Markdown that renders as exactly the given text, on one line: every character that
 * could start emphasis, code, links, HTML, entities, table cells, strikethrough or math is
 * backslash-escaped. Safe inside table cells and list items. */
export function escapeText(text: string, max?: number): string {
  return oneLine(text, max).replace(/[\\`*_[\]<>|~&$]/g, '\\$&')
}

/** A code span around one line of text, with a backtick run longer than any inside it. */
export function codeSpan(text: string, max?: number): string {
  const flat = oneLine(text, max)
  if (!flat) return '` `'
  const ticks = '`'.repeat(longestRun(flat, '`') + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ')) ? ' ' : ''
  return `${ticks}${pad}${flat}${pad}${ticks}`
}

export function longestRun(text: string, ch: string): number {
  let best = 0
  let run = 0
  for (const c of text) {
    run = c === ch ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}

/** A fenced block that nothing inside can close: backticks, longer than any run in the text. */
export function fenced(text: string, info = 'text'): string[] {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1))
  return [`${fence}${info}`, ...body.split('\n'), fence]
}

export interface CappedOutput {
  text: string
  /** Lines left out in the middle (0 when nothing was cut by lines). */
  cutLines: number
  /** Characters left out in the middle (0 when nothing was cut by size). */
  cutChars: number
}

export const INLINE_MAX_LINES = { head: 50, tail: 200 }
export const INLINE_MAX_CHARS = { head: 4 * 1024, tail: 28 * 1024 }

/** The start and the end of a long output, with a marker line where the middle was left out. */
export function capOutput(text: string): CappedOutput {
  let out = text
  let cutLines = 0
  let cutChars = 0
  const lines = out.split('\n')
  const { head, tail } = INLINE_MAX_LINES
  if (lines.length > head + tail) {
    cutLines = lines.length - head - tail
    out = [...lines.slice(0, head), msg.report.linesLeftOut(cutLines), ...lines.slice(-tail)].join('\n')
  }
  const max = INLINE_MAX_CHARS.head + INLINE_MAX_CHARS.tail
  if (out.length > max) {
    let start = out.slice(0, INLINE_MAX_CHARS.head)
    let end = out.slice(-INLINE_MAX_CHARS.tail)
    const lastNl = start.lastIndexOf('\n')
    if (lastNl > INLINE_MAX_CHARS.head / 2) start = start.slice(0, lastNl)
    const firstNl = end.indexOf('\n')
    if (firstNl !== -1 && firstNl < 1024) end = end.slice(firstNl + 1)
    cutChars = out.length - start.length - end.length
    out = `${start}\n${msg.report.charsLeftOut(cutChars)}\n${end}`
  }
  return { text: out, cutLines, cutChars }
}
