// Shell destructive detection: bash is parsed (mvdan-sh) and every simple command is judged
// by its argv, wherever it stands (pipelines, && / || chains, subshells, $( ) and backticks,
// functions, loop and if bodies). Wrappers (sudo, env, timeout, xargs, …) are unwrapped and
// scripts handed to bash -c, su -c, ssh or eval are parsed in turn.
import type { Detection } from '../model/runbook.js'
import { redisCommandReason, detectRedis } from './redis.js'
import { detectSql } from './sql.js'

// ---------------------------------------------------------------------------------------------
// mvdan-sh, loaded lazily (~150 ms)

export type ShNode = any
export interface ShSyntax {
  NewParser(...options: unknown[]): { Parse(src: string, name: string): ShNode }
  Walk(node: ShNode, fn: (node: ShNode | null) => boolean): void
  NodeType(node: ShNode): string
}

let syntaxPromise: Promise<ShSyntax> | undefined

export function loadSyntax(): Promise<ShSyntax> {
  syntaxPromise ??= import('mvdan-sh' as string).then((m: any) => (m.default ?? m).syntax as ShSyntax)
  return syntaxPromise
}

// ---------------------------------------------------------------------------------------------
// Words

/** Stands for an expansion (`$X`, `$(…)`, `${…}` of a template) inside a word. */
export const PLACEHOLDER = '\uE000'

interface Word {
  /** The word's value after quote removal, expansions replaced by PLACEHOLDER. */
  value: string
  /** No expansion in it: the value is what the command receives. */
  literal: boolean
}

function word(value: string): Word {
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

function toWord(syntax: ShSyntax, node: ShNode): Word {
  return word(partsValue(syntax, node?.Parts ?? [], 'unquoted'))
}

/** How a word reads in a reason: placeholders shown as … */
function show(value: string): string {
  const flat = value.replace(new RegExp(PLACEHOLDER, 'g'), '…').replace(/\s+/g, ' ').trim()
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat
}

// ---------------------------------------------------------------------------------------------
// Paths

const SYSTEM_DIRS = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot', '/proc', '/sys', '/var/lib', '/var/spool/cron', '/root']
const DEVICE_RE = /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|md|dm-|loop|sr|mapper\/|disk\/|mem$|kmem$|port$)/

function normalisePath(p: string): string {
  let s = p.replace(/\/{2,}/g, '/').replace(/\/\.(?=\/|$)/g, '')
  if (s.length > 1) s = s.replace(/\/$/, '')
  return s
}

/** Whether a path (its literal part before any expansion) lies in a system location. */
export function isSystemPath(value: string): boolean {
  const cut = value.indexOf(PLACEHOLDER)
  const known = cut === -1 ? value : value.slice(0, cut)
  if (!known.startsWith('/')) return false
  if (cut === -1 && normalisePath(known) === '/') return true
  const p = normalisePath(known) + (cut !== -1 && known.endsWith('/') ? '/' : '')
  if (/^\/proc\/(self|\d+)\/fd\//.test(p + '/')) return false
  if (DEVICE_RE.test(p)) return true
  return SYSTEM_DIRS.some((d) => (cut === -1 ? p === d || p.startsWith(`${d}/`) : p.startsWith(`${d}/`)))
}

// ---------------------------------------------------------------------------------------------
// Option parsing

interface Parsed {
  /** Option name (one letter, or the long name without dashes) → its values (null when none). */
  opts: Map<string, (string | null)[]>
  positionals: Word[]
}

interface OptionSpec {
  /** Short options that take a value, e.g. 'uUgh'. */
  short?: string
  /** Long options that take a value. */
  long?: string[]
  /** Everything from the first positional on is positional (wrappers, subcommand tools). */
  stopAtPositional?: boolean
}

function parseOptions(args: Word[], spec: OptionSpec = {}): Parsed {
  const opts = new Map<string, (string | null)[]>()
  const positionals: Word[] = []
  const add = (k: string, v: string | null) => opts.set(k, [...(opts.get(k) ?? []), v])
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!
    const v = w.value
    if (!w.literal || v === '-' || !v.startsWith('-')) {
      positionals.push(w)
      if (spec.stopAtPositional) {
        positionals.push(...args.slice(i + 1))
        break
      }
      continue
    }
    if (v === '--') {
      positionals.push(...args.slice(i + 1))
      break
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=')
      const name = eq === -1 ? v.slice(2) : v.slice(2, eq)
      if (eq !== -1) add(name, v.slice(eq + 1))
      else if (spec.long?.includes(name)) add(name, args[++i]?.value ?? null)
      else add(name, null)
      continue
    }
    for (let j = 1; j < v.length; j++) {
      const c = v[j]!
      if (spec.short?.includes(c)) {
        const rest = v.slice(j + 1)
        add(c, rest !== '' ? rest : (args[++i]?.value ?? null))
        break
      }
      add(c, null)
    }
  }
  return { opts, positionals }
}

function has(p: Parsed, ...names: string[]): boolean {
  return names.some((n) => p.opts.has(n))
}

function values(p: Parsed, ...names: string[]): (string | null)[] {
  return names.flatMap((n) => p.opts.get(n) ?? [])
}

// ---------------------------------------------------------------------------------------------
// Analysis context

interface Stdin {
  /** Text fed by a heredoc or here-string (PLACEHOLDER for expansions). */
  text?: string
  /** Fed by a pipe. */
  piped?: boolean
  /** Redirected from a file. */
  file?: string
}

interface Out {
  reasons: Set<string>
  syntaxErrors: { line: number; message: string }[]
}

interface Ctx {
  out: Out
  syntax: ShSyntax
  depth: number
  /** Prepended to reasons, e.g. "ssh web1: ". */
  prefix: string
  stdin: Stdin
}

const MAX_DEPTH = 8

function flag(ctx: Ctx, reason: string): void {
  ctx.out.reasons.add((ctx.prefix + reason).replace(new RegExp(PLACEHOLDER, 'g'), '…'))
}

// ---------------------------------------------------------------------------------------------
// Scripts

const OP_PIPE = 12
const OP_PIPE_ALL = 13
const WRITE_REDIRECTS = new Set([54 /* > */, 55 /* >> */, 57 /* <> */, 60 /* >| */, 64 /* &> */, 65 /* &>> */])
const REDIRECT_DUP_OUT = 59 /* >& */
const REDIRECT_IN = 56 /* < */
const HEREDOCS = new Set([61 /* << */, 62 /* <<- */])
const HERESTRING = 63 /* <<< */

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

interface ParseError {
  line: number
  message: string
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
    if (syntax.NodeType(node) === 'Stmt') statements.push({ stmt: node, piped: readsPipe(syntax, stack) })
    return true
  })
  for (const { stmt, piped } of statements) await analyzeStmt(stmt, piped, ctx)
}

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
    if (WRITE_REDIRECTS.has(op) || (op === REDIRECT_DUP_OUT && !/^(\d+|-)$/.test(target.value))) {
      if (isSystemPath(target.value)) {
        const what = name ? `${name} > ${show(target.value)}` : `> ${show(target.value)}`
        flag(parent, `${what} writes into a system path`)
      }
    } else if (op === REDIRECT_IN) stdin.file = target.value
    else if (HEREDOCS.has(op)) stdin.text = heredocText(syntax, r)
    else if (op === HERESTRING) stdin.text = `${target.value}\n`
  }
  if (!isCall) return
  await judgeArgv(argv, { ...parent, stdin })
}

