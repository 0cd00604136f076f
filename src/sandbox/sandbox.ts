// `runbook sandbox up | down | reset | break | heal`: the orchestration over the servers, the
// data, the files, the shims, the stand-ins and the drills. Progress goes to `deps.log`, the time
// comes from `deps.now`; the real clock is the default only here, at the sandbox's edge.
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { msg, systemClock, type Clock } from '../runner/api.js'
import { scaleFrom } from './data/index.js'
import { basePath, sandboxEnvValues, writeEnvFile } from './env-file.js'
import { SandboxError } from './errors.js'
import { exclusive } from './exclusive.js'
import { breakFault, healAll, healFault, reconcileFaults, stopDrillProcesses } from './faults.js'
import { seedApp, seedBackups, seedFiles, seedHostFiles, seedLogs, seedSecurityFiles, seedStorage } from './files.js'
import { defaultHostState, hostStatePath, readHostState, recordHistory, updateHostState, writeHostState, type FaultName } from './host.js'
import { RAILS_LOG_FORMATS, railsLogFormatFrom, type RailsLogFormat } from './logs.js'
import { DEFAULT_SANDBOX_DIR, layout, projectRoot } from './paths.js'
import { choosePort } from './ports.js'
import { createDatabase, dataVersion, dropDatabase, ensurePostgres, generateData, hasPgStatStatements, needsData, removeThrowawayPgData, stopThrowawayPostgres } from './postgres.js'
import { ensureRedis, flushRedisDb, seedRedisDb, stopThrowawayRedis } from './redis.js'
import { buildPrograms, writeShims } from './shims.js'
import { ROLES, startStandin, stopStandin } from './standins.js'
import { readState, writeState, type PgState, type RedisState, type SandboxState } from './state.js'

type Env = Record<string, string | undefined>
export type Log = (message: string) => void

export interface SandboxDeps {
  now: Clock
}

const withDefaults = (deps: Partial<SandboxDeps>): SandboxDeps => ({ now: deps.now ?? systemClock })

export interface UpResult {
  root: string
  ms: number
  generated: boolean
  state: SandboxState
  env: Record<string, string>
}

/** Brings the sandbox up (idempotent): servers, data, files, shims, stand-ins, env file. */
export function up(root: string, env: Env, log: Log, deps: Partial<SandboxDeps> = {}): Promise<UpResult> {
  return exclusive(root, () => upNow(root, env, log, withDefaults(deps)))
}

/** PostgreSQL with the sandbox's data (generated when the database has none of this version). */
async function upPostgres(root: string, state: SandboxState, previous: SandboxState | undefined, env: Env, log: Log, now: Date): Promise<boolean> {
  const pg = await ensurePostgres(root, previous?.pg, env, log)
  const pgState: PgState = { ...previous?.pg, ...pg.pg }
  state.pg = pgState
  writeState(root, state) // so that `down` can stop a started server even if a later step fails
  if (!needsData(await dataVersion(pgState.url))) {
    pgState.hasPgStatStatements = await hasPgStatStatements(pgState.url)
    return false
  }
  log(msg.sandbox.generatingData(pgState.database))
  pgState.hasPgStatStatements = (await generateData(pgState.url, scaleFrom(env), now, log)).pgStatStatements
  return true
}

/** The files an earlier `up` did not leave (logs, storage, backups, host files, the app). */
function seedMissingFiles(root: string, now: Date, format: RailsLogFormat): void {
  const l = layout(root)
  if (!existsSync(l.productionLog)) seedLogs(root, now, format)
  if (!existsSync(l.storage)) seedStorage(root, now)
  if (!existsSync(l.backups) || !existsSync(l.bucket)) seedBackups(root, now)
  if (!existsSync(l.crontab) && !existsSync(l.history)) seedHostFiles(root, now)
  else if (!existsSync(l.sshdConfig) || !existsSync(l.authLog)) seedSecurityFiles(root, now)
  if (!existsSync(l.app)) seedApp(root, now)
  if (!existsSync(hostStatePath(root))) writeHostState(root, { ...defaultHostState(now), railsLogFormat: format })
}

/**
 * The app's log format: SANDBOX_RAILS_LOG_FORMAT (`current` or `tagged`) when set, else what the
 * sandbox already uses, else the current Rails default. An unknown value is refused, not ignored.
 */
