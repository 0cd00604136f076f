// Finding or starting PostgreSQL and Redis servers: a reachable one when there is one, else a
// throwaway server started from the installed binaries on a free port. Used by the sandbox and
// by the test setup.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { msg } from '../runner/api.js'

export function canConnect(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** Why a server URL cannot be used: nothing listens at its host and port (else undefined). */
export async function serverProblem(url: string, defaultPort: number): Promise<string | undefined> {
  const u = new URL(url)
  const host = u.hostname || '127.0.0.1'
  const port = Number(u.port || defaultPort)
  return (await canConnect(host, port, 1500)) ? undefined : msg.sandbox.nothingListens(host, port)
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Where Debian keeps initdb and postgres (not on PATH): `pg_config --bindir`, else the newest version folder. */
export function postgresBinDir(): string | undefined {
  const candidates: string[] = []
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
  } catch {
    // no pg_config
  }
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`))
  }
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')))
}

/** initdb refuses to run as root: run server commands as an unprivileged user then. */
function asServerUser(args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [args[0]!, args.slice(1)]
  const user = spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody'
  return ['runuser', ['-u', user, '--', ...args]]
}

function serverUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const user = spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody'
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

/**
 * The server runs as an unprivileged user, who must be able to reach its folder: a temp folder made
 * by mkdtemp (mode 0700, root's) on the way gets the search bit for others (not read).
 */
function makeTraversable(dir: string): void {
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = statSync(d).mode
    if ((mode & 0o001) === 0) chmodSync(d, (mode & 0o7777) | 0o001)
  }
}

export interface StartedServer {
  url: string
  port: number
  dir: string
  stop(): Promise<void>
}

/** Starts a throwaway PostgreSQL cluster in `dir` (trust auth, user postgres, pg_stat_statements loaded). */
export async function startThrowawayPostgres(dir: string): Promise<StartedServer> {
  const bin = postgresBinDir()
  if (!bin) throw new Error(msg.sandbox.pgBinariesMissing)
  mkdirSync(dir, { recursive: true })
  const data = path.join(dir, 'pgdata')
  const ids = serverUserIds()
  if (ids) {
    chownSync(dir, ids.uid, ids.gid)
    chmodSync(dir, 0o700)
    makeTraversable(path.dirname(dir))
  }
  const port = await freePort()
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    const [cmd, args] = asServerUser([path.join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'])
    const init = spawnSync(cmd, args, { encoding: 'utf8' })
    if (init.status !== 0) throw new Error(msg.sandbox.initdbFailed(init.stderr || init.stdout))
  }
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c fsync=off`
  const [cmd, args] = asServerUser([path.join(bin, 'pg_ctl'), '-D', data, '-l', path.join(dir, 'postgres.log'), '-o', options, '-w', '-t', '30', 'start'])
  let start = spawnSync(cmd, args, { encoding: 'utf8' })
  if (start.status !== 0) {
    // pg_stat_statements comes with postgresql-contrib; start without it rather than not at all.
    const plain = asServerUser([path.join(bin, 'pg_ctl'), '-D', data, '-l', path.join(dir, 'postgres.log'), '-o', options.replace(' -c shared_preload_libraries=pg_stat_statements', ''), '-w', '-t', '30', 'start'])
    start = spawnSync(plain[0], plain[1], { encoding: 'utf8' })
    if (start.status !== 0) throw new Error(msg.sandbox.pgCtlFailed(start.stderr || start.stdout))
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop: async () => {
      const [c, a] = asServerUser([path.join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop'])
      spawnSync(c, a)
    },
  }
}

/** Starts a throwaway redis-server (no persistence) on a free port. */
export async function startThrowawayRedis(dir: string): Promise<StartedServer> {
  mkdirSync(dir, { recursive: true })
  const port = await freePort()
  const pidFile = path.join(dir, 'redis.pid')
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'yes', '--pidfile', pidFile, '--logfile', path.join(dir, 'redis.log')], { stdio: 'ignore' })
  await new Promise<void>((resolve, reject) => {
    child.once('error', (e) => reject(new Error(msg.sandbox.redisNotStarted(e.message))))
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(msg.sandbox.redisExited(code)))))
  })
  for (let i = 0; i < 50 && !(await canConnect('127.0.0.1', port, 200)); i++) await new Promise((r) => setTimeout(r, 100))
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    stop: async () => {
      spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave'])
    },
  }
}