function heredocText(syntax: ShSyntax, r: ShNode): string {
  const delimiter: ShNode[] = r.Word?.Parts ?? []
  const quoted = delimiter.some((p) => syntax.NodeType(p) !== 'Lit' || String(p.Value).includes('\\'))
  return partsValue(syntax, r.Hdoc?.Parts ?? [], quoted ? 'raw' : 'heredoc')
}

function basename(p: string): string {
  const i = p.lastIndexOf('/')
  return i === -1 ? p : p.slice(i + 1)
}

/** A nested script (bash -c, ssh, eval…): a syntax error there means it cannot be judged. */
async function nestedScript(script: string, label: string, ctx: Ctx, prefix = ctx.prefix, stdin: Stdin = {}): Promise<void> {
  if (ctx.depth >= MAX_DEPTH) {
    flag(ctx, `${label} nests scripts too deeply to check`)
    return
  }
  if (!script.replace(new RegExp(PLACEHOLDER, 'g'), '').trim()) return
  const error = await analyzeScript(script, { ...ctx, depth: ctx.depth + 1, prefix, stdin })
  if (error) flag({ ...ctx, prefix }, `${label} runs a script that could not be parsed (${error.message})`)
}

// ---------------------------------------------------------------------------------------------
// Judging one command

type Handler = (h: H) => void | Promise<void>

interface H {
  /** The command's name as judged (basename). */
  name: string
  args: Word[]
  ctx: Ctx
  flag(reason: string): void
  /** Judge another argv (a wrapped command) with this command's stdin, or the given one. */
  run(argv: Word[], stdin?: Stdin, prefix?: string): Promise<void>
  script(text: string, label: string, prefix?: string, stdin?: Stdin): Promise<void>
}

async function judgeArgv(argv: Word[], ctx: Ctx): Promise<void> {
  // Leading VAR=value words (after env, sudo…) are assignments, not the command.
  let i = 0
  while (i < argv.length && argv[i]!.literal && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!.value)) i++
  const first = argv[i]
  if (!first || !first.literal) return
  const name = basename(first.value)
  const handler = first.value.startsWith('/etc/init.d/')
    ? initScript
    : (HANDLERS[name] ?? (/^mkfs(\..+)?$|^mke2fs$|^mkswap$/.test(name) ? mkfs : undefined))
  if (!handler) return
  const h: H = {
    name,
    args: argv.slice(i + 1),
    ctx,
    flag: (reason) => flag(ctx, reason),
    run: (next, stdin, prefix) => judgeArgv(next, { ...ctx, stdin: stdin ?? ctx.stdin, prefix: prefix ?? ctx.prefix, depth: ctx.depth + 1 }),
    script: (text, label, prefix, stdin) => nestedScript(text, label, ctx, prefix, stdin),
  }
  if (ctx.depth > MAX_DEPTH * 4) return
  await handler(h)
}

const lits = (ws: Word[]): (string | null)[] => ws.map((w) => (w.literal ? w.value : null))
const isHelp = (h: H) => h.args.some((a) => a.value === '--help' || a.value === '--version')

/** Flags the command unless it only asks for help. */
const always =
  (verb: string): Handler =>
  (h) => {
    if (!isHelp(h)) h.flag(`${h.name} ${verb}`)
  }

// --- wrappers ---

const sudo: Handler = async (h) => {
  const p = parseOptions(h.args, {
    short: 'ugUhpCDrtTR',
    long: ['user', 'group', 'other-user', 'host', 'prompt', 'close-from', 'chdir', 'role', 'type', 'command-timeout', 'chroot'],
    stopAtPositional: true,
  })
  if (has(p, 'e', 'edit')) h.flag(`${h.name} -e edits files`)
  await h.run(p.positionals)
}

const plainWrapper =
  (spec: OptionSpec = {}): Handler =>
  (h) =>
    h.run(parseOptions(h.args, { ...spec, stopAtPositional: true }).positionals)

const env: Handler = async (h) => {
  const p = parseOptions(h.args, { short: 'uCSP', long: ['unset', 'chdir', 'split-string'], stopAtPositional: true })
  for (const s of values(p, 'S', 'split-string')) if (s) await h.script(s, `${h.name} -S`)
  await h.run(p.positionals)
}

const timeout: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'sk', long: ['signal', 'kill-after'], stopAtPositional: true })
  return h.run(p.positionals.slice(1))
}

const command: Handler = (h) => {
  const p = parseOptions(h.args, { stopAtPositional: true })
  if (has(p, 'v', 'V')) return
  return h.run(p.positionals)
}

const chroot: Handler = (h) => h.run(parseOptions(h.args, { stopAtPositional: true }).positionals.slice(1))

const flock: Handler = async (h) => {
  const p = parseOptions(h.args, { short: 'wEc', long: ['timeout', 'conflict-exit-code', 'command'], stopAtPositional: true })
  for (const c of values(p, 'c', 'command')) if (c) await h.script(c, `${h.name} -c`)
  // flock [options] FILE -c 'script'  |  flock [options] FILE command [args…]
  const rest = p.positionals.slice(1)
  if (rest[0]?.value === '-c' || rest[0]?.value === '--command') {
    if (rest[1]) await h.script(rest[1].value, `${h.name} -c`)
  } else await h.run(rest)
}

const xargs: Handler = (h) => {
  const p = parseOptions(h.args, {
    short: 'InPLdEsa',
    long: ['max-args', 'max-procs', 'max-lines', 'delimiter', 'eof', 'replace', 'max-chars', 'arg-file', 'process-slot-var'],
    stopAtPositional: true,
  })
  // xargs consumes stdin itself; the command gets the items as (unknown) arguments.
  return h.run([...p.positionals, word(PLACEHOLDER)], {})
}

const watch: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'nq', long: ['interval', 'equexit'], stopAtPositional: true })
  if (has(p, 'x', 'exec')) return h.run(p.positionals, {})
  return h.script(p.positionals.map((w) => w.value).join(' '), h.name)
}

const evalCmd: Handler = (h) => h.script(h.args.map((w) => w.value).join(' '), 'eval', undefined, h.ctx.stdin)

const shell: Handler = async (h) => {
  const p = parseOptions(h.args, { short: 'oO', long: ['rcfile', 'init-file'], stopAtPositional: true })
  if (has(p, 'c')) {
    const script = p.positionals[0]
    if (script) await h.script(script.value, `${h.name} -c`, undefined, h.ctx.stdin)
    return
  }
  if (p.positionals.length > 0) return // a script file: not visible here
  const { stdin } = h.ctx
  if (stdin.text !== undefined) await h.script(stdin.text, `${h.name} <<`)
  else if (stdin.piped) h.flag(`${h.name} runs a script piped into it`)
}

const su: Handler = async (h) => {
  const p = parseOptions(h.args, { short: 'csgGw', long: ['command', 'session-command', 'shell', 'group', 'supp-group', 'whitelist-environment'] })
  for (const c of values(p, 'c', 'command', 'session-command')) if (c) await h.script(c, `${h.name} -c`, undefined, h.ctx.stdin)
}

