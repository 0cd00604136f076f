// The sandbox's real servers. PostgreSQL: the server of $SANDBOX_DATABASE_URL, else a local one
// ($SANDBOX_LOCAL_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), else a
// throwaway cluster started from the installed binaries. Redis likewise ($SANDBOX_REDIS_URL,
// $SANDBOX_LOCAL_REDIS_URL, a throwaway redis-server). DATABASE_URL and REDIS_URL are never read.
// On a shared server the sandbox owns one database (and one Redis database number) only.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'
import pg from 'pg'
import { canConnect, startThrowawayPostgres, startThrowawayRedis } from './servers.js'
import { DATA_VERSION, generateSql, REDIS_OWNER_KEY, SCHEMA_SQL, seedRedis, WARMUP_SQL, type DataScale } from './data.js'
import { databaseName, sandboxId } from './paths.js'
import { maskUrl, type PgState, type RedisState } from './state.js'

export const LOCAL_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379'

type Env = Record<string, string | undefined>
type Log = (message: string) => void

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${encodeURIComponent(database)}`
  return u.toString()
}

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const u = new URL(url)
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) }
}

export async function pgClient(url: string, timeoutMs = 5000): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'runbook sandbox' })
  client.on('error', () => undefined)
  await client.connect()
  return client
}

async function pgWorks(url: string): Promise<string | undefined> {
  const { host, port } = hostPort(url, 5432)
  if (!(await canConnect(host, port, 1500))) return `nothing listens on ${host}:${port}`
  try {
    const c = await pgClient(url, 4000)
    await c.end()
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

/** Whether every folder above `dir` lets other users through (the postgres user must reach its data). */
function reachableByOthers(dir: string): boolean {
  let d = path.resolve(dir)
  for (;;) {
    try {
      if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false
    } catch {
      return false
    }
    const up = path.dirname(d)
    if (up === d) return true
    d = up
  }
}

function throwawayPgDir(root: string): string {
  const inside = path.join(root, 'servers', 'postgres')
  if (process.getuid?.() !== 0 || reachableByOthers(root)) return inside
  return path.join(os.tmpdir(), `runbook-sandbox-pg-${sandboxId(root)}`)
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0])
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

export { alive as isAlive } from './standins.js'
import { alive as isAlive } from './standins.js'

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (!isAlive(pid)) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return !isAlive(pid)
}

/** Finds or starts the PostgreSQL server and makes sure the sandbox database exists. */
export async function ensurePostgres(root: string, previous: PgState | undefined, env: Env, log: Log): Promise<{ pg: PgState; started: boolean }> {
  const database = databaseName(root)
  let adminUrl: string | undefined
  let mode: PgState['mode'] = 'given'
  let dataDir: string | undefined
  let port: number | undefined
  let started = false
  if (env.SANDBOX_DATABASE_URL) {
    adminUrl = env.SANDBOX_DATABASE_URL
    const problem = await pgWorks(adminUrl)
    if (problem) throw new Error(`SANDBOX_DATABASE_URL (${maskUrl(adminUrl)}) does not answer: ${problem}`)
  } else if (previous?.mode === 'throwaway' && previous.dataDir && existsSync(path.join(previous.dataDir, 'pgdata', 'PG_VERSION'))) {
    mode = 'throwaway'
    dataDir = previous.dataDir
    if (previous.port && isAlive(postmasterPid(dataDir)) && !(await pgWorks(previous.adminUrl))) {
      adminUrl = previous.adminUrl
      port = previous.port
    } else {
      log(`starting the sandbox's PostgreSQL again (${dataDir})`)
      const server = await startThrowawayPostgres(dataDir)
      adminUrl = server.url
      port = server.port
      started = true
    }
  } else {
    const local = env.SANDBOX_LOCAL_DATABASE_URL || LOCAL_PG_URL
    const problem = await pgWorks(local)
    if (!problem) {
      mode = 'local'
      adminUrl = local
    } else {
      mode = 'throwaway'
      dataDir = throwawayPgDir(root)
      log(`no PostgreSQL at ${maskUrl(local)} (${problem}); starting a throwaway cluster in ${dataDir}`)
      const server = await startThrowawayPostgres(dataDir)
      adminUrl = server.url
      port = server.port
      started = true
    }
  }
  const admin = await pgClient(adminUrl)
  try {
    if (mode === 'local' && ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(adminUrl).hostname)) await dropOrphanDatabases(admin, root, log)
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${database}"`)
      await admin.query(`COMMENT ON DATABASE "${database}" IS ${literal(`${OWNER_COMMENT}${root}`)}`)
    }
  } finally {
    await admin.end()
  }
  return { pg: { mode, adminUrl, url: withDatabase(adminUrl, database), database, dataDir, port }, started }
}

