// A step's output as a reader will see it, as a stream: terminal escape sequences removed, other
// control characters dropped, and lines rewritten by carriage returns or backspaces replaced by
// what the terminal shows in the end. Redaction runs on THIS text (run/redact.ts), so a secret
// cannot reach the screen, the log or the report by being split with colour codes
// (`grep --color=always`), a `\r`, or backspaces, which a terminal — or the report's cleaner —
// would join again after a redactor that saw only the raw bytes.
//
// Live output stays live: a line is passed on as it comes while it holds no `\r` or backspace; a
// line that does is held until it ends and then given as its final state (after `\r` when a part
// of it was passed on already, so a terminal overwrites that part).

import { ANSI as ESCAPES, overlay } from '../report/markdown-text.js'

/** A start of an escape sequence at the end of a chunk that more bytes may complete. */
const OPEN_ESCAPE = /(?:\u001b(?:\[[0-?]*[ -/]*|\][^\u0007\u009c]*|[PX^_][^\u009c]*|[ -/]*)?|\u009b[0-?]*[ -/]*|\u009d[^\u0007\u009c]*)$/
/** Control characters a reader does not see (TAB, LF, CR and BS are handled apart). */
const INVISIBLE = /[\u0000-\u0007\u000b-\u000c\u000e-\u001a\u001c-\u001f\u007f-\u009f]/g
/** A line held longer than this is passed on as it stands (memory stays bounded). */
const MAX_HELD = 64 * 1024

export interface VisibleStream {
  push(chunk: string): string
  flush(): string
}

export function createVisibleStream(): VisibleStream {
  let pendingEscape = ''
  /** The current line, not yet passed on, when it holds `\r` or backspace. */
  let held = ''
  /** The part of the current line already passed on. */
  let shown = ''

  const lineEnd = (line: string): string => {
    // `line` is the whole current line (what was shown of it included), without its newline.
    const final = overlay(line)
    const out = shown ? `\r${final}` : final
    shown = ''
    return out
  }

  return {
    push(chunk) {
      let text = pendingEscape + chunk
      const open = OPEN_ESCAPE.exec(text)
      pendingEscape = open ? open[0] : ''
      if (pendingEscape) text = text.slice(0, text.length - pendingEscape.length)
      text = text.replace(ESCAPES, '').replace(INVISIBLE, '')
      let out = ''
      for (;;) {
        const nl = text.indexOf('\n')
        const piece = nl === -1 ? text : text.slice(0, nl)
        if (held || /[\r\b]/.test(piece)) {
          held += piece
          if (nl === -1 && held.length > MAX_HELD) {
            const whole = shown + held
            out += lineEnd(whole)
            shown = overlay(whole)
            held = ''
          }
        } else {
          out += piece
          // Only what a later `\r` could still rewrite is kept (a line without end stays bounded).
          shown = (shown + piece).slice(-MAX_HELD)
        }
        if (nl === -1) break
        if (held) {
          out += lineEnd(shown + held)
          held = ''
        }
        out += '\n'
        shown = ''
        text = text.slice(nl + 1)
      }
      return out
    },
    flush() {
      pendingEscape = ''
      if (!held) return ''
      const out = lineEnd(shown + held)
      held = ''
      return out
    },
  }
}