const runuser: Handler = async (h) => {
  const p = parseOptions(h.args, { short: 'ucsgGw', long: ['user', 'command', 'session-command', 'shell', 'group', 'supp-group', 'whitelist-environment'] })
  for (const c of values(p, 'c', 'command', 'session-command')) if (c) await h.script(c, `${h.name} -c`)
  if (has(p, 'u', 'user')) await h.run(p.positionals)
}

const ssh: Handler = async (h) => {
  const p = parseOptions(h.args, { short: 'bcDEeFIiJLlmOopQRSWwB', stopAtPositional: true })
  const [host, ...rest] = p.positionals
  if (!host) return
  const prefix = `${h.ctx.prefix}ssh ${show(host.value)}: `
  if (rest.length > 0) await h.script(rest.map((w) => w.value).join(' '), `ssh ${show(host.value)}`, prefix, h.ctx.stdin)
  else if (h.ctx.stdin.text !== undefined) await h.script(h.ctx.stdin.text, `ssh ${show(host.value)}`, prefix)
  else if (h.ctx.stdin.piped) h.flag(`ssh ${show(host.value)} runs commands piped into it`)
}

// --- files ---

const find: Handler = async (h) => {
  const args = h.args
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value
    if (v === '-delete') h.flag('find -delete deletes files')
    else if (['-exec', '-execdir', '-ok', '-okdir'].includes(v)) {
      const inner: Word[] = []
      for (i++; i < args.length && args[i]!.value !== ';' && args[i]!.value !== '+'; i++) inner.push(args[i]!)
      await h.run(inner, {}, `${h.ctx.prefix}find ${v}: `)
    }
  }
}

const mkfs: Handler = (h) => h.flag(`${h.name} formats a device`)

const partition: Handler = (h) => {
  const p = parseOptions(h.args, {})
  if (has(p, 'l', 'list')) return
  if (h.name === 'parted' && h.args.some((a) => a.value === 'print')) return
  h.flag(`${h.name} changes disk partitions`)
}

const ddCmd: Handler = (h) => {
  if (!isHelp(h)) h.flag(`dd writes raw data${h.args.some((a) => a.value.startsWith('of=')) ? ' to a file or device' : ''}`)
}

const truncate: Handler = always('changes file sizes')

const tar: Handler = (h) => {
  if (h.args.some((a) => a.value === '--remove-files')) h.flag('tar --remove-files deletes the archived files')
}

const sed: Handler = (h) => {
  for (const a of h.args) {
    if (!a.literal || !a.value.startsWith('-') || a.value.startsWith('--')) {
      if (a.value === '--in-place' || a.value.startsWith('--in-place=')) return h.flag(`${h.name} -i edits files in place`)
      continue
    }
    for (const c of a.value.slice(1)) {
      if (c === 'i') return h.flag(`${h.name} -i edits files in place`)
      if ('efl'.includes(c)) break
    }
  }
}

const perl: Handler = (h) => {
  if (h.args.some((a) => a.literal && /^-[a-zA-Z]*i/.test(a.value) && !a.value.startsWith('--'))) h.flag('perl -i edits files in place')
}

const tee: Handler = (h) => {
  const p = parseOptions(h.args, {})
  const target = p.positionals.find((w) => isSystemPath(w.value))
  if (target) h.flag(`tee writes into a system path (${show(target.value)})`)
}

/** cp/mv/install/ln: the destination (and for mv the sources) in a system path. */
const copyLike: Handler = (h) => {
  const p = parseOptions(h.args, { short: h.name === 'install' ? 'tmogS' : 'tS', long: ['target-directory', 'suffix', 'mode', 'owner', 'group'] })
  const targets = values(p, 't', 'target-directory').filter((v): v is string => v !== null)
  const pos = p.positionals.map((w) => w.value)
  if (targets.length === 0 && pos.length >= 2) targets.push(pos[pos.length - 1]!)
  if (h.name === 'install' && has(p, 'd', 'directory')) targets.push(...pos)
  if (h.name === 'mv') targets.push(...pos)
  const hit = targets.find(isSystemPath)
  if (hit) h.flag(`${h.name} ${h.name === 'mv' ? 'moves files in' : 'writes into'} a system path (${show(hit)})`)
}

const perms: Handler = (h) => {
  const p = parseOptions(h.args, { long: ['reference', 'from'] })
  const [, ...paths] = p.positionals
  const hit = (h.name === 'chattr' ? p.positionals : paths).find((w) => isSystemPath(w.value))
  if (hit) h.flag(`${h.name}${has(p, 'R', 'recursive') ? ' -R' : ''} changes ownership or permissions in a system path (${show(hit.value)})`)
}

const rsync: Handler = (h) => {
  const del = h.args.find((a) => /^--(delete|del$|remove-source-files)/.test(a.value))
  if (del) h.flag(`rsync ${show(del.value.replace(/=.*/, ''))} deletes files`)
}

// --- services and processes ---

const SYSTEMCTL_READ = new Set([
  'status', 'show', 'cat', 'help', 'is-active', 'is-enabled', 'is-failed', 'is-system-running', 'list-units',
  'list-unit-files', 'list-sockets', 'list-timers', 'list-jobs', 'list-dependencies', 'list-machines',
  'list-automounts', 'list-paths', 'get-default', 'show-environment', 'log-level', 'log-target',
  'service-log-level', 'service-log-target',
])

const SYSTEMCTL_VERBS: Record<string, string> = {
  restart: 'restarts a service',
  'try-restart': 'restarts a service',
  'reload-or-restart': 'restarts a service',
  'try-reload-or-restart': 'restarts a service',
  condrestart: 'restarts a service',
  'force-reload': 'reloads a service',
  stop: 'stops a service',
  start: 'starts a service',
  reload: 'reloads a service',
  kill: 'sends a signal to a service',
  enable: 'changes which services start at boot',
  disable: 'changes which services start at boot',
  mask: 'masks a service',
  unmask: 'unmasks a service',
  'daemon-reload': "reloads systemd's configuration",
  'daemon-reexec': 'restarts systemd',
  reboot: 'reboots the host',
  poweroff: 'powers off the host',
  halt: 'halts the host',
}

const systemctl: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'tpPnoHMs', long: ['type', 'property', 'lines', 'output', 'host', 'machine', 'signal', 'kill-whom', 'root', 'state', 'job-mode', 'what', 'kill-value', 'timestamp', 'message', 'preset-mode', 'boot-loader-entry', 'boot-loader-menu', 'reboot-argument', 'drop-in', 'when'] })
  const verb = p.positionals[0]
  if (!verb) return
  if (!verb.literal) return
  if (SYSTEMCTL_READ.has(verb.value)) return
  const unit = p.positionals[1]
  const what = unit ? ` ${show(unit.value)}` : ''
  h.flag(`systemctl ${verb.value}${what} ${SYSTEMCTL_VERBS[verb.value] ?? 'changes the state of services'}`)
}

const service: Handler = (h) => {
  const p = parseOptions(h.args, {})
  if (has(p, 'status-all', 'help', 'version')) return
  const [unit, action] = p.positionals
  if (!unit || !action || !action.literal || action.value === 'status') return
  h.flag(`service ${show(unit.value)} ${action.value} ${SYSTEMCTL_VERBS[action.value] ?? 'changes the state of a service'}`)
}

const initScript: Handler = (h) => {
  const action = h.args[0]
  if (action?.literal && action.value !== 'status') h.flag(`${h.name} ${action.value} changes the state of a service`)
}

