// A step's output inside the `  │ ` gutter at a terminal: every line starts with the gutter, a line
// wider than the terminal is wrapped where the terminal would wrap it (so the continuation has the
// gutter too, instead of starting at column 0), and a `\r` that rewrites a line (a progress bar's
// final state, see run/visible.ts) puts the gutter back before the text. Pure: the column the
// current line is at is the state passed in and returned.
import stringWidth from 'string-width'

export interface GutterState {
  /** At the start of a line (the gutter is not written yet). */
  atLineStart: boolean
  /** Columns used on the current line after the gutter. */
  column: number
}

/** `text` with the gutter, wrapped at `width` columns after the gutter (no wrap: `undefined`). */
export function inGutter(text: string, gutter: string, state: GutterState, width: number | undefined): { out: string; state: GutterState } {
  let { atLineStart, column } = state
  let out = ''
  const lines = text.split('\n')
  lines.forEach((raw, i) => {
    if (i > 0) {
      out += '\n'
      atLineStart = true
      column = 0
    }
    const parts = raw.split('\r')
    parts.forEach((part, j) => {
      if (j > 0) {
        out += `\r${gutter}`
        atLineStart = false
        column = 0
      }
      if (part === '') return
      if (atLineStart) {
        out += gutter
        atLineStart = false
      }
      if (width === undefined || width < 8) {
        out += part
        return
      }
      // Fast path: ASCII that fits as it is.
      if (/^[\x20-\x7e]*$/.test(part) && column + part.length <= width) {
        out += part
        column += part.length
        return
      }
      for (const ch of part) {
        const w = stringWidth(ch)
        if (column + w > width) {
          out += `\n${gutter}`
          column = 0
        }
        out += ch
        column += w
      }
    })
  })
  return { out, state: { atLineStart, column } }
}
