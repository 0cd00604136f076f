// Safety rule 5: a --sandbox run never changes the host outside the sandbox's folder and servers.
// The command shims take the production commands; this guard refuses, before a step runs, what
// would still reach outside: writes (redirections, rm, find -delete, truncate, dd of=, tee, mv,
// cp, tar, sed -i, chmod…) onto paths outside the sandbox folder and the temp folders, real
// binaries called by absolute path instead of the shims, destructive commands the sandbox does
// not simulate (kill, iptables, pip install, kubectl…), other hosts (ssh, scp, rsync host:), and
// SQL/Redis/TS steps whose connection is not the sandbox's own database. Env variables are
// resolved from the step's env, so `rm "$BACKUP_DIR"/old.sql.gz` is judged by where it points.
// A path that cannot be known statically (a command substitution, a loop variable) is left to
// the run-time check of TS commands and to the shims.
import { existsSync, realpathSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { detectShellArgv, PLACEHOLDER } from '../runner/judge/shell.js'
import { readEnvFile } from '../runner/run/env.js'
import type { PlannedStep, StepKind } from '../runner/model/runbook.js'
import { SHIMMED } from './shims.js'
import { loadSyntax, type ShNode, type ShSyntax } from '../runner/judge/shell.js'



export interface GuardOptions {
  /** Working directory of the step (relative paths resolve against it). */
  cwd?: string
  /** The step's env: $VARS in paths are resolved from it. */
  env?: Record<string, string>
}

interface Ctx {
  syntax: ShSyntax
  root: string
  allowed: string[]
  env: Record<string, string>
  depth: number
  out: Set<string>
}

interface Scope {
  vars: Map<string, string>
  /** Names assigned somewhere in the script (loops, read, …): unknown values, not empty ones. */
  assigned: Set<string>
  cwd: string | undefined
}

const SPECIAL = /^([0-9]+|[@*#?$!-]|RANDOM|SECONDS|LINENO|BASHPID|PPID|UID|EUID|OLDPWD|BASH_.*|FUNCNAME|RUNBOOK_OUTPUT|REPLY|OPTARG|OPTIND)$/
const DEVICES = /^\/dev\/(null|zero|full|random|urandom|stdin|stdout|stderr|tty|fd\/\d+)$|^\/proc\/self\/fd\/\d+$/

function realish(p: string): string {
  // Resolve symlinks of the longest existing ancestor, so a link inside the sandbox that points
  // outside is judged by its target.
  let head = p
  const tail: string[] = []
  while (!existsSync(head)) {
    const up = path.dirname(head)
    if (up === head) break
    tail.unshift(path.basename(head))
    head = up
  }
  try {
    return path.join(realpathSync(head), ...tail)
  } catch {
    return p
  }
}

function inside(p: string, root: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

type Verdict = 'inside' | 'outside' | 'unknown'

/** Where a path (PLACEHOLDER for what is unknown) lies: in the sandbox or a temp folder, outside, or unknown. */
function judgePath(raw: string, scope: Scope, ctx: Ctx): { verdict: Verdict; shown: string } {
  const shown = raw.replace(new RegExp(PLACEHOLDER, 'g'), '…')
  if (raw === '' || raw === '-') return { verdict: 'unknown', shown }
  const cut = raw.indexOf(PLACEHOLDER)
  if (cut === 0) return { verdict: 'unknown', shown }
  let known = cut === -1 ? raw : raw.slice(0, raw.lastIndexOf('/', cut) + 1)
  if (!known.startsWith('/')) {
    if (!scope.cwd) return { verdict: 'unknown', shown }
    known = path.join(scope.cwd, known)
  }
  if (cut === -1 && DEVICES.test(path.normalize(known))) return { verdict: 'inside', shown }
  const abs = realish(path.resolve(known))
  const ok = ctx.allowed.some((root) => inside(abs, root))
  return { verdict: ok ? 'inside' : 'outside', shown: raw.startsWith('/') ? shown : path.join(scope.cwd ?? '', shown) }
}

function checkPath(raw: string, what: string, scope: Scope, ctx: Ctx): void {
  const { verdict, shown } = judgePath(raw, scope, ctx)
  if (verdict === 'outside') ctx.out.add(`${what} ${shown}: 샌드박스 폴더(${ctx.root}) 밖`)
}

// ---------------------------------------------------------------------------------------------
// Words

const unescapeUnquoted = (s: string) => s.replace(/\\([\s\S])/g, (_m, c: string) => (c === '\n' ? '' : c))
const unescapeDouble = (s: string) => s.replace(/\\([\s\S])/g, (m, c: string) => (c === '\n' ? '' : '$`\\"'.includes(c) ? c : m))

function paramValue(pe: ShNode, scope: Scope, ctx: Ctx): string {
  const name = String(pe.Param?.Value ?? '')
  if (pe.Length || pe.Excl || pe.Index || pe.Slice || pe.Repl || pe.Names) return PLACEHOLDER
  let value: string | undefined
  if (name === 'PWD') value = scope.cwd
  else if (scope.vars.has(name)) value = scope.vars.get(name)
  else if (SPECIAL.test(name) || scope.assigned.has(name)) value = PLACEHOLDER
  else value = ''
  if (pe.Exp) {
    if (value !== undefined && value !== '') return value
    return pe.Exp.Word ? wordValue(pe.Exp.Word, scope, ctx) : PLACEHOLDER
  }
  return value ?? PLACEHOLDER
}

function partsValue(parts: ShNode[], scope: Scope, ctx: Ctx, quoted: boolean): string {
  let out = ''
  for (const [i, part] of parts.entries()) {
    const type = ctx.syntax.NodeType(part)
    if (type === 'Lit') {
      let v = String(part.Value)
      if (!quoted && i === 0 && (v === '~' || v.startsWith('~/'))) v = (ctx.env.HOME ?? os.homedir()) + v.slice(1)
      out += quoted ? unescapeDouble(v) : unescapeUnquoted(v)
    } else if (type === 'SglQuoted') out += String(part.Value)
    else if (type === 'DblQuoted') out += partsValue(part.Parts ?? [], scope, ctx, true)
    else if (type === 'ParamExp') out += paramValue(part, scope, ctx)
    else out += PLACEHOLDER
  }
  return out
}

function wordValue(node: ShNode, scope: Scope, ctx: Ctx): string {
  return partsValue(node?.Parts ?? [], scope, ctx, false)
}

// ---------------------------------------------------------------------------------------------
// Commands

const known = (v: string | undefined): v is string => v !== undefined && !v.includes(PLACEHOLDER)
const base = (v: string) => v.slice(v.lastIndexOf('/') + 1)

/** Positionals after options; `withValue` options take the next word. */
function positionals(args: string[], withValue = ''): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') {
      out.push(...args.slice(i + 1))
      break
    }
    if (a.startsWith('-') && a.length > 1) {
      if (!a.startsWith('--') && a.length === 2 && withValue.includes(a[1]!)) i++
      continue
    }
    out.push(a)
  }
  return out
}

function option(args: string[], short: string | null, long: string | null): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (short && a === short) return args[i + 1]
    if (short && a.startsWith(short) && !a.startsWith('--') && a.length > short.length) return a.slice(short.length)
    if (long && a === long) return args[i + 1]
    if (long && a.startsWith(`${long}=`)) return a.slice(long.length + 1)
  }
  return undefined
}