const kill: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'sn', long: ['signal'] })
  if (h.args.some((a) => ['-l', '-L', '--list', '--table', '--help', '--version'].includes(a.value))) return
  const signal = [...values(p, 's', 'n', 'signal'), ...[...p.opts.keys()].filter((k) => /^\d+$/.test(k))]
  if (signal.includes('0') || h.args.some((a) => a.value === '-0' || /^-(SIG)?0$/.test(a.value))) return
  if (p.positionals.length > 0 || h.name !== 'kill') h.flag(`${h.name} ${h.name === 'kill' ? 'sends a signal to processes' : 'terminates processes'}`)
}

const killByName: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'sugtUPGFce', long: ['signal', 'user', 'group', 'terminal', 'euid', 'parent', 'pgroup', 'pidfile', 'ns', 'nslist', 'older-than', 'younger-than', 'session'] })
  if (h.args.some((a) => ['--list', '--help', '--version', '-V'].includes(a.value) || (h.name === 'killall' && a.value === '-l'))) return
  if (values(p, 's', 'signal').includes('0') || h.args.some((a) => a.value === '-0')) return
  h.flag(`${h.name} terminates processes`)
}

const power: Handler = (h) => {
  if (!isHelp(h)) h.flag(`${h.name} ${h.name === 'poweroff' ? 'powers off' : h.name === 'halt' ? 'halts' : h.name === 'shutdown' ? 'shuts down' : 'reboots'} the host`)
}

const initCmd: Handler = (h) => {
  if (h.args.some((a) => /^[0-6sSqQuU]$/.test(a.value))) h.flag(`${h.name} changes the runlevel`)
}

const sysctl: Handler = (h) => {
  const p = parseOptions(h.args, {})
  const setting = p.positionals.find((w) => w.value.includes('='))
  if (has(p, 'w', 'write') || setting) h.flag(`sysctl ${setting ? show(setting.value) : '-w'} changes kernel settings`)
  else if (has(p, 'p', 'load', 'system')) h.flag('sysctl -p loads kernel settings')
}

const verbFlag =
  (tool: string, read: Set<string>, verb: (v: string) => string, spec: OptionSpec = {}): Handler =>
  (h) => {
    const p = parseOptions(h.args, { ...spec, stopAtPositional: true })
    const v = p.positionals[0]
    if (!v?.literal || read.has(v.value)) return
    h.flag(`${tool} ${v.value} ${verb(v.value)}`)
  }

const DOCKER_VERBS: Record<string, string> = {
  restart: 'restarts a container',
  stop: 'stops a container',
  start: 'starts a container',
  kill: 'kills a container',
  rm: 'removes a container',
  rmi: 'removes an image',
  pause: 'pauses a container',
  unpause: 'unpauses a container',
  update: 'changes a container',
  rename: 'renames a container',
  cp: 'copies files into or out of a container',
  load: 'loads images',
  import: 'imports an image',
}
const DOCKER_GROUP_VERBS: Record<string, Set<string>> = {
  container: new Set(['rm', 'stop', 'restart', 'kill', 'start', 'pause', 'unpause', 'update', 'rename', 'prune', 'cp']),
  image: new Set(['rm', 'prune', 'load', 'import']),
  volume: new Set(['rm', 'prune', 'create']),
  network: new Set(['rm', 'prune', 'connect', 'disconnect', 'create']),
  system: new Set(['prune']),
  builder: new Set(['prune']),
  buildx: new Set(['prune', 'rm']),
  service: new Set(['rm', 'scale', 'update', 'rollback', 'create']),
  stack: new Set(['rm', 'deploy']),
  swarm: new Set(['init', 'join', 'leave', 'update']),
  node: new Set(['rm', 'update', 'promote', 'demote']),
  secret: new Set(['rm', 'create']),
  config: new Set(['rm', 'create']),
  plugin: new Set(['rm', 'disable', 'enable', 'install', 'upgrade']),
  context: new Set(['rm']),
}
const COMPOSE_VERBS = new Set(['down', 'stop', 'restart', 'rm', 'kill', 'up', 'start', 'pause', 'unpause', 'create', 'scale', 'pull', 'push', 'cp'])

const docker: Handler = async (h) => {
  const p = parseOptions(h.args, { short: 'Hlc', long: ['host', 'context', 'config', 'log-level', 'tlscacert', 'tlscert', 'tlskey'], stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (!verb?.literal) return
  const tool = h.name === 'docker-compose' ? 'docker-compose' : h.name
  if (h.name === 'docker-compose') return compose(h, tool, p.positionals)
  const v = verb.value
  if (v === 'compose') return compose(h, `${tool} compose`, rest)
  if (v === 'exec') return containerExec(h, `${tool} exec`, rest)
  if (v === 'prune') return h.flag(`${tool} prune deletes unused objects`)
  if (DOCKER_VERBS[v]) {
    const target = parseOptions(rest, { short: 'st', long: ['signal', 'time', 'timeout'] }).positionals[0]
    return h.flag(`${tool} ${v}${target ? ` ${show(target.value)}` : ''} ${DOCKER_VERBS[v]}`)
  }
  const group = DOCKER_GROUP_VERBS[v]
  const sub = parseOptions(rest, { stopAtPositional: true }).positionals[0]
  if (group && sub?.literal) {
    if (v === 'container' && sub.value === 'exec') return containerExec(h, `${tool} container exec`, rest.slice(1))
    if (group.has(sub.value)) h.flag(`${tool} ${v} ${sub.value} ${sub.value === 'prune' ? 'deletes unused objects' : `changes ${v}s`}`)
  }
}

async function compose(h: H, tool: string, args: Word[]): Promise<void> {
  const p = parseOptions(args, { short: 'fp', long: ['file', 'project-name', 'project-directory', 'profile', 'env-file', 'ansi', 'parallel', 'progress'], stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (!verb?.literal) return
  if (verb.value === 'exec') return containerExec(h, `${tool} exec`, rest)
  if (COMPOSE_VERBS.has(verb.value)) h.flag(`${tool} ${verb.value} changes containers`)
}

async function containerExec(h: H, label: string, args: Word[]): Promise<void> {
  const p = parseOptions(args, { short: 'euwc', long: ['env', 'env-file', 'user', 'workdir', 'detach-keys', 'index', 'container'], stopAtPositional: true })
  const [target, ...command] = p.positionals
  if (!target || command.length === 0) return
  await h.run(command, {}, `${h.ctx.prefix}${label} ${show(target.value)}: `)
}

const KUBECTL_READ = new Set(['get', 'describe', 'logs', 'top', 'explain', 'version', 'cluster-info', 'api-resources', 'api-versions', 'config', 'auth', 'diff', 'events', 'port-forward', 'proxy', 'wait', 'completion', 'plugin', 'kustomize', 'help', 'options'])
const KUBECTL_VERBS: Record<string, string> = {
  delete: 'deletes cluster resources',
  scale: 'changes the number of replicas',
  drain: 'evicts the pods of a node',
  cordon: 'stops scheduling on a node',
  uncordon: 'resumes scheduling on a node',
  apply: 'changes cluster resources',
  edit: 'changes cluster resources',
  patch: 'changes cluster resources',
}

const kubectl: Handler = async (h) => {
  const p = parseOptions(h.args, { short: 'ns', long: ['namespace', 'context', 'cluster', 'kubeconfig', 'server', 'user', 'token', 'as', 'as-group', 'request-timeout', 'cache-dir', 'certificate-authority', 'client-certificate', 'client-key'], stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (!verb?.literal || KUBECTL_READ.has(verb.value)) return
  if (h.args.some((a) => /^--dry-run(=(client|server))?$/.test(a.value))) return
  if (verb.value === 'exec') {
    const dash = rest.findIndex((w) => w.value === '--')
    const pod = parseOptions(rest.slice(0, dash === -1 ? undefined : dash), { short: 'cn', long: ['container', 'namespace'] }).positionals[0]
    if (dash !== -1) await h.run(rest.slice(dash + 1), {}, `${h.ctx.prefix}kubectl exec ${pod ? show(pod.value) : ''}: `)
    return
  }
  if (verb.value === 'rollout') {
    const sub = rest[0]
    if (sub?.literal && ['status', 'history'].includes(sub.value)) return
    return h.flag(`kubectl rollout ${sub ? show(sub.value) : ''} changes a deployment`)
  }
  h.flag(`kubectl ${verb.value} ${KUBECTL_VERBS[verb.value] ?? 'changes the cluster'}`)
}

const helm = verbFlag('helm', new Set(['list', 'ls', 'status', 'get', 'history', 'show', 'inspect', 'search', 'template', 'lint', 'version', 'help', 'env', 'repo', 'dependency', 'verify', 'completion']), () => 'changes a release', { short: 'n', long: ['namespace', 'kube-context', 'kubeconfig'] })

const nginx: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'scgpe' })
  const s = values(p, 's')[0]
  if (s) h.flag(`nginx -s ${s} signals the server`)
}

const apachectl: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'k' })
  const action = values(p, 'k')[0] ?? p.positionals[0]?.value
  if (action && ['start', 'stop', 'restart', 'graceful', 'graceful-stop'].includes(action)) h.flag(`${h.name} ${action} changes the web server`)
}

