// systemd's commands on the simulated host: systemctl (status, start/stop/restart/reload, …),
// service (the SysV wrapper) and journalctl (the units' journals, read from the sandbox logs).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { readHostState, type HostState } from '../../host.js'
import { runningStandin } from '../../standins.js'
import { ago, did, err, notSimulated, optionValue, out, simulated, TOOL_EXIT, type ShimContext } from './context.js'
import { restartFormulaEngine, restartRails, roleOf, setService } from './services.js'
import { asRoot } from './sudo.js'

const unit = (u: string | undefined) => (u ?? '').replace(/\.service$/, '')

export const KNOWN_UNITS: Record<string, string> = {
  'excelapp-rails': 'ExcelApp Rails (puma)',
  nginx: 'A high performance web server and a reverse proxy server',
  'formula-engine': 'FormulaEngine (docker container formula-engine)',
  'solid-queue': 'ExcelApp background jobs (solid_queue)',
  postgresql: 'PostgreSQL RDBMS',
  'redis-server': 'Advanced key-value store',
}

/** systemctl's exit codes: 3 for an inactive unit, 4/5 for an unknown one. */
const SYSTEMCTL_EXIT = { inactive: 3, noSuchUnitStatus: 4, noSuchUnit: 5 } as const

function serviceOf(state: HostState, name: string): { active: boolean; since: string } {
  return state.services[name] ?? { active: true, since: state.bootedAt }
}

function running(ctx: ShimContext, state: HostState, name: string): boolean {
  const role = roleOf(name)
  return serviceOf(state, name).active && (!role || Boolean(runningStandin(ctx.root, role)))
}

export function unitStatus(ctx: ShimContext, state: HostState, name: string, isRunning: boolean): string {
  const svc = serviceOf(state, name)
  const since = new Date(svc.since)
  const when = `since ${since.toString().slice(0, 24)}; ${ago(svc.since, ctx.now())}`
  const mem = name === 'excelapp-rails' ? `${((state.memory.workers * state.memory.workerMb + 160) / 1024).toFixed(1)}G` : '112.4M'
  const lines = [
    `${isRunning ? '●' : '○'} ${name}.service - ${KNOWN_UNITS[name] ?? name}`,
    `     Loaded: loaded (/etc/systemd/system/${name}.service; enabled; preset: enabled)`,
    `     Active: ${isRunning ? `active (running) ${when}` : `inactive (dead) ${when}`}`,
  ]
  if (isRunning) lines.push(`     Memory: ${mem}`, `     CGroup: /system.slice/${name}.service`)
  if (name === 'formula-engine' && state.faults['formula-engine-down']) lines.push('     Status: "worker pool exhausted: /health answers 503"')
  return lines.join('\n')
}

function listUnits(ctx: ShimContext, state: HostState): number {
  simulated(ctx, 'simulated units of the sandbox host')
  out(ctx, '  UNIT                      LOAD   ACTIVE SUB     DESCRIPTION')
  for (const name of Object.keys(KNOWN_UNITS)) {
    const a = state.services[name]?.active ?? true
    out(ctx, `  ${`${name}.service`.padEnd(25)} loaded ${a ? 'active  running' : 'inactive dead  '} ${KNOWN_UNITS[name]}`)
  }
  return TOOL_EXIT.ok
}

/** Queries about one unit: status, is-active, is-enabled, is-failed, show. */
function queryUnit(ctx: ShimContext, verb: string, state: HostState, name: string, active: boolean): number | undefined {
  switch (verb) {
    case 'status':
      out(ctx, unitStatus(ctx, state, name, active))
      simulated(ctx, `simulated unit ${name}`)
      return active ? TOOL_EXIT.ok : SYSTEMCTL_EXIT.inactive
    case 'is-active':
      out(ctx, active ? 'active' : 'inactive')
      return active ? TOOL_EXIT.ok : SYSTEMCTL_EXIT.inactive
    case 'is-enabled':
      out(ctx, 'enabled')
      return TOOL_EXIT.ok
    case 'is-failed':
      out(ctx, active ? 'active' : 'failed')
      return active ? TOOL_EXIT.failed : TOOL_EXIT.ok
    case 'show':
      out(ctx, `Id=${name}.service\nActiveState=${active ? 'active' : 'inactive'}\nSubState=${active ? 'running' : 'dead'}\nActiveEnterTimestamp=${new Date(serviceOf(state, name).since).toString()}`)
      return TOOL_EXIT.ok
    default:
      return undefined
  }
}

/** What systemctl may do only as root (the operator is not: production asks polkit, and fails). */
const NEEDS_ROOT = ['start', 'stop', 'restart', 'try-restart', 'reload-or-restart', 'force-reload', 'reload', 'enable', 'disable', 'mask', 'unmask', 'kill', 'reset-failed', 'daemon-reload', 'daemon-reexec', 'edit', 'set-property', 'isolate']

/** An unprivileged systemctl over ssh: polkit has no agent to ask, so the change is refused. */
function refused(ctx: ShimContext, verb: string, name?: string): number {
  if (!name) err(ctx, `Failed to ${verb === 'daemon-reload' ? 'reload daemon' : verb}: Interactive authentication required.`)
  else err(ctx, `Failed to ${verb} ${name}.service: Interactive authentication required.\nSee system logs and 'systemctl status ${name}.service' for details.`)
  simulated(ctx, `the operator is not root: run it with sudo (sudo systemctl ${verb}${name ? ` ${name}` : ''})`)
  return TOOL_EXIT.failed
}

