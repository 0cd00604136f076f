// What a destructive shell step will touch, found from its text before anyone is asked: the files
// an `rm` or a `find … -delete` would reach (as read-only commands to run: `ls -d -- ARGS`, the find
// with `-print` for its `-delete`), and the systemd units, Docker containers and ssh hosts named
// as literal arguments. Only what is certain is offered: a command at the top of the script (or in
// an && chain there), words made of literal text and plain `$VAR`s the step's env sets and the
// script never assigns; a script that changes directory or evaluates code gives nothing. Pure
// analysis: running the preview commands (judged read-only first) is touch-show.ts's.
import { loadSyntax, type ShNode, type ShSyntax } from '../judge/shell/syntax.js'

export type Touch =
  /** `command` is bash source, read-only by construction; `label` the step's own command. */
  | { kind: 'files'; label: string; command: string }
  | { kind: 'named'; what: 'unit' | 'container' | 'host'; names: string[] }

const OP_AND = 10
/** Commands after which the cwd, the env or what runs is no longer known from the text. */
const UNKNOWABLE = new Set(['cd', 'pushd', 'popd', 'eval', 'source', '.', 'exec', 'alias', 'enable', 'builtin', 'command', 'trap'])
/** Commands that assign the variables named in their arguments. */
const ASSIGNERS = new Set(['read', 'mapfile', 'readarray', 'declare', 'typeset', 'local', 'export', 'readonly', 'getopts', 'printf', 'unset', 'let'])
/** find's actions other than printing: a preview cannot stand in for them. */
const FIND_REFUSED = new Set(['-exec', '-execdir', '-ok', '-okdir', '-fprint', '-fprint0', '-fprintf', '-fls', '-printf', '-ls'])
const SYSTEMCTL_VERBS = new Set(['start', 'stop', 'restart', 'reload', 'try-restart', 'reload-or-restart', 'try-reload-or-restart', 'kill', 'disable', 'enable', 'mask', 'unmask', 'isolate', 'reenable'])
const SYSTEMCTL_VALUED = new Set(['-t', '--type', '-s', '--signal', '-p', '--property', '-H', '--host', '-M', '--machine', '-n', '--lines', '-o', '--output', '--kill-whom', '--kill-who', '--root', '--job-mode'])
const DOCKER_VERBS = new Set(['rm', 'stop', 'restart', 'kill', 'start', 'pause', 'unpause'])
const DOCKER_VALUED = new Set(['-t', '--time', '--timeout', '-s', '--signal', '--detach-keys'])
const SSH_VALUED = 'BbcDEeFIiJLlmOoPpQRSWw'

interface Word {
  /** What the command receives (globs unexpanded), or null when that is not certain. */
  value: string | null
  /** The word as written (bash source). */
  source: string
}

export async function findTouches(code: string, env: Record<string, string>): Promise<Touch[]> {
  const syntax = await loadSyntax()
  let file: ShNode
  try {
    file = syntax.NewParser().Parse(code, 'step.sh')
  } catch {
    return []
  }
  const bytes = Buffer.from(code)
  const assigned = assignedNames(syntax, file, bytes)
  if (assigned === null) return []
  const read = (w: ShNode) => readWord(syntax, w, bytes, env, assigned)
  const touches: Touch[] = []
  for (const call of topLevelCalls(syntax, file)) {
    const words: Word[] = (call.Args ?? []).map(read)
    const touch = touchOf(words)
    if (touch) touches.push(touch)
  }
  return touches
}

/** Simple commands that run whenever the script gets to them: top-level statements and && chains. */
function topLevelCalls(syntax: ShSyntax, file: ShNode): ShNode[] {
  const calls: ShNode[] = []
  const visit = (stmt: ShNode) => {
    if (!stmt || stmt.Background || stmt.Negated || stmt.Coprocess) return
    const type = syntax.NodeType(stmt.Cmd)
    if (type === 'CallExpr' && (stmt.Cmd.Assigns ?? []).length === 0) calls.push(stmt.Cmd)
    else if (type === 'BinaryCmd' && stmt.Cmd.Op === OP_AND) {
      visit(stmt.Cmd.X)
      visit(stmt.Cmd.Y)
    }
  }
  for (const stmt of file.Stmts ?? []) visit(stmt)
  return calls
}

