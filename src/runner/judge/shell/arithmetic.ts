// Arithmetic on data. bash evaluates a variable's VALUE as an expression wherever it does
// arithmetic — `(( X > 1 ))`, `$(( X ))`, `let`, `[[ $X -gt 1 ]]`, `declare -i`, array indexes and
// `${S:off:len}` — and an expression may index an array with a command substitution:
// `X='a[$(rm -f file)]'; (( X > 1 ))` runs `rm`. So arithmetic is proven only on values known to be
// integers: names the step assigns only from integer literals, `$?`/`$#`/`$$`/`$!`, arithmetic
// results, or commands that print a count (`wc -l`, `grep -c`, `date +%s`, with `|| true`); names the
// step never assigns come from the runner's environment (the target's env file, inputs), which the
// judge treats as arguments (docs/SECURITY.md). A value read from data (`read`, `$(cat file)`) used
// in arithmetic cannot be proven.
import { basename } from './words.js'
import type { ShNode, ShSyntax } from './syntax.js'

const OP_AND = 10
const OP_OR = 11
const PIPES = new Set([12, 13])
/** `[[ … ]]` operators that evaluate both sides as arithmetic: -eq -ne -le -ge -lt -gt. */
const ARITHMETIC_TESTS = new Set([116, 117, 118, 119, 120, 121])
const SPECIAL_NUMERIC = new Set(['?', '#', '$', '!'])
/** Builtins that assign what they read (never known to be an integer). */
const READERS = new Set(['read', 'mapfile', 'readarray', 'getopts'])
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g

/** The references to names in arithmetic that cannot be proven to hold integers, as shown in a reason. */
export function unprovenArithmetic(file: ShNode, syntax: ShSyntax): string[] {
  const numeric = integerNames(file, syntax)
  const risky = new Set<string>()
  const check = (name: string) => {
    if (numeric.get(name) === false) risky.add(`(( ${name} ))`)
  }
  const inArithmetic = (node: ShNode) =>
    syntax.Walk(node, (n) => {
      if (!n) return true
      const type = syntax.NodeType(n)
      if (type === 'CmdSubst') {
        // Its output is substituted, then evaluated: it must print a count.
        if (!printsInteger(n.Stmts ?? [], syntax)) risky.add('(( $(…) ))')
        return false
      }
      if (type === 'ParamExp' && n.Param) check(String(n.Param.Value))
      else if (type === 'Lit') for (const m of String(n.Value).matchAll(IDENTIFIER)) check(m[0])
      return true
    })
  syntax.Walk(file, (n) => {
    if (!n) return true
    const type = syntax.NodeType(n)
    if (type === 'ArithmCmd' || type === 'ArithmExp' || type === 'LetClause' || type === 'CStyleLoop') inArithmetic(n)
    else if (type === 'BinaryTest' && ARITHMETIC_TESTS.has(Number(n.Op))) inArithmetic(n)
    else if (type === 'ParamExp') {
      if (n.Index) inArithmetic(n.Index)
      if (n.Slice?.Offset) inArithmetic(n.Slice.Offset)
      if (n.Slice?.Length) inArithmetic(n.Slice.Length)
    } else if (type === 'DeclClause' && declaresInteger(n, syntax)) for (const a of (n.Args ?? []) as ShNode[]) if (a.Value) inArithmetic(a.Value)
    return true
  })
  return [...risky]
}

/** Every name the script assigns → whether all its assignments are known integers. */
function integerNames(file: ShNode, syntax: ShSyntax): Map<string, boolean> {
  const names = new Map<string, boolean>()
  const assign = (name: string, integer: boolean) => names.set(name, (names.get(name) ?? true) && integer)
  syntax.Walk(file, (n) => {
    if (!n) return true
    const type = syntax.NodeType(n)
    if (type === 'Assign' && n.Name) assign(String(n.Name.Value), n.Value ? integerWord(n.Value, syntax) : !n.Array)
    else if (type === 'WordIter' && n.Name) assign(String(n.Name.Value), ((n.Items ?? []) as ShNode[]).every((w) => integerWord(w, syntax)))
    else if (type === 'CallExpr') {
      const argv = ((n.Args ?? []) as ShNode[]).map((w) => literal(w, syntax))
      const name = argv[0] !== undefined ? basename(argv[0] ?? '') : ''
      // `read X`, `printf -v X`: whatever they read. An argument that is not a literal could name anything.
      if (READERS.has(name) || name === 'printf') for (const a of argv.slice(1)) for (const m of (a ?? '').matchAll(IDENTIFIER)) assign(m[0], false)
    }
    return true
  })
  return names
}