const OWNER_COMMENT = 'runbook sandbox: '
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`

/**
 * On this machine's server: drops the databases of sandboxes whose folder is gone (a temp folder
 * deleted without `down --purge`), recognised by their name and the owner in their comment.
 */
async function dropOrphanDatabases(admin: pg.Client, root: string, log: Log): Promise<void> {
  const r = await admin.query<{ datname: string; owner: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS owner FROM pg_database WHERE datname ~ '^excelapp_sandbox_[0-9a-f]{10}$'`,
  )
  for (const db of r.rows) {
    const owner = db.owner?.startsWith(OWNER_COMMENT) ? db.owner.slice(OWNER_COMMENT.length) : undefined
    if (!owner || owner === root || !path.isAbsolute(owner) || existsSync(owner)) continue
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${db.datname}" WITH (FORCE)`)
      log(`dropped ${db.datname}: its sandbox folder ${owner} is gone`)
    } catch {
      // in use or not ours to drop: leave it
    }
  }
}

/** Stops a throwaway PostgreSQL cluster (fast shutdown). */
export async function stopThrowawayPostgres(state: PgState): Promise<boolean> {
  if (state.mode !== 'throwaway' || !state.dataDir) return false
  const pid = postmasterPid(state.dataDir)
  if (!isAlive(pid)) return false
  process.kill(pid!, 'SIGINT')
  if (!(await waitGone(pid!, 15_000))) process.kill(pid!, 'SIGKILL')
  return true
}

export async function dataVersion(url: string): Promise<string | undefined> {
  const c = await pgClient(url)
  try {
    const r = await c.query<{ value: string }>(`SELECT value FROM sandbox_meta WHERE key = 'data_version'`)
    return r.rows[0]?.value
  } catch {
    return undefined
  } finally {
    await c.end()
  }
}

/** Creates the schema and generates the data in one transaction, then ANALYZE and warm-up queries. */
export async function generateData(url: string, scale: DataScale, log: Log): Promise<{ ms: number; pgStatStatements: boolean }> {
  const t0 = Date.now()
  const c = await pgClient(url)
  let pgStatStatements = false
  try {
    await c.query(`SET client_min_messages = warning`)
    await c.query('BEGIN')
    await c.query(SCHEMA_SQL)
    await c.query(generateSql(scale))
    await c.query('COMMIT')
    await c.query('ANALYZE')
    try {
      await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      await c.query('SELECT 1 FROM pg_stat_statements LIMIT 1')
      pgStatStatements = true
    } catch {
      // not preloaded on this server: the performance runbook skips its query statistics
    }
    for (const q of WARMUP_SQL) await c.query(q)
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined)
    throw e
  } finally {
    await c.end()
  }
  const ms = Date.now() - t0
  log(`generated the ExcelApp data in ${(ms / 1000).toFixed(1)} s`)
  return { ms, pgStatStatements }
}

export async function hasPgStatStatements(url: string): Promise<boolean> {
  const c = await pgClient(url)
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
    await c.query('SELECT 1 FROM pg_stat_statements LIMIT 1')
    return true
  } catch {
    return false
  } finally {
    await c.end()
  }
}

export function needsData(version: string | undefined): boolean {
  return version !== DATA_VERSION
}