/** Changes to one unit: restart, start, stop, reload, enable, …. */
async function changeUnit(ctx: ShimContext, verb: string, name: string, active: boolean): Promise<number> {
  const role = roleOf(name)
  switch (verb) {
    case 'restart':
    case 'try-restart':
    case 'reload-or-restart':
    case 'force-reload':
      if (name === 'excelapp-rails') did(ctx, `restarted excelapp-rails: puma workers replaced; ${await restartRails(ctx)}`)
      else if (name === 'formula-engine') did(ctx, `restarted formula-engine; ${await restartFormulaEngine(ctx)}`)
      else {
        await setService(ctx, name, true)
        did(ctx, `restarted ${name} (simulated)`)
      }
      return TOOL_EXIT.ok
    case 'start':
      await setService(ctx, name, true)
      did(ctx, `started ${name}`)
      return TOOL_EXIT.ok
    case 'stop':
      await setService(ctx, name, false)
      did(ctx, `stopped ${name}${role ? ` (the ${role} stand-in no longer answers)` : ''}`)
      return TOOL_EXIT.ok
    case 'reload':
      if (!active) {
        err(ctx, `${name}.service is not active, cannot reload.`)
        return TOOL_EXIT.failed
      }
      did(ctx, `reloaded ${name}${name === 'excelapp-rails' ? ' (phased restart of the puma workers)' : ''}`)
      return TOOL_EXIT.ok
    case 'enable':
    case 'disable':
    case 'mask':
    case 'unmask':
      did(ctx, `${verb}d ${name} (simulated)`)
      return TOOL_EXIT.ok
    default:
      return notSimulated(ctx, `systemctl ${verb}`)
  }
}

export async function systemctl(ctx: ShimContext, args: string[]): Promise<number> {
  const [verb = 'list-units', ...units] = args.filter((a) => !a.startsWith('-'))
  const state = readHostState(ctx.root, ctx.now())
  if (verb === 'list-units' || verb === 'list-unit-files') return listUnits(ctx, state)
  if (NEEDS_ROOT.includes(verb) && !asRoot(ctx)) return refused(ctx, verb, units[0] === undefined ? undefined : unit(units[0]))
  if (['daemon-reload', 'daemon-reexec'].includes(verb)) {
    did(ctx, `systemctl ${verb} (simulated)`)
    return TOOL_EXIT.ok
  }
  if (units.length === 0) {
    err(ctx, `Too few arguments.`)
    return TOOL_EXIT.failed
  }
  let code: number = TOOL_EXIT.ok
  for (const raw of units) {
    const name = unit(raw)
    if (!KNOWN_UNITS[name]) {
      err(ctx, `${['status', 'is-active', 'is-enabled', 'show', 'cat'].includes(verb) ? 'Unit' : `Failed to ${verb} ${name}.service: Unit`} ${name}.service could not be found.`)
      code = verb === 'status' ? SYSTEMCTL_EXIT.noSuchUnitStatus : SYSTEMCTL_EXIT.noSuchUnit
      continue
    }
    const active = running(ctx, state, name)
    const result = queryUnit(ctx, verb, state, name, active) ?? (await changeUnit(ctx, verb, name, active))
    if (result !== TOOL_EXIT.ok) code = result
  }
  return code
}

export function service(ctx: ShimContext, args: string[]): Promise<number> | number {
  const [name, action] = args.filter((a) => !a.startsWith('-'))
  if (args.includes('--status-all')) return systemctl(ctx, ['list-units'])
  if (!name || !action) {
    err(ctx, 'Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]')
    return TOOL_EXIT.failed
  }
  return systemctl(ctx, [action, name])
}

export function journalctl(ctx: ShimContext, args: string[]): number {
  const u = unit(optionValue(args, '-u', '--unit'))
  const n = Number(optionValue(args, '-n', '--lines') ?? 50)
  if (args.some((a) => a.startsWith('--vacuum') || a === '--rotate')) {
    if (!asRoot(ctx)) return refused(ctx, 'rotate journal')
    did(ctx, `journalctl ${args.join(' ')} (simulated)`)
    return TOOL_EXIT.ok
  }
  if (!asRoot(ctx)) {
    // Not in the adm or systemd-journal group: only the operator's own (empty) user journal.
    err(ctx, "No journal files were found.\nHint: You are currently not seeing messages from other users and the system.\n      Users in groups 'adm', 'systemd-journal' can see all messages.\n      Pass -q to turn off this notice.")
    out(ctx, '-- No entries --')
    simulated(ctx, 'the operator is not root and not in the adm group: no system journal (use sudo journalctl)')
    return TOOL_EXIT.ok
  }
  const file = u === 'formula-engine' ? 'formula_engine.log' : u === 'excelapp-rails' ? 'production.log' : undefined
  if (!file) {
    out(ctx, '-- No entries --')
    simulated(ctx, 'simulated journal')
    return TOOL_EXIT.ok
  }
  const lines = readFileSync(path.join(ctx.root, 'log', file), 'utf8').trimEnd().split('\n').slice(-n)
  const tag = u === 'formula-engine' ? 'formula-engine[31407]' : 'puma[20114]'
  const now = ctx.now()
  out(ctx, lines.map((l) => `${now.toDateString().slice(4, 10)} ${now.toTimeString().slice(0, 8)} excelapp-prod-1 ${tag}: ${l}`).join('\n'))
  simulated(ctx, `the journal of ${u} (from the sandbox logs)`)
  return TOOL_EXIT.ok
}