/** A word whose value is an integer (or empty): `5`, `$?`, `$(( … ))`, `$(wc -l < f)`, `"$?"`. */
function integerWord(word: ShNode, syntax: ShSyntax): boolean {
  const parts = (word.Parts ?? []) as ShNode[]
  if (parts.length === 0) return true
  if (parts.length !== 1) return false
  const part = parts[0]
  const type = syntax.NodeType(part)
  if (type === 'Lit') return /^-?\d*$/.test(String(part.Value))
  if (type === 'ArithmExp') return true
  if (type === 'ParamExp') return !part.Length && !part.Exp && !part.Repl && !part.Slice && !part.Index && SPECIAL_NUMERIC.has(String(part.Param?.Value))
  if (type === 'CmdSubst') return printsInteger(part.Stmts ?? [], syntax)
  if (type === 'DblQuoted') return integerWord(part, syntax)
  return false
}

/** A command substitution that prints one count or nothing. */
function printsInteger(stmts: ShNode[], syntax: ShSyntax): boolean {
  if (stmts.length !== 1) return false
  const stmt = stmts[0]
  return !stmt.Negated && !stmt.Background && integerCommand(stmt.Cmd, syntax)
}

function integerCommand(cmd: ShNode, syntax: ShSyntax): boolean {
  if (!cmd) return false
  const type = syntax.NodeType(cmd)
  if (type === 'BinaryCmd') {
    const op = Number(cmd.Op)
    if (PIPES.has(op)) return integerCommand(cmd.Y?.Cmd, syntax)
    if (op === OP_AND || op === OP_OR) return [cmd.X, cmd.Y].every((s: ShNode) => !s.Negated && (silent(s.Cmd, syntax) || integerCommand(s.Cmd, syntax)))
    return false
  }
  if (type !== 'CallExpr' || (cmd.Assigns?.length ?? 0) > 0) return false
  const argv = ((cmd.Args ?? []) as ShNode[]).map((w) => literal(w, syntax))
  if (argv.some((a) => a === undefined)) return false
  const [name, ...args] = argv as string[]
  const options = args.filter((a) => a.startsWith('-') && a !== '-')
  const operands = args.filter((a) => !a.startsWith('-') || a === '-')
  switch (basename(name ?? '')) {
    case 'wc':
      // With a file operand wc prints "N file".
      return operands.length === 0 && options.length === 1 && /^-(l|c|w|m)$|^--(lines|bytes|words|chars)$/.test(options[0]!)
    case 'grep':
      // -c prints "N" for one input (or with -h), "file:N" for several.
      return options.some((o) => o === '--count' || /^-[A-Za-z]*c[A-Za-z]*$/.test(o)) && (operands.length <= 2 || options.some((o) => /^-[A-Za-z]*h/.test(o)))
    case 'date':
      return args.length === 1 && args[0] === '+%s'
    default:
      return false
  }
}

/** `true` and `:` print nothing. */
function silent(cmd: ShNode, syntax: ShSyntax): boolean {
  if (!cmd || syntax.NodeType(cmd) !== 'CallExpr' || (cmd.Args?.length ?? 0) !== 1) return false
  const name = literal(cmd.Args[0], syntax)
  return name === 'true' || name === ':'
}

/** `declare -i` / `local -i` / `typeset -i`: assignments evaluate their values as arithmetic. */
function declaresInteger(decl: ShNode, syntax: ShSyntax): boolean {
  return ((decl.Args ?? []) as ShNode[]).some((a) => a.Naked && !a.Name && a.Value && /^-[A-Za-z]*i/.test(literal(a.Value, syntax) ?? ''))
}

/** A word made of literal text only (quotes allowed), else undefined. */
function literal(word: ShNode, syntax: ShSyntax): string | undefined {
  let text = ''
  for (const part of (word?.Parts ?? []) as ShNode[]) {
    const type = syntax.NodeType(part)
    if (type === 'Lit' || type === 'SglQuoted') text += String(part.Value)
    else if (type === 'DblQuoted') {
      const inner = literal(part, syntax)
      if (inner === undefined) return undefined
      text += inner
    } else return undefined
  }
  return text
}