const supervisorctl = verbFlag('supervisorctl', new Set(['status', 'avail', 'tail', 'pid', 'version', 'help', 'maintail', 'fg']), () => 'changes supervised processes', { short: 'csup', long: ['configuration', 'serverurl', 'username', 'password'] })
const pm2 = verbFlag('pm2', new Set(['list', 'ls', 'l', 'status', 'jlist', 'prettylist', 'logs', 'show', 'info', 'describe', 'monit', 'env', 'ping', 'report']), () => 'changes managed processes')
const pumactl = verbFlag('pumactl', new Set(['status', 'stats', 'gc-stats', 'info']), () => 'changes the Puma server', { short: 'SFCTPp', long: ['state', 'config-file', 'control-url', 'control-token', 'pidfile', 'pid'] })

const mount: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'tosLUTOp', long: ['types', 'options', 'source', 'target', 'priority'] })
  if (p.positionals.length > 0 || has(p, 'a', 'all')) h.flag(`${h.name} changes mounted filesystems or swap`)
}

const journalctl: Handler = (h) => {
  const w = h.args.find((a) => /^--(vacuum-(size|time|files)|rotate|flush|relinquish-var|setup-keys)/.test(a.value))
  if (w) h.flag(`journalctl ${w.value.replace(/=.*/, '')} changes the journal`)
}

const setCtl = (tool: string): Handler => (h) => {
  const v = h.args.find((a) => a.literal && !a.value.startsWith('-'))
  if (v && /^(set-|add-|remove-)/.test(v.value)) h.flag(`${tool} ${v.value} changes system settings`)
}

// --- network and users ---

const iptables: Handler = (h) => {
  if (h.name.includes('restore')) return h.flag(`${h.name} replaces firewall rules`)
  const w = h.args.find((a) => /^-[ADIRFXZPNE]/.test(a.value) || /^--(append|delete|insert|replace|flush|delete-chain|zero|policy|new-chain|rename-chain)\b/.test(a.value))
  if (w) h.flag(`${h.name} ${w.value} changes firewall rules`)
}

const nft: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'fIc' })
  const v = p.positionals[0]
  if (has(p, 'f', 'file') || (v?.literal && ['add', 'delete', 'flush', 'insert', 'replace', 'create', 'destroy', 'reset', 'rename'].includes(v.value)))
    h.flag(`nft ${v?.value ?? '-f'} changes firewall rules`)
}

const ufw = verbFlag('ufw', new Set(['status', 'show', 'version', 'help', 'app']), () => 'changes firewall rules')

const firewallCmd: Handler = (h) => {
  const w = h.args.find((a) => /^--(add-|remove-|set-|new-|delete-|change-|reload|complete-reload|runtime-to-permanent|panic-on|lockdown-on)/.test(a.value))
  if (w) h.flag(`firewall-cmd ${w.value.replace(/=.*/, '')} changes firewall rules`)
}

const ip: Handler = (h) => {
  const p = parseOptions(h.args, { stopAtPositional: true })
  const [obj, verb] = p.positionals.map((w) => w.value)
  if (obj && verb && /^(add|del|delete|change|replace|set|flush|append)$/.test(verb)) h.flag(`ip ${obj} ${verb} changes network configuration`)
}

const userAdmin: Handler = (h) => {
  if (isHelp(h)) return
  if (h.name === 'passwd' && h.args.some((a) => ['-S', '--status'].includes(a.value))) return
  if (h.name === 'chage' && h.args.some((a) => ['-l', '--list'].includes(a.value))) return
  h.flag(`${h.name} changes users or groups`)
}

const crontab: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'u' })
  if (has(p, 'r', 'remove')) return h.flag('crontab -r removes the crontab')
  if (has(p, 'e', 'edit')) return h.flag('crontab -e edits the crontab')
  if (has(p, 'l', 'list', 'help', 'V', 'version')) return
  h.flag(p.positionals.length > 0 ? `crontab ${show(p.positionals[0]!.value)} replaces the crontab` : 'crontab replaces the crontab from standard input')
}

// --- version control ---

const GIT_READ = new Set([
  'status', 'log', 'diff', 'show', 'fetch', 'blame', 'grep', 'ls-files', 'ls-tree', 'ls-remote', 'rev-parse', 'rev-list',
  'describe', 'shortlog', 'cat-file', 'show-ref', 'for-each-ref', 'whatchanged', 'version', 'help', 'cherry', 'count-objects',
  'fsck', 'verify-commit', 'verify-tag', 'check-ignore', 'check-attr', 'name-rev', 'merge-base', 'diff-tree', 'diff-files',
  'diff-index', 'archive', 'format-patch', 'show-branch', 'var', 'clone', 'init', 'bundle', 'range-diff',
])
const GIT_VERBS: Record<string, string> = {
  checkout: 'switches or overwrites the working tree',
  switch: 'switches the working tree',
  reset: 'resets the working tree or history',
  clean: 'deletes untracked files',
  restore: 'overwrites files in the working tree',
  pull: 'updates the working tree from a remote',
  merge: 'changes the working tree and history',
  rebase: 'rewrites history',
  'cherry-pick': 'changes the working tree and history',
  revert: 'changes the working tree and history',
  commit: 'changes history',
  push: 'changes a remote',
  rm: 'deletes files',
  mv: 'moves files',
  stash: 'changes the working tree',
  gc: 'prunes objects',
  prune: 'prunes objects',
  'filter-branch': 'rewrites history',
  'filter-repo': 'rewrites history',
  am: 'changes the working tree and history',
  apply: 'changes the working tree',
}