function sameServer(url: string | undefined, sandboxUrl: string | undefined, defaultPort: number): boolean {
  if (!url || !sandboxUrl) return false
  try {
    const a = new URL(url)
    const b = new URL(sandboxUrl)
    const host = (h: string) => (h === 'localhost' || h === '' ? '127.0.0.1' : h)
    return host(a.hostname) === host(b.hostname) && (a.port || String(defaultPort)) === (b.port || String(defaultPort)) && a.pathname.replace(/^\/$/, '/0') === b.pathname.replace(/^\/$/, '/0')
  } catch {
    return false
  }
}

const FILE_TARGETS_ALL = new Set(['rm', 'rmdir', 'unlink', 'shred', 'srm', 'touch', 'mkdir', 'mkfifo', 'mknod'])
const COMPRESSORS = new Set(['gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', 'zstd', 'unzstd', 'lz4', 'pigz'])
const DB_CLIENTS = new Set(['psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'createdb', 'dropdb', 'vacuumdb', 'reindexdb', 'clusterdb', 'pgbench', 'createuser', 'dropuser'])
const SHIMS = new Set<string>(SHIMMED)
/** Commands whose argv[0] we look through. */
const WRAPPER_OPTS: Record<string, string> = { sudo: 'ugUhpCDrtTR', doas: 'u', nice: 'n', ionice: 'cnp', stdbuf: 'ioe', nohup: '', time: '', setsid: '', command: '', exec: 'a', caffeinate: '', unbuffer: '' }

async function analyzeArgv(argv: string[], scope: Scope, ctx: Ctx): Promise<void> {
  let i = 0
  while (i < argv.length && known(argv[i]) && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!)) i++
  argv = argv.slice(i)
  const first = argv[0]
  if (!first || !known(first)) return
  const name = base(first)
  const args = argv.slice(1)
  if (ctx.depth > 12) return
  const nested = (next: string[]) => analyzeArgv(next, scope, { ...ctx, depth: ctx.depth + 1 })

  // Wrappers: judge the command they run.
  if (name in WRAPPER_OPTS) {
    if (name === 'command' && args.some((a) => a === '-v' || a === '-V')) return
    return nested(positionalsFromFirst(args, WRAPPER_OPTS[name]!))
  }
  if (name === 'env') {
    const chdir = option(args, '-C', '--chdir')
    let j = 0
    while (j < args.length && (args[j]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[j]!))) j += ['-u', '-C', '-S', '--unset', '--chdir'].includes(args[j]!) ? 2 : 1
    const sub = chdir && known(chdir) ? { ...scope, cwd: path.resolve(scope.cwd ?? '/', chdir) } : scope
    return analyzeArgv(args.slice(j), sub, { ...ctx, depth: ctx.depth + 1 })
  }
  if (name === 'timeout') return nested(positionalsFromFirst(args, 'sk').slice(1))
  if (name === 'xargs') return nested([...positionalsFromFirst(args, 'InPLdEsa'), PLACEHOLDER])
  if (['bash', 'sh', 'dash', 'zsh', 'ksh', 'su', 'runuser'].includes(name)) {
    const script = option(args, '-c', '--command')
    if (script !== undefined) await analyzeShellCode(script, scope.cwd, ctx)
    return
  }
  if (name === 'eval') return analyzeShellCode(args.join(' '), scope.cwd, ctx)
  if (name === 'chroot') {
    ctx.out.add('chroot: 샌드박스 밖의 루트로 명령을 실행함')
    return
  }
  if (name === 'ssh' || name === 'scp' || name === 'sftp') {
    const remote = name === 'ssh' ? positionals(args, 'bcDEeFIiJLlmOopQRSWw').length > 1 : args.some((a) => /^[^/]*:/.test(a) && !a.startsWith('-'))
    const d = await detectShellArgv(argv)
    if (name !== 'ssh' || (remote && d.destructive)) ctx.out.add(`${name}: 다른 호스트에 접속해 바꿈 (${argv.map(show).join(' ').slice(0, 80)})`)
    return
  }
  if (name === 'cd' || name === 'pushd') {
    const dir = positionals(args)[0]
    scope.cwd = dir === undefined ? ctx.env.HOME : known(dir) ? path.resolve(scope.cwd ?? '/', dir) : undefined
    return
  }
  if (name === 'find') return analyzeFind(args, scope, ctx)

  // The sandbox's shims: fine by their bare name; a real binary by absolute path is not.
  if (SHIMS.has(name) && !(name === 'npm' && args[0] !== 'audit')) {
    if (first.includes('/') && !inside(path.resolve(first), path.join(ctx.root, 'bin'))) {
      const d = await detectShellArgv(argv)
      if (d.destructive) ctx.out.add(`${first}: 심(shim) 대신 실제 호스트의 ${name}을(를) 직접 실행함 (${d.reasons.join('; ')})`)
      return
    }
    if (name === 'aws') {
      const pos = positionals(args)
      if (pos[0] === 's3' && ['cp', 'mv', 'sync'].includes(pos[1] ?? '')) {
        const [src, dst] = pos.slice(2)
        if (dst !== undefined && !dst.startsWith('s3://')) checkPath(dst, `aws s3 ${pos[1]} →`, scope, ctx)
        if (pos[1] === 'mv' && src !== undefined && !src.startsWith('s3://')) checkPath(src, 'aws s3 mv', scope, ctx)
      }
    }
    if (name === 'redis-cli') return checkRedisClient(argv, ctx)
    return
  }

  if (FILE_TARGETS_ALL.has(name)) {
    for (const p of positionals(args, name === 'mkdir' || name === 'mknod' ? 'mZ' : '')) checkPath(p, name, scope, ctx)
    return
  }
  switch (name) {
    case 'truncate':
      for (const p of positionals(args, 'sr')) checkPath(p, name, scope, ctx)
      return
    case 'chmod':
    case 'chown':
    case 'chgrp': {
      const pos = positionals(args)
      const targets = args.some((a) => a.startsWith('--reference')) ? pos : pos.slice(1)
      for (const p of targets) checkPath(p, name, scope, ctx)
      return
    }
    case 'chattr':
    case 'setfacl':
      for (const p of positionals(args, 'mMxX').filter((a) => !/^[+=-]/.test(a))) checkPath(p, name, scope, ctx)
      return
    case 'dd':
      for (const a of args) if (a.startsWith('of=')) checkPath(a.slice(3), 'dd of=', scope, ctx)
      return
    case 'tee':
      for (const p of positionals(args)) checkPath(p, 'tee', scope, ctx)
      return
    case 'mv':
      for (const p of positionals(args, 'tS')) checkPath(p, 'mv', scope, ctx)
      if (option(args, '-t', '--target-directory')) checkPath(option(args, '-t', '--target-directory')!, 'mv', scope, ctx)
      return
    case 'cp':
    case 'install':
    case 'ln': {
      const target = option(args, '-t', '--target-directory')
      const pos = positionals(args, name === 'install' ? 'tmogS' : 'tS')
      if (target) checkPath(target, name, scope, ctx)
      else if (name === 'install' && args.includes('-d')) for (const p of pos) checkPath(p, name, scope, ctx)
      else if (pos.length >= 2) checkPath(pos[pos.length - 1]!, name, scope, ctx)
      else if (name === 'ln' && pos.length === 1) checkPath('.', name, scope, ctx)
      return
    }
    case 'rsync': {
      const pos = positionals(args, 'e')
      const dest = pos[pos.length - 1]
      if (dest && /^[^/]*:/.test(dest)) ctx.out.add(`rsync: 다른 호스트로 복사함 (${show(dest)})`)
      else if (dest && pos.length >= 2) checkPath(dest, 'rsync →', scope, ctx)
      if (args.some((a) => a.startsWith('--remove-source-files'))) for (const p of pos.slice(0, -1)) checkPath(p, 'rsync --remove-source-files', scope, ctx)
      return
    }
    case 'sed':
    case 'perl': {
      const inPlace = args.some((a) => a === '--in-place' || a.startsWith('--in-place=') || (/^-[a-zA-Z]*i/.test(a) && !a.startsWith('--')))
      if (!inPlace) return
      const hasScriptOpt = args.some((a) => ['-e', '-f', '--expression', '--file', '-E'].includes(a) && name === 'sed') || (name === 'perl' && args.some((a) => /^-[a-zA-Z]*e$/.test(a)))
      const pos = positionals(args, name === 'sed' ? 'ef' : 'eIM')
      for (const p of hasScriptOpt ? pos : pos.slice(1)) checkPath(p, `${name} -i`, scope, ctx)
      return
    }
    case 'tar':
      return analyzeTar(args, scope, ctx)
    case 'unzip': {
      checkPath(option(args, '-d', null) ?? '.', 'unzip', scope, ctx)
      return
    }
    case 'zip':
    case 'split':
    case 'sort':
      if (name === 'sort') {
        const o = option(args, '-o', '--output')
        if (o) checkPath(o, 'sort -o', scope, ctx)
      } else {
        const pos = positionals(args)
        if (pos[0]) checkPath(name === 'split' ? (pos[1] ?? 'x') : pos[0], name, scope, ctx)
      }
      return
    case 'curl':
    case 'wget':
      return analyzeHttp(name, args, argv, scope, ctx)
    case 'git':
      return analyzeGit(args, argv, scope, ctx)
    case 'logger':
      return
  }
  if (COMPRESSORS.has(name)) {
    if (args.some((a) => /^-[a-zA-Z]*[ctl]/.test(a) || a === '--stdout' || a === '--to-stdout' || a === '--test' || a === '--list')) return
    for (const p of positionals(args, 'S')) checkPath(p, name, scope, ctx)
    return
  }
  if (DB_CLIENTS.has(name)) return checkDbClient(name, args, argv, scope, ctx)

  const d = await detectShellArgv(argv)
  if (d.destructive) ctx.out.add(`${name}: 샌드박스가 흉내 내지 않는 실제 호스트 명령 (${d.reasons.join('; ')})`)
}

