// The analysis walk, fail-closed: bash is parsed (mvdan-sh) and every simple command is judged by
// its argv, wherever it stands (pipelines, && / || chains, subshells, $( ) and backticks,
// functions, loop and if bodies), with what it reads on stdin. A command is read-only only when a
// reader of readonly/ proves it; otherwise the rule of rules/ for its name says what it changes,
// and a command no rule explains "cannot be proven read-only". Redirections write only to the
// allowed targets (or inside the step's declared `writes=` paths); function definitions, coprocesses and assignments that change what later
// commands run are not provable either.
import type { Detection } from '../../model/runbook.js'
import { flag, MAX_DEPTH, says, type Ctx, type H, type Out, type Stdin } from './rule.js'
import { ruleFor } from './rules/index.js'
import { declaredWrites, insideDeclared } from './declared.js'
import { isSystemPath } from './paths.js'
import { unprovenArithmetic } from './arithmetic.js'
import { ARITHMETIC_INJECTION, isProtectedVariable } from './protected.js'
import { readerFor, shadows } from './readonly/index.js'
import { HEREDOCS, HERESTRING, loadSyntax, OP_PIPE, OP_PIPE_ALL, REDIRECT_DUP_OUT, REDIRECT_IN, WRITE_REDIRECTS, type ShNode, type ShSyntax } from './syntax.js'
import { basename, heredocText, PLACEHOLDER, show, toWord, word, type Word } from './words.js'

interface ParseError {
  line: number
  message: string
}

function sameNode(a: ShNode, b: ShNode): boolean {
  return !!a && !!b && a.Pos().Offset() === b.Pos().Offset() && a.End().Offset() === b.End().Offset()
}

/** Whether the statement on top of the stack reads a pipe: it is (inside) the right of a `|`. */
function readsPipe(syntax: ShSyntax, stack: ShNode[]): boolean {
  for (let i = stack.length - 2; i >= 0; i--) {
    const node = stack[i]
    const type = syntax.NodeType(node)
    if (type === 'CmdSubst' || type === 'ProcSubst') return false
    if (type === 'BinaryCmd' && (node.Op === OP_PIPE || node.Op === OP_PIPE_ALL)) {
      // Find the direct child of this BinaryCmd on the stack.
      const child = stack[i + 1]
      if (sameNode(child, node.Y)) return true
    }
  }
  return false
}

function parseScript(syntax: ShSyntax, code: string): { file: ShNode | null; error?: ParseError } {
  try {
    return { file: syntax.NewParser().Parse(code, 'step.sh') }
  } catch (e: any) {
    const line = typeof e?.Pos?.Line === 'function' ? Number(e.Pos.Line()) : 1
    const message = typeof e?.Text === 'string' ? e.Text : e instanceof Error ? e.message : String(e)
    return { file: null, error: { line: line > 0 ? line : 1, message } }
  }
}

/** Analyses a script; returns its syntax error, if any (commands before it are still judged). */
async function analyzeScript(code: string, ctx: Ctx): Promise<ParseError | undefined> {
  const { syntax } = ctx
  let { file, error } = parseScript(syntax, code)
  if (!file && error) {
    // bash runs the commands before a syntax error: judge what parses up to that line.
    const lines = code.split('\n')
    for (let upTo = error.line - 1; upTo > Math.max(0, error.line - 100) && !file; upTo--) file = parseScript(syntax, lines.slice(0, upTo).join('\n')).file
  }
  if (file) await analyzeFile(file, ctx)
  return error
}

/** Commands that create or write files wherever they are pointed (their rules flag system paths only). */
const FILE_WRITERS = new Set(['mv', 'cp', 'ln', 'touch', 'mkdir', 'tee', 'install', 'tar', 'gzip', 'gunzip', 'bzip2', 'xz', 'zstd', 'zip', 'unzip', 'split', 'mkfifo', 'mknod', 'patch', 'rsync', 'scp'])

function unproven(ctx: Ctx, what: string): void {
  const before = ctx.out.reasons.size
  flag(ctx, says().cannotProve(show(what)))
  if (ctx.out.reasons.size > before) ctx.out.unproven.add([...ctx.out.reasons].at(-1)!)
}

