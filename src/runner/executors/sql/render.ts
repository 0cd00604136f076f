// How SQL results look in the report and at the terminal: each value as text (NULL, compact JSON,
// ISO timestamps, short bytea hex, control characters escaped) and a psql-like aligned table.
import stringWidth from 'string-width'
import { msg } from '../../terminal/messages/index.js'

const CELL_MAX_CHARS = 200
const BYTEA_MAX_BYTES = 32

// Type OIDs (pg_type) the renderer treats specially.
const OID = {
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  money: 790,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const

/** Columns of these types are right-aligned in the text table. */
export const NUMERIC_OIDS = new Set<number>([OID.int2, OID.int4, OID.int8, OID.oid, OID.float4, OID.float8, OID.money, OID.numeric])

/** JSON text without insignificant whitespace (no parse, so big numbers stay exact). */
export function compactJson(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      out += c
      if (c === '\\') {
        out += text[i + 1] ?? ''
        i++
      } else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
      out += c
    } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') out += c
  }
  return out
}

/** `2024-01-02 03:04:05.1+09` (DateStyle ISO) → `2024-01-02T03:04:05.1+09:00`. */
export function isoTimestamptz(text: string): string {
  const m = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/.exec(text)
  if (!m) return text
  return `${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}${m[5] ? `:${m[5]}` : ''}${m[6] ?? ''}`
}

/** Newlines as ↵, tabs as a space, other control characters escaped; at most `max` characters. */
export function displayText(text: string, max = CELL_MAX_CHARS): string {
  const shown = text
    .replace(/\r\n|\n|\r/g, '↵')
    .replace(/\t/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  const chars = Array.from(shown)
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : shown
}

/** One value as the report shows it: NULL, compact JSON, ISO timestamps, short bytea hex. */
export function renderSqlCell(value: unknown, typeOid: number): string {
  if (value === null || value === undefined) return 'NULL'
  let text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? `\\x${value.toString('hex')}` : String(value)
  if (typeOid === OID.json || typeOid === OID.jsonb) text = compactJson(text)
  else if (typeOid === OID.timestamptz) text = isoTimestamptz(text)
  else if (typeOid === OID.bytea && text.startsWith('\\x')) {
    const hex = text.slice(2)
    const bytes = hex.length / 2
    if (bytes > BYTEA_MAX_BYTES) text = `\\x${hex.slice(0, BYTEA_MAX_BYTES * 2)}… (${bytes} bytes)`
  }
  return displayText(text)
}

/** A psql-like aligned table of already rendered cells, with a `(N rows)` footer. */
export function formatTextTable(columns: string[], rows: string[][], totalRows: number, rightAlign: boolean[] = []): string {
  const widths = columns.map((c, i) => Math.max(stringWidth(c), ...rows.map((r) => stringWidth(r[i] ?? ''))))
  const pad = (text: string, i: number, right: boolean) => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - stringWidth(text)))
    return right ? gap + text : text + gap
  }
  const line = (cells: string[], aligned: boolean) =>
    ` ${cells.map((c, i) => pad(c, i, aligned && rightAlign[i] === true)).join(' | ')}`.trimEnd()
  const out = [line(columns, false), widths.map((w) => '-'.repeat(w + 2)).join('+')]
  for (const row of rows) out.push(line(row, true))
  out.push(msg.executors.sqlRowsFooter(totalRows, rows.length))
  return `${out.join('\n')}\n`
}

/** A sample of changed rows for the operator's screen before the commit question (never recorded). */
export function formatSample(line: number, table: { columns: string[]; rows: string[][]; totalRows: number }, shown: number): string {
  return `${msg.executors.sqlSampleHeader(line, shown)}\n${formatTextTable(table.columns.map((c) => displayText(c)), table.rows, table.totalRows)}`
}