function logFormat(root: string, env: Env, now: Date): RailsLogFormat {
  const asked = env.SANDBOX_RAILS_LOG_FORMAT
  if (asked) {
    const f = railsLogFormatFrom(asked)
    if (!f) throw new SandboxError(msg.sandbox.badLogFormat(asked, RAILS_LOG_FORMATS.join(', ')))
    return f
  }
  return existsSync(hostStatePath(root)) ? (readHostState(root, now).railsLogFormat ?? 'current') : 'current'
}

async function upNow(root: string, env: Env, log: Log, deps: SandboxDeps): Promise<UpResult> {
  const t0 = performance.now()
  const now = deps.now()
  // Checked before anything changes: a bad setting must not leave a half-made sandbox.
  const format = logFormat(root, env, now)
  mkdirSync(layout(root).run, { recursive: true })
  const previous = readState(root)
  const state: SandboxState = previous ?? { version: 1, root, createdAt: now.toISOString() }
  state.node = process.execPath
  // Its stages, each said as it starts and when it ends: `up` from nothing takes a while.
  const stage = stages(log)
  stage('programs')
  await buildPrograms(root)
  writeShims(root)
  stage('postgres')
  const generated = await upPostgres(root, state, previous, env, log, now)
  stage('redis')
  const defaultSandbox = root === path.join(projectRoot(), DEFAULT_SANDBOX_DIR)
  const redis: RedisState = (await ensureRedis(root, previous?.redis, env, defaultSandbox, log)).redis
  state.redis = redis
  writeState(root, state)
  await seedRedisDb(redis, root, false, now)

  stage('files')
  seedMissingFiles(root, now, format)
  reconcileFaults(root, now)
  updateHostState(root, now, (s) => {
    for (const svc of ['excelapp-rails', 'formula-engine']) if (!s.services[svc]?.active) s.services[svc] = { active: true, since: now.toISOString() }
  })

  stage('standins')
  const app = await startStandin(root, 'app', await choosePort(root, 'app', previous?.app?.port, env), now)
  state.app = { port: app.port, pid: app.pid }
  const fe = await startStandin(root, 'formula-engine', await choosePort(root, 'formula-engine', previous?.formulaEngine?.port, env), now)
  state.formulaEngine = { port: fe.port, pid: fe.pid }

  stage('env')
  const values = sandboxEnvValues(root, state, basePath(root, env))
  state.basePath = basePath(root, env)
  state.upAt = deps.now().toISOString()
  writeEnvFile(root, values)
  writeState(root, state)
  recordHistory(root, 'sandbox up', deps.now())
  stage()
  return { root, ms: performance.now() - t0, generated, state, env: values }
}

type Stage = keyof typeof msg.sandbox.upStageNames
const STAGES: Stage[] = ['programs', 'postgres', 'redis', 'files', 'standins', 'env']

/** Says each stage as it starts, and how long the one before took; `stage()` ends the last. */
function stages(log: Log): (next?: Stage) => void {
  let started = 0
  let n = 0
  return (next) => {
    if (n > 0) log(`  ${msg.sandbox.upStageDone(((performance.now() - started) / 1000).toFixed(1))}`)
    if (!next) return
    n++
    started = performance.now()
    log(msg.sandbox.upStage(n, STAGES.length, msg.sandbox.upStageNames[next]))
  }
}

function requireState(root: string): SandboxState {
  const state = readState(root)
  if (!state) throw new SandboxError(msg.sandbox.noSandbox(root))
  return state
}

export interface DownResult {
  stopped: string[]
  purged: boolean
}

/** Stops what `up` started (stand-ins, drill helpers, throwaway servers); `purge` also deletes the data. */
export async function down(root: string, opts: { purge?: boolean }, log: Log, deps: Partial<SandboxDeps> = {}): Promise<DownResult> {
  if (!existsSync(root)) return { stopped: [], purged: false }
  return exclusive(root, () => downNow(root, opts, log, withDefaults(deps)))
}

