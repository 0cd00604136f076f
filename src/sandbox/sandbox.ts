// `runbook sandbox up | down | reset | break | heal`: the orchestration over the servers, the
// data, the files, the shims, the stand-ins and the drills. Messages go to `log` (stderr).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { canConnect, freePort } from './servers.js'
import { scaleFrom } from './data.js'
import {
  createDatabase,
  dataVersion,
  dropDatabase,
  ensurePostgres,
  ensureRedis,
  flushRedisDb,
  generateData,
  hasPgStatStatements,
  needsData,
  removeThrowawayPgData,
  seedRedisDb,
  stopThrowawayPostgres,
  stopThrowawayRedis,
} from './db.js'
import { breakFault, healAll, healFault, reconcileFaults, stopDrillProcesses } from './faults.js'
import { seedApp, seedBackups, seedFiles, seedHostFiles, seedLogs, seedSecurityFiles, seedStorage } from './files.js'
import { defaultHostState, hostStatePath, recordHistory, updateHostState, writeHostState, type FaultName } from './host.js'
import { BUCKET, DEFAULT_SANDBOX_DIR, layout, projectRoot } from './paths.js'
import { buildPrograms, writeShims } from './shims.js'
import { alive, ROLES, runningStandin, startStandin, stopStandin, type Role } from './standins.js'
import { readState, writeState, type SandboxState } from './state.js'

type Env = Record<string, string | undefined>
export type Log = (message: string) => void

export class SandboxError extends Error {}

export const DEFAULT_FORMULA_ENGINE_PORT = 3002

/** The sandbox's env file, as KEY=value lines (what `runbook run --sandbox` reads). */
export function sandboxEnvValues(root: string, state: SandboxState, basePath: string): Record<string, string> {
  const l = layout(root)
  if (!state.pg || !state.redis || !state.app || !state.formulaEngine) throw new SandboxError('the sandbox is not complete; run `runbook sandbox up`')
  const pgUrl = new URL(state.pg.url)
  return {
    SANDBOX: '1',
    SANDBOX_DIR: root,
    DATABASE_URL: state.pg.url,
    REDIS_URL: state.redis.url,
    APP_URL: `http://127.0.0.1:${state.app.port}`,
    FORMULA_ENGINE_URL: `http://127.0.0.1:${state.formulaEngine.port}`,
    LOG_DIR: l.log,
    STORAGE_DIR: l.storage,
    BACKUP_DIR: l.backups,
    BACKUP_S3_URI: `s3://${BUCKET}`,
    APP_DIR: l.app,
    SSHD_CONFIG: l.sshdConfig,
    SUDOERS: l.sudoers,
    AUTH_LOG: l.authLog,
    SYSLOG: l.syslog,
    SYSTEM_LOG_DIR: l.hostLog,
    RAILS_ENV: 'production',
    PGHOST: pgUrl.hostname,
    PGPORT: pgUrl.port || '5432',
    PGUSER: decodeURIComponent(pgUrl.username || 'postgres'),
    PGDATABASE: state.pg.database,
    ...(pgUrl.password ? { PGPASSWORD: decodeURIComponent(pgUrl.password) } : {}),
    PATH: [l.bin, basePath].filter(Boolean).join(path.delimiter),
  }
}

