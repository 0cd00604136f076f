// Words of a command as the command receives them: quotes removed, escapes resolved, and every
// expansion replaced by PLACEHOLDER (a word with one is never literal).
import type { ShNode, ShSyntax } from './syntax.js'

/** Stands for an expansion (`$X`, `$(…)`, `${…}` of a template) inside a word. */
export const PLACEHOLDER = '\uE000'

export interface Word {
  /** The word's value after quote removal, expansions replaced by PLACEHOLDER. */
  value: string
  /** No expansion in it: the value is what the command receives. */
  literal: boolean
}

export function word(value: string): Word {
  return { value, literal: !value.includes(PLACEHOLDER) }
}

const ANSI_C: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v' }

function unescapeAnsiC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/gs, (_m, e: string) => {
    if (e[0] === 'x' && e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16))
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8))
    return ANSI_C[e] ?? e
  })
}

/** Unquoted literal text: a backslash quotes the next character; backslash-newline vanishes. */
function unescapeUnquoted(s: string): string {
  return s.replace(/\\([\s\S])/g, (_m, c: string) => (c === '\n' ? '' : c))
}

/** Inside double quotes (and unquoted heredocs) a backslash only quotes $ ` " \ and newline. */
function unescapeDouble(s: string, quote = '"'): string {
  return s.replace(/\\([\s\S])/g, (m, c: string) => (c === '\n' ? '' : '$`\\'.includes(c) || c === quote ? c : m))
}

function partsValue(syntax: ShSyntax, parts: ShNode[], mode: 'unquoted' | 'double' | 'heredoc' | 'raw'): string {
  let out = ''
  for (const part of parts) {
    const type = syntax.NodeType(part)
    if (type === 'Lit') {
      const v = String(part.Value)
      out += mode === 'unquoted' ? unescapeUnquoted(v) : mode === 'double' ? unescapeDouble(v) : mode === 'heredoc' ? unescapeDouble(v, '') : v
    } else if (type === 'SglQuoted') out += part.Dollar ? unescapeAnsiC(String(part.Value)) : String(part.Value)
    else if (type === 'DblQuoted') out += partsValue(syntax, part.Parts ?? [], 'double')
    else out += PLACEHOLDER
  }
  return out
}

export function toWord(syntax: ShSyntax, node: ShNode): Word {
  return word(partsValue(syntax, node?.Parts ?? [], 'unquoted'))
}

/** The text a heredoc feeds; expansions stay unexpanded when its delimiter is quoted. */
export function heredocText(syntax: ShSyntax, r: ShNode): string {
  const delimiter: ShNode[] = r.Word?.Parts ?? []
  const quoted = delimiter.some((p) => syntax.NodeType(p) !== 'Lit' || String(p.Value).includes('\\'))
  return partsValue(syntax, r.Hdoc?.Parts ?? [], quoted ? 'raw' : 'heredoc')
}

/** How a word reads in a reason: placeholders shown as … */
export function show(value: string): string {
  const flat = value.replace(new RegExp(PLACEHOLDER, 'g'), '…').replace(/\s+/g, ' ').trim()
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat
}

export function basename(p: string): string {
  const i = p.lastIndexOf('/')
  return i === -1 ? p : p.slice(i + 1)
}
