// SQL given as text to a function that runs it (query_to_xml, ts_stat, dblink): the texts it can
// be, when the judge can know them. A string literal is one text; `format('… %I … %L …', …)` with a
// literal format string is a template whose %I and %L become placeholders (quote_ident and
// quote_literal cannot inject: each is checked to land on one whole token); %s takes a literal, a
// CASE of them or another such format. Anything else (concatenation, a column, a parameter) is
// unknown: the caller fails closed.
import type { PgParser } from './parser.js'
import { constValue, obj } from './tree.js'

type Piece = { raw: string } | { ident: true } | { literal: true }
type Template = Piece[]

/** More variants than this: unknown (fail closed). */
const MAX_VARIANTS = 16

/** Templates a node can evaluate to, or undefined when the judge cannot know. */
function templates(node: unknown, depth: number): Template[] | undefined {
  if (depth > 4) return undefined
  const value = constValue(node)
  if (typeof value === 'string') return [[{ raw: value }]]
  const n = obj(node)
  const caseExpr = obj(n?.CaseExpr)
  if (caseExpr) {
    const results = (Array.isArray(caseExpr.args) ? caseExpr.args : []).map((w) => obj(obj(w)?.CaseWhen)?.result)
    if (caseExpr.defresult === undefined) return undefined // a NULL result: format's %s gives '', query_to_xml fails
    results.push(caseExpr.defresult)
    const all: Template[] = []
    for (const r of results) {
      const t = templates(r, depth + 1)
      if (!t) return undefined
      all.push(...t)
    }
    return all.length <= MAX_VARIANTS ? all : undefined
  }
  const call = obj(n?.FuncCall)
  if (!call) return undefined
  const parts = (Array.isArray(call.funcname) ? call.funcname : []).map((p) => obj(obj(p)?.String)?.sval)
  const qualifiedOk = parts.length === 1 || (parts.length === 2 && parts[0] === 'pg_catalog')
  if (!qualifiedOk || parts[parts.length - 1] !== 'format') return undefined
  return formatTemplates(Array.isArray(call.args) ? call.args : [], depth)
}

/** `format(fmt, args…)` with a literal fmt: %I, %L, %s and %% (positional `%n$` too; no widths). */
function formatTemplates(args: unknown[], depth: number): Template[] | undefined {
  const fmt = constValue(args[0])
  if (typeof fmt !== 'string') return undefined
  let variants: Template[] = [[]]
  let next = 1
  const re = /%(?:(\d+)\$)?([sIL%])|%/g
  let last = 0
  for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
    const raw = fmt.slice(last, m.index)
    variants = variants.map((v) => [...v, { raw }])
    last = re.lastIndex
    const type = m[2]
    if (type === undefined) return undefined // a width, a flag or an unknown conversion
    if (type === '%') {
      variants = variants.map((v) => [...v, { raw: '%' }])
      continue
    }
    const index = m[1] !== undefined ? Number(m[1]) : next
    next = index + 1
    if (index < 1 || index >= args.length) return undefined
    if (type === 'I') variants = variants.map((v) => [...v, { ident: true }])
    else if (type === 'L') variants = variants.map((v) => [...v, { literal: true }])
    else {
      const inner = templates(args[index], depth + 1)
      if (!inner) return undefined
      variants = variants.flatMap((v) => inner.map((t) => [...v, ...t]))
      if (variants.length > MAX_VARIANTS) return undefined
    }
  }
  const tail = fmt.slice(last)
  return variants.map((v) => [...v, { raw: tail }])
}

// How quote_ident and quote_literal may print a value: an identifier plain or quoted; a literal
// plain, as E'…' (it held a backslash) or NULL. Every combination is checked.
const IDENT_FORMS = [(i: number) => `rb_placeholder_${i}`, (i: number) => `"rb_placeholder_${i}"`]
const LITERAL_FORMS = [(i: number) => `'rb_placeholder_${i}'`, (i: number) => `E'rb_placeholder_${i}'`, () => 'NULL']

/** A template printed with placeholders, or undefined when one would not be a whole token. */
function render(t: Template, ident: (i: number) => string, literal: (i: number) => string, parser: PgParser): string | undefined {
  let text = ''
  const spans: [number, number][] = []
  t.forEach((p, i) => {
    const piece = 'raw' in p ? p.raw : 'ident' in p ? ident(i) : literal(i)
    if (!('raw' in p)) spans.push([Buffer.byteLength(text), Buffer.byteLength(text) + Buffer.byteLength(piece)])
    text += piece
  })
  const tokens = parser.scan(text)
  if (!tokens) return undefined
  const whole = spans.every(([a, b]) => tokens.some((tk) => tk.start === a && tk.end === b))
  return whole ? text : undefined
}

/**
 * The SQL texts an argument can be, with placeholders for what format() quotes; undefined when
 * the judge cannot know them (the call is then not proven read-only).
 */
export function sqlTexts(node: unknown, parser: PgParser): string[] | undefined {
  const ts = templates(node, 0)
  if (!ts) return undefined
  const texts = new Set<string>()
  for (const t of ts) {
    for (const ident of IDENT_FORMS) {
      for (const literal of LITERAL_FORMS) {
        const text = render(t, ident, literal, parser)
        if (text === undefined) return undefined
        texts.add(text)
      }
    }
  }
  return [...texts]
}
