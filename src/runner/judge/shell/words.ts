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
  /** A place a read-only step may write to (see `writeTarget`). */
  target?: WriteTarget
  /** Unquoted brace expansion: one word in the code, any number of words (options too) for the command. */
  braces?: true
  /**
   * The word as a path template (see `pathTemplate`): literal text, with each double-quoted plain
   * `$NAME` written as VAR_OPEN NAME VAR_CLOSE. Absent when anything else expands in it.
   */
  path?: string
}

/** Delimit a variable's name in a path template. */
export const VAR_OPEN = '\uE001'
export const VAR_CLOSE = '\uE002'

/** Where a read-only step may write: the null device, `$RUNBOOK_OUTPUT`, the step's scratch folder. */
export type WriteTarget = 'null' | 'output' | 'scratch'

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

// Unquoted text bash still expands: brace expansion ({rm,-f,x}, {1..3}) and globs (*, ?, [..]).
// Such a word becomes several words or file names, so it is not literal (an escaped character is
// not counted: the walk over-approximates, never under).
const BRACE_EXPANSION = /(^|[^\\])\{[^{}]*(,|\.\.)[^{}]*\}/
const GLOB = /(^|[^\\])([*?]|\[[^\]]*\])/

function expands(raw: string): boolean {
  return BRACE_EXPANSION.test(raw) || GLOB.test(raw)
}

function partsValue(syntax: ShSyntax, parts: ShNode[], mode: 'unquoted' | 'double' | 'heredoc' | 'raw'): string {
  let out = ''
  for (const part of parts) {
    const type = syntax.NodeType(part)
    if (type === 'Lit') {
      const v = String(part.Value)
      out += mode === 'unquoted' ? unescapeUnquoted(v) : mode === 'double' ? unescapeDouble(v) : mode === 'heredoc' ? unescapeDouble(v, '') : v
      if (mode === 'unquoted' && expands(v)) out += PLACEHOLDER
    } else if (type === 'SglQuoted') out += part.Dollar ? unescapeAnsiC(String(part.Value)) : String(part.Value)
    else if (type === 'DblQuoted') out += partsValue(syntax, part.Parts ?? [], 'double')
    else out += PLACEHOLDER
  }
  return out
}

export function toWord(syntax: ShSyntax, node: ShNode): Word {
  const w = word(partsValue(syntax, node?.Parts ?? [], 'unquoted'))
  const target = writeTarget(syntax, node)
  const braces = ((node?.Parts ?? []) as ShNode[]).some((p) => syntax.NodeType(p) === 'Lit' && BRACE_EXPANSION.test(String(p.Value)))
  const path = w.literal ? w.value : pathTemplate(syntax, node)
  return { ...w, ...(target ? { target } : {}), ...(braces ? { braces: true as const } : {}), ...(path !== undefined ? { path } : {}) }
}

/** A plain `$NAME` / `${NAME}` / `${NAME:?…}`: its name, else undefined. */
function plainParam(syntax: ShSyntax, node: ShNode): string | undefined {
  const name = String(node?.Param?.Value ?? '')
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined
  return paramNamed(syntax, node, name, true) ? name : undefined
}

/**
 * The word as a path whose only unknowns are variables from the step's env: literal parts as they
 * are, and `"$NAME"` inside double quotes (no word splitting, no globbing of its value) as
 * VAR_OPEN NAME VAR_CLOSE. Anything else — an unquoted expansion, `$(…)`, a glob, a leading `~`,
 * `${X:-…}` — gives undefined: what the path is cannot be read from the code.
 */
function pathTemplate(syntax: ShSyntax, node: ShNode): string | undefined {
  let out = ''
  for (const part of (node?.Parts ?? []) as ShNode[]) {
    const type = syntax.NodeType(part)
    if (type === 'Lit') {
      const v = String(part.Value)
      if (expands(v) || (out === '' && v.startsWith('~'))) return undefined
      out += unescapeUnquoted(v)
    } else if (type === 'SglQuoted') out += part.Dollar ? unescapeAnsiC(String(part.Value)) : String(part.Value)
    else if (type === 'DblQuoted') {
      for (const inner of (part.Parts ?? []) as ShNode[]) {
        const innerType = syntax.NodeType(inner)
        if (innerType === 'Lit') out += unescapeDouble(String(inner.Value))
        else if (innerType === 'ParamExp' && plainParam(syntax, inner) !== undefined) out += `${VAR_OPEN}${plainParam(syntax, inner)}${VAR_CLOSE}`
        else return undefined
      }
    } else return undefined
  }
  return out.includes(PLACEHOLDER) ? undefined : out
}

const NULL_DEVICES = new Set(['/dev/null', '/dev/stdout', '/dev/stderr'])
const OP_ERROR_IF_UNSET = 73 /* ${X:?} */

/** A plain `$NAME` or `${NAME}` (no operator); `${NAME:?…}` when `orFail` is allowed. */
function paramNamed(syntax: ShSyntax, node: ShNode, name: string, orFail: boolean): boolean {
  if (!node || syntax.NodeType(node) !== 'ParamExp' || String(node.Param?.Value) !== name) return false
  if (node.Length || node.Excl || node.Index || node.Slice || node.Repl || node.Names || node.Width) return false
  return !node.Exp || (orFail && Number(node.Exp.Op) === OP_ERROR_IF_UNSET)
}

/**
 * Whether a word names a place a read-only step may write to: /dev/null (and stdout/stderr),
 * exactly `$RUNBOOK_OUTPUT` (the runner sets it to the step's output file), or a path under
 * `$RUNBOOK_TMP` (the run's scratch folder, which the runner always sets; a step that assigns or
 * unsets a RUNBOOK_ variable is not read-only, see protected.ts). The path after it has no `..`
 * and nothing that expands.
 */
export function writeTarget(syntax: ShSyntax, node: ShNode): WriteTarget | undefined {
  const flat: ShNode[] = []
  for (const p of (node?.Parts ?? []) as ShNode[]) {
    if (syntax.NodeType(p) === 'DblQuoted') flat.push(...((p.Parts ?? []) as ShNode[]))
    else flat.push(p)
  }
  const lits = (ps: ShNode[]) => ps.every((p) => syntax.NodeType(p) === 'Lit' || syntax.NodeType(p) === 'SglQuoted')
  if (flat.length > 0 && lits(flat) && NULL_DEVICES.has(partsValue(syntax, node.Parts, 'unquoted'))) return 'null'
  if (flat.length === 1 && paramNamed(syntax, flat[0], 'RUNBOOK_OUTPUT', false)) return 'output'
  if (flat.length >= 1 && paramNamed(syntax, flat[0], 'RUNBOOK_TMP', true)) {
    const rest = flat.slice(1)
    if (!lits(rest)) return undefined
    const tail = rest.map((p) => String(p.Value)).join('')
    if (tail === '' || (tail.startsWith('/') && !/(^|\/)\.\.(\/|$)/.test(tail) && !expands(tail) && !tail.includes('\\'))) return 'scratch'
  }
  return undefined
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
