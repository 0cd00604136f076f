// Drills: `sandbox break FAULT` puts the simulated system into an incident state that a runbook
// detects and repairs; `sandbox heal` ends them. Each fault's change is a small function of the
// host state and the time it is given, so the state changes can be checked without servers.
import { createHash } from 'node:crypto'
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { msg } from '../runner/api.js'
import { lockHeld, lockFile, startLock, stopLock } from './db-lock.js'
import { defaultHostState, diskFigures, FAULTS, NORMAL_MEMORY, PRESSURE_MEMORY, readHostState, recordHistory, updateHostState, writeHostState, type FaultName, type HostState } from './host.js'
import { formulaEngineOutage, railsErrorBurst } from './logs.js'
import { layout } from './paths.js'
import { readStandin, ROLES, startStandin } from './standins.js'
import type { SandboxState } from './state.js'

const DAY = 86_400_000
const BURST_REQUESTS = 40

/** Drops faults whose cause is gone (the db-lock helper exited after pg_terminate_backend). */
export function reconcileFaults(root: string, now: Date): HostState {
  const state = readHostState(root, now)
  let changed = false
  if (state.faults['db-lock'] && !lockHeld(root)) {
    delete state.faults['db-lock']
    rmSync(lockFile(root), { force: true })
    changed = true
  }
  // The disk drill ends when the operator deleted the ballast (old dumps, the unrotated log).
  if (state.faults['disk-full'] && diskFigures(state).usedPercent < 85) {
    delete state.faults['disk-full']
    state.disk.ballast = state.disk.ballast.filter((b) => existsSync(b.path))
    changed = true
  }
  if (changed) writeHostState(root, state)
  return state
}

/** Ballast of the disk-full drill: files that stand for 50 GB of forgotten dumps and an unrotated log. */
export function ballastFiles(root: string, now: Date): { path: string; gb: number; days: number }[] {
  const l = layout(root)
  const stamp = (days: number) => new Date(now.getTime() - days * DAY).toISOString().slice(0, 10).replace(/-/g, '')
  return [
    ...[21, 28, 35, 42, 49, 56].map((days) => ({ path: path.join(l.backups, `excelapp_rails_production_full_${stamp(days)}.sql.gz`), gb: 6.1, days })),
    { path: path.join(l.log, `production.log-${stamp(47)}`), gb: 13.4, days: 47 },
  ]
}

/** Appends the error burst; its region is found after the write (the stand-ins append too). */
function appendBurst(root: string, file: string, now: Date): Record<string, unknown> {
  const text = Buffer.from(railsErrorBurst(now, BURST_REQUESTS, now.getTime() % 100_000, readHostState(root, now).railsLogFormat))
  appendFileSync(file, text)
  const offset = readFileSync(file).lastIndexOf(text)
  return { offset, length: text.length, sha256: createHash('sha256').update(text).digest('hex') }
}

/** Removes the burst's region, if it is still there unchanged. */
function removeBurst(root: string, detail: Record<string, unknown> | undefined): void {
  const file = layout(root).productionLog
  const offset = Number(detail?.offset)
  const length = Number(detail?.length)
  if (!existsSync(file) || !Number.isFinite(offset) || offset < 0 || !Number.isFinite(length)) return
  const data = readFileSync(file)
  const region = data.subarray(offset, offset + length)
  if (createHash('sha256').update(region).digest('hex') !== detail?.sha256) return
  writeFileSync(file, Buffer.concat([data.subarray(0, offset), data.subarray(offset + length)]))
}

function fillDisk(root: string, state: HostState, now: Date): void {
  const files = ballastFiles(root, now)
  for (const f of files) {
    mkdirSync(path.dirname(f.path), { recursive: true })
    writeFileSync(f.path, '')
    truncateSync(f.path, Math.round(f.gb * 8 * 1024 * 1024)) // sparse: 1/128 of the simulated size, no disk used
    const t = new Date(now.getTime() - f.days * DAY)
    utimesSync(f.path, t, t)
  }
  state.disk.ballast = files.map((f) => ({ path: f.path, gb: f.gb }))
}