function show(v: string): string {
  return v.replace(new RegExp(PLACEHOLDER, 'g'), '…')
}

/** Words from the first positional on (the wrapped command), skipping the wrapper's options. */
function positionalsFromFirst(args: string[], withValue: string): string[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') return args.slice(i + 1)
    if (!a.startsWith('-') || a === '-') return args.slice(i)
    if (!a.startsWith('--') && a.length === 2 && withValue.includes(a[1]!)) i++
    else if (a.startsWith('--') && !a.includes('=') && ['--user', '--group', '--chdir', '--adjustment', '--signal', '--kill-after'].includes(a)) i++
  }
  return []
}

async function analyzeFind(args: string[], scope: Scope, ctx: Ctx): Promise<void> {
  const roots: string[] = []
  let k = 0
  while (k < args.length && !args[k]!.startsWith('-') && !['(', '!', ')'].includes(args[k]!)) roots.push(args[k++]!)
  if (roots.length === 0) roots.push('.')
  for (; k < args.length; k++) {
    const a = args[k]!
    if (a === '-delete') for (const r of roots) checkPath(r, 'find -delete', scope, ctx)
    else if (['-fprint', '-fprint0', '-fprintf', '-fls'].includes(a) && args[k + 1]) checkPath(args[++k]!, `find ${a}`, scope, ctx)
    else if (['-exec', '-execdir', '-ok', '-okdir'].includes(a)) {
      const inner: string[] = []
      for (k++; k < args.length && args[k] !== ';' && args[k] !== '+'; k++) inner.push(args[k]!)
      for (const r of roots) await analyzeArgv(inner.map((w) => (w.includes('{}') ? w.replace('{}', r.endsWith('/') ? `${r}${PLACEHOLDER}` : `${r}/${PLACEHOLDER}`) : w)), scope, { ...ctx, depth: ctx.depth + 1 })
    }
  }
}