const git: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'Cc', long: ['git-dir', 'work-tree', 'namespace', 'exec-path', 'config-env', 'super-prefix'], stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (!verb?.literal) return
  const v = verb.value
  const sub = parseOptions(rest, { short: 'mFC', long: ['message', 'file'] })
  const subVerb = sub.positionals[0]?.value
  if (GIT_READ.has(v)) return
  switch (v) {
    case 'branch':
      if (has(sub, 'd', 'D', 'delete', 'm', 'M', 'move', 'f', 'force', 'c', 'C', 'copy', 'u', 'set-upstream-to', 'unset-upstream'))
        h.flag('git branch changes branches')
      return
    case 'tag':
      if (has(sub, 'd', 'delete', 'f', 'force')) h.flag('git tag changes tags')
      return
    case 'remote':
      if (subVerb && !['show', 'get-url', '-v'].includes(subVerb)) h.flag(`git remote ${subVerb} changes remotes`)
      return
    case 'config':
      if (has(sub, 'unset', 'unset-all', 'add', 'replace-all', 'rename-section', 'remove-section', 'e', 'edit') || (sub.positionals.length >= 2 && !has(sub, 'get', 'get-all', 'get-regexp', 'l', 'list')))
        h.flag('git config changes settings')
      return
    case 'stash':
      if (subVerb === 'list' || subVerb === 'show') return
      break
    case 'reflog':
    case 'worktree':
    case 'submodule':
    case 'notes':
    case 'lfs':
      if (!subVerb || ['show', 'list', 'status', 'summary', 'exists', 'ls-files', 'env', 'version'].includes(subVerb)) return
      return h.flag(`git ${v} ${subVerb} changes the repository`)
    case 'clean':
      if (has(sub, 'n', 'dry-run')) return
      break
    case 'apply':
      if (has(sub, 'check', 'stat', 'numstat', 'summary')) return
      break
    case 'push':
      if (has(sub, 'f', 'force', 'force-with-lease', 'force-if-includes') || sub.positionals.some((w) => w.value.startsWith('+')))
        return h.flag('git push --force overwrites history on a remote')
      if (has(sub, 'n', 'dry-run')) return
      break
  }
  h.flag(`git ${v} ${GIT_VERBS[v] ?? 'changes the repository'}`)
}

// --- databases ---

async function psqlInput(h: H, text: string, label: string): Promise<void> {
  const sqlLines: string[] = []
  for (const line of text.split('\n')) {
    const meta = /^\s*\\(\S+)\s*(.*)$/.exec(line)
    if (!meta) {
      sqlLines.push(line)
      continue
    }
    sqlLines.push('')
    const [, cmd = '', rest = ''] = meta
    if (cmd === '!') await h.script(rest, `${label} \\!`)
    else if (/^(i|ir|include|include_relative)$/.test(cmd)) h.flag(`${label} \\${cmd} runs SQL from a file`)
    else if (cmd === 'copy' && /\bfrom\b/i.test(rest)) h.flag(`${label} \\copy … FROM writes rows into a table`)
    else if (cmd === 'gexec') h.flag(`${label} \\gexec runs query results as SQL`)
  }
  if (/\\gexec\b/.test(text)) h.flag(`${label} \\gexec runs query results as SQL`)
  const sql = sqlLines.join('\n')
  if (!sql.trim()) return
  const d = await detectSql(sql)
  for (const r of d.reasons) h.flag(`${label}: ${r}`)
}

const psql: Handler = async (h) => {
  const p = parseOptions(h.args, {
    short: 'cdfhpUvoLFRPT',
    long: ['command', 'dbname', 'file', 'host', 'port', 'username', 'set', 'variable', 'output', 'log-file', 'field-separator', 'record-separator', 'pset', 'table-attr'],
  })
  if (has(p, 'l', 'list', 'help', 'version', 'V')) return
  const commands = values(p, 'c', 'command')
  const files = values(p, 'f', 'file')
  for (const c of commands) if (c) await psqlInput(h, c, 'psql -c')
  for (const f of files) if (f !== '-') h.flag(`psql -f runs SQL from a file`)
  if (commands.length > 0 || files.some((f) => f !== '-')) return
  const { stdin } = h.ctx
  if (stdin.text !== undefined) await psqlInput(h, stdin.text, 'psql <<')
  else if (stdin.piped) h.flag('pipes SQL into psql')
  else if (stdin.file !== undefined) h.flag(`psql runs SQL from a file (${show(stdin.file)})`)
}

const pgRestore: Handler = (h) => {
  if (!h.args.some((a) => ['-l', '--list', '--help', '--version'].includes(a.value))) h.flag('pg_restore restores a database dump')
}

const pgCtl: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'DlmoNtsw', long: ['pgdata', 'log', 'mode', 'options', 'timeout', 'signal'] })
  const verbs = p.positionals.filter((w) => w.literal).map((w) => w.value)
  const verb = h.name === 'pg_ctlcluster' ? verbs[2] : verbs.find((v) => v !== 'status')
  if (verb && verb !== 'status' && (h.name === 'pg_ctlcluster' || ['start', 'stop', 'restart', 'reload', 'promote', 'kill', 'init', 'initdb', 'logrotate'].includes(verb)))
    h.flag(`${h.name} ${verb} changes the PostgreSQL server`)
}

const redisCli: Handler = async (h) => {
  const p = parseOptions(h.args, {
    short: 'hpsaunridDtw',
    long: ['user', 'pass', 'rdb', 'functions-rdb', 'pipe-timeout', 'eval', 'pattern', 'count', 'quoted-pattern', 'cluster', 'cacert', 'cacertdir', 'cert', 'key', 'sni', 'tls-ciphers', 'tls-ciphersuites', 'memkeys-samples', 'lru-test', 'intrinsic-latency'],
    stopAtPositional: true,
  })
  if (has(p, 'pipe')) h.flag('redis-cli --pipe sends commands from standard input')
  if (has(p, 'eval')) h.flag('redis-cli --eval runs a Lua script')
  const cluster = values(p, 'cluster')[0]
  if (cluster) {
    if (cluster === 'call') {
      const reason = redisCommandReason(lits(p.positionals.slice(1)))
      if (reason) h.flag(`redis-cli --cluster call: ${reason}`)
    } else if (!['check', 'info', 'help'].includes(cluster)) h.flag(`redis-cli --cluster ${cluster} changes the cluster`)
    return
  }
  if (p.positionals.length > 0) {
    const reason = redisCommandReason(lits(p.positionals))
    if (reason) h.flag(`redis-cli ${reason}`)
    return
  }
  if (has(p, 'scan', 'bigkeys', 'memkeys', 'hotkeys', 'stat', 'latency', 'latency-history', 'latency-dist', 'rdb', 'help', 'version', 'v')) return
  const { stdin } = h.ctx
  if (stdin.text !== undefined) {
    for (const r of detectRedis(stdin.text).reasons) h.flag(`redis-cli <<: ${r}`)
  } else if (stdin.piped) h.flag('pipes commands into redis-cli')
  else if (stdin.file !== undefined) h.flag('redis-cli runs commands from a file')
}

