// `runbook sandbox`: up from nothing and again, status, the daily health check against it, the
// drills, the simulated host's commands, safety rule 5, reset and down; on an existing server
// and on throwaway servers. Every sandbox lives in a temp folder ($RUNBOOK_SANDBOX_DIR).
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { freePort } from '../../src/sandbox/servers.js'
import { readReport, reportFiles, ROOT, runCli, stepStatus, tempDir, writeRunbook, type CliResult } from '../helpers/cli.js'

const PG_ADMIN = process.env.RB_TEST_PG_ADMIN_URL!
const REDIS_BASE = (() => {
  const u = new URL(process.env.RB_TEST_REDIS_URL!)
  u.pathname = ''
  return u.toString().replace(/\/$/, '')
})()

interface Sandbox {
  dir: string
  reports: string
  env: Record<string, string>
  sb(args: string[], timeoutMs?: number): Promise<CliResult>
  run(file: string, args?: string[], timeoutMs?: number): Promise<CliResult & { json: ReturnType<typeof readReport>['json'] | undefined }>
  envFile(): Record<string, string>
  status(): Promise<Record<string, any>>
}

function sandbox(extra: Record<string, string>): Sandbox {
  const dir = path.join(tempDir('rb-sandbox-'), 'sb')
  const reports = path.join(path.dirname(dir), 'reports')
  const env = { RUNBOOK_SANDBOX_DIR: dir, SANDBOX_FORMULA_ENGINE_PORT: '0', ...extra }
  const self: Sandbox = {
    dir,
    reports,
    env,
    sb: (args, timeoutMs = 120_000) => runCli(['sandbox', ...args], { env, timeoutMs }),
    run: async (file, args = [], timeoutMs = 90_000) => {
      const before = new Set(reportFiles(reports))
      const r = await runCli(['run', file, '--sandbox', '--reports', reports, ...args], { env, timeoutMs })
      const report = reportFiles(reports).find((f) => !before.has(f))
      return { ...r, json: report ? readReport(report).json : undefined }
    },
    envFile: () => parseEnv(readFileSync(path.join(dir, 'env'), 'utf8')) as Record<string, string>,
    status: async () => JSON.parse((await self.sb(['status', '--json'])).stdout) as Record<string, any>,
  }
  return self
}

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query<T>(sql)).rows
  } finally {
    await c.end()
  }
}