/** Drops the sandbox's database (never any other): `down --purge` and `reset`. */
export async function dropDatabase(state: PgState): Promise<void> {
  if (!/^excelapp_sandbox(_[0-9a-f]+)?$/.test(state.database)) throw new Error(`refusing to drop ${state.database}: not a sandbox database`)
  const c = await pgClient(state.adminUrl)
  try {
    await c.query(`DROP DATABASE IF EXISTS "${state.database}" WITH (FORCE)`)
  } finally {
    await c.end()
  }
}

export async function createDatabase(state: PgState): Promise<void> {
  const c = await pgClient(state.adminUrl)
  try {
    await c.query(`CREATE DATABASE "${state.database}"`)
  } finally {
    await c.end()
  }
}

export function removeThrowawayPgData(state: PgState): void {
  if (state.mode === 'throwaway' && state.dataDir && existsSync(path.join(state.dataDir, 'pgdata'))) rmSync(state.dataDir, { recursive: true, force: true })
}

// ---------------------------------------------------------------------------------------------
// Redis

async function redisClient(url: string): Promise<Redis> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, retryStrategy: () => null })
  r.on('error', () => undefined)
  await r.connect()
  return r
}

async function redisWorks(url: string): Promise<string | undefined> {
  const { host, port } = hostPort(url, 6379)
  if (!(await canConnect(host, port, 1500))) return `nothing listens on ${host}:${port}`
  try {
    const r = await redisClient(url)
    await r.ping()
    r.disconnect()
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

function redisDbOf(url: string): number | undefined {
  const p = new URL(url).pathname.replace(/^\//, '')
  return p === '' ? undefined : Number(p)
}

function withRedisDb(url: string, db: number): string {
  const u = new URL(url)
  u.pathname = `/${db}`
  return u.toString()
}

/** Database numbers a sandbox may claim on a shared Redis (0 is the app's, 13 the test suite's). */
const CLAIMABLE = [15, 14, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]

/** Claims a database number of its own on a shared server: one that is ours already, or an empty one. */
async function claimRedisDb(url: string, root: string, preferred: number | undefined): Promise<number> {
  const r = await redisClient(url)
  try {
    const order = preferred !== undefined ? [preferred, ...CLAIMABLE.filter((n) => n !== preferred)] : CLAIMABLE
    let databases = 16
    try {
      const conf = (await r.call('CONFIG', 'GET', 'databases')) as string[]
      databases = Number(conf[1] ?? 16)
    } catch {
      // CONFIG may be disabled: assume the default
    }
    const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname)
    if (loopback) {
      // Sandboxes on this machine whose folder is gone (deleted without `down --purge`): free their numbers.
      for (const db of order.filter((n) => n < databases)) {
        await r.select(db)
        const owner = await r.get(REDIS_OWNER_KEY)
        if (!owner || owner === root || !path.isAbsolute(owner) || existsSync(owner)) continue
        await r.watch(REDIS_OWNER_KEY)
        if ((await r.get(REDIS_OWNER_KEY)) === owner) await r.multi().flushdb().exec()
        else await r.unwatch()
      }
    }
    for (const db of order.filter((n) => n < databases)) {
      await r.select(db)
      const owner = await r.get(REDIS_OWNER_KEY)
      if (owner === root) return db
      if (owner === null && (await r.dbsize()) === 0) {
        if ((await r.set(REDIS_OWNER_KEY, root, 'NX')) === 'OK') return db
      }
    }
    throw new Error('no free Redis database number for the sandbox (all of 1–15 are in use)')
  } finally {
    r.disconnect()
  }
}

export async function ensureRedis(root: string, previous: RedisState | undefined, env: Env, defaultSandbox: boolean, log: Log): Promise<{ redis: RedisState; started: boolean }> {
  let started = false
  if (env.SANDBOX_REDIS_URL) {
    const given = env.SANDBOX_REDIS_URL
    const problem = await redisWorks(given)
    if (problem) throw new Error(`SANDBOX_REDIS_URL (${maskUrl(given)}) does not answer: ${problem}`)
    const db = redisDbOf(given) ?? (await claimRedisDb(given, root, previous?.mode === 'given' ? previous.db : undefined))
    return { redis: { mode: 'given', url: withRedisDb(given, db), db }, started }
  }
  if (previous?.mode === 'throwaway' && previous.dataDir) {
    if (previous.port && !(await redisWorks(previous.url))) return { redis: { ...previous, pid: isAlive(previous.pid) ? previous.pid : await redisPid(previous.dataDir) }, started }
    log('starting the sandbox\'s Redis again')
    const server = await startThrowawayRedis(previous.dataDir)
    return { redis: { mode: 'throwaway', url: `${server.url}/0`, db: 0, dataDir: previous.dataDir, port: server.port, pid: await redisPid(previous.dataDir) }, started: true }
  }
  const local = env.SANDBOX_LOCAL_REDIS_URL || LOCAL_REDIS_URL
  const problem = await redisWorks(local)
  if (!problem) {
    const preferred = previous?.mode === 'local' ? previous.db : defaultSandbox ? 15 : CLAIMABLE[1 + (parseInt(sandboxId(root).slice(0, 6), 16) % (CLAIMABLE.length - 1))]
    const db = await claimRedisDb(local, root, preferred)
    return { redis: { mode: 'local', url: withRedisDb(local, db), db }, started }
  }
  const dataDir = path.join(root, 'servers', 'redis')
  log(`no Redis at ${maskUrl(local)} (${problem}); starting a throwaway redis-server`)
  const server = await startThrowawayRedis(dataDir)
  started = true
  return { redis: { mode: 'throwaway', url: `${server.url}/0`, db: 0, dataDir, port: server.port, pid: await redisPid(dataDir) }, started }
}

function readRedisPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dataDir, 'redis.pid'), 'utf8').trim()) || undefined
  } catch {
    return undefined
  }
}