function envLine(key: string, value: string): string {
  if (/^[\w@%+=:,./-]*$/.test(value)) return `${key}=${value}`
  if (!value.includes("'") && !value.includes('\n')) return `${key}='${value}'`
  return `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

export function writeEnvFile(root: string, values: Record<string, string>): void {
  const lines = [
    '# ExcelApp sandbox: written by `runbook sandbox up`; read by `runbook run FILE --sandbox`.',
    '# Every path is inside the sandbox folder; PATH starts with its command shims.',
    ...Object.entries(values).map(([k, v]) => envLine(k, v)),
  ]
  writeFileSync(layout(root).env, lines.join('\n') + '\n')
}

/** PATH without the sandbox's own shim folder (so `up` from a sandbox run does not nest it). */
function basePath(root: string, env: Env): string {
  const bin = layout(root).bin
  return (env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
    .split(path.delimiter)
    .filter((d) => d && path.resolve(d) !== bin)
    .join(path.delimiter)
}

async function portFree(port: number): Promise<boolean> {
  return !(await canConnect('127.0.0.1', port, 300))
}

async function choosePort(root: string, role: Role, previous: number | undefined, env: Env): Promise<number> {
  const running = runningStandin(root, role)
  if (running) return running.port
  if (role === 'formula-engine') {
    const configured = env.SANDBOX_FORMULA_ENGINE_PORT?.trim()
    if (configured && configured !== '0') {
      const port = Number(configured)
      if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new SandboxError(`SANDBOX_FORMULA_ENGINE_PORT must be a port number, got "${configured}"`)
      if (!(await portFree(port))) throw new SandboxError(`SANDBOX_FORMULA_ENGINE_PORT ${port} is taken by another process`)
      return port
    }
    if (previous && (await portFree(previous))) return previous
    if (configured !== '0' && (await portFree(DEFAULT_FORMULA_ENGINE_PORT))) return DEFAULT_FORMULA_ENGINE_PORT
    return freePort()
  }
  if (previous && (await portFree(previous))) return previous
  return freePort()
}

/** One `up`, `reset` or `down` at a time per sandbox folder (a second one waits, then gives up). */
async function exclusive<T>(root: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(path.join(root, 'run'), { recursive: true })
  const lock = path.join(root, 'run', 'sandbox.lock')
  const end = Date.now() + 120_000
  for (;;) {
    try {
      const fd = openSync(lock, 'wx')
      writeFileSync(fd, String(process.pid))
      closeSync(fd)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const holder = Number(readFileSync(lock, 'utf8').trim() || 0)
      if (!alive(holder)) {
        rmSync(lock, { force: true })
        continue
      }
      if (Date.now() > end) throw new SandboxError(`another sandbox command (pid ${holder}) is still working on ${root}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  try {
    return await work()
  } finally {
    rmSync(lock, { force: true })
  }
}

export interface UpResult {
  root: string
  ms: number
  generated: boolean
  state: SandboxState
  env: Record<string, string>
}

/** Brings the sandbox up (idempotent): servers, data, files, shims, stand-ins, env file. */
export function up(root: string, env: Env, log: Log): Promise<UpResult> {
  return exclusive(root, () => upNow(root, env, log))
}

async function upNow(root: string, env: Env, log: Log): Promise<UpResult> {
  const t0 = Date.now()
  const l = layout(root)
  mkdirSync(l.run, { recursive: true })
  const previous = readState(root)
  const state: SandboxState = previous ?? { version: 1, root, createdAt: new Date().toISOString() }
  state.node = process.execPath
  await buildPrograms(root)
  writeShims(root)

  const pg = await ensurePostgres(root, previous?.pg, env, log)
  state.pg = { ...previous?.pg, ...pg.pg }
  writeState(root, state) // so that `down` can stop a started server even if a later step fails
  let generated = false
  if (needsData(await dataVersion(state.pg.url))) {
    log(`generating two years of ExcelApp data in ${state.pg.database}…`)
    const g = await generateData(state.pg.url, scaleFrom(env), log)
    state.pg.hasPgStatStatements = g.pgStatStatements
    generated = true
  } else state.pg.hasPgStatStatements = await hasPgStatStatements(state.pg.url)

  const defaultSandbox = root === path.join(projectRoot(), DEFAULT_SANDBOX_DIR)
  const redis = await ensureRedis(root, previous?.redis, env, defaultSandbox, log)
  state.redis = redis.redis
  writeState(root, state)
  await seedRedisDb(state.redis, root, false)

  if (!existsSync(l.productionLog)) seedLogs(root)
  if (!existsSync(l.storage)) seedStorage(root)
  if (!existsSync(l.backups) || !existsSync(l.bucket)) seedBackups(root)
  if (!existsSync(l.crontab) && !existsSync(l.history)) seedHostFiles(root)
  else if (!existsSync(l.sshdConfig) || !existsSync(l.authLog)) seedSecurityFiles(root)
  if (!existsSync(l.app)) seedApp(root)
  if (!existsSync(hostStatePath(root))) writeHostState(root, defaultHostState())
  reconcileFaults(root)
  updateHostState(root, (s) => {
    for (const svc of ['excelapp-rails', 'formula-engine']) if (!s.services[svc]?.active) s.services[svc] = { active: true, since: new Date().toISOString() }
  })

  const appPort = await choosePort(root, 'app', previous?.app?.port, env)
  const app = await startStandin(root, 'app', appPort)
  state.app = { port: app.port, pid: app.pid }
  const fePort = await choosePort(root, 'formula-engine', previous?.formulaEngine?.port, env)
  const fe = await startStandin(root, 'formula-engine', fePort)
  state.formulaEngine = { port: fe.port, pid: fe.pid }

  const values = sandboxEnvValues(root, state, basePath(root, env))
  state.basePath = basePath(root, env)
  state.upAt = new Date().toISOString()
  writeEnvFile(root, values)
  writeState(root, state)
  recordHistory(root, 'sandbox up')
  return { root, ms: Date.now() - t0, generated, state, env: values }
}