/** Names the script assigns (or null: it does something after which nothing is certain). */
function assignedNames(syntax: ShSyntax, file: ShNode, bytes: Buffer): Set<string> | null {
  const names = new Set<string>()
  let unknowable = false
  syntax.Walk(file, (node) => {
    if (!node) return true
    const type = syntax.NodeType(node)
    if (type === 'Assign' && node.Name) names.add(String(node.Name.Value))
    if (type === 'WordIter' && node.Name) names.add(String(node.Name.Value))
    if (type === 'CallExpr' && node.Args?.length) {
      const first = sourceOf(node.Args[0], bytes)
      if (UNKNOWABLE.has(first)) unknowable = true
      if (ASSIGNERS.has(first)) for (const arg of node.Args.slice(1)) names.add(sourceOf(arg, bytes).replace(/[=+[].*$/, ''))
    }
    return true
  })
  return unknowable ? null : names
}

function sourceOf(node: ShNode, bytes: Buffer): string {
  return bytes.subarray(node.Pos().Offset(), node.End().Offset()).toString()
}

/** A word's value when it is certain: literal text, quotes, and plain `$VAR`s set in env. */
function readWord(syntax: ShSyntax, node: ShNode, bytes: Buffer, env: Record<string, string>, assigned: Set<string>): Word {
  const source = sourceOf(node, bytes)
  const param = (p: ShNode, quoted: boolean): string | null => {
    if (p.Exp || p.Repl || p.Slice || p.Index || p.Length || p.Excl || p.Width || p.Names) return null
    const name = String(p.Param?.Value ?? '')
    if (!/^[A-Za-z_]\w*$/.test(name) || assigned.has(name) || !(name in env)) return null
    const value = env[name]!
    // Unquoted, bash would split it and expand globs in it: only a value with neither is certain.
    return quoted || !/[\s*?[\]]/.test(value) ? value : null
  }
  const parts = (list: ShNode[], quoted: boolean): string | null => {
    let out = ''
    for (const p of list) {
      const type = syntax.NodeType(p)
      let v: string | null = null
      if (type === 'Lit') v = quoted ? String(p.Value).replace(/\\([$`"\\\n])/g, '$1') : String(p.Value).replace(/\\(.)/gs, '$1')
      else if (type === 'SglQuoted') v = p.Dollar ? null : String(p.Value)
      else if (type === 'DblQuoted' && !quoted) v = parts(p.Parts ?? [], true)
      else if (type === 'ParamExp') v = param(p, quoted)
      if (v === null) return null
      out += v
    }
    return out
  }
  return { value: parts(node.Parts ?? [], false), source }
}

function touchOf(words: Word[]): Touch | undefined {
  const name = words[0]?.value
  if (!name) return undefined
  const args = words.slice(1)
  if (name === 'sudo' && args[0]?.value && !args[0].value.startsWith('-')) {
    // The listing would run as the operator, not as root: what root reaches is not known from it.
    const touch = touchOf(args)
    return touch?.kind === 'named' ? touch : undefined
  }
  const base = name.slice(name.lastIndexOf('/') + 1)
  const label = words.map((w) => w.source).join(' ')
  if (base === 'rm') return rmTouch(args, label)
  if (base === 'find') return findTouch(args, label)
  if (base === 'systemctl') return named('unit', operands(args, SYSTEMCTL_VALUED), SYSTEMCTL_VERBS)
  if (base === 'docker') {
    const rest = args[0]?.value === 'container' ? args.slice(1) : args
    return named('container', operands(rest, DOCKER_VALUED), DOCKER_VERBS)
  }
  if (base === 'ssh') {
    const host = sshHost(args)
    return host ? { kind: 'named', what: 'host', names: [host] } : undefined
  }
  return undefined
}

/** The words after the options (and their values); null when a word is not certain. */
function operands(args: Word[], valued: Set<string>): string[] | null {
  const out: string[] = []
  let endOfOptions = false
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value
    if (v === null) return null
    if (!endOfOptions && v === '--') endOfOptions = true
    else if (!endOfOptions && v.startsWith('-') && v !== '-') {
      if (valued.has(v)) i++
    } else out.push(v)
  }
  return out
}

function named(what: 'unit' | 'container', ops: string[] | null, verbs: Set<string>): Touch | undefined {
  if (!ops || ops.length < 2 || !verbs.has(ops[0]!)) return undefined
  return { kind: 'named', what, names: ops.slice(1) }
}

function sshHost(args: Word[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value
    if (v === null) return undefined
    if (v.startsWith('-') && v.length > 1) {
      // `-p 22` takes the next word; `-p22` and flag clusters like `-tt` do not.
      if (v.length === 2 && SSH_VALUED.includes(v[1]!)) i++
      continue
    }
    return v
  }
  return undefined
}

/** `rm ARGS`: the paths (globs included) as `ls -d` lists them, nothing removed. */
function rmTouch(args: Word[], label: string): Touch | undefined {
  const paths: string[] = []
  let endOfOptions = false
  for (const w of args) {
    if (w.value === null) return undefined
    if (!endOfOptions && w.value === '--') endOfOptions = true
    else if (!endOfOptions && w.value.startsWith('-') && w.value !== '-') continue
    else paths.push(w.source)
  }
  return paths.length ? { kind: 'files', label, command: `ls -d -- ${paths.join(' ')}` } : undefined
}

/** `find … -delete`: the same find with `-print` where it deletes, and no other action. */
function findTouch(args: Word[], label: string): Touch | undefined {
  if (args.some((w) => w.value === null || FIND_REFUSED.has(w.value))) return undefined
  if (!args.some((w) => w.value === '-delete')) return undefined
  // Printing exactly where it deletes lists exactly what it deletes (find's operators bind the
  // same); its own prints are dropped so that nothing else is listed.
  const kept = args.filter((w) => w.value !== '-print' && w.value !== '-print0').map((w) => (w.value === '-delete' ? '-print' : w.source))
  return { kind: 'files', label, command: `find ${kept.join(' ')}` }
}
