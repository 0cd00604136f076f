// The simulated host: one JSON file (.sandbox/host/host.json) with the services, the active
// faults, memory, disk, CPU, kernel settings and pending package updates that the command shims
// read and change, its history, and the figures (memory, disk, CPU) computed from it; what the
// shims print from it is host-format.ts. Every function that needs the time is given it.
// Bundled into the shim and stand-in programs too (shims.ts keeps that bundle small).
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { FAULTS, type FaultName } from './fault-names.js'

export { FAULTS, isFault, type FaultName } from './fault-names.js'

export interface FaultInfo {
  since: string
  /** Fault-specific detail (error-burst: the log region; db-lock: the pids). */
  detail?: Record<string, unknown>
}

export interface Ballast {
  path: string
  gb: number
}

export interface PendingPackage {
  name: string
  suite: string
  from: string
  to: string
}

export interface HostState {
  version: 1
  hostname: string
  bootedAt: string
  services: Record<string, { active: boolean; since: string }>
  faults: Partial<Record<FaultName, FaultInfo>>
  memory: { totalMb: number; workers: number; workerMb: number; otherMb: number; slabMb: number; cacheMb: number }
  disk: { sizeGb: number; baseUsedGb: number; ballast: Ballast[] }
  cpu: { user: number; system: number; iowait: number }
  sysctl: Record<string, string>
  packages: { upgradable: PendingPackage[]; lastUpdate: string | null; lastUpgrade: string | null }
  /** How the app logs (logs.ts RailsLogFormat); unset: the current Rails default. */
  railsLogFormat?: 'current' | 'tagged'
}

export const SERVICES = ['excelapp-rails', 'nginx', 'formula-engine', 'solid-queue'] as const

export const NORMAL_MEMORY = { totalMb: 16_384, workers: 4, workerMb: 780, otherMb: 2_650, slabMb: 520, cacheMb: 5_300 }
export const PRESSURE_MEMORY = { totalMb: 16_384, workers: 4, workerMb: 2_900, otherMb: 2_650, slabMb: 600, cacheMb: 1_100 }
export const NORMAL_CPU = { user: 11.8, system: 3.2, iowait: 0.4 }

export const PENDING_PACKAGES: PendingPackage[] = [
  { name: 'libssl3', suite: 'stable-security', from: '3.0.14-1~deb12u2', to: '3.0.15-1~deb12u1' },
  { name: 'openssl', suite: 'stable-security', from: '3.0.14-1~deb12u2', to: '3.0.15-1~deb12u1' },
  { name: 'nginx', suite: 'stable-security', from: '1.22.1-9', to: '1.22.1-9+deb12u1' },
  { name: 'libpq5', suite: 'stable', from: '15.8-0+deb12u1', to: '15.10-0+deb12u1' },
  { name: 'tzdata', suite: 'stable-updates', from: '2024a-0+deb12u1', to: '2025b-0+deb12u1' },
]

export function defaultHostState(now: Date): HostState {
  const booted = new Date(now.getTime() - 23 * 86_400_000 - 4 * 3_600_000)
  const since = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString()
  return {
    version: 1,
    hostname: 'excelapp-prod-1',
    bootedAt: booted.toISOString(),
    services: {
      'excelapp-rails': { active: true, since: since(73) },
      nginx: { active: true, since: since(23 * 24) },
      'formula-engine': { active: true, since: since(72) },
      'solid-queue': { active: true, since: since(73) },
    },
    faults: {},
    memory: { ...NORMAL_MEMORY },
    disk: { sizeGb: 99, baseUsedGb: 41, ballast: [] },
    cpu: { ...NORMAL_CPU },
    sysctl: {
      'vm.drop_caches': '0',
      'vm.swappiness': '10',
      'vm.overcommit_memory': '1',
      'net.core.somaxconn': '4096',
      'fs.file-max': '2097152',
      'kernel.hostname': 'excelapp-prod-1',
    },
    packages: { upgradable: PENDING_PACKAGES.map((p) => ({ ...p })), lastUpdate: null, lastUpgrade: null },
  }
}

export function hostStatePath(sandboxDir: string): string {
  return path.join(sandboxDir, 'host', 'host.json')
}

/** The host state; what the file lacks (or all of it, before `up`) is the default state at `now`. */
export function readHostState(sandboxDir: string, now: Date): HostState {
  const file = hostStatePath(sandboxDir)
  if (!existsSync(file)) return defaultHostState(now)
  try {
    return { ...defaultHostState(now), ...(JSON.parse(readFileSync(file, 'utf8')) as HostState) }
  } catch {
    return defaultHostState(now)
  }
}

/** Atomic write (a temp file renamed over the old one): stand-ins read it on every request. */
export function writeHostState(sandboxDir: string, state: HostState): void {
  const file = hostStatePath(sandboxDir)
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n')
  renameSync(tmp, file)
}

export function updateHostState(sandboxDir: string, now: Date, change: (state: HostState) => void): HostState {
  const state = readHostState(sandboxDir, now)
  change(state)
  writeHostState(sandboxDir, state)
  return state
}

/** What the simulated host did, one line each (tests and drills read it). */
export function recordHistory(sandboxDir: string, line: string, now: Date): void {
  const file = path.join(sandboxDir, 'host', 'history.log')
  mkdirSync(path.dirname(file), { recursive: true })
  appendFileSync(file, `${now.toISOString()} ${line}\n`)
}

export function activeFaults(state: HostState): FaultName[] {
  return FAULTS.filter((f) => state.faults[f])
}

// ---------------------------------------------------------------------------------------------
// Metrics

export interface MemoryFigures {
  totalMb: number
  usedMb: number
  freeMb: number
  sharedMb: number
  cacheMb: number
  availableMb: number
  usedPercent: number
}

export function memoryFigures(state: HostState): MemoryFigures {
  const m = state.memory
  const usedMb = m.workers * m.workerMb + m.otherMb + m.slabMb
  const cacheMb = m.cacheMb
  const freeMb = Math.max(64, m.totalMb - usedMb - cacheMb)
  const availableMb = Math.round(freeMb + cacheMb * 0.85)
  return { totalMb: m.totalMb, usedMb, freeMb, sharedMb: 310, cacheMb, availableMb, usedPercent: Math.round((usedMb / m.totalMb) * 1000) / 10 }
}

export interface DiskFigures {
  sizeGb: number
  usedGb: number
  availGb: number
  usedPercent: number
}

/** The ballast of the disk-full drill counts while its files exist: deleting them frees the disk. */
export function diskFigures(state: HostState): DiskFigures {
  let usedGb = state.disk.baseUsedGb
  for (const b of state.disk.ballast) if (existsSync(b.path)) usedGb += b.gb
  usedGb = Math.min(state.disk.sizeGb, Math.round(usedGb * 10) / 10)
  const availGb = Math.round((state.disk.sizeGb - usedGb) * 10) / 10
  return { sizeGb: state.disk.sizeGb, usedGb, availGb, usedPercent: Math.ceil((usedGb / state.disk.sizeGb) * 100) }
}

export function cpuFigures(state: HostState): { user: number; system: number; iowait: number; idle: number } {
  let { user, system, iowait } = state.cpu
  if (state.faults['slow-app']) user = Math.max(user, 86.4)
  if (state.faults['memory-pressure']) iowait = Math.max(iowait, 9.7)
  if (state.faults['db-lock']) iowait = Math.max(iowait, 2.1)
  const idle = Math.max(0, Math.round((100 - user - system - iowait - 0.2) * 10) / 10)
  return { user, system, iowait, idle }
}