function requireState(root: string): SandboxState {
  const state = readState(root)
  if (!state) throw new SandboxError(`no sandbox in ${root}; run \`runbook sandbox up\` first`)
  return state
}

export interface DownResult {
  stopped: string[]
  purged: boolean
}

/** Stops what `up` started (stand-ins, drill helpers, throwaway servers); `purge` also deletes the data. */
export async function down(root: string, opts: { purge?: boolean }, log: Log): Promise<DownResult> {
  if (!existsSync(root)) return { stopped: [], purged: false }
  return exclusive(root, () => downNow(root, opts, log))
}

async function downNow(root: string, opts: { purge?: boolean }, log: Log): Promise<DownResult> {
  const state = readState(root)
  const stopped: string[] = []
  if (!state) {
    if (opts.purge && existsSync(root) && existsSync(path.join(root, 'env')) === false && existsSync(path.join(root, 'host'))) rmSync(root, { recursive: true, force: true })
    return { stopped, purged: false }
  }
  await stopDrillProcesses(root, state)
  for (const role of ROLES) if (await stopStandin(root, role)) stopped.push(`${role} stand-in`)
  if (opts.purge && state.pg && state.pg.mode !== 'throwaway') {
    try {
      await dropDatabase(state.pg)
      log(`dropped database ${state.pg.database}`)
    } catch (e) {
      log(`could not drop database ${state.pg.database}: ${(e as Error).message}`)
    }
  }
  if (opts.purge && state.redis && state.redis.mode !== 'throwaway') {
    try {
      await flushRedisDb(state.redis)
      log(`emptied Redis database ${state.redis.db}`)
    } catch (e) {
      log(`could not empty Redis database ${state.redis.db}: ${(e as Error).message}`)
    }
  }
  if (state.pg && (await stopThrowawayPostgres(state.pg))) stopped.push('PostgreSQL (throwaway)')
  if (state.redis && (await stopThrowawayRedis(state.redis))) stopped.push('Redis (throwaway)')
  rmSync(layout(root).env, { force: true })
  if (opts.purge) {
    if (state.pg) removeThrowawayPgData(state.pg)
    rmSync(root, { recursive: true, force: true })
    return { stopped, purged: true }
  }
  delete state.upAt
  writeState(root, state)
  recordHistory(root, 'sandbox down')
  return { stopped, purged: false }
}

/** Restores the data: database regenerated, Redis reseeded, files and host state as after the first `up`. */
export async function reset(root: string, env: Env, log: Log): Promise<{ ms: number }> {
  requireState(root)
  return exclusive(root, () => resetNow(root, env, log))
}

async function resetNow(root: string, env: Env, log: Log): Promise<{ ms: number }> {
  const t0 = Date.now()
  const state = requireState(root)
  if (!state.pg || !state.redis || !existsSync(layout(root).env)) throw new SandboxError('the sandbox is not up; run `runbook sandbox up` first')
  await healAll(root, state).catch(() => undefined)
  await stopDrillProcesses(root, state)
  for (const role of ROLES) await stopStandin(root, role)
  await dropDatabase(state.pg)
  await createDatabase(state.pg)
  log(`regenerating the ExcelApp data in ${state.pg.database}…`)
  const g = await generateData(state.pg.url, scaleFrom(env), log)
  state.pg.hasPgStatStatements = g.pgStatStatements
  await seedRedisDb(state.redis, root, true)
  const l = layout(root)
  rmSync(l.log, { recursive: true, force: true })
  rmSync(l.host, { recursive: true, force: true })
  seedFiles(root)
  writeHostState(root, defaultHostState())
  const app = await startStandin(root, 'app', state.app!.port)
  const fe = await startStandin(root, 'formula-engine', state.formulaEngine!.port)
  state.app = { port: app.port, pid: app.pid }
  state.formulaEngine = { port: fe.port, pid: fe.pid }
  writeState(root, state)
  recordHistory(root, 'sandbox reset')
  return { ms: Date.now() - t0 }
}

export async function breakSandbox(root: string, fault: FaultName): Promise<string> {
  const state = requireState(root)
  if (!existsSync(layout(root).env)) throw new SandboxError('the sandbox is not up; run `runbook sandbox up` first')
  return breakFault(root, fault, state)
}

export async function healSandbox(root: string, fault?: FaultName): Promise<FaultName[]> {
  const state = requireState(root)
  if (fault) return (await healFault(root, fault, state)) ? [fault] : []
  return healAll(root, state)
}

export function readEnvFileText(root: string): string | undefined {
  try {
    return readFileSync(layout(root).env, 'utf8')
  } catch {
    return undefined
  }
}
