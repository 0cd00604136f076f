// PostgreSQL's own parser (@pgsql/parser, libpg_query as WASM), loaded on first use: parse
// trees of statements with byte locations, errors with their cursor, and the scanner's tokens.
import { msg } from '../../terminal/messages/index.js'

export type Json = Record<string, unknown>

export interface ParseOk {
  ok: true
  stmts: { stmt: Json; stmt_location?: number; stmt_len?: number }[]
}
export interface ParseFail {
  ok: false
  message: string
  /** 1-based position in characters (code points), when the parser says. */
  cursor?: number
}
export type ParseOutcome = ParseOk | ParseFail

export interface PgParser {
  parse(sql: string): ParseOutcome
  /** Token byte ranges and types, or null on a lexical error. */
  scan(sql: string): { start: number; end: number; type: number }[] | null
}

interface WasmModule {
  lengthBytesUTF8(s: string): number
  stringToUTF8(s: string, ptr: number, max: number): void
  UTF8ToString(ptr: number): string
  HEAPU32: Uint32Array
  _malloc(n: number): number
  _free(ptr: number): void
  _wasm_parse_query_detailed(ptr: number): number
  _wasm_free_detailed_result(ptr: number): void
  _wasm_scan(ptr: number): number
  _wasm_free_string(ptr: number): void
}

let parserPromise: Promise<PgParser> | undefined

/** The parser, loaded on first use (its import and first parse cost ~50–200 ms). */
export function loadParser(): Promise<PgParser> {
  parserPromise ??= loadWasmParser().catch(() => loadPublicParser())
  return parserPromise
}

// The package's `parse` hides the error position and throws on any tree whose JSON contains
// "ERROR" (e.g. `WHERE level = 'ERROR'`), so we drive its WASM module's detailed entry point,
// which reports the cursor. The public API is the fallback should the module's shape change.
async function loadWasmParser(): Promise<PgParser> {
  const specifier = '@pgsql/parser/wasm/libpg-query.js'
  const imported = (await import(specifier)) as { default?: unknown }
  const factory = imported.default as () => Promise<WasmModule>
  const m = await factory()
  if (typeof m._wasm_parse_query_detailed !== 'function' || !m.HEAPU32) throw new Error('unexpected @pgsql/parser build')
  const withString = <T>(s: string, fn: (ptr: number) => T): T => {
    const len = m.lengthBytesUTF8(s) + 1
    const ptr = m._malloc(len)
    try {
      m.stringToUTF8(s, ptr, len)
      return fn(ptr)
    } finally {
      m._free(ptr)
    }
  }
  return {
    parse: (sql) =>
      withString(sql, (ptr): ParseOutcome => {
        const result = m._wasm_parse_query_detailed(ptr)
        if (!result) return { ok: false, message: msg.judge.sql.parserFailed }
        try {
          // struct { int has_error; char* message, *funcname, *filename; int lineno, cursorpos; char* context, *data; size_t data_len }
          const heap = m.HEAPU32
          const base = result >>> 2
          if (heap[base]) {
            const raw = heap[base + 1] ? m.UTF8ToString(heap[base + 1]!) : 'syntax error'
            const message = oneLine(raw.replace(/^Parse error: /, '').replace(/ at line \d+, position \d+$/, ''))
            return { ok: false, message, cursor: heap[base + 5] || undefined }
          }
          const data = heap[base + 7] ? m.UTF8ToString(heap[base + 7]!) : '{"stmts":[]}'
          const tree = JSON.parse(data) as { stmts?: ParseOk['stmts'] }
          return { ok: true, stmts: tree.stmts ?? [] }
        } finally {
          m._wasm_free_detailed_result(result)
        }
      }),
    scan: (sql) =>
      withString(sql, (ptr) => {
        const result = m._wasm_scan(ptr)
        const text = m.UTF8ToString(result)
        m._wasm_free_string(result)
        return parseScanJson(text)
      }),
  }
}

async function loadPublicParser(): Promise<PgParser> {
  const pg = await import('@pgsql/parser')
  await pg.loadModule()
  return {
    parse: (sql) => {
      try {
        return { ok: true, stmts: (pg.parseSync(sql) as unknown as { stmts?: ParseOk['stmts'] }).stmts ?? [] }
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e)
        if (message.startsWith('{')) {
          const tree = JSON.parse(message) as { stmts?: ParseOk['stmts'] }
          return { ok: true, stmts: tree.stmts ?? [] }
        }
        // Lexical errors reach the package's JSON.parse as plain text.
        return { ok: false, message: e instanceof SyntaxError ? msg.judge.sql.unterminated : oneLine(message) }
      }
    },
    scan: (sql) => {
      try {
        return pg.scanSync(sql).tokens.map((t) => ({ start: t.start, end: t.end, type: t.tokenType }))
      } catch (e) {
        return parseScanJson(e instanceof Error ? e.message : '')
      }
    },
  }
}

function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim()
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat
}

// The scanner's JSON escapes only `"` and `\` in token texts, so a multi-line comment makes
// it invalid JSON: read the numbers with a pattern instead.
function parseScanJson(text: string): { start: number; end: number; type: number }[] | null {
  if (!text.startsWith('{')) return null
  const tokens: { start: number; end: number; type: number }[] = []
  const re = /\{"start":(\d+),"end":(\d+),"text":"(?:[^"\\]|\\[\s\S])*","tokenType":(\d+)/g
  for (let m = re.exec(text); m; m = re.exec(text)) tokens.push({ start: Number(m[1]), end: Number(m[2]), type: Number(m[3]) })
  return tokens
}
