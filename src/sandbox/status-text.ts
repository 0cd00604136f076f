// `sandbox status` as text: one row per server, stand-in, the host and the faults, with the
// labels aligned by their display width (Korean labels are twice as wide per character).
import type { ChalkInstance } from 'chalk'
import stringWidth from 'string-width'
import { msg } from '../runner/api.js'
import type { SandboxStatus } from './status.js'

const LABEL_WIDTH = 14

export function renderStatus(s: SandboxStatus, c: ChalkInstance): string {
  const t = msg.sandbox
  const mark = (ok: boolean) => (ok ? c.green('✔') : c.red('✘'))
  const lines = [`${c.bold(t.statusTitle)} ${c.dim(s.root)} — ${s.up ? c.green(t.statusUp) : c.yellow(t.statusDown)}`]
  const row = (label: string, text: string) => lines.push(`  ${label}${' '.repeat(Math.max(1, LABEL_WIDTH + 1 - stringWidth(label)))}${text}`)
  if (s.postgres) row(t.labelPostgres, `${mark(s.postgres.ok)} ${s.postgres.mode.padEnd(9)} ${s.postgres.url}  ${c.dim(s.postgres.detail)}${s.postgres.pgStatStatements ? '' : c.dim(t.noPgStatStatements)}`)
  else row(t.labelPostgres, c.dim(t.notSetUp))
  if (s.redis) row(t.labelRedis, `${mark(s.redis.ok)} ${s.redis.mode.padEnd(9)} ${s.redis.url}  ${c.dim(s.redis.detail)}`)
  else row(t.labelRedis, c.dim(t.notSetUp))
  for (const role of ['app', 'formula-engine'] as const) {
    const st = s.standins[role]
    row(role === 'app' ? t.labelApp : t.labelFormulaEngine, st.url ? `${mark(st.ok)} ${st.url}${role === 'app' ? '/up' : '/health'}  ${c.dim(`pid ${st.pid}`)}` : `${mark(false)} ${c.dim(t.notRunning)}`)
  }
  row(t.labelHost, t.hostFigures(s.host.memoryPercent, s.host.diskPercent, s.host.cpuPercent))
  if (s.faults.length === 0) row(t.labelFaults, c.dim(t.none))
  else for (const [i, f] of s.faults.entries()) row(i === 0 ? t.labelFaults : '', `${c.red(f.name)} ${c.dim(t.faultSince(f.since, f.description))}`)
  row(t.labelEnv, s.envFile ? `${s.envFile}  ${c.dim(t.envNext)}` : c.dim(t.envNone))
  return lines.join('\n') + '\n'
}
