// The runbook library end to end: every runbook under runbooks/ runs against one sandbox without a
// TTY (--yes where it has destructive steps, --input where it has inputs) and passes; no step is
// skipped except for the reasons listed below by name. The restore drill proves equal row counts,
// and each incident runbook detects its sandbox fault and its repair step heals it. The sandbox is
// strict (docs/sandbox.md): the operator's locale is Korean, the app logs in the current Rails
// format, the container has no HEALTHCHECK, and systemctl refuses changes without sudo.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { findRunbookFiles } from '../../src/runner/parse/load.js'
import { RAILS_ERRORS, railsRequestLines, rng, type RailsLogFormat } from '../../src/sandbox/logs.js'
import { STEP_MARK } from '../../src/runner/report/status.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, ROOT, runCli, type CliResult, type ReportJson } from '../helpers/cli.js'
import { sandboxTestEnv } from '../helpers/sandbox-env.js'

// The operator's locale: procps and coreutils print Korean (메모리:, %Cpu:) and the parsers must not care.
const { dir, reports, env } = sandboxTestEnv('rb-runbooks-', { LANG: 'ko_KR.UTF-8' })

const sb = (args: string[], timeoutMs = 180_000): Promise<CliResult> => runCli(['sandbox', ...args], { env, timeoutMs })

interface Ran extends CliResult {
  json: ReportJson
  md: string
}

async function run(file: string, args: string[] = [], timeoutMs = 240_000): Promise<Ran> {
  const before = new Set(reportFiles(reports))
  const r = await runCli(['run', path.join('runbooks', file), '--sandbox', '--reports', reports, ...args], { env, timeoutMs })
  const report = reportFiles(reports).find((f) => !before.has(f))
  if (!report) throw new Error(`no report for ${file} (exit ${r.code}):\n${r.stderr.slice(-2000)}`)
  const { json, md } = readReport(report)
  return { ...r, json, md }
}