/** The daemonized redis-server writes its pid file a moment after it answers: wait for it. */
async function redisPid(dataDir: string): Promise<number | undefined> {
  for (let i = 0; i < 60; i++) {
    const pid = readRedisPid(dataDir)
    if (pid && isAlive(pid)) return pid
    await new Promise((r) => setTimeout(r, 50))
  }
  return readRedisPid(dataDir)
}

export async function stopThrowawayRedis(state: RedisState): Promise<boolean> {
  if (state.mode !== 'throwaway' || !state.dataDir) return false
  const pid = readRedisPid(state.dataDir) ?? state.pid
  if (!isAlive(pid)) {
    // No pid to go by: ask the server on its port to shut down.
    if (state.port && (await canConnect('127.0.0.1', state.port, 300))) {
      try {
        const r = await redisClient(`redis://127.0.0.1:${state.port}`)
        await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined)
        r.disconnect()
        return true
      } catch {
        return false
      }
    }
    return false
  }
  // Only a redis-server: the pid file may be stale and the number reused.
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    if (!cmd.includes('redis-server')) return false
  } catch {
    // no /proc: trust the pid file
  }
  process.kill(pid!, 'SIGTERM')
  if (!(await waitGone(pid!, 5000))) process.kill(pid!, 'SIGKILL')
  return true
}

/** Seeds the sandbox's Redis database unless it is seeded already (or `force`, after a flush). */
export async function seedRedisDb(state: RedisState, root: string, force: boolean): Promise<number> {
  const r = await redisClient(state.url)
  try {
    if (!force && (await r.exists('excelapp:feature_flags'))) return 0
    if (force) await r.flushdb()
    return await seedRedis(r, root)
  } finally {
    r.disconnect()
  }
}

/** Empties the sandbox's Redis database (its own number only). */
export async function flushRedisDb(state: RedisState): Promise<void> {
  const r = await redisClient(state.url)
  try {
    await r.flushdb()
  } finally {
    r.disconnect()
  }
}

export function pgBinaryVersion(): string | undefined {
  try {
    return execFileSync('pg_config', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return undefined
  }
}