// --- clouds ---

const AWS_READ = /^(describe|list|get|head|lookup|search|validate|estimate|simulate|check|filter|query|scan|tail|wait|help|batch-get|preview|test|decode|verify|generate|detect|export-|view)/
const AWS_S3 = new Set(['rm', 'mv', 'rb', 'website'])

const aws: Handler = (h) => {
  const p = parseOptions(h.args, { long: ['profile', 'region', 'output', 'endpoint-url', 'query', 'color', 'ca-bundle', 'cli-read-timeout', 'cli-connect-timeout', 'cli-binary-format'], stopAtPositional: true })
  const [service, op] = p.positionals
  if (!service?.literal || !op?.literal) return
  if (service.value === 's3') {
    if (AWS_S3.has(op.value)) h.flag(`aws s3 ${op.value} ${op.value === 'website' ? 'changes a bucket' : 'deletes objects'}`)
    else if (op.value === 'sync' && h.args.some((a) => a.value === '--delete')) h.flag('aws s3 sync --delete deletes objects')
    return
  }
  if (service.value === 'configure') {
    if (op.value === 'set' || op.value === 'import') h.flag(`aws configure ${op.value} changes the CLI configuration`)
    return
  }
  if (h.args.some((a) => a.value === '--dry-run')) return
  if (!AWS_READ.test(op.value)) h.flag(`aws ${service.value} ${op.value} changes cloud resources`)
}

const gsutil: Handler = (h) => {
  const p = parseOptions(h.args, { short: 'ohu', stopAtPositional: true })
  const [verb, ...rest] = p.positionals.map((w) => w.value)
  if (verb === 'rm' || verb === 'mv' || verb === 'rb') h.flag(`gsutil ${verb} deletes objects`)
  else if (verb === 'rsync' && rest.some((a) => /^-[a-zA-Z]*d/.test(a))) h.flag('gsutil rsync -d deletes objects')
}

const rclone = verbFlag('rclone', new Set(['ls', 'lsd', 'lsl', 'lsf', 'lsjson', 'copy', 'copyto', 'check', 'cat', 'size', 'version', 'config', 'listremotes', 'about', 'tree', 'md5sum', 'sha1sum', 'hashsum', 'help']), () => 'deletes or moves files')

const s3cmd: Handler = (h) => {
  const verb = h.args.find((a) => a.literal && !a.value.startsWith('-'))?.value
  if (verb && ['del', 'rm', 'rb', 'mv'].includes(verb)) h.flag(`s3cmd ${verb} deletes objects`)
  else if (verb === 'sync' && h.args.some((a) => a.value === '--delete-removed')) h.flag('s3cmd sync --delete-removed deletes objects')
}

// --- packages ---

const SIMULATE = new Set(['-s', '--simulate', '--dry-run', '--just-print', '--no-act', '--recon', '--assumeno', '--download-only', '-d'])

const packageVerbs =
  (verbs: Set<string>): Handler =>
  (h) => {
    const p = parseOptions(h.args, { short: 'octe', long: ['option', 'config-file', 'target-release', 'installroot', 'releasever', 'enablerepo', 'disablerepo', 'repo', 'setopt'] })
    const verb = p.positionals[0]
    if (!verb?.literal || !verbs.has(verb.value)) return
    if (h.args.some((a) => SIMULATE.has(a.value))) return
    const sub = p.positionals[1]?.value
    if ((verb.value === 'group' || verb.value === 'module') && sub && !/^(install|remove|upgrade|update|enable|disable|reset|mark)$/.test(sub)) return
    h.flag(`${h.name} ${verb.value} changes installed packages`)
  }