/** Starts one drill; says what it did. */
export async function breakFault(root: string, name: FaultName, sandbox: SandboxState, now: Date): Promise<string> {
  const l = layout(root)
  const state = reconcileFaults(root, now)
  if (state.faults[name]) return msg.sandbox.drill(name, msg.sandbox.drillAlreadyActive)
  let detail: Record<string, unknown> | undefined
  let message: string
  switch (name) {
    case 'formula-engine-down':
      appendFileSync(l.formulaEngineLog, formulaEngineOutage(now))
      message = msg.sandbox.drillFormulaEngineDown
      break
    case 'slow-app':
      message = msg.sandbox.drillSlowApp
      break
    case 'db-lock': {
      const info = await startLock(root, sandbox)
      detail = { blockingPid: info.blockingPid, blockedPid: info.blockedPid }
      message = msg.sandbox.drillDbLock(info.blockingPid, info.blockedPid)
      break
    }
    case 'error-burst':
      detail = appendBurst(root, l.productionLog, now)
      message = msg.sandbox.drillErrorBurst(BURST_REQUESTS, l.productionLog)
      break
    case 'disk-full':
      fillDisk(root, state, now)
      message = msg.sandbox.drillDiskFull
      break
    case 'memory-pressure':
      state.memory = { ...PRESSURE_MEMORY }
      message = msg.sandbox.drillMemoryPressure
      break
  }
  state.faults[name] = { since: now.toISOString(), ...(detail ? { detail } : {}) }
  writeHostState(root, state)
  recordHistory(root, `sandbox break ${name}`, now)
  return msg.sandbox.drill(name, message)
}

/** Ends one drill; false when it was not active. */
export async function healFault(root: string, name: FaultName, sandbox: SandboxState | undefined, now: Date): Promise<boolean> {
  const state = readHostState(root, now)
  const info = state.faults[name]
  if (name === 'db-lock') await stopLock(root, sandbox)
  else if (name === 'error-burst' && info) removeBurst(root, info.detail)
  else if (name === 'disk-full') {
    for (const b of state.disk.ballast) rmSync(b.path, { force: true })
    state.disk.ballast = []
  } else if (name === 'memory-pressure') state.memory = { ...NORMAL_MEMORY }
  delete state.faults[name]
  writeHostState(root, state)
  if (info) recordHistory(root, `sandbox heal ${name}`, now)
  return Boolean(info)
}

/** Ends every fault, and brings stopped stand-ins and services back. */
export async function healAll(root: string, sandbox: SandboxState | undefined, now: Date): Promise<FaultName[]> {
  const healed: FaultName[] = []
  for (const f of FAULTS) if (await healFault(root, f, sandbox, now)) healed.push(f)
  await stopLock(root, sandbox)
  updateHostState(root, now, (s) => {
    const d = defaultHostState(now)
    s.memory = { ...d.memory }
    s.cpu = { ...d.cpu }
    for (const svc of Object.keys(d.services)) if (!s.services[svc]?.active) s.services[svc] = { active: true, since: now.toISOString() }
  })
  // Stand-ins stopped during a drill come back, but only while the sandbox is up.
  if (existsSync(path.join(root, 'env'))) {
    for (const role of ROLES) {
      const port = readStandin(root, role)?.port ?? (role === 'app' ? sandbox?.app?.port : sandbox?.formulaEngine?.port)
      if (port && existsSync(path.join(root, 'bin', '.programs', 'standin.mjs'))) await startStandin(root, role, port, now)
    }
  }
  return healed
}

export async function stopDrillProcesses(root: string, sandbox: SandboxState | undefined): Promise<void> {
  await stopLock(root, sandbox)
}