/** Nodes that are not commands but still change what runs: functions, coprocesses, assignments. */
function judgeNode(node: ShNode, type: string, ctx: Ctx): void {
  const { syntax } = ctx
  if (type === 'FuncDecl') {
    const name = String(node.Name?.Value ?? '')
    // A function named like a command shadows it: later uses would not be what the tables know.
    if (shadows(name) || ruleFor(name, name)) unproven(ctx, `${name}()`)
    else ctx.functions.add(name)
  } else if (type === 'CoprocClause') unproven(ctx, 'coproc')
  else if ((type === 'Assign' && node.Name) || (type === 'WordIter' && node.Name)) {
    const name = String(node.Name.Value)
    if (isProtectedVariable(name)) flag(ctx, says().does(`${name}=`, says().changesShellBehaviour))
  } else if (type === 'DeclClause') {
    for (const a of (node.Args ?? []) as ShNode[]) {
      if (!a.Naked || a.Name) continue
      const option = a.Value ? toWord(syntax, a.Value) : undefined
      // declare -n makes a name refer to another variable (PATH); an unknown word could be NAME=value.
      if (!option?.literal || (option.value.startsWith('-') && option.value.includes('n'))) unproven(ctx, `${String(node.Variant?.Value ?? 'declare')} ${option?.value ?? ''}`)
    }
  } else if ((type === 'Lit' || type === 'SglQuoted') && ARITHMETIC_INJECTION.test(String(node.Value).replace(/\\/g, ''))) unproven(ctx, String(node.Value))
}

async function analyzeFile(file: ShNode, ctx: Ctx): Promise<void> {
  const { syntax } = ctx
  const stack: ShNode[] = []
  const statements: { stmt: ShNode; piped: boolean }[] = []
  syntax.Walk(file, (node) => {
    if (node === null) {
      stack.pop()
      return true
    }
    stack.push(node)
    const type = syntax.NodeType(node)
    if (type === 'Stmt') statements.push({ stmt: node, piped: readsPipe(syntax, stack) })
    else judgeNode(node, type, ctx)
    return true
  })
  for (const what of unprovenArithmetic(file, syntax)) unproven(ctx, what)
  for (const { stmt, piped } of statements) await analyzeStmt(stmt, piped, ctx)
}

/** One statement: its redirects (writes into system paths, what feeds stdin), then its argv. */
async function analyzeStmt(stmt: ShNode, piped: boolean, parent: Ctx): Promise<void> {
  const { syntax } = parent
  const cmd = stmt.Cmd
  const isCall = cmd && syntax.NodeType(cmd) === 'CallExpr' && (cmd.Args?.length ?? 0) > 0
  const argv: Word[] = isCall ? (cmd.Args as ShNode[]).map((a) => toWord(syntax, a)) : []
  const name = argv[0]?.literal ? basename(argv[0].value) : undefined
  // A nested script's commands read what was fed to the script (ssh host psql <<EOF).
  const stdin: Stdin = piped ? { piped } : { ...parent.stdin }
  for (const r of (stmt.Redirs ?? []) as ShNode[]) {
    const op = Number(r.Op)
    const target = r.Word ? toWord(syntax, r.Word) : word('')
    if (WRITE_REDIRECTS.has(op) || (op === REDIRECT_DUP_OUT && !(target.literal && /^(\d+|-)$/.test(target.value)))) {
      const shown = name ? `${name} > ${show(target.value)}` : `> ${show(target.value)}`
      if (isSystemPath(target.value)) flag(parent, says().does(shown, says().writesSystemPath))
      else if (!target.target && !insideDeclared(parent, target)) unproven(parent, shown)
    } else if (op === REDIRECT_IN) stdin.file = target.value
    else if (HEREDOCS.has(op)) stdin.text = heredocText(syntax, r)
    else if (op === HERESTRING) stdin.text = `${target.value}\n`
  }
  if (!isCall) return
  await judgeArgv(argv, { ...parent, stdin }, true)
}

/** A nested script (bash -c, ssh, eval…): a syntax error there means it cannot be judged. */
async function nestedScript(script: string, label: string, ctx: Ctx, prefix = ctx.prefix, stdin: Stdin = {}): Promise<void> {
  if (ctx.depth >= MAX_DEPTH) {
    flag(ctx, says().does(label, says().nestsTooDeeply))
    return
  }
  if (!script.replace(new RegExp(PLACEHOLDER, 'g'), '').trim()) return
  // A nested shell does not know this script's functions.
  const error = await analyzeScript(script, { ...ctx, depth: ctx.depth + 1, prefix, stdin, functions: new Set() })
  if (error) flag({ ...ctx, prefix }, says().unparsableScript(label, error.message))
}