function analyzeTar(args: string[], scope: Scope, ctx: Ctx): void {
  let flags = ''
  const rest = [...args]
  if (rest[0] && !rest[0].startsWith('-') && /^[a-zA-Z]+$/.test(rest[0])) flags = rest.shift()!
  for (const a of rest) if (/^-[a-zA-Z]+$/.test(a)) flags += a.slice(1)
  const long = (n: string) => rest.some((a) => a === `--${n}`)
  const creates = /[cru]/.test(flags) || long('create') || long('append') || long('update')
  const extracts = /x/.test(flags) || long('extract') || long('get')
  let file = option(rest, null, '--file')
  if (file === undefined && flags.includes('f')) {
    const fi = rest.findIndex((a) => /^-[a-zA-Z]*f$/.test(a))
    if (fi !== -1) file = rest[fi + 1]
    else if (args[0] && !args[0].startsWith('-') && args[0].includes('f')) file = positionals(rest)[0]
  }
  if (creates && file && file !== '-') checkPath(file, 'tar', scope, ctx)
  if (extracts) checkPath(option(rest, '-C', '--directory') ?? '.', 'tar -x →', scope, ctx)
  if (long('remove-files')) for (const p of positionals(rest, 'fCT').filter((p) => p !== file)) checkPath(p, 'tar --remove-files', scope, ctx)
}

