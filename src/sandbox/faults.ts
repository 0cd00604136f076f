// Drills: `sandbox break FAULT` puts the simulated system into an incident state that a runbook
// detects and repairs; `sandbox heal` ends them all.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pgClient } from './db.js'
import { defaultHostState, diskFigures, FAULTS, NORMAL_MEMORY, PRESSURE_MEMORY, readHostState, recordHistory, updateHostState, writeHostState, type FaultName, type HostState } from './host.js'
import { formulaEngineOutage, railsErrorBurst } from './logs.js'
import { layout } from './paths.js'
import { alive, isOurProcess, readStandin, ROLES, startStandin } from './standins.js'
import type { SandboxState } from './state.js'

const DAY = 86_400_000

export function isFault(name: string): name is FaultName {
  return (FAULTS as readonly string[]).includes(name)
}

const lockProgram = (root: string) => path.join(root, 'bin', '.programs', 'lock.mjs')
const lockFile = (root: string) => path.join(root, 'run', 'db-lock.json')

interface LockInfo {
  helperPid: number
  blockingPid: number
  blockedPid: number
}

function readLock(root: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(lockFile(root), 'utf8')) as LockInfo
  } catch {
    return undefined
  }
}

/** Whether the db-lock helper still holds its lock. */
export function lockHeld(root: string): boolean {
  const info = readLock(root)
  return Boolean(info && isOurProcess(info.helperPid, lockProgram(root), lockFile(root)))
}