/** One command: its rule, by name, judges it. */
async function judgeArgv(argv: Word[], ctx: Ctx, direct = false): Promise<void> {
  // Leading VAR=value words (after env, sudo…) are assignments, not the command.
  let i = 0
  while (i < argv.length && argv[i]!.literal && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!.value)) i++
  const first = argv[i]
  if (!first) return
  const line = argv.slice(i).map((w) => w.value).join(' ')
  // $CMD, $(…), {rm,-f,x}: what runs (or with which options) is not in the code.
  if (!first.literal || argv.some((w) => w.braces)) return unproven(ctx, line)
  // -"$X", -n"$X": which options these are is not in the code (sed -n"$X" may be sed -ni).
  if (argv.slice(i + 1).some(optionNameExpands)) return unproven(ctx, line)
  if (ctx.depth > MAX_DEPTH * 4) return flag(ctx, says().does(show(line), says().nestsTooDeeply))
  // A function the script defines (its body is judged where it is defined); wrappers (sudo,
  // xargs, find -exec) run programs, never the script's functions.
  if (direct && ctx.functions.has(first.value)) return
  const name = basename(first.value)
  const h: H = {
    name,
    args: argv.slice(i + 1),
    ctx,
    flag: (reason) => flag(ctx, reason),
    says: (command, phrase) => flag(ctx, says().does(command, says()[phrase])),
    run: (next, stdin, prefix) => judgeArgv(next, { ...ctx, stdin: stdin ?? ctx.stdin, prefix: prefix ?? ctx.prefix, depth: ctx.depth + 1 }),
    script: (text, label, prefix, stdin) => nestedScript(text, label, ctx, prefix, stdin),
  }
  const before = ctx.out.flags
  const reader = readerFor(first.value)
  if (reader && (await reader(h))) return
  const rule = ruleFor(name, first.value)
  if (rule) await rule(h)
  // No rule says what it changes: a known file writer says so, anything else is not proven.
  if (ctx.out.flags === before) FILE_WRITERS.has(name) ? h.says(name, 'writesFiles') : unproven(ctx, line)
}

/** An option word whose name (not only its value, as in --file="$X") holds an expansion. */
function optionNameExpands(w: Word): boolean {
  if (w.literal || !w.value.startsWith('-') || w.value === '-') return false
  if (w.value.startsWith('--')) return w.value.slice(0, w.value.includes('=') ? w.value.indexOf('=') : undefined).includes(PLACEHOLDER)
  return true
}

function detection(out: Out): Detection {
  return { destructive: out.reasons.size > 0, reasons: [...out.reasons], syntaxErrors: out.syntaxErrors, refused: [] }
}

export interface ShellJudgeOptions {
  /** The step's `writes=` entries: writes into them are proven (declared.ts). */
  writes?: readonly string[]
}

/**
 * Destructive detection of a bash script. Each simple command is judged by its argv; a word
 * with expansions is a placeholder and never makes anything destructive by itself. Syntax
 * errors go to `syntaxErrors` (1-based lines); the commands before them are still judged.
 */
export async function detectShell(code: string, options: ShellJudgeOptions = {}): Promise<Detection> {
  const syntax = await loadSyntax()
  const out: Out = { reasons: new Set(), flags: 0, unproven: new Set(), syntaxErrors: [] }
  const writes = declaredWrites(options.writes, code)
  const error = await analyzeScript(code, { out, syntax, depth: 0, prefix: '', stdin: {}, functions: new Set(), ...(writes ? { writes } : {}) })
  if (error) out.syntaxErrors.push(error)
  return detection(out)
}

/**
 * Destructive detection of one command given as argv (e.g. `spawn('rm', ['-rf', x])`);
 * null stands for an argument not known statically.
 */
export async function detectShellArgv(argv: readonly (string | null)[]): Promise<Detection> {
  return detection(await judgeArgvOut(argv))
}

async function judgeArgvOut(argv: readonly (string | null)[]): Promise<Out> {
  const syntax = await loadSyntax()
  const out: Out = { reasons: new Set(), flags: 0, unproven: new Set(), syntaxErrors: [] }
  await judgeArgv(
    argv.map((a) => word(a ?? PLACEHOLDER)),
    { out, syntax, depth: 0, prefix: '', stdin: {}, functions: new Set() },
  )
  return out
}

/**
 * What one command is known to change (rm deletes files, systemctl restart restarts a service),
 * leaving out what is only "not proven read-only": the sandbox's guard refuses commands it does
 * not simulate by what they do.
 */
export async function knownEffects(argv: readonly (string | null)[]): Promise<string[]> {
  const out = await judgeArgvOut(argv)
  return [...out.reasons].filter((r) => !out.unproven.has(r))
}