function alive(pid: number | null | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** A command through the sandbox's PATH (its shims), output captured. */
function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

const HEALTH = path.join(ROOT, 'runbooks', 'daily', 'health-check.md')

// The guide's daily log and resource checks, as a runbook (the health check covers the services).
const GUIDE_CHECKS = `---
id: guide-checks
title: 로그와 리소스 점검
env:
  LOG_DIR: { description: 로그 폴더 }
---
# 로그와 리소스 점검

## 에러 로그

\`\`\`ts {id=error-log keep-going}
const text = fs.readFileSync(\`\${env.LOG_DIR}/production.log\`, 'utf8')
const since = Date.now() - 5 * 60_000
// The current Rails format: a request's time is on its Started line, found by its request id.
const started = new Map<string, number>()
let recent = 0
for (const l of text.split('\\n')) {
  const m = /^\\[([^\\]]+)\\] (.*)$/.exec(l)
  if (!m) continue
  const at = / at (\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d:\\d\\d) ([+-]\\d\\d)(\\d\\d)$/.exec(m[2]!)
  if (m[2]!.startsWith('Started ') && at) started.set(m[1]!, Date.parse(\`\${at[1]}T\${at[2]}\${at[3]}:\${at[4]}\`))
  if (/^Completed 5\\d\\d /.test(m[2]!) && (started.get(m[1]!) ?? 0) > since) recent++
}
check('최근 5분 5xx 20건 미만', recent < 20, \`\${recent}건\`)
\`\`\`

## 디스크

\`\`\`bash {id=disk keep-going}
use=$(df -h / | awk 'NR==2 {print $5}' | tr -d %)
echo "disk $use%"
test "$use" -lt 85
\`\`\`

## 메모리

\`\`\`bash {id=memory keep-going}
use=$(free | awk '/^Mem:/ {printf "%d", $3/$2*100}')
echo "memory $use%"
test "$use" -lt 80
\`\`\`
`

const LOCKS = `---
id: locks
title: 잠금 대기 확인
env:
  DATABASE_URL: { required: true, secret: true, description: DB }
---
# 잠금

## 잠금 대기 확인

\`\`\`sql {id=lock-wait}
SELECT blocked_locks.pid AS blocked_pid, blocking_locks.pid AS blocking_pid, blocked_activity.query AS blocked_statement
FROM pg_catalog.pg_locks blocked_locks
JOIN pg_catalog.pg_stat_activity blocked_activity ON blocked_activity.pid = blocked_locks.pid
JOIN pg_catalog.pg_locks blocking_locks ON blocking_locks.locktype = blocked_locks.locktype
  AND blocking_locks.relation IS NOT DISTINCT FROM blocked_locks.relation AND blocking_locks.pid != blocked_locks.pid
JOIN pg_catalog.pg_stat_activity blocking_activity ON blocking_activity.pid = blocking_locks.pid
WHERE NOT blocked_locks.granted;
\`\`\`

## 막고 있는 세션 종료

\`\`\`sql {id=terminate destructive}
SELECT pg_terminate_backend(b) AS terminated
FROM pg_stat_activity a, unnest(pg_blocking_pids(a.pid)) AS b
WHERE a.datname = current_database();
\`\`\`
`

// Production commands a runbook runs on the host: in --sandbox they act on the simulated host.
const HOST_COMMANDS = `---
id: host-commands
title: 호스트 명령
env:
  BACKUP_DIR: { description: 백업 폴더 }
  BACKUP_S3_URI: { description: 백업 버킷 }
---
# 호스트 명령

## 재시작과 패키지

\`\`\`bash {id=host destructive}
sudo systemctl restart excelapp-rails
sudo systemctl reload nginx
docker restart formula-engine
sudo sysctl -w vm.drop_caches=3
sudo sysctl -w vm.swappiness=1
sudo apt update && sudo apt upgrade -y
printf '0 3 * * * /opt/scripts/backup_database.sh\\n' | crontab -
crontab -l
newest=$(ls -t "$BACKUP_DIR" | head -1)
aws s3 cp "$BACKUP_DIR/$newest" "$BACKUP_S3_URI/database/rule5-$newest"
find "$BACKUP_DIR" -name "*.sql.gz" -mtime +7 -delete
rm -f "$BACKUP_DIR/does-not-exist.sql.gz"
\`\`\`

## TS에서도

\`\`\`ts {id=ts destructive}
await $\`sudo systemctl restart excelapp-rails\`
fs.rmSync(\`\${env.BACKUP_DIR}/also-not-there.sql.gz\`, { force: true })
\`\`\`
`

const OUTSIDE = `---
id: outside
title: 샌드박스 밖
---
# 샌드박스 밖

## 리다이렉션

\`\`\`bash {id=redirect destructive}
echo x > /etc/rb-test
\`\`\`

## 삭제

\`\`\`bash {id=delete destructive}
rm -rf /etc/something-that-does-not-exist
\`\`\`

## 실행 중에야 알 수 있는 경로

\`\`\`ts {id=runtime destructive}
const target = ['', 'etc', 'rb-test'].join('/')
await $\`rm -rf \${target}\`
\`\`\`
`

/** /etc (paths, sizes, mtimes, modes), the package list, the real crontab and a kernel setting. */
function hostFingerprint(): string[] {
  const lines: string[] = []
  const walk = (dir: string) => {
    let entries: string[]
    try {
      entries = readdirSync(dir).sort()
    } catch {
      return
    }
    for (const name of entries) {
      const p = path.join(dir, name)
      try {
        const st = lstatSync(p)
        lines.push(`${p} ${st.size} ${st.mtimeMs} ${st.mode}`)
        if (st.isDirectory()) walk(p)
      } catch {
        // vanished
      }
    }
  }
  walk('/etc')
  walk('/var/spool/cron')
  const dpkg = spawnSync('dpkg', ['-l'], { encoding: 'utf8' })
  lines.push(`dpkg ${dpkg.status} ${dpkg.stdout ?? ''}`)
  const cron = spawnSync('crontab', ['-l'], { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' } })
  lines.push(`crontab ${cron.status} ${cron.error ? 'absent' : cron.stdout}`)
  lines.push(`swappiness ${readFileSync('/proc/sys/vm/swappiness', 'utf8').trim()}`)
  return lines
}

describe('sandbox on this machine\'s PostgreSQL and Redis', () => {
  const s = sandbox({ SANDBOX_LOCAL_DATABASE_URL: PG_ADMIN, SANDBOX_LOCAL_REDIS_URL: REDIS_BASE })
  let guide: string
  let hostRunbook: string
  let outside: string
  let locks: string

  beforeAll(() => {
    const dir = path.dirname(s.dir)
    guide = writeRunbook(dir, 'guide-checks.md', GUIDE_CHECKS)
    hostRunbook = writeRunbook(dir, 'host.md', HOST_COMMANDS)
    outside = writeRunbook(dir, 'outside.md', OUTSIDE)
    locks = writeRunbook(dir, 'locks.md', LOCKS)
  })

  afterAll(async () => {
    await s.sb(['down', '--purge'])
    rmSync(path.dirname(s.dir), { recursive: true, force: true })
  }, 60_000)

  test('up from nothing: servers, two years of data, files, shims, stand-ins and .sandbox/env', async () => {
    const t0 = Date.now()
    const r = await s.sb(['up'])
    const ms = Date.now() - t0
    expect(r.stderr).not.toContain('internal error')
    expect(r.code).toBe(0)
    expect(ms).toBeLessThan(45_000)
    expect(r.stdout).toContain(msg.cli.sandboxGenerated)
    // Its stages and progress, as they happen (on stderr, each with how long it took).
    const stageLines = r.stderr.split('\n').filter((l) => /\[\d\/6\]/.test(l))
    expect(stageLines).toHaveLength(6)
    expect(r.stderr.match(new RegExp(msg.sandbox.upStageDone('\\d+\\.\\d').replace(/[()]/g, '\\$&'), 'g'))?.length).toBe(6)
    const env = s.envFile()
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'APP_URL', 'FORMULA_ENGINE_URL', 'LOG_DIR', 'STORAGE_DIR', 'BACKUP_DIR', 'BACKUP_S3_URI', 'APP_DIR', 'SANDBOX', 'SANDBOX_DIR', 'PATH']) expect(env[key], key).toBeTruthy()
    expect(env.SANDBOX_DIR).toBe(s.dir)
    expect(env.PATH!.split(':')[0]).toBe(path.join(s.dir, 'bin'))
    expect(env.BACKUP_S3_URI).toBe('s3://excelapp-backups')
    expect(new URL(env.DATABASE_URL!).pathname).toMatch(/^\/excelapp_sandbox_[0-9a-f]{10}$/)
    expect(env.DATABASE_URL).not.toBe(PG_ADMIN)
    for (const key of ['LOG_DIR', 'STORAGE_DIR', 'BACKUP_DIR', 'APP_DIR', 'SSHD_CONFIG', 'SUDOERS', 'AUTH_LOG', 'SYSLOG', 'SYSTEM_LOG_DIR']) expect(env[key]?.startsWith(`${s.dir}/`), key).toBe(true)

    // Data: realistic proportions, enough for the guide's clean-ups and index reviews.
    const [counts] = await query<Record<string, string>>(
      env.DATABASE_URL!,
      `SELECT (SELECT count(*) FROM ai_usage_records) AS usage,
              (SELECT count(*) FROM ai_usage_records WHERE created_at < now() - interval '1 year') AS usage_old,
              (SELECT count(*) FROM chat_messages WHERE created_at < now() - interval '6 months') AS chat_old,
              (SELECT avg((upload_status = 'failed')::int) FROM excel_files) AS failed_uploads,
              (SELECT avg((status = 'failed')::int) FROM payments) AS failed_payments,
              (SELECT count(*) FROM ai_analyses WHERE error_message IS NOT NULL) AS ai_errors,
              (SELECT count(*) FROM background_jobs WHERE status = 'failed') AS failed_jobs,
              (SELECT min(created_at) < now() - interval '700 days' FROM ai_usage_records) AS two_years`,
    )
    expect(Number(counts!.usage)).toBeGreaterThanOrEqual(300_000)
    expect(Number(counts!.usage_old)).toBeGreaterThan(50_000)
    expect(Number(counts!.chat_old)).toBeGreaterThan(50_000)
    expect(Number(counts!.failed_uploads)).toBeGreaterThan(0.01)
    expect(Number(counts!.failed_uploads)).toBeLessThan(0.08)
    expect(Number(counts!.failed_payments)).toBeGreaterThan(0.01)
    expect(Number(counts!.failed_payments)).toBeLessThan(0.05)
    expect(Number(counts!.ai_errors)).toBeGreaterThan(0)
    expect(Number(counts!.failed_jobs)).toBeGreaterThan(0)
    expect(counts!.two_years).toBe(true)
    const indexes = await query<{ indexrelname: string; idx_scan: string }>(env.DATABASE_URL!, `SELECT indexrelname, idx_scan FROM pg_stat_user_indexes`)
    const scans = Object.fromEntries(indexes.map((i) => [i.indexrelname, Number(i.idx_scan)]))
    expect(scans.index_excel_files_on_content_type).toBe(0)
    expect(scans.index_chat_messages_on_role).toBe(0)
    expect(scans.index_excel_files_on_user_id).toBeGreaterThan(0)

    // Files: Rails-style logs with slow requests and stack traces, storage, backups, the bucket, the app.
    const log = readFileSync(path.join(env.LOG_DIR!, 'production.log'), 'utf8')
    expect(log).toMatch(/^\[[0-9a-f-]+\] Started GET "/m) // the current Rails format: no Logger prefix
    expect(log).toMatch(/Completed 200 OK in [5-9]\d\dms/)
    expect(log).toMatch(/Completed 200 OK in [1-9]\d{3}ms/)
    expect(log).toMatch(/^\[[0-9a-f-]+\] app\/\S+\.rb:\d+:in `/m)
    expect(log).not.toMatch(/^[IWE], \[/m)
    expect(readFileSync(path.join(env.LOG_DIR!, 'formula_engine.log'), 'utf8')).toMatch(/ERROR [\s\S]*\n {4}at /)
    expect(readdirSync(env.STORAGE_DIR!).length).toBeGreaterThan(10)
    expect(readdirSync(env.BACKUP_DIR!).filter((f) => f.endsWith('.sql.gz'))).toHaveLength(14)
    expect(readdirSync(path.join(s.dir, 's3', 'excelapp-backups', 'database')).length).toBeGreaterThan(14)
    expect(execFileSync('git', ['-C', env.APP_DIR!, 'tag'], { encoding: 'utf8' })).toContain('v1.2.3')
    expect(execFileSync('git', ['-C', env.APP_DIR!, 'status', '--porcelain'], { encoding: 'utf8' })).toBe('')
    expect(JSON.parse(readFileSync(path.join(env.APP_DIR!, 'package-lock.json'), 'utf8')).packages['node_modules/@hotwired/turbo-rails'].version).toBe('8.0.12')

    // The simulated host's security files, where the security runbooks' env points.
    expect(readFileSync(env.SSHD_CONFIG!, 'utf8')).toMatch(/^AllowUsers /m)
    expect(readFileSync(path.join(`${env.SSHD_CONFIG}.d`, '50-excelapp.conf'), 'utf8')).toMatch(/^AllowGroups /m)
    expect(readFileSync(env.SUDOERS!, 'utf8')).toContain(`#includedir ${env.SUDOERS}.d`)
    expect(readdirSync(`${env.SUDOERS}.d`)).toContain('excelapp-deploy')
    expect(readFileSync(env.AUTH_LOG!, 'utf8')).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d excelapp-prod-1 sshd\[\d+\]: Failed password for invalid user admin from 203\.0\.113\.45 port \d+ ssh2$/m)
    expect(readFileSync(env.AUTH_LOG!, 'utf8')).toContain('POSSIBLE BREAK-IN ATTEMPT!')
    expect(readFileSync(env.SYSLOG!, 'utf8')).toMatch(/suspicious/)
  }, 120_000)

  test('up again is idempotent: same servers, ports and processes, no new data', async () => {
    const before = await s.status()
    const t0 = Date.now()
    const r = await s.sb(['up'])
    expect(r.code).toBe(0)
    expect(Date.now() - t0).toBeLessThan(15_000)
    expect(r.stdout).not.toContain(msg.cli.sandboxGenerated)
    const after = await s.status()
    expect(after.standins).toEqual(before.standins)
    expect(after.postgres.url).toBe(before.postgres.url)
    expect(after.redis.url).toBe(before.redis.url)
  }, 60_000)

  test('status shows the servers, the stand-ins and no faults', async () => {
    const r = await s.sb(['status'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('PostgreSQL')
    expect(r.stdout).toMatch(new RegExp(`^  ${msg.sandbox.labelFaults}\\s+${msg.sandbox.none}$`, 'm'))
    const json = await s.status()
    expect(json).toMatchObject({ up: true, healthy: true, faults: [], postgres: { mode: 'local', ok: true }, redis: { mode: 'local', ok: true } })
    expect(json.redis.db).not.toBe(0)
    expect(json.standins.app.ok).toBe(true)
    expect(json.standins['formula-engine'].ok).toBe(true)
  })

  test('the sudo shim runs the command after its options and VAR=value assignments, as real sudo does', () => {
    const shims = { ...process.env, ...s.envFile() }
    expect(sh('sudo', ['RB_SUDO_TEST=1', 'printenv', 'RB_SUDO_TEST'], shims)).toBe('1\n')
    expect(sh('sudo', ['-E', '-u', 'deploy', 'A=x', 'B=y=z', 'sh', '-c', 'echo "$A $B"'], shims)).toBe('x y=z\n')
    expect(sh('sudo', ['--user', 'root', '--', 'printenv', 'RB_SUDO_OUTER'], { ...shims, RB_SUDO_OUTER: 'kept' })).toBe('kept\n')
    expect(sh('sudo', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', '-s', 'upgrade'], shims)).toMatch(/^Inst \S+ \[/m)
  })

  test('the daily health check passes against the healthy sandbox, and so do the guide\'s log and resource checks', async () => {
    const health = await s.run(HEALTH)
    expect(health.code, health.stdout + health.stderr).toBe(0)
    expect(health.json!.target).toBe('sandbox')
    expect(stepStatus(health.json!)).toEqual({ 'app-up': 'passed', 'formula-engine-health': 'passed', 'db-ping': 'passed', 'redis-ping': 'passed' })
    const checks = await s.run(guide)
    expect(checks.code, checks.stdout).toBe(0)
  }, 60_000)

  test('each drill fails the check that should catch it; the runbook commands and heal repair it', async () => {
    // FormulaEngine down: 503 (the container has no HEALTHCHECK: docker ps shows it Up, and
    // {{.State.Health.Status}} fails); `docker restart formula-engine` heals it.
    expect((await s.sb(['break', 'formula-engine-down'])).code).toBe(0)
    let health = await s.run(HEALTH)
    expect(health.code).toBe(1)
    expect(stepStatus(health.json!)).toEqual({ 'app-up': 'passed', 'formula-engine-health': 'failed', 'db-ping': 'passed', 'redis-ping': 'passed' })
    // `sandbox status` says what a health check sees: FormulaEngine ✘ during the drill.
    let status = await s.status()
    expect(status.standins['formula-engine'].ok).toBe(false)
    expect(status.healthy).toBe(false)
    const shims = { ...process.env, ...s.envFile() }
    expect(sh('docker', ['ps'], shims)).toMatch(/formula-engine/)
    expect(sh('docker', ['ps'], shims)).not.toContain('healthy)')
    expect(() => sh('docker', ['inspect', '--format', '{{.State.Health.Status}}', 'formula-engine'], shims)).toThrow(/map has no entry for key "Health"/)
    sh('docker', ['restart', 'formula-engine'], shims)
    status = await s.status()
    expect(status.standins['formula-engine'].ok).toBe(true)

    // Slow app: /up after 6 s, beyond the check's 5 s; `sudo systemctl restart excelapp-rails`
    // heals it (without sudo the operator is refused, as in production).
    await s.sb(['break', 'slow-app'])
    health = await s.run(HEALTH)
    expect(stepStatus(health.json!)).toEqual({ 'app-up': 'failed', 'formula-engine-health': 'passed', 'db-ping': 'passed', 'redis-ping': 'passed' })
    expect(() => sh('systemctl', ['restart', 'excelapp-rails'], shims)).toThrow(/Interactive authentication required/)
    sh('sudo', ['systemctl', 'restart', 'excelapp-rails'], shims)
    health = await s.run(HEALTH)
    expect(health.code).toBe(0)

    // A lock on a busy table: the health check's DB ping still answers; the guide's lock query
    // shows who blocks whom, and terminating the blocker ends the drill.
    await s.sb(['break', 'db-lock'])
    health = await s.run(HEALTH)
    expect(health.code).toBe(0)
    const lockRun = await s.run(locks, ['--yes'])
    expect(lockRun.code, lockRun.stdout).toBe(0)
    const lockWait = lockRun.json!.steps.find((x) => x.id === 'lock-wait')!
    expect(lockWait.output).toMatch(/blocked_pid \| blocking_pid/)
    expect(lockWait.output).toContain('excel_files')
    expect(lockWait.output).not.toContain('(0 rows)')
    let faults: string[] = []
    for (let i = 0; i < 40; i++) {
      faults = (await s.status()).faults.map((f: { name: string }) => f.name)
      if (!faults.includes('db-lock')) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(faults).not.toContain('db-lock')

    // Error burst, disk at 92 %, memory at 90 %: the guide's checks catch each one.
    const failing = async (fault: string, step: string) => {
      expect((await s.sb(['break', fault])).code).toBe(0)
      const r = await s.run(guide)
      expect(r.code, fault).toBe(1)
      const statuses = stepStatus(r.json!)
      expect(statuses[step], fault).toBe('failed')
      expect(Object.values(statuses).filter((x) => x === 'failed'), fault).toHaveLength(1)
      expect((await s.sb(['heal'])).stdout).toContain(fault)
    }
    await failing('error-burst', 'error-log')
    expect(sh('df', ['-h', '/'], shims)).toMatch(/4[0-9]% \//)
    await s.sb(['break', 'disk-full'])
    expect(sh('df', ['-h', '/'], shims)).toContain('92% /')
    await s.sb(['heal'])
    await failing('disk-full', 'disk')
    await s.sb(['break', 'memory-pressure'])
    expect(sh('free', ['-m'], shims)).toMatch(/Mem:\s+16384\s+14(7|8)\d\d/)
    sh('sysctl', ['-w', 'vm.drop_caches=3'], shims)
    expect((await s.status()).host.memoryPercent).toBeLessThan(90)
    await s.sb(['heal'])
    await failing('memory-pressure', 'memory')

    // heal ends everything at once.
    for (const f of ['formula-engine-down', 'slow-app', 'error-burst', 'disk-full', 'memory-pressure']) await s.sb(['break', f])
    expect((await s.status()).faults).toHaveLength(5)
    await s.sb(['heal'])
    expect((await s.status()).faults).toEqual([])
    expect((await s.run(HEALTH)).code).toBe(0)
    expect((await s.run(guide)).code).toBe(0)
    expect((await s.sb(['break', 'no-such-fault'])).code).toBe(2)
  }, 240_000)

  test('safety rule 5: a --sandbox --yes run of host commands leaves /etc, the packages and the crontab alone', async () => {
    const before = hostFingerprint()
    const r = await s.run(hostRunbook, ['--yes'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('(sandbox) restarted excelapp-rails')
    expect(r.stdout).toContain('(sandbox) upgraded 5 packages')
    const refused = async (step: string) => {
      const o = await s.run(outside, ['--yes', '--step', step])
      expect(o.code, step).toBe(3)
      const rec = o.json!.steps.find((x) => x.id === step)!
      expect(rec.status, step).toBe('blocked')
      expect(rec.reason, step).toContain('안전 규칙 5')
      return rec.reason!
    }
    expect(await refused('redirect')).toContain('/etc/rb-test')
    expect(await refused('delete')).toContain('/etc/something-that-does-not-exist')
    expect(await refused('runtime')).toContain('rm -rf /etc/rb-test')
    expect(existsSync('/etc/rb-test')).toBe(false)
    expect(hostFingerprint()).toEqual(before)

    // What changed is the simulated host, inside the sandbox folder.
    const history = readFileSync(path.join(s.dir, 'host', 'history.log'), 'utf8')
    for (const line of ['systemctl restart excelapp-rails', 'docker restart formula-engine', 'sysctl -w vm.drop_caches=3', 'apt upgrade -y', 'crontab -']) expect(history).toContain(line)
    expect(readFileSync(path.join(s.dir, 'host', 'crontab'), 'utf8')).toBe('0 3 * * * /opt/scripts/backup_database.sh\n')
    expect(readdirSync(s.envFile().BACKUP_DIR!).filter((f) => f.endsWith('.sql.gz')).length).toBeLessThan(14)
    expect(readdirSync(path.join(s.dir, 's3', 'excelapp-backups', 'database')).some((f) => f.startsWith('rule5-'))).toBe(true)
    expect(JSON.parse(readFileSync(path.join(s.dir, 'host', 'host.json'), 'utf8')).packages.upgradable).toEqual([])
  }, 120_000)

  test('reset restores the data, the files and the simulated host', async () => {
    const url = s.envFile().DATABASE_URL!
    await query(url, `DELETE FROM chat_messages WHERE created_at < now() - interval '6 months'`)
    const t0 = Date.now()
    const r = await s.sb(['reset'])
    expect(r.code, r.stderr).toBe(0)
    expect(Date.now() - t0).toBeLessThan(60_000)
    const [c] = await query<{ n: string; old: string }>(url, `SELECT count(*) AS n, count(*) FILTER (WHERE created_at < now() - interval '6 months') AS old FROM chat_messages`)
    expect(Number(c!.n)).toBe(300_000)
    expect(Number(c!.old)).toBeGreaterThan(50_000)
    expect(readFileSync(path.join(s.dir, 'host', 'crontab'), 'utf8')).toContain('/opt/scripts/backup_database.sh')
    expect(readFileSync(path.join(s.dir, 'host', 'crontab'), 'utf8')).toContain('0 2 * * *')
    expect(readdirSync(s.envFile().BACKUP_DIR!).filter((f) => f.endsWith('.sql.gz'))).toHaveLength(14)
    expect(JSON.parse(readFileSync(path.join(s.dir, 'host', 'host.json'), 'utf8')).packages.upgradable).toHaveLength(5)
    expect((await s.run(HEALTH)).code).toBe(0)
  }, 120_000)

  test('down stops only what up started; a --sandbox run then says the sandbox is not up', async () => {
    const status = await s.status()
    const pids = [status.standins.app.pid, status.standins['formula-engine'].pid]
    const r = await s.sb(['down'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`${msg.sandbox.stoppedStandin('app')}, ${msg.sandbox.stoppedStandin('formula-engine')}`)
    for (const pid of pids) expect(alive(pid)).toBe(false)
    expect(existsSync(path.join(s.dir, 'env'))).toBe(false)
    // The shared servers keep running, and the data stays.
    expect((await query<{ ok: number }>(PG_ADMIN, 'SELECT 1 AS ok'))[0]!.ok).toBe(1)
    const run = await runCli(['run', HEALTH, '--sandbox', '--reports', s.reports], { env: s.env })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('runbook sandbox up')
    expect((await s.sb(['status'])).code).toBe(1)
  }, 60_000)
})

describe('sandbox on throwaway servers (nothing listens at the local URLs)', () => {
  let s: Sandbox
  beforeAll(async () => {
    s = sandbox({
      SANDBOX_LOCAL_DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
      SANDBOX_LOCAL_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      SANDBOX_DATA_SCALE: '0.05',
    })
  })
  afterAll(async () => {
    await s.sb(['down', '--purge'])
    rmSync(path.dirname(s.dir), { recursive: true, force: true })
  }, 60_000)

  test('up starts PostgreSQL (with pg_stat_statements) and Redis; down stops them; up again brings the same data back', async () => {
    const r = await s.sb(['up'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(msg.sandbox.pgThrowaway('\0', '\0', '\0').split('\0')[2])
    const status = await s.status()
    expect(status).toMatchObject({ healthy: true, postgres: { mode: 'throwaway', pgStatStatements: true }, redis: { mode: 'throwaway' } })
    const env = s.envFile()
    const rows = await query<{ n: string }>(env.DATABASE_URL!, 'SELECT count(*) AS n FROM pg_stat_statements')
    expect(Number(rows[0]!.n)).toBeGreaterThan(0)
    const health = await s.run(HEALTH)
    expect(health.code, health.stdout).toBe(0)

    const pgPort = Number(new URL(env.DATABASE_URL!).port)
    const redisPort = Number(new URL(env.REDIS_URL!).port)
    const down = await s.sb(['down'])
    expect(down.stdout).toContain(msg.sandbox.stoppedThrowawayPg)
    expect(down.stdout).toContain(msg.sandbox.stoppedThrowawayRedis)
    const { canConnect } = await import('../../src/sandbox/servers.js')
    expect(await canConnect('127.0.0.1', pgPort, 500)).toBe(false)
    expect(await canConnect('127.0.0.1', redisPort, 500)).toBe(false)

    const again = await s.sb(['up'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).not.toContain(msg.cli.sandboxGenerated)
    expect((await s.run(HEALTH)).code).toBe(0)
  }, 180_000)
})

describe('SANDBOX_DATABASE_URL and SANDBOX_REDIS_URL name the servers', () => {
  const s = sandbox({ SANDBOX_DATABASE_URL: PG_ADMIN, SANDBOX_REDIS_URL: REDIS_BASE, SANDBOX_LOCAL_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres', SANDBOX_DATA_SCALE: '0.02' })
  afterAll(async () => {
    await s.sb(['down', '--purge'])
    rmSync(path.dirname(s.dir), { recursive: true, force: true })
  }, 60_000)

  test('the sandbox gets a database and a Redis database number of its own there; never DATABASE_URL', async () => {
    const r = await runCli(['sandbox', 'up'], { env: { ...s.env, DATABASE_URL: 'postgres://u:pw@PRODUCTION-db/app', REDIS_URL: 'redis://PRODUCTION-redis:6379/0' }, timeoutMs: 120_000 })
    expect(r.code, r.stderr).toBe(0)
    const status = await s.status()
    expect(status).toMatchObject({ healthy: true, postgres: { mode: 'given' }, redis: { mode: 'given' } })
    expect(s.envFile().DATABASE_URL).toMatch(/excelapp_sandbox_[0-9a-f]{10}$/)
    expect(s.envFile().REDIS_URL).not.toContain('PRODUCTION')
    const purge = await s.sb(['down', '--purge'])
    expect(purge.code).toBe(0)
    expect(existsSync(s.dir)).toBe(false)
    const dbs = await query<{ datname: string }>(PG_ADMIN, 'SELECT datname FROM pg_database')
    expect(dbs.map((d) => d.datname)).not.toContain(new URL(status.postgres.url).pathname.slice(1))
  }, 120_000)
})

describe('a sandbox whose folder is deleted under it', () => {
  test('its stand-ins stop, and so do its throwaway servers', async () => {
    const s = sandbox({
      SANDBOX_LOCAL_DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
      SANDBOX_LOCAL_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      SANDBOX_DATA_SCALE: '0.01',
    })
    const r = await s.sb(['up'])
    expect(r.code, r.stderr).toBe(0)
    const status = await s.status()
    const state = JSON.parse(readFileSync(path.join(s.dir, 'state.json'), 'utf8'))
    const pgPort = Number(new URL(s.envFile().DATABASE_URL!).port)
    const pids = [status.standins.app.pid, status.standins['formula-engine'].pid, state.redis.pid]
    for (const pid of pids) expect(pid).toBeGreaterThan(0)
    rmSync(path.dirname(s.dir), { recursive: true, force: true })
    const { canConnect } = await import('../../src/sandbox/servers.js')
    for (let i = 0; i < 100 && (pids.some(alive) || (await canConnect('127.0.0.1', pgPort, 200)) || existsSync(state.pg.dataDir)); i++) await new Promise((res) => setTimeout(res, 100))
    for (const pid of pids) expect(alive(pid)).toBe(false)
    expect(await canConnect('127.0.0.1', pgPort, 300)).toBe(false)
    expect(existsSync(state.pg.dataDir)).toBe(false)
  }, 60_000)

  test('on this machine\'s servers, the next `up` drops its database and frees its Redis number', async () => {
    const local = { SANDBOX_LOCAL_DATABASE_URL: PG_ADMIN, SANDBOX_LOCAL_REDIS_URL: REDIS_BASE, SANDBOX_DATA_SCALE: '0.01' }
    const gone = sandbox(local)
    expect((await gone.sb(['up'])).code).toBe(0)
    const { DATABASE_URL: goneDb, REDIS_URL: goneRedis } = gone.envFile()
    rmSync(path.dirname(gone.dir), { recursive: true, force: true })
    const next = sandbox(local)
    try {
      const r = await next.sb(['up'])
      expect(r.code, r.stderr).toBe(0)
      const name = new URL(goneDb!).pathname.slice(1)
      if (new URL(PG_ADMIN).hostname === '127.0.0.1') {
        expect(r.stderr).toContain(msg.sandbox.orphanDropped(name, gone.dir))
        expect((await query<{ datname: string }>(PG_ADMIN, 'SELECT datname FROM pg_database')).map((d) => d.datname)).not.toContain(name)
      }
      const { Redis } = await import('ioredis')
      const redis = new Redis(goneRedis!)
      expect(await redis.get('excelapp:sandbox:owner')).not.toBe(gone.dir)
      redis.disconnect()
    } finally {
      await next.sb(['down', '--purge'])
      rmSync(path.dirname(next.dir), { recursive: true, force: true })
    }
  }, 60_000)
})