/** Drops faults whose cause is gone (the db-lock helper exited after pg_terminate_backend). */
export function reconcileFaults(root: string): HostState {
  const state = readHostState(root)
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

async function startLock(root: string, sandbox: SandboxState): Promise<LockInfo> {
  if (!sandbox.pg) throw new Error('the sandbox has no database; run `runbook sandbox up`')
  if (lockHeld(root)) return readLock(root)!
  rmSync(lockFile(root), { force: true })
  mkdirSync(path.join(root, 'run'), { recursive: true })
  const out = openSync(path.join(root, 'run', 'db-lock.out'), 'a')
  const child = spawn(process.execPath, [lockProgram(root), sandbox.pg.url, lockFile(root)], { cwd: root, detached: true, stdio: ['ignore', out, out] })
  closeSync(out)
  child.unref()
  const end = Date.now() + 15_000
  while (Date.now() < end) {
    const info = readLock(root)
    if (info) return info
    if (!alive(child.pid)) break
    await new Promise((r) => setTimeout(r, 50))
  }
  const tail = existsSync(path.join(root, 'run', 'db-lock.out')) ? readFileSync(path.join(root, 'run', 'db-lock.out'), 'utf8').slice(-500) : ''
  throw new Error(`the db-lock helper did not take its lock${tail ? `:\n${tail}` : ''}`)
}

async function stopLock(root: string, sandbox: SandboxState | undefined): Promise<void> {
  const info = readLock(root)
  if (!info) return
  if (sandbox?.pg) {
    // Terminate exactly the two backends the helper opened, if they are still there.
    try {
      const c = await pgClient(sandbox.pg.url, 3000)
      try {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND datname = current_database()', [[info.blockingPid, info.blockedPid]])
      } finally {
        await c.end()
      }
    } catch {
      // server gone: the helper's connections are gone too
    }
  }
  if (isOurProcess(info.helperPid, lockProgram(root), lockFile(root))) {
    try {
      process.kill(info.helperPid, 'SIGTERM')
    } catch {
      // gone
    }
    for (let i = 0; i < 60 && alive(info.helperPid); i++) await new Promise((r) => setTimeout(r, 50))
  }
  rmSync(lockFile(root), { force: true })
}

/** Ballast of the disk-full drill: files that stand for 50 GB of forgotten dumps and an unrotated log. */
function ballastFiles(root: string, now: Date): { path: string; gb: number; days: number }[] {
  const l = layout(root)
  const stamp = (days: number) => new Date(now.getTime() - days * DAY).toISOString().slice(0, 10).replace(/-/g, '')
  return [
    ...[21, 28, 35, 42, 49, 56].map((days) => ({ path: path.join(l.backups, `excelapp_rails_production_full_${stamp(days)}.sql.gz`), gb: 6.1, days })),
    { path: path.join(l.log, `production.log-${stamp(47)}`), gb: 13.4, days: 47 },
  ]
}

function burstRegion(root: string, detail: Record<string, unknown> | undefined): void {
  const file = layout(root).productionLog
  const offset = Number(detail?.offset)
  const length = Number(detail?.length)
  if (!existsSync(file) || !Number.isFinite(offset) || !Number.isFinite(length)) return
  const data = readFileSync(file)
  const region = data.subarray(offset, offset + length)
  if (createHash('sha256').update(region).digest('hex') !== detail?.sha256) return
  writeFileSync(file, Buffer.concat([data.subarray(0, offset), data.subarray(offset + length)]))
}

export async function breakFault(root: string, name: FaultName, sandbox: SandboxState, now = new Date()): Promise<string> {
  const l = layout(root)
  const state = reconcileFaults(root)
  if (state.faults[name]) return `${name}: already active`
  let detail: Record<string, unknown> | undefined
  let message = ''
  switch (name) {
    case 'formula-engine-down':
      appendFileSync(l.formulaEngineLog, formulaEngineOutage(now))
      message = 'FormulaEngine now answers 503 (docker ps: unhealthy)'
      break
    case 'slow-app':
      message = 'the app now answers after 6 s'
      break
    case 'db-lock': {
      const info = await startLock(root, sandbox)
      detail = { blockingPid: info.blockingPid, blockedPid: info.blockedPid }
      message = `backend ${info.blockingPid} holds an ACCESS EXCLUSIVE lock on excel_files; backend ${info.blockedPid} waits for it`
      break
    }
    case 'error-burst': {
      const text = Buffer.from(railsErrorBurst(now, 40, now.getTime() % 100_000))
      const offset = existsSync(l.productionLog) ? statSync(l.productionLog).size : 0
      appendFileSync(l.productionLog, text)
      detail = { offset, length: text.length, sha256: createHash('sha256').update(text).digest('hex') }
      message = `appended 40 failing requests with stack traces to ${l.productionLog}`
      break
    }
    case 'disk-full': {
      const files = ballastFiles(root, now)
      for (const f of files) {
        mkdirSync(path.dirname(f.path), { recursive: true })
        writeFileSync(f.path, '')
        truncateSync(f.path, Math.round(f.gb * 8 * 1024 * 1024)) // sparse: 1/128 of the simulated size, no disk used
        const t = new Date(now.getTime() - f.days * DAY)
        utimesSync(f.path, t, t)
      }
      state.disk.ballast = files.map((f) => ({ path: f.path, gb: f.gb }))
      message = 'the simulated disk is at 92 % (old full dumps in the backups folder, an unrotated log)'
      break
    }
    case 'memory-pressure':
      state.memory = { ...PRESSURE_MEMORY }
      message = 'the simulated memory is at 90 % (puma workers grew to 2.9 GB each)'
      break
  }
  state.faults[name] = { since: now.toISOString(), ...(detail ? { detail } : {}) }
  writeHostState(root, state)
  recordHistory(root, `sandbox break ${name}`)
  return `${name}: ${message}`
}

export async function healFault(root: string, name: FaultName, sandbox: SandboxState | undefined): Promise<boolean> {
  const state = readHostState(root)
  const info = state.faults[name]
  switch (name) {
    case 'db-lock':
      await stopLock(root, sandbox)
      break
    case 'error-burst':
      if (info) burstRegion(root, info.detail)
      break
    case 'disk-full':
      for (const b of state.disk.ballast) rmSync(b.path, { force: true })
      state.disk.ballast = []
      break
    case 'memory-pressure':
      state.memory = { ...NORMAL_MEMORY }
      break
    default:
      break
  }
  const had = Boolean(info)
  delete state.faults[name]
  writeHostState(root, state)
  if (had) recordHistory(root, `sandbox heal ${name}`)
  return had
}

/** Ends every fault, and brings stopped stand-ins and services back. */
export async function healAll(root: string, sandbox: SandboxState | undefined): Promise<FaultName[]> {
  const healed: FaultName[] = []
  for (const f of FAULTS) if (await healFault(root, f, sandbox)) healed.push(f)
  await stopLock(root, sandbox)
  updateHostState(root, (s) => {
    const d = defaultHostState()
    s.memory = { ...d.memory }
    s.cpu = { ...d.cpu }
    for (const svc of Object.keys(d.services)) if (!s.services[svc]?.active) s.services[svc] = { active: true, since: new Date().toISOString() }
  })
  // Stand-ins stopped during a drill come back, but only while the sandbox is up.
  if (existsSync(path.join(root, 'env'))) {
    for (const role of ROLES) {
      const port = readStandin(root, role)?.port ?? (role === 'app' ? sandbox?.app?.port : sandbox?.formulaEngine?.port)
      if (port && existsSync(path.join(root, 'bin', '.programs', 'standin.mjs'))) await startStandin(root, role, port)
    }
  }
  return healed
}

export async function stopDrillProcesses(root: string, sandbox: SandboxState | undefined): Promise<void> {
  await stopLock(root, sandbox)
}
