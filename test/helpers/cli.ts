// Running the real CLI as a child process, and throwaway folders for runbooks and reports.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = path.join(ROOT, 'bin', 'runbook')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  cwd?: string
  env?: Record<string, string | undefined>
  /** Called with the child once it started (to send signals). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void
  timeoutMs?: number
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', RUNBOOK_LANG: 'ko', NO_COLOR: '1', ...opts.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    opts.onSpawn?.(child)
  })
}

export function tempDir(prefix = 'rb-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** Writes a runbook into `dir` and returns its path. */
export function writeRunbook(dir: string, name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

/** All report files (.md) under a reports folder. */
export function reportFiles(reportsDir: string): string[] {
  if (!existsSync(reportsDir)) return []
  return readdirSync(reportsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(reportsDir, f))
    .sort()
}

export interface ReportJson {
  status: string
  runId: string
  target: string
  operator: string
  state: Record<string, unknown>
  inputs: Record<string, string | number>
  resumes: unknown[]
  checklist: { text: string; checked: boolean; by: string }[]
  steps: {
    id: string
    status: string
    attempts: number
    reason?: string
    output: string
    consent?: { by: string; who: string; how: string }
    checks: { name: string; ok: boolean }[]
    statements: { command: string; rowCount: number | null }[]
  }[]
}

export function readReport(mdPath: string): { md: string; json: ReportJson; log: string | null } {
  const base = mdPath.replace(/\.md$/, '')
  const log = existsSync(`${base}.log`) ? readFileSync(`${base}.log`, 'utf8') : null
  return { md: readFileSync(mdPath, 'utf8'), json: JSON.parse(readFileSync(`${base}.json`, 'utf8')) as ReportJson, log }
}

export function stepStatus(json: ReportJson): Record<string, string> {
  return Object.fromEntries(json.steps.map((s) => [s.id, s.status]))
}