const apt = packageVerbs(new Set(['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'autopurge', 'build-dep', 'safe-upgrade', 'markauto', 'unmarkauto']))
const yum = packageVerbs(new Set(['install', 'reinstall', 'update', 'upgrade', 'upgrade-minimal', 'update-minimal', 'remove', 'erase', 'autoremove', 'downgrade', 'distro-sync', 'distrosync', 'swap', 'groupinstall', 'groupupdate', 'groupremove', 'group', 'module', 'localinstall']))
const zypper = packageVerbs(new Set(['in', 'install', 'up', 'update', 'dup', 'dist-upgrade', 'rm', 'remove', 'patch']))
const apk = packageVerbs(new Set(['add', 'del', 'upgrade', 'fix']))
const snap = packageVerbs(new Set(['install', 'remove', 'refresh', 'revert', 'enable', 'disable']))
const brew = packageVerbs(new Set(['install', 'uninstall', 'remove', 'rm', 'upgrade', 'reinstall', 'cleanup']))
const gem = packageVerbs(new Set(['install', 'update', 'uninstall', 'cleanup']))

const pacman: Handler = (h) => {
  const w = h.args.find((a) => /^-[SRU]/.test(a.value) || /^--(sync|remove|upgrade)$/.test(a.value))
  if (w && !h.args.some((a) => a.value === '--print' || a.value === '-p')) h.flag(`pacman ${w.value} changes installed packages`)
}

const dpkg: Handler = (h) => {
  const w = h.args.find((a) => /^-[a-zA-Z]*[irP]/.test(a.value) && !a.value.startsWith('--') ? !/^-[a-zA-Z]*[lLsSpc]/.test(a.value) : /^--(install|remove|purge|configure|unpack|set-selections)$/.test(a.value))
  if (w) h.flag(`dpkg ${w.value} changes installed packages`)
}

const rpm: Handler = (h) => {
  const p = parseOptions(h.args, {})
  if (has(p, 'q', 'query', 'V', 'verify')) return
  if (has(p, 'i', 'U', 'F', 'e', 'install', 'upgrade', 'freshen', 'erase')) h.flag('rpm changes installed packages')
}

const npm: Handler = (h) => {
  const p = parseOptions(h.args, {})
  const verb = p.positionals[0]?.value
  const global = has(p, 'g', 'global') || h.args.some((a) => a.value === '--location=global')
  if (!verb) return
  if (['install', 'i', 'add', 'isntall', 'in', 'uninstall', 'remove', 'rm', 'un', 'r', 'unlink'].includes(verb) && global) h.flag(`npm ${verb} -g changes global packages`)
  else if (['update', 'up', 'upgrade', 'udpate'].includes(verb)) h.flag(`npm ${verb} changes installed packages`)
  else if (verb === 'audit' && p.positionals[1]?.value === 'fix' && !has(p, 'dry-run')) h.flag('npm audit fix changes installed packages')
}

const pip: Handler = (h) => {
  const p = parseOptions(h.args, {})
  const verb = p.positionals[0]?.value
  if ((verb === 'install' || verb === 'uninstall') && !has(p, 'dry-run')) h.flag(`${h.name} ${verb} changes installed packages`)
}

const python: Handler = (h) => {
  const m = h.args.findIndex((a) => a.value === '-m')
  const mod = h.args[m + 1]?.value
  if (m !== -1 && mod && /^pip\d*(\.\d+)?$/.test(mod)) return pip({ ...h, name: `${h.name} -m pip`, args: h.args.slice(m + 2) })
}

const bundle: Handler = (h) => {
  const p = parseOptions(h.args, { stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (verb?.value === 'exec') return h.run(rest)
  if (verb?.value === 'update' || verb?.value === 'clean') h.flag(`bundle ${verb.value} changes installed gems`)
}

// --- applications ---

const RAILS_READ_TASKS = new Set(['db:version', 'db:migrate:status', 'db:schema:dump', 'db:structure:dump', 'db:abort_if_pending_migrations', 'db:schema:cache:dump'])

const rails: Handler = (h) => {
  const task = h.args.find((a) => a.literal && (/^db:/.test(a.value) || /^(log|tmp|cache):clear$/.test(a.value)) && !RAILS_READ_TASKS.has(a.value.replace(/\[.*$/, '')))
  if (task) h.flag(`${h.name} ${task.value} ${task.value.startsWith('db:') ? 'changes the database' : 'deletes files'}`)
}

const curl: Handler = (h) => {
  const p = parseOptions(h.args, {
    short: 'XdTHuoAbceEFKmrUwxyYz',
    long: ['request', 'data', 'data-raw', 'data-binary', 'data-urlencode', 'upload-file', 'header', 'user', 'output', 'form'],
  })
  const method = values(p, 'X', 'request')[0]?.toUpperCase()
  if (method && ['DELETE', 'PUT', 'PATCH'].includes(method)) h.flag(`curl -X ${method} sends a ${method} request`)
  else if (has(p, 'T', 'upload-file')) h.flag('curl -T uploads a file')
}

const wget: Handler = (h) => {
  const m = h.args.find((a) => /^--method=(DELETE|PUT|PATCH)$/i.test(a.value))
  if (m) h.flag(`wget ${m.value} sends a ${m.value.slice(9).toUpperCase()} request`)
}

// ---------------------------------------------------------------------------------------------

const HANDLERS: Record<string, Handler> = {
  sudo, doas: sudo,
  env,
  nohup: plainWrapper(), exec: plainWrapper({ short: 'a' }), time: plainWrapper(), builtin: plainWrapper(),
  nice: plainWrapper({ short: 'n', long: ['adjustment'] }),
  ionice: plainWrapper({ short: 'cnp', long: ['class', 'classdata', 'pid'] }),
  stdbuf: plainWrapper({ short: 'ioe', long: ['input', 'output', 'error'] }),
  setsid: plainWrapper(), unbuffer: plainWrapper(), caffeinate: plainWrapper(),
  timeout, command, chroot, flock, xargs, watch, eval: evalCmd,
  bash: shell, sh: shell, zsh: shell, dash: shell, ksh: shell, ash: shell,
  su, runuser, ssh,
  rm: always('deletes files'), rmdir: always('deletes directories'), unlink: always('deletes files'),
  shred: always('destroys file contents'), srm: always('deletes files'),
  find, truncate, dd: ddCmd, tar, sed, perl, tee,
  cp: copyLike, mv: copyLike, install: copyLike, ln: copyLike,
  chmod: perms, chown: perms, chgrp: perms, chattr: perms, setfacl: perms,
  rsync,
  fdisk: partition, sfdisk: partition, gdisk: partition, sgdisk: partition, cfdisk: partition, parted: partition, wipefs: always('erases filesystem signatures'),
  lvremove: always('changes logical volumes'), vgremove: always('changes volume groups'), pvremove: always('changes physical volumes'),
  lvresize: always('changes logical volumes'), lvreduce: always('changes logical volumes'), lvextend: always('changes logical volumes'),
  systemctl, service, kill, pkill: killByName, killall: killByName, killall5: killByName,
  reboot: power, shutdown: power, halt: power, poweroff: power, init: initCmd, telinit: initCmd,
  sysctl,
  docker, podman: docker, 'docker-compose': docker, nerdctl: docker,
  kubectl, oc: kubectl, helm,
  nginx, apachectl, apache2ctl: apachectl, httpd: apachectl,
  supervisorctl, pm2, pumactl,
  mount, umount: mount, swapoff: mount, swapon: mount,
  journalctl,
  hostnamectl: setCtl('hostnamectl'), timedatectl: setCtl('timedatectl'), localectl: setCtl('localectl'),
  iptables, ip6tables: iptables, 'iptables-legacy': iptables, 'iptables-nft': iptables,
  'iptables-restore': iptables, 'ip6tables-restore': iptables, nft, ufw, 'firewall-cmd': firewallCmd, ip,
  userdel: userAdmin, usermod: userAdmin, useradd: userAdmin, adduser: userAdmin, deluser: userAdmin,
  groupadd: userAdmin, groupdel: userAdmin, groupmod: userAdmin, addgroup: userAdmin, delgroup: userAdmin,
  gpasswd: userAdmin, passwd: userAdmin, chpasswd: userAdmin, chage: userAdmin, chsh: userAdmin, chfn: userAdmin,
  visudo: userAdmin, vipw: userAdmin, vigr: userAdmin, newusers: userAdmin,
  crontab,
  git,
  psql, pg_restore: pgRestore, pg_ctl: pgCtl, pg_ctlcluster: pgCtl,
  dropdb: always('drops a database'), createdb: always('creates a database'), dropuser: always('drops a role'),
  createuser: always('creates a role'), vacuumdb: always('vacuums databases'), reindexdb: always('rebuilds indexes'),
  clusterdb: always('rewrites tables'), pg_dropcluster: always('deletes a PostgreSQL cluster'),
  pg_createcluster: always('creates a PostgreSQL cluster'), pg_upgradecluster: always('upgrades a PostgreSQL cluster'),
  pg_resetwal: always('resets the write-ahead log'), pg_rewind: always('rewrites a data directory'),
  pg_upgrade: always('upgrades a PostgreSQL cluster'), pg_archivecleanup: always('deletes WAL files'),
  'redis-cli': redisCli,
  aws, gsutil, rclone, s3cmd,
  apt, 'apt-get': apt, aptitude: apt, yum, dnf: yum, microdnf: yum, zypper, apk, snap, brew, gem,
  pacman, dpkg, rpm, npm, pip, pip3: pip, pipx: pip, python, python3: python, bundle,
  rails, rake: rails,
  curl, wget,
}

/**
 * Destructive detection of a bash script. Each simple command is judged by its argv; a word
 * with expansions is a placeholder and never makes anything destructive by itself. Syntax
 * errors go to `syntaxErrors` (1-based lines); the commands before them are still judged.
 */
export async function detectShell(code: string): Promise<Detection> {
  const syntax = await loadSyntax()
  const out: Out = { reasons: new Set(), syntaxErrors: [] }
  const error = await analyzeScript(code, { out, syntax, depth: 0, prefix: '', stdin: {} })
  if (error) out.syntaxErrors.push(error)
  return { destructive: out.reasons.size > 0, reasons: [...out.reasons], syntaxErrors: out.syntaxErrors, refused: [] }
}

/**
 * Destructive detection of one command given as argv (e.g. `spawn('rm', ['-rf', x])`);
 * null stands for an argument not known statically.
 */
export async function detectShellArgv(argv: readonly (string | null)[]): Promise<Detection> {
  const syntax = await loadSyntax()
  const out: Out = { reasons: new Set(), syntaxErrors: [] }
  await judgeArgv(
    argv.map((a) => word(a ?? PLACEHOLDER)),
    { out, syntax, depth: 0, prefix: '', stdin: {} },
  )
  return { destructive: out.reasons.size > 0, reasons: [...out.reasons], syntaxErrors: [], refused: [] }
}