/** `down --purge` on a shared server: the sandbox's own database and Redis database number only. */
async function purgeData(state: SandboxState, log: Log): Promise<void> {
  if (state.pg && state.pg.mode !== 'throwaway') {
    try {
      await dropDatabase(state.pg)
      log(msg.sandbox.databaseDropped(state.pg.database))
    } catch (e) {
      log(msg.sandbox.databaseNotDropped(state.pg.database, (e as Error).message))
    }
  }
  if (state.redis && state.redis.mode !== 'throwaway') {
    try {
      await flushRedisDb(state.redis)
      log(msg.sandbox.redisEmptied(state.redis.db))
    } catch (e) {
      log(msg.sandbox.redisNotEmptied(state.redis.db, (e as Error).message))
    }
  }
}

async function downNow(root: string, opts: { purge?: boolean }, log: Log, deps: SandboxDeps): Promise<DownResult> {
  const state = readState(root)
  const stopped: string[] = []
  if (!state) {
    if (opts.purge && existsSync(root) && existsSync(path.join(root, 'env')) === false && existsSync(path.join(root, 'host'))) rmSync(root, { recursive: true, force: true })
    return { stopped, purged: false }
  }
  await stopDrillProcesses(root, state)
  for (const role of ROLES) if (await stopStandin(root, role)) stopped.push(msg.sandbox.stoppedStandin(role))
  if (opts.purge) await purgeData(state, log)
  if (state.pg && (await stopThrowawayPostgres(state.pg))) stopped.push(msg.sandbox.stoppedThrowawayPg)
  if (state.redis && (await stopThrowawayRedis(state.redis))) stopped.push(msg.sandbox.stoppedThrowawayRedis)
  rmSync(layout(root).env, { force: true })
  if (opts.purge) {
    if (state.pg) removeThrowawayPgData(state.pg)
    rmSync(root, { recursive: true, force: true })
    return { stopped, purged: true }
  }
  delete state.upAt
  writeState(root, state)
  recordHistory(root, 'sandbox down', deps.now())
  return { stopped, purged: false }
}

/** Restores the data: database regenerated, Redis reseeded, files and host state as after the first `up`. */
export async function reset(root: string, env: Env, log: Log, deps: Partial<SandboxDeps> = {}): Promise<{ ms: number }> {
  requireState(root)
  return exclusive(root, () => resetNow(root, env, log, withDefaults(deps)))
}

async function resetNow(root: string, env: Env, log: Log, deps: SandboxDeps): Promise<{ ms: number }> {
  const t0 = performance.now()
  const now = deps.now()
  const state = requireState(root)
  if (!state.pg || !state.redis || !existsSync(layout(root).env)) throw new SandboxError(msg.sandbox.notUp)
  const format = logFormat(root, env, now)
  await healAll(root, state, now).catch(() => undefined)
  await stopDrillProcesses(root, state)
  for (const role of ROLES) await stopStandin(root, role)
  await dropDatabase(state.pg)
  await createDatabase(state.pg)
  log(msg.sandbox.regeneratingData(state.pg.database))
  state.pg.hasPgStatStatements = (await generateData(state.pg.url, scaleFrom(env), now, log)).pgStatStatements
  await seedRedisDb(state.redis, root, true, now)
  const l = layout(root)
  rmSync(l.log, { recursive: true, force: true })
  rmSync(l.host, { recursive: true, force: true })
  seedFiles(root, now, format)
  writeHostState(root, { ...defaultHostState(now), railsLogFormat: format })
  const app = await startStandin(root, 'app', state.app!.port, now)
  const fe = await startStandin(root, 'formula-engine', state.formulaEngine!.port, now)
  state.app = { port: app.port, pid: app.pid }
  state.formulaEngine = { port: fe.port, pid: fe.pid }
  writeState(root, state)
  recordHistory(root, 'sandbox reset', deps.now())
  return { ms: performance.now() - t0 }
}

/** Starts a drill; says what it did. */
export async function breakSandbox(root: string, fault: FaultName, deps: Partial<SandboxDeps> = {}): Promise<string> {
  const state = requireState(root)
  if (!existsSync(layout(root).env)) throw new SandboxError(msg.sandbox.notUp)
  return breakFault(root, fault, state, withDefaults(deps).now())
}

/** Ends the drill named, or all of them; the faults that were active. */
export async function healSandbox(root: string, fault?: FaultName, deps: Partial<SandboxDeps> = {}): Promise<FaultName[]> {
  const state = requireState(root)
  const now = withDefaults(deps).now()
  if (fault) return (await healFault(root, fault, state, now)) ? [fault] : []
  return healAll(root, state, now)
}
