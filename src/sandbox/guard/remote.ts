// Commands that reach a server or another host: ssh/scp/sftp and rsync host:, curl and wget,
// git (a repository outside the sandbox), the PostgreSQL clients and redis-cli. A change is
// allowed only on the sandbox's own database, Redis database and local stand-ins.
import path from 'node:path'
import { msg, PLACEHOLDER, readEnvFile } from '../../runner/api.js'
import { effects, type Ctx, type Scope } from './context.js'
import { checkPath } from './paths.js'
import { known, option, positionals, show } from './words.js'

type Rule = (name: string, args: string[], argv: string[], scope: Scope, ctx: Ctx) => Promise<void>

/** Whether two URLs name the same server and database (localhost is 127.0.0.1, ports default). */
export function sameServer(url: string | undefined, sandboxUrl: string | undefined, defaultPort: number): boolean {
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

function sandboxEnv(ctx: Ctx): Record<string, string> {
  try {
    return readEnvFile(path.join(ctx.root, 'env'), 'sandbox env')
  } catch {
    return {}
  }
}

const remoteShell: Rule = async (name, args, argv, _scope, ctx) => {
  const remote = name === 'ssh' ? positionals(args, 'bcDEeFIiJLlmOopQRSWw').length > 1 : args.some((a) => /^[^/]*:/.test(a) && !a.startsWith('-'))
  const d = await effects(argv)
  if (name !== 'ssh' || (remote && d.reasons.length > 0)) ctx.out.add(msg.sandbox.otherHost(name, argv.map(show).join(' ').slice(0, 80)))
}

const rsync: Rule = async (_name, args, _argv, scope, ctx) => {
  const pos = positionals(args, 'e')
  const dest = pos[pos.length - 1]
  if (dest && /^[^/]*:/.test(dest)) ctx.out.add(msg.sandbox.rsyncRemote(show(dest)))
  else if (dest && pos.length >= 2) checkPath(dest, 'rsync →', scope, ctx)
  if (args.some((a) => a.startsWith('--remove-source-files'))) for (const p of pos.slice(0, -1)) checkPath(p, 'rsync --remove-source-files', scope, ctx)
}

const http: Rule = async (name, args, argv, scope, ctx) => {
  const output = name === 'curl' ? option(args, '-o', '--output') : option(args, '-O', '--output-document')
  if (output && output !== '-') checkPath(output, `${name} -o`, scope, ctx)
  if (name === 'curl' && args.some((a) => a === '-O' || a === '--remote-name')) checkPath('.', 'curl -O', scope, ctx)
  if (name === 'wget' && !output) checkPath(option(args, '-P', '--directory-prefix') ?? '.', 'wget', scope, ctx)
  const d = await effects(argv)
  if (d.reasons.length === 0) return
  const urls = args.filter((a) => /^https?:\/\//.test(a))
  const local = (u: string) => {
    try {
      const h = new URL(u.replace(new RegExp(PLACEHOLDER, 'g'), 'x')).hostname
      return h === '127.0.0.1' || h === 'localhost'
    } catch {
      return false
    }
  }
  if (urls.length === 0 || !urls.every(local)) ctx.out.add(msg.sandbox.httpOutside(name, d.reasons.join('; ')))
}

const git: Rule = async (_name, args, argv, scope, ctx) => {
  const dir = option(args, '-C', null)
  const d = await effects(argv)
  const pos = positionals(args, 'Cc')
  if (pos[0] === 'clone') {
    checkPath(pos[2] ?? '.', 'git clone →', scope, ctx)
    return
  }
  if (d.reasons.length === 0) return
  const repo = dir !== undefined ? (known(dir) ? path.resolve(scope.cwd ?? '/', dir) : PLACEHOLDER) : (scope.cwd ?? PLACEHOLDER)
  checkPath(repo, msg.sandbox.gitRepository(pos[0] ?? ''), scope, ctx)
}

/** The server a PostgreSQL client connects to: a URL, -h/-p, or PGHOST from the step's env. */
function dbTarget(args: string[], env: Record<string, string>): string | undefined {
  const urls = args.filter((a) => /^postgres(ql)?:\/\//.test(a))
  const dbOpt = option(args, '-d', '--dbname')
  if (dbOpt && /^postgres(ql)?:\/\//.test(dbOpt)) urls.push(dbOpt)
  if (urls[0]) return urls[0]
  const host = option(args, '-h', '--host')
  const port = option(args, '-p', '--port')
  const database = dbOpt ?? positionals(args, 'dhpUfoc')[0] ?? env.PGDATABASE ?? ''
  if (host !== undefined || port !== undefined) return `postgres://${host ?? env.PGHOST ?? '127.0.0.1'}:${port ?? env.PGPORT ?? '5432'}/${database}`
  return env.PGHOST ? `postgres://${env.PGHOST}:${env.PGPORT ?? '5432'}/${database}` : undefined
}

const dbClient: Rule = async (name, args, argv, scope, ctx) => {
  const file = name === 'psql' ? option(args, '-o', '--output') : name.startsWith('pg_dump') || name === 'pg_restore' ? option(args, '-f', '--file') : undefined
  if (file) checkPath(file, `${name} -f`, scope, ctx)
  // pg_restore's positional is the archive it reads: it reaches a database only through -d, and
  // never when it lists the archive (-l) or writes a script (no -d).
  if (name === 'pg_restore' && (args.some((a) => a === '-l' || a === '--list') || option(args, '-d', '--dbname') === undefined)) return
  const d = await effects(argv)
  if (d.reasons.length === 0 && !['dropdb', 'createdb', 'pg_restore'].includes(name)) return
  const target = dbTarget(args, ctx.env)
  if (!target) {
    ctx.out.add(msg.sandbox.dbNoTarget(name))
    return
  }
  if (target.includes(PLACEHOLDER)) return
  if (!sameServer(target, sandboxEnv(ctx).DATABASE_URL, 5432)) ctx.out.add(msg.sandbox.dbOutside(name, target.replace(/:[^:@/]*@/, ':***@')))
}

/** redis-cli: only a server named on the command line is checked (the shim points it at REDIS_URL). */
export async function checkRedisClient(argv: string[], ctx: Ctx): Promise<void> {
  const args = argv.slice(1)
  const url = option(args, '-u', '--url') ?? args.find((a) => /^rediss?:\/\//.test(a))
  const host = option(args, '-h', null)
  const port = option(args, '-p', null)
  const db = option(args, '-n', null)
  if (!url && host === undefined && port === undefined) return
  const target = url ?? `redis://${host ?? '127.0.0.1'}:${port ?? '6379'}/${db ?? '0'}`
  if (target.includes(PLACEHOLDER)) return
  const d = await effects(argv)
  if (d.reasons.length > 0 && !sameServer(target, sandboxEnv(ctx).REDIS_URL, 6379)) ctx.out.add(msg.sandbox.redisOutside(target))
}

const DB_CLIENTS = ['psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'createdb', 'dropdb', 'vacuumdb', 'reindexdb', 'clusterdb', 'pgbench', 'createuser', 'dropuser']

export const REMOTE: Readonly<Record<string, Rule>> = {
  ssh: remoteShell,
  scp: remoteShell,
  sftp: remoteShell,
  rsync,
  curl: http,
  wget: http,
  git,
  ...Object.fromEntries(DB_CLIENTS.map((n) => [n, dbClient])),
}
