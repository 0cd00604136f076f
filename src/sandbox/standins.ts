// The HTTP stand-ins (the app's /up and the FormulaEngine's /health): small node processes
// started detached (their own session, output to a file) so they outlive the command that
// started them, and stopped by their recorded pid, only when it is really our process.
// Node built-ins only: the shim program bundles this to restart them.
import http from 'node:http'
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { msg } from '../runner/api.js'
import { canConnect } from './servers.js'

export type Role = 'app' | 'formula-engine'
export const ROLES: Role[] = ['app', 'formula-engine']

export interface StandinInfo {
  pid: number
  port: number
  startedAt: string
}

const runDir = (root: string) => path.join(root, 'run')
export const standinProgram = (root: string) => path.join(root, 'bin', '.programs', 'standin.mjs')
const infoFile = (root: string, role: Role) => path.join(runDir(root), `${role}.json`)

/** Whether a process runs (a zombie waiting for a parent that does not reap it counts as gone). */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

/** Whether `pid` runs the given program for this sandbox (a pid file can outlive its process). */
export function isOurProcess(pid: number | undefined, program: string, root: string): boolean {
  if (!alive(pid)) return false
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return cmd.includes(program) && cmd.includes(root)
  } catch {
    return existsSync(program)
  }
}

export function readStandin(root: string, role: Role): StandinInfo | undefined {
  try {
    return JSON.parse(readFileSync(infoFile(root, role), 'utf8')) as StandinInfo
  } catch {
    return undefined
  }
}

/** The stand-in's info when its process runs, else undefined. */
export function runningStandin(root: string, role: Role): StandinInfo | undefined {
  const info = readStandin(root, role)
  return info && isOurProcess(info.pid, standinProgram(root), root) ? info : undefined
}

export function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return canConnect('127.0.0.1', port, timeoutMs)
}

/** Whether `GET path` answers 200: what a health check sees (a stand-in in a drill answers 503). */
export function healthAnswers(port: number, path: string, timeoutMs = 800): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
  })
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = performance.now() + ms
  while (performance.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 40))
  }
  return check()
}

/** Starts a stand-in detached on 127.0.0.1:port and waits until it accepts connections. */
export async function startStandin(root: string, role: Role, port: number, now: Date, node = process.execPath): Promise<StandinInfo> {
  const running = runningStandin(root, role)
  if (running && running.port === port) return running
  if (running) await stopStandin(root, role)
  mkdirSync(runDir(root), { recursive: true })
  const outFile = path.join(runDir(root), `${role}.out`)
  const out = openSync(outFile, 'a')
  const child = spawn(node, [standinProgram(root), role, String(port), root], {
    cwd: root,
    detached: true,
    stdio: ['ignore', out, out],
    // The caller's time zone (none set: the system's), so its log lines are in the same local
    // time as the seeded history and as the runbooks that read them.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...(process.env.TZ !== undefined ? { TZ: process.env.TZ } : {}) },
  })
  closeSync(out)
  child.unref()
  const pid = child.pid
  if (!pid) throw new Error(msg.sandbox.standinNotStarted(role))
  const info: StandinInfo = { pid, port, startedAt: now.toISOString() }
  writeFileSync(infoFile(root, role), JSON.stringify(info) + '\n')
  const ok = await waitFor(async () => !alive(pid) || (await portAnswers(port)), 8000)
  if (!ok || !alive(pid)) {
    const tail = existsSync(outFile) ? readFileSync(outFile, 'utf8').slice(-600) : ''
    throw new Error(msg.sandbox.standinNoAnswer(role, port, tail))
  }
  return info
}

/** Stops a stand-in (SIGTERM, then SIGKILL); false when it was not running. */
export async function stopStandin(root: string, role: Role): Promise<boolean> {
  const info = readStandin(root, role)
  const ours = info && isOurProcess(info.pid, standinProgram(root), root)
  if (info && !ours) rmSync(infoFile(root, role), { force: true })
  if (!info || !ours) return false
  try {
    process.kill(info.pid, 'SIGTERM')
  } catch {
    // gone already
  }
  if (!(await waitFor(() => !alive(info.pid), 3000))) {
    try {
      process.kill(info.pid, 'SIGKILL')
    } catch {
      // gone
    }
    await waitFor(() => !alive(info.pid), 2000)
  }
  return true
}

/** Waits until a process is gone; false when it still runs after `ms`. */
export async function waitGone(pid: number, ms: number): Promise<boolean> {
  return waitFor(() => !alive(pid), ms)
}

export async function restartStandin(root: string, role: Role, now: Date, port?: number): Promise<StandinInfo> {
  const previous = readStandin(root, role)
  await stopStandin(root, role)
  const p = port ?? previous?.port
  if (!p) throw new Error(msg.sandbox.standinNoPort(role))
  return startStandin(root, role, p, now)
}
