// The sandbox's PostgreSQL: the server of $SANDBOX_DATABASE_URL, else a local one
// ($SANDBOX_LOCAL_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), else a
// throwaway cluster started from the installed binaries. DATABASE_URL is never read. On a shared
// server the sandbox owns one database only; it creates, fills, and drops only that one.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { msg } from '../runner/api.js'
import { DATA_VERSION, generateSql, SCHEMA_SQL, WARMUP_SQL, type DataScale } from './data/index.js'
import { databaseName, sandboxId } from './paths.js'
import { serverProblem, startThrowawayPostgres } from './servers.js'
import { alive, waitGone } from './standins.js'
import { maskUrl, type PgState } from './state.js'

export const LOCAL_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

type Env = Record<string, string | undefined>
type Log = (message: string) => void

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${encodeURIComponent(database)}`
  return u.toString()
}

export async function pgClient(url: string, timeoutMs = 5000): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'runbook sandbox' })
  client.on('error', () => undefined)
  await client.connect()
  return client
}

async function pgWorks(url: string): Promise<string | undefined> {
  const nobody = await serverProblem(url, 5432)
  if (nobody) return nobody
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
    if (problem) throw new Error(msg.sandbox.givenServerDown('SANDBOX_DATABASE_URL', maskUrl(adminUrl), problem))
  } else if (previous?.mode === 'throwaway' && previous.dataDir && existsSync(path.join(previous.dataDir, 'pgdata', 'PG_VERSION'))) {
    mode = 'throwaway'
    dataDir = previous.dataDir
    if (previous.port && alive(postmasterPid(dataDir)) && !(await pgWorks(previous.adminUrl))) {
      adminUrl = previous.adminUrl
      port = previous.port
    } else {
      log(msg.sandbox.pgStartingAgain(dataDir))
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
      log(msg.sandbox.pgThrowaway(maskUrl(local), problem, dataDir))
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
      log(msg.sandbox.orphanDropped(db.datname, owner))
    } catch {
      // in use or not ours to drop: leave it
    }
  }
}

/** Stops a throwaway PostgreSQL cluster (fast shutdown). */
export async function stopThrowawayPostgres(state: PgState): Promise<boolean> {
  if (state.mode !== 'throwaway' || !state.dataDir) return false
  const pid = postmasterPid(state.dataDir)
  if (!alive(pid)) return false
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
export async function generateData(url: string, scale: DataScale, now: Date, log: Log): Promise<{ ms: number; pgStatStatements: boolean }> {
  const t0 = performance.now()
  const c = await pgClient(url)
  let pgStatStatements = false
  try {
    await c.query(`SET client_min_messages = warning`)
    await c.query('BEGIN')
    await c.query(SCHEMA_SQL)
    await c.query(generateSql(scale, now))
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
  const ms = performance.now() - t0
  log(msg.sandbox.generatedData((ms / 1000).toFixed(1)))
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
  if (!/^excelapp_sandbox(_[0-9a-f]+)?$/.test(state.database)) throw new Error(msg.sandbox.notSandboxDatabase(state.database))
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