/** Reasons a step may be skipped, by name: what the sandbox (or a machine) does not have. */
const ALLOWED_SKIPS: Record<string, { step: string; reason: RegExp }> = {
  'pg_stat_statements is not loaded on this server (statistics info)': { step: 'performance-queries/statements-info', reason: /pg_stat_statements/ },
  'pg_stat_statements is not loaded on this server (slow queries)': { step: 'performance-queries/slow-queries', reason: /pg_stat_statements/ },
  'pg_stat_statements is not loaded on this server (frequent queries)': { step: 'performance-queries/frequent-queries', reason: /pg_stat_statements/ },
  'Docker Scout is not installed / not simulated': { step: 'security-package-audit/container-scan', reason: /docker scout/ },
  'capacity/database run again from the clean-up (table sizes)': { step: 'capacity-database/table-sizes', reason: /--from cleanup-ai-usage-records/ },
  'capacity/database run again from the clean-up (preview)': { step: 'capacity-database/cleanup-preview', reason: /--from cleanup-ai-usage-records/ },
  "the sandbox's systemctl shows no unit Environment": { step: 'performance-configuration/gc-environment', reason: /(probe 실패|probe failed) \(systemctl show excelapp-rails/ },
}

function expectPassed(file: string, r: Ran): void {
  const problems = r.json.steps
    .filter((s) => s.status !== 'passed' && s.status !== 'skipped')
    .map((s) => `${s.id}: ${s.status} ${s.reason ?? ''} ${s.checks.filter((c) => !c.ok).map((c) => c.name).join(', ')}`)
  expect(problems, `${file}\n${r.stderr.slice(-3000)}`).toEqual([])
  for (const s of r.json.steps.filter((x) => x.status === 'skipped')) {
    const key = `${(r.json as unknown as { runbook: { id: string } }).runbook.id}/${s.id}`
    const allowed = Object.entries(ALLOWED_SKIPS).find(([, a]) => a.step === key && a.reason.test(s.reason ?? ''))
    expect(allowed, `${file}: step ${s.id} skipped for a reason no one allowed: ${s.reason}`).toBeDefined()
  }
  expect(r.json.status, file).toBe('passed')
  expect(r.code, `${file}\n${r.stderr.slice(-2000)}`).toBe(0)
}

/** The clean-up deletes at most 100 000 rows a table per run and the sandbox holds more past
 * retention: the run fails on cleanup-remaining ("N행 남음"), and runs again from the clean-up pass. */
async function cleanUntilNothingRemains(first: Ran): Promise<Ran> {
  expect(first.json.status, 'the sandbox holds more than one batch past retention').toBe('failed')
  let r = first
  for (let round = 0; r.json.status !== 'passed' && round < 4; round++) {
    expect(r.json.steps.filter((s) => s.status === 'failed').map((s) => s.id), r.stderr.slice(-2000)).toEqual(['cleanup-remaining'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/\d+행 남음/)
    r = await run('capacity/database.md', ['--yes', '--from', 'cleanup-ai-usage-records'])
  }
  return r
}

// The whole library, in an order that makes sense on one sandbox: the daily backup before what
// needs a fresh backup (restore drill, restore, maintenance), the restore drill before the old-data
// clean-up changes row counts, the rollback (which moves the app's checkout) last.
const LIBRARY: { file: string; args?: string[] }[] = [
  { file: 'daily/health-check.md' },
  { file: 'daily/resources.md' },
  { file: 'daily/log-review.md' },
  { file: 'monitoring/key-metrics.md' },
  { file: 'backup/daily-database.md', args: ['--yes'] },
  { file: 'backup/restore-drill.md', args: ['--yes'] },
  { file: 'backup/weekly-full.md', args: ['--yes'] },
  { file: 'backup/files.md', args: ['--yes'] },
  { file: 'backup/restore.md', args: ['--yes', '--input', 'backup=latest'] },
  { file: 'performance/indexes.md' },
  { file: 'performance/queries.md' },
  { file: 'performance/configuration.md' },
  { file: 'security/package-audit.md', args: ['--yes'] },
  { file: 'security/code-scan.md' },
  { file: 'security/access-review.md' },
  { file: 'security/login-monitoring.md' },
  { file: 'capacity/disk.md', args: ['--yes'] },
  { file: 'capacity/database.md', args: ['--yes'] },
  { file: 'maintenance/weekly.md' },
  { file: 'maintenance/monthly.md' },
  { file: 'maintenance/quarterly.md' },
  { file: 'maintenance/yearly.md' },
  { file: 'incident/triage.md', args: ['--input', 'severity=P2', '--input', 'summary=정기 훈련'] },
  { file: 'incident/database.md', args: ['--yes'] },
  { file: 'incident/memory.md', args: ['--yes'] },
  { file: 'incident/formula-engine.md', args: ['--yes'] },
  { file: 'incident/slow-app.md', args: ['--yes'] },
  { file: 'incident/disk-full.md', args: ['--yes'] },
  { file: 'backup/rollback.md', args: ['--yes', '--input', 'version=v1.2.3'] },
]

beforeAll(async () => {
  const r = await sb(['up'])
  expect(r.code, r.stderr).toBe(0)
}, 300_000)

afterAll(async () => {
  await sb(['down', '--purge'])
}, 120_000)

describe.sequential('every runbook passes against the sandbox', () => {
  test('the list covers every runbook under runbooks/', async () => {
    const files = (await findRunbookFiles([path.join(ROOT, 'runbooks')])).map((f) => path.relative(path.join(ROOT, 'runbooks'), f)).sort()
    expect(LIBRARY.map((e) => e.file).sort()).toEqual(files)
  })

  for (const entry of LIBRARY) {
    test(entry.file, async () => {
      let r = await run(entry.file, entry.args)
      if (entry.file === 'capacity/database.md') r = await cleanUntilNothingRemains(r)
      expectPassed(entry.file, r)
      const step = (id: string) => r.json.steps.find((s) => s.id === id)!
      if (entry.file === 'security/access-review.md') {
        // the sandbox's sshd_config and sudoers, not skipped
        expect(step('ssh-access').status).toBe('passed')
        expect(step('ssh-access').output).toMatch(/sshd_config:AllowUsers deploy/)
        expect(step('ssh-access').output).toMatch(/50-excelapp\.conf:AllowGroups ops/)
        expect(step('ssh-access').output).not.toContain('⚠')
        expect(step('sudo-access').output).toMatch(/sudoers:#includedir /)
        expect(step('sudo-access').output).toMatch(/excelapp-deploy:deploy ALL=\(root\) NOPASSWD:/)
      }
      if (entry.file === 'security/login-monitoring.md') {
        expect(step('failed-logins').output).toContain(`출처: ${path.join(dir, 'host', 'log', 'auth.log')}`)
        expect(step('failed-logins').output).toContain('실패한 로그인 시도: 23건')
        expect(step('failed-logins').output).toMatch(/^\s+20 from 203\.0\.113\.45$/m)
        expect(step('suspicious-activity').output).toContain(`출처: ${path.join(dir, 'host', 'log', 'syslog')}`)
        expect(step('suspicious-activity').output).toContain('일치한 줄: 2건')
      }
      if (entry.file === 'security/package-audit.md') expect(step('npm-audit').status).toBe('passed')
      if (entry.file === 'backup/restore-drill.md') {
        const compare = step('compare-counts')
        expect(compare.checks).toEqual([expect.objectContaining({ name: '모든 테이블의 행 수가 원본과 같음', ok: true })])
        // the table in the report: every row marked equal, and there are rows
        const rows = r.md.split('\n').filter((l) => /^\| [a-z_\\]+ \| \d+ \| \d+ \|/.test(l))
        expect(rows.length).toBeGreaterThan(5)
        for (const row of rows) {
          const cells = row.split('|').map((c) => c.trim())
          expect(cells[2], row).toBe(cells[3])
        }
      }
    }, 300_000)
  }
})

// Each drill: the runbook's detection step fails on the fault, its repair step passes, the recheck
// (`rechecks=<detection>`) passes, so the detection is recorded "found and fixed" and the run
// passes (exit 0); the sandbox reports the fault healed. Where nothing in the runbook repairs the
// fault, the detection stays failed and the run fails (exit 1).
const DRILLS: { fault: string; file: string; detect: string; repair?: string; verify?: string; args?: string[] }[] = [
  { fault: 'formula-engine-down', file: 'incident/formula-engine.md', detect: 'health', repair: 'restart', verify: 'health-recheck', args: ['--yes'] },
  { fault: 'memory-pressure', file: 'incident/memory.md', detect: 'memory-usage', repair: 'restart-app', verify: 'memory-recheck', args: ['--yes'] },
  { fault: 'db-lock', file: 'incident/database.md', detect: 'lock-waits', repair: 'terminate-blockers', verify: 'recheck-locks', args: ['--yes'] },
  { fault: 'slow-app', file: 'incident/slow-app.md', detect: 'measure', repair: 'restart-app', verify: 'recheck', args: ['--yes'] },
  { fault: 'disk-full', file: 'incident/disk-full.md', detect: 'disk-usage', repair: 'free-space', verify: 'disk-recheck', args: ['--yes'] },
  // Triage and the daily log review detect an error burst; nothing in a runbook "repairs" one.
  { fault: 'error-burst', file: 'incident/triage.md', detect: 'impact', args: ['--input', 'severity=P1'] },
  { fault: 'error-burst', file: 'daily/log-review.md', detect: 'error-log' },
]

describe.sequential('incident drills: each runbook detects its fault and heals it', () => {
  for (const d of DRILLS) {
    test(`${d.fault} → ${d.file}`, async () => {
      expect((await sb(['heal'])).code).toBe(0)
      const broke = await sb(['break', d.fault])
      expect(broke.code, broke.stderr).toBe(0)
      if (d.fault === 'formula-engine-down') {
        // The daily health check under the same fault: every check runs (keep-going), the run fails.
        const health = await run('daily/health-check.md')
        expect(health.code, health.stderr.slice(-2000)).toBe(1)
        expect(health.json.status).toBe('failed')
        expect(Object.fromEntries(health.json.steps.map((s) => [s.id, s.status]))).toEqual({ 'app-up': 'passed', 'formula-engine-health': 'failed', 'db-ping': 'passed', 'redis-ping': 'passed' })
      }
      const r = await run(d.file, d.args)
      const status = Object.fromEntries(r.json.steps.map((s) => [s.id, s]))
      expect(status[d.detect]!.checks.some((c) => !c.ok), `${d.detect} should detect ${d.fault}`).toBe(true)
      if (d.repair) {
        expect(status[d.repair]?.status, r.stderr.slice(-2000)).toBe('passed')
        expect(status[d.verify!]?.status, r.stderr.slice(-2000)).toBe('passed')
        expect(status[d.detect]?.status, `${d.detect}: found and fixed`).toBe('fixed')
        expect(status[d.detect]?.reason).toContain(d.verify!)
        expect(r.json.status).toBe('passed')
        expect(r.code, r.stderr.slice(-2000)).toBe(0)
        expect(r.md).toContain(`${d.detect}: ${STEP_MARK.fixed} ${msg.run.stepStatus('fixed')}`)
        const faults = JSON.parse((await sb(['status', '--json'])).stdout).faults as { name: string }[]
        expect(faults.map((f) => f.name)).not.toContain(d.fault)
      } else {
        expect(status[d.detect]?.status, `${d.detect} should detect ${d.fault}`).toBe('failed')
        expect(r.json.status).toBe('failed')
        expect(r.code).toBe(1)
      }
      // What the detection said reached the terminal while it ran: lock-waits' table of sessions.
      if (d.fault === 'db-lock') expect(r.stdout).toMatch(/blocked_pid +\| blocked_user/)
      // every step other than the detection ran (nothing blocked, nothing left behind)
      for (const s of r.json.steps) if (s.id !== d.detect && s.id !== 'verify-resolved') expect(s.status, `${s.id}: ${s.reason ?? ''}`).toBe('passed')
      await sb(['heal'])
    }, 300_000)
  }
})

test('the runbook index lists every runbook', async () => {
  const index = readFileSync(path.join(ROOT, 'runbooks', 'README.md'), 'utf8')
  for (const e of LIBRARY) expect(index, e.file).toContain(`(${e.file})`)
})

// The log review on logs it must not pass: 50 requests in the last half hour, every one a 500 that
// took 1800 ms, in either Rails format (before the fix, the current format read as "0/0 = 0.00 %"
// and passed); and a log with no request line it can read fails as "log format not recognised".
describe('the log review reads both Rails log formats and fails closed', () => {
  const logDir = (name: string, text: string): string => {
    const d = path.join(path.dirname(dir), 'logs', name)
    mkdirSync(d, { recursive: true })
    writeFileSync(path.join(d, 'production.log'), text)
    writeFileSync(path.join(d, 'formula_engine.log'), '')
    return d
  }
  const failing = (format: RailsLogFormat): string => {
    const now = Date.now()
    const lines: string[] = []
    for (let i = 0; i < 50; i++) lines.push(...railsRequestLines(new Date(now - (50 - i) * 30_000), rng(i), { durationMs: 1800, error: RAILS_ERRORS[0], path: '/api/v1/excel_files', format }))
    return lines.join('\n') + '\n'
  }
  /** Runs the log review on that folder: its result and its error-log step as recorded. */
  const review = async (d: string): Promise<CliResult & { step: ReportJson['steps'][number] }> => {
    const before = new Set(reportFiles(reports))
    const r = await runCli(['run', 'runbooks/daily/log-review.md', '--set', `LOG_DIR=${d}`, '--reports', reports], { env: { LANG: 'ko_KR.UTF-8' }, timeoutMs: 120_000 })
    const report = reportFiles(reports).find((f) => !before.has(f))
    if (!report) throw new Error(`no report (exit ${r.code}):\n${r.stderr.slice(-2000)}`)
    return { ...r, step: readReport(report).json.steps.find((s) => s.id === 'error-log')! }
  }

  for (const format of ['current', 'tagged'] as const) {
    test(`50 requests, all 500 in 1800 ms (${format} format): the error rate fails`, async () => {
      const text = failing(format)
      expect(text.split('\n').filter((l) => l.includes('Completed 500'))).toHaveLength(50)
      const r = await review(logDir(format, text))
      expect(r.code, r.stderr.slice(-2000)).toBe(1)
      const step = r.step
      expect(step.status).toBe('failed')
      const rate = step.checks.find((c) => c.name.includes('5xx'))!
      expect(rate.ok).toBe(false)
      expect(r.stdout).toContain('50/50 요청 = 100.00%')
    }, 180_000)
  }

  test('a log with no request line it can read: "log format not recognised", not 0/0', async () => {
    const r = await review(logDir('unknown', '2026-11-28 09:30:00 GET /up 200 3ms\n'.repeat(50)))
    expect(r.code).toBe(1)
    const step = r.step
    expect(step.status).toBe('failed')
    expect(step.reason ?? r.stdout).toContain('log format not recognised')
    expect(r.stdout).not.toContain('0/0')
  }, 180_000)
})
