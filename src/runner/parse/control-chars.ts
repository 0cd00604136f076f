// Characters that can make a step's code look other than it runs: terminal escapes, a lone carriage
// return, backspace, bidi overrides, zero-width characters. Found for lint, shown visibly for read,
// plan and the step intro. TAB and LF are the only control characters a step's code may hold.

// C0 except TAB and LF (CR too: CRLF is normalised on load, so a CR left is a lone one that returns
// the cursor and lets a later text overwrite the line), DEL, C1, the Arabic letter mark, zero-width
// and directional marks (U+200B–U+200F), the bidi embeddings and overrides (U+202A–U+202E), word
// joiner (U+2060), the bidi isolates (U+2066–U+2069) and a BOM inside the text (U+FEFF).
/** The part beyond C0 (which JSON and YAML escape themselves): report/invisible.ts escapes it. */
export const BEYOND_C0 = '\\u007F-\\u009F\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2060\\u2066-\\u2069\\uFEFF'
const CONTROL = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F${BEYOND_C0}]`, 'g')

export interface ControlChar {
  /** 1-based line within the text. */
  line: number
  /** 1-based column (in UTF-16 units) within the line. */
  column: number
  /** Its visible form, e.g. `␛` or `U+202E`. */
  shown: string
}

/** The visible form of one control character: its Control Pictures symbol for C0 and DEL, else U+XXXX. */
export function controlName(ch: string): string {
  const code = ch.charCodeAt(0)
  if (code < 0x20) return String.fromCharCode(0x2400 + code)
  if (code === 0x7f) return '␡'
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

// The same class without the global flag: `test` on a global pattern would carry state between calls.
const ANY_CONTROL = new RegExp(CONTROL.source)

export function hasControlChars(text: string): boolean {
  return ANY_CONTROL.test(text)
}

/** Every control character in `text`, where it is. */
export function findControlChars(text: string): ControlChar[] {
  const found: ControlChar[] = []
  const lines = text.split('\n')
  lines.forEach((lineText, i) => {
    for (const m of lineText.matchAll(CONTROL)) found.push({ line: i + 1, column: (m.index ?? 0) + 1, shown: controlName(m[0]) })
  })
  return found
}

/**
 * `text` with each control character replaced by its visible form, passed through `mark` (a
 * distinct style, e.g. inverse) so it cannot be taken for the text around it; `⟨…⟩` keeps it
 * distinct without colour too (NO_COLOR, a pipe).
 */
export function showControlChars(text: string, mark: (shown: string) => string): string {
  return text.replace(CONTROL, (ch) => mark(`⟨${controlName(ch)}⟩`))
}
