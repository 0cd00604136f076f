// `runbook sandbox status`: servers, stand-ins, active faults and the simulated host, as data
// (for --json); status-text.ts renders it.
import { existsSync } from 'node:fs'
import { Redis } from 'ioredis'
import { msg, systemClock, type Clock } from '../runner/api.js'
import { reconcileFaults } from './faults.js'
import { activeFaults, cpuFigures, diskFigures, memoryFigures, type FaultName, type HostState } from './host.js'
import { layout } from './paths.js'
import { pgClient } from './postgres.js'
import { healthAnswers, ROLES, runningStandin, type Role } from './standins.js'
import { maskUrl, readState, type PgState, type RedisState } from './state.js'

export interface ServerStatus {
  mode: string
  url: string
  ok: boolean
  detail: string
}

export interface SandboxStatus {
  root: string
  up: boolean
  envFile: string | null
  postgres: (ServerStatus & { database: string; rows: number | null; pgStatStatements: boolean }) | null
  redis: (ServerStatus & { db: number; keys: number | null }) | null
  standins: Record<Role, { url: string | null; pid: number | null; ok: boolean }>
  faults: { name: FaultName; since: string; description: string }[]
  host: { memoryPercent: number; diskPercent: number; cpuPercent: number }
  healthy: boolean
}

async function postgresStatus(pg: PgState): Promise<NonNullable<SandboxStatus['postgres']>> {
  let ok = false
  let detail = ''
  let rows: number | null = null
  try {
    const c = await pgClient(pg.url, 3000)
    try {
      const r = await c.query<{ n: string }>(`SELECT coalesce(sum(n_live_tup), 0)::bigint AS n FROM pg_stat_user_tables`)
      rows = Number(r.rows[0]?.n ?? 0)
      ok = true
      detail = msg.sandbox.rows(rows.toLocaleString('en-US'))
    } finally {
      await c.end()
    }
  } catch (e) {
    detail = (e as Error).message
  }
  return { mode: pg.mode, url: maskUrl(pg.url), database: pg.database, ok, detail, rows, pgStatStatements: Boolean(pg.hasPgStatStatements) }
}

async function redisStatus(redis: RedisState): Promise<NonNullable<SandboxStatus['redis']>> {
  let ok = false
  let detail = ''
  let keys: number | null = null
  const r = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null })
  r.on('error', () => undefined)
  try {
    await r.connect()
    keys = await r.dbsize()
    ok = true
    detail = msg.sandbox.keys(keys)
  } catch (e) {
    detail = (e as Error).message
  } finally {
    r.disconnect()
  }
  return { mode: redis.mode, url: maskUrl(redis.url), db: redis.db, ok, detail, keys }
}

/** The simulated host's figures and active faults (nothing before the first `up`). */
export function hostStatus(host: HostState | undefined): Pick<SandboxStatus, 'faults' | 'host'> {
  if (!host) return { faults: [], host: { memoryPercent: 0, diskPercent: 0, cpuPercent: 0 } }
  const cpu = cpuFigures(host)
  return {
    faults: activeFaults(host).map((name) => ({ name, since: host.faults[name]!.since, description: msg.sandbox.fault(name) })),
    host: { memoryPercent: memoryFigures(host).usedPercent, diskPercent: diskFigures(host).usedPercent, cpuPercent: Math.round((100 - cpu.idle) * 10) / 10 },
  }
}

export async function sandboxStatus(root: string, now: Clock = systemClock): Promise<SandboxStatus> {
  const state = readState(root)
  const l = layout(root)
  const envUp = existsSync(l.env)
  const postgres = state?.pg ? await postgresStatus(state.pg) : null
  const redis = state?.redis ? await redisStatus(state.redis) : null
  const standins = {} as SandboxStatus['standins']
  for (const role of ROLES) {
    const info = existsSync(root) ? runningStandin(root, role) : undefined
    // Its health endpoint, not only its port: during the formula-engine-down drill the port answers
    // and /health says 503, and status must say what a health check would.
    const ok = info ? await healthAnswers(info.port, role === 'app' ? '/up' : '/health') : false
    standins[role] = { url: info ? `http://127.0.0.1:${info.port}` : null, pid: info?.pid ?? null, ok }
  }
  const up = Boolean(state && envUp)
  return {
    root,
    up,
    envFile: envUp ? l.env : null,
    postgres,
    redis,
    standins,
    ...hostStatus(existsSync(l.host) ? reconcileFaults(root, now()) : undefined),
    healthy: up && Boolean(postgres?.ok) && Boolean(redis?.ok) && ROLES.every((r) => standins[r].ok),
  }
}
