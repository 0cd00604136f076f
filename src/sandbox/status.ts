// `runbook sandbox status`: servers, stand-ins, active faults and the simulated host, as data
// (for --json) and as text.
import { existsSync } from 'node:fs'
import type { ChalkInstance } from 'chalk'
import { Redis } from 'ioredis'
import { pgClient } from './db.js'
import { reconcileFaults } from './faults.js'
import { activeFaults, cpuFigures, diskFigures, FAULT_DESCRIPTIONS, memoryFigures, type FaultName } from './host.js'
import { layout } from './paths.js'
import { portAnswers, ROLES, runningStandin, type Role } from './standins.js'
import { maskUrl, readState } from './state.js'

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

export async function sandboxStatus(root: string): Promise<SandboxStatus> {
  const state = readState(root)
  const l = layout(root)
  const envUp = existsSync(l.env)
  let postgres: SandboxStatus['postgres'] = null
  if (state?.pg) {
    let ok = false
    let detail = ''
    let rows: number | null = null
    try {
      const c = await pgClient(state.pg.url, 3000)
      try {
        const r = await c.query<{ n: string }>(`SELECT coalesce(sum(n_live_tup), 0)::bigint AS n FROM pg_stat_user_tables`)
        rows = Number(r.rows[0]?.n ?? 0)
        ok = true
        detail = `${rows.toLocaleString('en-US')} rows`
      } finally {
        await c.end()
      }
    } catch (e) {
      detail = (e as Error).message
    }
    postgres = { mode: state.pg.mode, url: maskUrl(state.pg.url), database: state.pg.database, ok, detail, rows, pgStatStatements: Boolean(state.pg.hasPgStatStatements) }
  }
  let redis: SandboxStatus['redis'] = null
  if (state?.redis) {
    let ok = false
    let detail = ''
    let keys: number | null = null
    const r = new Redis(state.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null })
    r.on('error', () => undefined)
    try {
      await r.connect()
      keys = await r.dbsize()
      ok = true
      detail = `${keys} keys`
    } catch (e) {
      detail = (e as Error).message
    } finally {
      r.disconnect()
    }
    redis = { mode: state.redis.mode, url: maskUrl(state.redis.url), db: state.redis.db, ok, detail, keys }
  }
  const standins = {} as SandboxStatus['standins']
  for (const role of ROLES) {
    const info = existsSync(root) ? runningStandin(root, role) : undefined
    const ok = info ? await portAnswers(info.port, 800) : false
    standins[role] = { url: info ? `http://127.0.0.1:${info.port}` : null, pid: info?.pid ?? null, ok }
  }
  const host = existsSync(l.host) ? reconcileFaults(root) : undefined
  const faults = host ? activeFaults(host).map((name) => ({ name, since: host.faults[name]!.since, description: FAULT_DESCRIPTIONS[name] })) : []
  const cpu = host ? cpuFigures(host) : undefined
  const up = Boolean(state && envUp)
  return {
    root,
    up,
    envFile: envUp ? l.env : null,
    postgres,
    redis,
    standins,
    faults,
    host: { memoryPercent: host ? memoryFigures(host).usedPercent : 0, diskPercent: host ? diskFigures(host).usedPercent : 0, cpuPercent: cpu ? Math.round((100 - cpu.idle) * 10) / 10 : 0 },
    healthy: up && Boolean(postgres?.ok) && Boolean(redis?.ok) && ROLES.every((r) => standins[r].ok),
  }
}

export function renderStatus(s: SandboxStatus, c: ChalkInstance): string {
  const mark = (ok: boolean) => (ok ? c.green('✔') : c.red('✘'))
  const lines = [`${c.bold('ExcelApp sandbox')} ${c.dim(s.root)} — ${s.up ? c.green('up') : c.yellow('down')}`]
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(14)} ${text}`)
  if (s.postgres) row('PostgreSQL', `${mark(s.postgres.ok)} ${s.postgres.mode.padEnd(9)} ${s.postgres.url}  ${c.dim(s.postgres.detail)}${s.postgres.pgStatStatements ? '' : c.dim(' · no pg_stat_statements')}`)
  else row('PostgreSQL', c.dim('not set up'))
  if (s.redis) row('Redis', `${mark(s.redis.ok)} ${s.redis.mode.padEnd(9)} ${s.redis.url}  ${c.dim(s.redis.detail)}`)
  else row('Redis', c.dim('not set up'))
  for (const role of ROLES) {
    const st = s.standins[role]
    row(role === 'app' ? 'app' : 'FormulaEngine', st.url ? `${mark(st.ok)} ${st.url}${role === 'app' ? '/up' : '/health'}  ${c.dim(`pid ${st.pid}`)}` : `${mark(false)} ${c.dim('not running')}`)
  }
  row('host', `memory ${s.host.memoryPercent} % · disk ${s.host.diskPercent} % · CPU ${s.host.cpuPercent} %`)
  if (s.faults.length === 0) row('faults', c.dim('none'))
  else for (const [i, f] of s.faults.entries()) row(i === 0 ? 'faults' : '', `${c.red(f.name)} ${c.dim(`since ${f.since}: ${f.description}`)}`)
  row('env', s.envFile ? `${s.envFile}  ${c.dim('→ runbook run FILE --sandbox')}` : c.dim('none (run `runbook sandbox up`)'))
  return lines.join('\n') + '\n'
}