async function analyzeHttp(name: string, args: string[], argv: string[], scope: Scope, ctx: Ctx): Promise<void> {
  const output = name === 'curl' ? option(args, '-o', '--output') : option(args, '-O', '--output-document')
  if (output && output !== '-') checkPath(output, `${name} -o`, scope, ctx)
  if (name === 'curl' && args.some((a) => a === '-O' || a === '--remote-name')) checkPath('.', 'curl -O', scope, ctx)
  if (name === 'wget' && !output) checkPath(option(args, '-P', '--directory-prefix') ?? '.', 'wget', scope, ctx)
  const d = await detectShellArgv(argv)
  if (!d.destructive) return
  const urls = args.filter((a) => /^https?:\/\//.test(a))
  const local = (u: string) => {
    try {
      const h = new URL(u.replace(new RegExp(PLACEHOLDER, 'g'), 'x')).hostname
      return h === '127.0.0.1' || h === 'localhost'
    } catch {
      return false
    }
  }
  if (urls.length === 0 || !urls.every(local)) ctx.out.add(`${name}: 샌드박스 밖의 서버를 바꾸는 요청 (${d.reasons.join('; ')})`)
}

async function analyzeGit(args: string[], argv: string[], scope: Scope, ctx: Ctx): Promise<void> {
  const dir = option(args, '-C', null)
  const d = await detectShellArgv(argv)
  const pos = positionals(args, 'Cc')
  if (pos[0] === 'clone') {
    checkPath(pos[2] ?? '.', 'git clone →', scope, ctx)
    return
  }
  if (!d.destructive) return
  const repo = dir !== undefined ? (known(dir) ? path.resolve(scope.cwd ?? '/', dir) : PLACEHOLDER) : (scope.cwd ?? PLACEHOLDER)
  checkPath(repo, `git ${pos[0] ?? ''} (저장소)`, scope, ctx)
}

function sandboxEnv(ctx: Ctx): Record<string, string> {
  try {
    return readEnvFile(path.join(ctx.root, 'env'), 'sandbox env')
  } catch {
    return {}
  }
}

async function checkDbClient(name: string, args: string[], argv: string[], scope: Scope, ctx: Ctx): Promise<void> {
  const file = name === 'psql' ? option(args, '-o', '--output') : name.startsWith('pg_dump') || name === 'pg_restore' ? option(args, '-f', '--file') : undefined
  if (file) checkPath(file, `${name} -f`, scope, ctx)
  // pg_restore's positional is the archive it reads: it reaches a database only through -d, and
  // never when it lists the archive (-l) or writes a script (no -d).
  if (name === 'pg_restore' && (args.some((a) => a === '-l' || a === '--list') || option(args, '-d', '--dbname') === undefined)) return
  const d = await detectShellArgv(argv)
  if (!d.destructive && !['dropdb', 'createdb', 'pg_restore'].includes(name)) return
  const sandbox = sandboxEnv(ctx).DATABASE_URL
  const urls = args.filter((a) => /^postgres(ql)?:\/\//.test(a))
  const dbOpt = option(args, '-d', '--dbname')
  if (dbOpt && /^postgres(ql)?:\/\//.test(dbOpt)) urls.push(dbOpt)
  const host = option(args, '-h', '--host')
  const port = option(args, '-p', '--port')
  let target: string | undefined
  if (urls[0]) target = urls[0]
  else if (host !== undefined || port !== undefined) {
    const env = ctx.env
    target = `postgres://${host ?? env.PGHOST ?? '127.0.0.1'}:${port ?? env.PGPORT ?? '5432'}/${dbOpt ?? positionals(args, 'dhpUfoc')[0] ?? env.PGDATABASE ?? ''}`
  } else {
    const env = ctx.env
    target = env.PGHOST ? `postgres://${env.PGHOST}:${env.PGPORT ?? '5432'}/${dbOpt ?? positionals(args, 'dhpUfoc')[0] ?? env.PGDATABASE ?? ''}` : undefined
    if (!target) {
      ctx.out.add(`${name}: 접속 대상이 정해지지 않음 (샌드박스의 DATABASE_URL을 쓰세요)`)
      return
    }
  }
  if (target.includes(PLACEHOLDER)) return
  if (!sameServer(target, sandbox, 5432)) ctx.out.add(`${name}: 샌드박스 DB가 아닌 곳(${target.replace(/:[^:@/]*@/, ':***@')})을 바꿈`)
}

async function checkRedisClient(argv: string[], ctx: Ctx): Promise<void> {
  const args = argv.slice(1)
  const url = option(args, '-u', '--url') ?? args.find((a) => /^rediss?:\/\//.test(a))
  const host = option(args, '-h', null)
  const port = option(args, '-p', null)
  const db = option(args, '-n', null)
  if (!url && host === undefined && port === undefined) return // the shim points it at REDIS_URL
  const target = url ?? `redis://${host ?? '127.0.0.1'}:${port ?? '6379'}/${db ?? '0'}`
  if (target.includes(PLACEHOLDER)) return
  const d = await detectShellArgv(argv)
  if (d.destructive && !sameServer(target, sandboxEnv(ctx).REDIS_URL, 6379)) ctx.out.add(`redis-cli: 샌드박스 Redis가 아닌 곳(${target})을 바꿈`)
}

// ---------------------------------------------------------------------------------------------
// Scripts

const WRITE_REDIRECTS = new Set([54, 55, 57, 60, 64, 65])
const REDIRECT_DUP_OUT = 59

function collectAssigned(file: ShNode, ctx: Ctx): Set<string> {
  const names = new Set<string>()
  ctx.syntax.Walk(file, (node) => {
    if (!node) return true
    const type = ctx.syntax.NodeType(node)
    if (type === 'Assign' && node.Name) names.add(String(node.Name.Value))
    else if (type === 'WordIter' && node.Name) names.add(String(node.Name.Value))
    else if (type === 'CallExpr') {
      const args = (node.Args ?? []) as ShNode[]
      const first = args[0]?.Parts?.[0]
      const cmd = first && ctx.syntax.NodeType(first) === 'Lit' ? String(first.Value) : ''
      if (['read', 'mapfile', 'readarray', 'getopts', 'printf', 'let', 'export', 'declare', 'local', 'typeset'].includes(cmd))
        for (const a of args.slice(1)) for (const p of a.Parts ?? []) if (ctx.syntax.NodeType(p) === 'Lit') for (const m of String(p.Value).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(m[0])
    }
    return true
  })
  return names
}

async function analyzeShellCode(code: string, cwd: string | undefined, ctx: Ctx): Promise<void> {
  if (ctx.depth > 8) return
  let file: ShNode
  try {
    file = ctx.syntax.NewParser().Parse(code, 'step.sh')
  } catch (e: any) {
    ctx.out.add(`스크립트를 해석할 수 없어 안전 규칙 5를 확인하지 못함 (${typeof e?.Text === 'string' ? e.Text : String(e?.message ?? e)})`)
    return
  }
  const scope: Scope = { vars: new Map(Object.entries(ctx.env)), assigned: collectAssigned(file, ctx), cwd }
  for (const name of scope.assigned) if (!ctx.env[name]) scope.vars.delete(name)
  const statements: ShNode[] = []
  ctx.syntax.Walk(file, (node) => {
    if (node && ctx.syntax.NodeType(node) === 'Stmt') statements.push(node)
    return true
  })
  const inner: Ctx = { ...ctx, depth: ctx.depth + 1 }
  for (const stmt of statements) {
    const cmd = stmt.Cmd
    const type = cmd ? ctx.syntax.NodeType(cmd) : ''
    if (type === 'CallExpr' && (cmd.Args?.length ?? 0) === 0) {
      for (const a of (cmd.Assigns ?? []) as ShNode[]) if (a.Name) scope.vars.set(String(a.Name.Value), a.Value ? wordValue(a.Value, scope, ctx) : '')
    } else if (type === 'DeclClause') {
      for (const a of (cmd.Args ?? []) as ShNode[]) if (a.Name && !a.Naked) scope.vars.set(String(a.Name.Value), a.Value ? wordValue(a.Value, scope, ctx) : '')
    }
    for (const r of (stmt.Redirs ?? []) as ShNode[]) {
      const op = Number(r.Op)
      if (!r.Word) continue
      const target = wordValue(r.Word, scope, ctx)
      if (WRITE_REDIRECTS.has(op) || (op === REDIRECT_DUP_OUT && !/^(\d+|-)$/.test(target))) checkPath(target, '>', scope, ctx)
    }
    if (type === 'CallExpr' && (cmd.Args?.length ?? 0) > 0) {
      const argv = (cmd.Args as ShNode[]).map((a) => wordValue(a, scope, ctx))
      await analyzeArgv(argv, scope, inner)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// TS/JS steps: `$` templates as shell, fs writes by their static path

const FS_WRITE = /^(writeFile|writeFileSync|appendFile|appendFileSync|outputFile|outputFileSync|writeJson|writeJsonSync|outputJson|outputJsonSync|rm|rmSync|remove|removeSync|unlink|unlinkSync|rmdir|rmdirSync|emptyDir|emptyDirSync|truncate|truncateSync|chmod|chmodSync|chown|chownSync|mkdir|mkdirSync|mkdirp|mkdirs|ensureDir|ensureFile|createWriteStream)$/
const FS_TWO = /^(copy|copySync|copyFile|copyFileSync|cp|cpSync|move|moveSync|rename|renameSync|symlink|symlinkSync|link|linkSync)$/

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

async function analyzeTs(code: string, loader: 'ts' | 'js', cwd: string | undefined, ctx: Ctx): Promise<void> {
  const [{ transform }, acorn, walk] = await Promise.all([import('esbuild'), import('acorn'), import('acorn-walk')])
  let js: string
  try {
    js = (await transform(code, { loader, format: 'esm', logLevel: 'silent' })).code
  } catch {
    try {
      js = (await transform(`async function __step__() {\n${code}\n}`, { loader, format: 'esm', logLevel: 'silent' })).code
    } catch {
      return // a syntax error: the step fails before it runs anything
    }
  }
  let ast: any
  try {
    ast = acorn.parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true })
  } catch {
    return
  }
  const envValue = (node: any): string | undefined => {
    // env.X, env['X'], process.env.X
    if (node?.type !== 'MemberExpression') return undefined
    const obj = node.object
    const isEnv = (obj.type === 'Identifier' && obj.name === 'env') || (obj.type === 'MemberExpression' && obj.object?.type === 'Identifier' && obj.object.name === 'process' && obj.property?.name === 'env')
    if (!isEnv) return undefined
    const key = !node.computed ? node.property.name : node.property.type === 'Literal' ? String(node.property.value) : undefined
    return key !== undefined ? ctx.env[key] : undefined
  }
  const staticString = (node: any): string | undefined => {
    if (!node) return undefined
    if (node.type === 'Literal' && typeof node.value === 'string') return node.value
    const e = envValue(node)
    if (e !== undefined) return e
    if (node.type === 'TemplateLiteral')
      return node.quasis.map((q: any, i: number) => (q.value.cooked ?? q.value.raw) + (i < node.expressions.length ? (envValue(node.expressions[i]) ?? PLACEHOLDER) : '')).join('')
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.object?.name === 'path' && ['join', 'resolve'].includes(node.callee.property?.name)) {
      const parts = node.arguments.map((a: any) => staticString(a) ?? PLACEHOLDER)
      return parts.join('/')
    }
    return PLACEHOLDER
  }
  const rootName = (node: any): string | undefined => {
    while (node) {
      if (node.type === 'Identifier') return node.name
      if (node.type === 'MemberExpression') node = node.object
      else if (node.type === 'CallExpression') node = node.callee
      else return undefined
    }
    return undefined
  }
  const scripts: string[] = []
  const paths: [string, string][] = []
  walk.simple(ast, {
    TaggedTemplateExpression(node: any) {
      if (rootName(node.tag) !== '$') return
      const q = node.quasi
      scripts.push(q.quasis.map((x: any, i: number) => (x.value.cooked ?? x.value.raw) + (i < q.expressions.length ? (() => { const v = envValue(q.expressions[i]); return v !== undefined ? shellQuote(v) : PLACEHOLDER })() : '')).join(''))
    },
    CallExpression(node: any) {
      const callee = node.callee
      if (callee.type !== 'MemberExpression') return
      const fn = callee.property?.name
      const owner = rootName(callee.object)
      if (owner === 'process' && fn === 'kill') {
        ctx.out.add('process.kill: 실제 호스트의 프로세스에 신호를 보냄')
        return
      }
      if (!fn || !['fs', 'fsp', 'fse', 'fsExtra', 'promises'].includes(owner ?? '')) return
      if (FS_WRITE.test(fn)) paths.push([`fs.${fn}`, staticString(node.arguments[0]) ?? PLACEHOLDER])
      else if (FS_TWO.test(fn)) {
        paths.push([`fs.${fn} →`, staticString(node.arguments[1]) ?? PLACEHOLDER])
        if (/^(move|rename)/.test(fn)) paths.push([`fs.${fn}`, staticString(node.arguments[0]) ?? PLACEHOLDER])
      }
    },
  })
  const scope: Scope = { vars: new Map(Object.entries(ctx.env)), assigned: new Set(), cwd }
  for (const [what, p] of paths) checkPath(p, what, scope, ctx)
  for (const s of scripts) await analyzeShellCode(s, cwd, ctx)
}

// ---------------------------------------------------------------------------------------------

function allowedRoots(root: string): string[] {
  const roots = [root, os.tmpdir(), '/tmp', '/var/tmp', '/dev/shm']
  return [...new Set(roots.flatMap((r) => [path.resolve(r), realish(path.resolve(r))]))]
}

/**
 * What in a step's code would change the host outside the sandbox folder and the temp folders
 * (one message per finding, empty when nothing does). Shell and TS/JS steps are analysed; SQL
 * and Redis steps act on a server and are judged by sandboxConnectionViolations.
 */
export async function sandboxViolations(code: string, kind: StepKind, sandboxDir: string, opts: GuardOptions = {}): Promise<string[]> {
  if (kind === 'sql' || kind === 'redis') return []
  const ctx: Ctx = { syntax: await loadSyntax(), root: path.resolve(sandboxDir), allowed: allowedRoots(path.resolve(sandboxDir)), env: opts.env ?? {}, depth: 0, out: new Set() }
  const cwd = opts.cwd ? path.resolve(opts.cwd) : process.cwd()
  if (kind === 'shell') await analyzeShellCode(code, cwd, ctx)
  else await analyzeTs(code, kind, cwd, ctx)
  return [...ctx.out]
}

/** SQL/Redis/TS steps: the server a step would change must be the sandbox's own. */
export function sandboxConnectionViolations(planned: PlannedStep, env: Record<string, string>, sandboxDir: string): string[] {
  let sandbox: Record<string, string>
  try {
    sandbox = readEnvFile(path.join(sandboxDir, 'env'), 'sandbox env')
  } catch {
    return ['샌드박스 env 파일이 없음 (runbook sandbox up)']
  }
  const out: string[] = []
  const mask = (u: string | undefined) => (u ?? '(없음)').replace(/:[^:@/]*@/, ':***@')
  const attrs = planned.step.attrs
  const usesSql = planned.kind === 'sql' || (planned.kind !== 'shell' && planned.kind !== 'redis' && /\bsql\s*(`|\()/.test(planned.step.code))
  const usesRedis = planned.kind === 'redis' || (planned.kind !== 'shell' && planned.kind !== 'sql' && /\bredis\s*\./.test(planned.step.code))
  if (usesSql) {
    const name = attrs.db ?? 'DATABASE_URL'
    if (!sameServer(env[name], sandbox.DATABASE_URL, 5432)) out.push(`${name}=${mask(env[name])}: 샌드박스의 데이터베이스가 아님`)
  }
  if (usesRedis) {
    const name = attrs.redis ?? 'REDIS_URL'
    if (!sameServer(env[name], sandbox.REDIS_URL, 6379)) out.push(`${name}=${mask(env[name])}: 샌드박스의 Redis 데이터베이스가 아님`)
  }
  if ((planned.kind === 'shell' || planned.kind === 'ts' || planned.kind === 'js') && planned.destructive) {
    const first = (env.PATH ?? '').split(path.delimiter)[0] ?? ''
    if (path.resolve(first || '.') !== path.join(path.resolve(sandboxDir), 'bin')) out.push(`PATH가 샌드박스의 명령 심 폴더(${path.join(sandboxDir, 'bin')})로 시작하지 않음`)
  }
  return out
}

/** Everything rule 5 refuses in a planned step, for the orchestrator's gate. */
export async function sandboxStepViolations(planned: PlannedStep, env: Record<string, string>, sandboxDir: string, cwd: string): Promise<string[]> {
  const connection = planned.destructive ? sandboxConnectionViolations(planned, env, sandboxDir) : []
  const code = await sandboxViolations(planned.step.code, planned.kind, sandboxDir, { cwd, env })
  return [...connection, ...code]
}
