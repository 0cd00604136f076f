// A SQL step as statements: each with its parse tree, its text (leading comments dropped) and
// its 1-based line; a syntax error splits the step at top-level semicolons so that one bad
// statement neither hides the others nor loses its line.
import { loadParser, type Json, type ParseFail, type ParseOk } from './parser.js'

/** Byte offsets (the parser's) to string indices and lines. */
class Source {
  readonly bytes: Buffer
  private readonly lineStarts: number[] = [0]
  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8')
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1)
  }
  index(byteOffset: number): number {
    return this.bytes.subarray(0, byteOffset).toString('utf8').length
  }
  /** Index of the 1-based code point position `cursor`. */
  indexOfCursor(cursor: number): number {
    let index = 0
    for (let n = 1; n < cursor && index < this.text.length; n++) index += (this.text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1
    return index
  }
  line(index: number): number {
    let lo = 0
    let hi = this.lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.lineStarts[mid]! <= index) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}

/** Index of the first character at or after `from` that is not whitespace or a comment. */
function skipTrivia(text: string, from: number, to = text.length): number {
  let i = from
  while (i < to) {
    if (/\s/.test(text[i]!)) i++
    else if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i)
      i = nl === -1 ? to : nl + 1
    } else if (text.startsWith('/*', i)) {
      let depth = 0
      let j = i
      while (j < to) {
        if (text.startsWith('/*', j)) {
          depth++
          j += 2
        } else if (text.startsWith('*/', j)) {
          depth--
          j += 2
          if (depth === 0) break
        } else j++
      }
      i = j
    } else break
  }
  return Math.min(i, to)
}

export interface Statement {
  node: Json
  type: string
  /** Statement text without leading comments and whitespace. */
  text: string
  line: number
}

interface ParsedSql {
  statements: Statement[]
  errors: { line: number; message: string }[]
}

function collect(source: Source, stmts: ParseOk['stmts'], byteBase: number, byteEnd: number, out: Statement[]): void {
  for (const s of stmts) {
    const startByte = byteBase + (s.stmt_location ?? 0)
    const endByte = s.stmt_len ? startByte + s.stmt_len : byteEnd
    const from = source.index(startByte)
    const to = source.index(endByte)
    const start = skipTrivia(source.text, from, to)
    const type = Object.keys(s.stmt)[0] ?? 'Unknown'
    out.push({
      node: s.stmt,
      type,
      text: source.text.slice(start, to).trimEnd(),
      line: source.line(start),
    })
  }
}

export async function parseSql(code: string): Promise<ParsedSql> {
  const statements: Statement[] = []
  if (code.trim() === '') return { statements, errors: [] }
  const parser = await loadParser()
  const source = new Source(code)
  const whole = parser.parse(code)
  if (whole.ok) {
    collect(source, whole.stmts, 0, source.bytes.length, statements)
    return { statements, errors: [] }
  }
  const errorAt = (base: number, fail: ParseFail, end = code.length): { line: number; message: string } => {
    if (fail.cursor) return { line: source.line(base + new Source(code.slice(base)).indexOfCursor(fail.cursor)), message: fail.message }
    // No position (fallback parser): look for the token the message names, else the chunk start.
    const start = skipTrivia(code, base, end)
    const near = /at or near "([\s\S]*)"$/.exec(fail.message)?.[1]
    const at = near ? code.indexOf(near, start) : -1
    return { line: source.line(at !== -1 && at < end ? at : start), message: fail.message }
  }
  // A syntax error: split at top-level semicolons by the scanner and judge what still parses,
  // so that one bad statement neither hides the others nor loses its line.
  const tokens = parser.scan(code)
  if (!tokens) return { statements, errors: [errorAt(0, whole)] }
  const errors: { line: number; message: string }[] = []
  let depth = 0
  let chunkStart = 0
  const chunks: [number, number][] = []
  for (const t of tokens) {
    if (t.type === 40) depth++
    else if (t.type === 41) depth = Math.max(0, depth - 1)
    else if (t.type === 59 && depth === 0) {
      chunks.push([chunkStart, t.start])
      chunkStart = t.end
    }
  }
  chunks.push([chunkStart, source.bytes.length])
  for (const [a, b] of chunks) {
    const text = source.bytes.subarray(a, b).toString('utf8')
    if (text.trim() === '') continue
    const result = parser.parse(text)
    if (result.ok) collect(source, result.stmts, a, b, statements)
    else errors.push(errorAt(source.index(a), result, source.index(b)))
  }
  if (errors.length === 0) errors.push(errorAt(0, whole))
  return { statements, errors }
}

/** A SQL syntax error, with its 1-based line in the code. */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'SqlSyntaxError'
  }
}

/**
 * The statements of a SQL step, each with its 1-based start line (leading comments dropped),
 * so that the executor can run them one at a time. Throws SqlSyntaxError on a syntax error.
 */
export async function splitSql(code: string): Promise<{ text: string; line: number }[]> {
  const parsed = await parseSql(code)
  const first = parsed.errors[0]
  if (first) throw new SqlSyntaxError(first.message, first.line)
  return parsed.statements.map((s) => ({ text: s.text, line: s.line }))
}
