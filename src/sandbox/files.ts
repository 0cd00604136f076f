// The sandbox's files: Rails-style logs (with rotated ones), a storage folder of uploaded files,
// a backups folder, a local folder that plays the S3 bucket, a fake Rails app (a git repository
// with release tags) and the simulated crontab. All under the sandbox folder, all dated from the
// `now` they are given.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { formulaEngineHistory, railsHistory, rng, type RailsLogFormat } from './logs.js'
import { layout } from './paths.js'

const DAY = 86_400_000

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`
}

function writeAt(file: string, data: string | Buffer, mtime: Date): void {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, data)
  utimesSync(file, mtime, mtime)
}

/**
 * The last hour before `up` has no server errors: a healthy host's recent past, so that the
 * runbooks' alert windows (the triage's 15 minutes, the log review's hour) pass on a healthy
 * sandbox whenever they are read; the app stand-in's own traffic keeps those windows full.
 */
const QUIET_HOURS = 1

export function seedLogs(root: string, now: Date, format: RailsLogFormat = 'current'): void {
  const l = layout(root)
  mkdirSync(l.log, { recursive: true })
  writeFileSync(l.productionLog, railsHistory(now, 36, 20, 1, QUIET_HOURS, format))
  writeFileSync(l.formulaEngineLog, formulaEngineHistory(now, 36, 15, 2))
  // Rotated logs: yesterday's plain, older ones compressed (logrotate's delaycompress).
  writeAt(path.join(l.log, 'production.log.1'), railsHistory(new Date(now.getTime() - 1.5 * DAY), 6, 60, 3, 0, format), new Date(now.getTime() - DAY))
  for (let i = 2; i <= 40; i += 2) {
    const when = new Date(now.getTime() - i * DAY)
    writeAt(path.join(l.log, `production.log.${i}.gz`), gzipSync(railsHistory(when, 1, 120, 10 + i, 0, format)), when)
  }
  writeAt(path.join(l.log, 'formula_engine.log.1'), formulaEngineHistory(new Date(now.getTime() - 1.5 * DAY), 4, 60, 4), new Date(now.getTime() - DAY))
}

export function seedStorage(root: string, now: Date): void {
  const l = layout(root)
  rmSync(l.storage, { recursive: true, force: true })
  const r = rng(7)
  for (let i = 1; i <= 240; i++) {
    const key = Array.from({ length: 28 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(r() * 36)]).join('')
    const size = 2_000 + Math.floor(Math.pow(r(), 3) * 60_000)
    const body = Buffer.alloc(size, i % 251)
    body.write('PK\x03\x04', 0, 'latin1')
    writeAt(path.join(l.storage, key.slice(0, 2), key.slice(2, 4), key), body, new Date(now.getTime() - Math.pow(r(), 1.5) * 730 * DAY))
  }
  // Leftovers an operator should find: large exports (sparse: their size costs no disk) and old temp files.
  const tmp = path.join(l.storage, 'tmp')
  for (const [name, mb, days] of [
    ['export_all_users_20250301.xlsx', 180, 260],
    ['bulk_import_failed_20250611.xlsx', 120, 170],
  ] as const) {
    const file = path.join(tmp, name)
    writeAt(file, '', new Date(now.getTime() - days * DAY))
    truncateSync(file, mb * 1024 * 1024)
    utimesSync(file, new Date(now.getTime() - days * DAY), new Date(now.getTime() - days * DAY))
  }
  for (let i = 0; i < 12; i++) writeAt(path.join(tmp, `upload_${1000 + i}.part`), Buffer.alloc(4096, 1), new Date(now.getTime() - (3 + i * 5) * DAY))
}

/** Backup files as the guide's script names them, one a day for the last two weeks. */
export function backupName(d: Date): string {
  return `excelapp_rails_production_${stamp(d)}_020000.sql.gz`
}

function backupBody(d: Date): Buffer {
  return gzipSync(
    `--\n-- PostgreSQL database dump (ExcelApp sandbox stand-in, ${d.toISOString()})\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\n-- (tables omitted in the stand-in backup)\n`,
  )
}

export function seedBackups(root: string, now: Date): void {
  const l = layout(root)
  rmSync(path.dirname(l.backups), { recursive: true, force: true })
  rmSync(l.s3, { recursive: true, force: true })
  mkdirSync(l.backups, { recursive: true })
  for (let i = 1; i <= 14; i++) {
    const d = new Date(now.getTime() - i * DAY)
    d.setHours(2, 0, 0, 0)
    writeAt(path.join(l.backups, backupName(d)), backupBody(d), d)
  }
  for (let i = 1; i <= 45; i++) {
    const d = new Date(now.getTime() - i * DAY)
    d.setHours(2, 0, 30, 0)
    writeAt(path.join(l.bucket, 'database', backupName(d)), backupBody(d), d)
  }
  for (let i = 1; i <= 7; i++) {
    const d = new Date(now.getTime() - i * DAY)
    writeAt(path.join(l.bucket, 'logs', `logs_${stamp(d)}.tar.gz`), gzipSync(`logs of ${stamp(d)}\n`), d)
  }
  writeAt(path.join(l.bucket, 'files', 'README'), 'uploaded files are synced here by the weekly full backup\n', new Date(now.getTime() - 7 * DAY))
}

export const DEFAULT_CRONTAB = `# m h  dom mon dow   command   (simulated crontab of deploy@excelapp-prod-1)
0 2 * * * /opt/scripts/backup_database.sh
0 1 * * 0 /opt/scripts/full_backup.sh
`

export function seedHostFiles(root: string, now: Date): void {
  const l = layout(root)
  mkdirSync(l.host, { recursive: true })
  writeFileSync(l.crontab, DEFAULT_CRONTAB)
  writeFileSync(l.history, '')
  mkdirSync(path.join(l.host, 'logrotate.d'), { recursive: true })
  writeFileSync(
    path.join(l.host, 'logrotate.d', 'excelapp-rails'),
    `${l.log}/*.log {\n    daily\n    missingok\n    rotate 30\n    compress\n    delaycompress\n    notifempty\n    create 0640 deploy deploy\n    postrotate\n        systemctl reload excelapp-rails\n    endscript\n}\n`,
  )
  seedSecurityFiles(root, now)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** A syslog time stamp (`Nov  6 09:12:01`, local time), as rsyslog writes it. */
function syslogTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/** `daysAgo` days before `now`, at hour:minute local time. */
function dayAt(now: Date, daysAgo: number, hour: number, minute: number): Date {
  const d = new Date(now.getTime() - daysAgo * DAY)
  d.setHours(hour, minute, 0, 0)
  return d
}

/** Seven days of sshd, sudo and cron lines: logins of the team, one brute-force burst, a typo, a break-in warning. */
function authLogLines(now: Date): [Date, string][] {
  const r = rng(11)
  const at = (daysAgo: number, hour: number, minute: number) => dayAt(now, daysAgo, hour, minute)
  const lines: [Date, string][] = []
  let pid = 40_100
  for (let day = 6; day >= 0; day--) {
    for (const [user, uid, ip, hour, key] of [
      ['deploy', 1001, '10.0.1.5', 2, 'q8Xv2Lw0dN5sYh3kPz7RtC1mUe4aBfG9oJ6iKlMnOpQ'],
      ['ops-kim', 1002, '198.51.100.7', 9, 'Zt4Hc9Ww1yLr8sEo2Pq5Vb7Nm3Kj6Gf0Dx4Ua1Ib9Sc'],
      ['ops-lee', 1003, '198.51.100.8', 14, 'Hn2Rb6Tq9Wc4Ye1Ua7Io3Pd8Sf5Gh0Jk2Lz4Xv6Bm8N'],
    ] as const) {
      const t = at(day, hour, Math.floor(r() * 50))
      if (t > now) continue
      pid += 17
      lines.push([t, `sshd[${pid}]: Accepted publickey for ${user} from ${ip} port ${40_000 + Math.floor(r() * 20_000)} ssh2: ED25519 SHA256:${key}`])
      lines.push([new Date(t.getTime() + 1000), `sshd[${pid}]: pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`])
      if (user !== 'deploy') lines.push([new Date(t.getTime() + 95_000), `sudo: ${user} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/journalctl -u excelapp-rails -n 100`])
    }
    const cron = at(day, 2, 0)
    if (cron <= now) lines.push([cron, `CRON[${pid + 3}]: pam_unix(cron:session): session opened for user deploy(uid=1001) by (uid=0)`])
  }
  // A brute-force burst two days ago from one address, with invalid and real user names.
  const burst = at(2, 3, 12)
  const tried = ['admin', 'root', 'test', 'oracle', 'ubuntu', 'admin', 'postgres', 'git', 'root', 'deploy', 'user', 'admin']
  for (const [i, user] of tried.entries()) {
    const t = new Date(burst.getTime() + i * 7_000)
    const invalid = !['root', 'deploy', 'postgres'].includes(user)
    pid += 2
    if (invalid) lines.push([t, `sshd[${pid}]: Invalid user ${user} from 203.0.113.45 port ${50_000 + i * 37}`])
    lines.push([new Date(t.getTime() + 2000), `sshd[${pid}]: Failed password for ${invalid ? 'invalid user ' : ''}${user} from 203.0.113.45 port ${50_000 + i * 37} ssh2`])
  }
  lines.push([new Date(burst.getTime() + 3_600_000), 'sshd[41877]: Failed password for root from 192.0.2.77 port 33412 ssh2'])
  lines.push([new Date(burst.getTime() + 3_610_000), 'sshd[41877]: Failed password for root from 192.0.2.77 port 33412 ssh2'])
  // An operator's typo (password authentication is off for keys, but the console asks).
  lines.push([at(1, 10, 4), 'sshd[42210]: Failed password for ops-lee from 198.51.100.8 port 51022 ssh2'])
  // A suspicious one: a reverse lookup that does not match.
  lines.push([at(1, 4, 41), 'sshd[42301]: reverse mapping checking getaddrinfo for 45.113.0.203.static.example.net [203.0.113.45] failed - POSSIBLE BREAK-IN ATTEMPT!'])
  return lines.filter(([t]) => t <= now).sort((a, b) => a[0].getTime() - b[0].getTime())
}

/** The simulated host's security files: sshd_config (+ sshd_config.d), sudoers (+ sudoers.d), auth.log and syslog. */
export function seedSecurityFiles(root: string, now: Date): void {
  const l = layout(root)
  mkdirSync(`${l.sshdConfig}.d`, { recursive: true })
  writeFileSync(
    l.sshdConfig,
    `# sshd_config of excelapp-prod-1 (simulated; on the server: /etc/ssh/sshd_config)\n\nInclude ${l.sshdConfig}.d/*.conf\n\nPort 22\n\nPermitRootLogin no\nPubkeyAuthentication yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\n\nX11Forwarding no\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem sftp /usr/lib/openssh/sftp-server\n\n# Who may log in: the deploy user and the operations team\nAllowUsers deploy ops-kim ops-lee ops-park\n`,
  )
  writeFileSync(path.join(`${l.sshdConfig}.d`, '50-excelapp.conf'), '# ExcelApp: only members of the ops group (and deploy) reach this host\nAllowGroups ops deploy\nClientAliveInterval 300\nClientAliveCountMax 2\n')
  mkdirSync(`${l.sudoers}.d`, { recursive: true })
  writeFileSync(
    l.sudoers,
    `#\n# This file MUST be edited with the 'visudo' command as root.\n# (simulated sudoers of excelapp-prod-1)\n#\nDefaults\tenv_reset\nDefaults\tmail_badpass\nDefaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\nDefaults\tuse_pty\n\n# User privilege specification\nroot\tALL=(ALL:ALL) ALL\n\n# Allow members of group sudo to execute any command\n%sudo\tALL=(ALL:ALL) ALL\n\n# See sudoers(5) for more information on "@include" directives:\n\n#includedir ${l.sudoers}.d\n`,
  )
  writeFileSync(path.join(`${l.sudoers}.d`, 'README'), '#\n# Files in this directory are read by the #includedir line of sudoers.\n# Edit them with `visudo -f`.\n#\n')
  writeFileSync(path.join(`${l.sudoers}.d`, 'excelapp-deploy'), '# deploy restarts the app and reads its journal without a password (deploys from CI)\ndeploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart excelapp-rails, /usr/bin/systemctl reload nginx, /usr/bin/journalctl\n')
  writeFileSync(path.join(`${l.sudoers}.d`, 'ops'), '# the operations team\n%ops ALL=(ALL:ALL) ALL\n')
  mkdirSync(l.hostLog, { recursive: true })
  writeFileSync(l.authLog, authLogLines(now).map(([t, line]) => `${syslogTime(t)} excelapp-prod-1 ${line}\n`).join(''))
  const day = (n: number, h: number, m: number) => dayAt(now, n, h, m)
  const syslog: [Date, string][] = [
    [day(3, 0, 0), 'systemd[1]: Starting logrotate.service - Rotate log files...'],
    [day(3, 0, 0), 'systemd[1]: logrotate.service: Deactivated successfully.'],
    [day(2, 3, 13), 'fail2ban.actions[812]: NOTICE [sshd] Ban 203.0.113.45'],
    [day(2, 3, 13), 'suricata[1102]: [1:2001219:20] ET SCAN Potential SSH Scan - possible brute-force attack {TCP} 203.0.113.45:50037 -> 10.0.1.12:22'],
    [day(2, 4, 13), 'fail2ban.actions[812]: NOTICE [sshd] Unban 203.0.113.45'],
    [day(1, 4, 41), 'suricata[1102]: [1:2402000:7094] ET DROP Dshield Block Listed Source - suspicious inbound to port 22 {TCP} 203.0.113.45:39112 -> 10.0.1.12:22'],
    [day(1, 6, 25), 'systemd[1]: Starting apt-daily-upgrade.service - Daily apt upgrade and clean activities...'],
    [day(1, 6, 26), 'systemd[1]: apt-daily-upgrade.service: Deactivated successfully.'],
    [day(0, 2, 0), 'CRON[52114]: (deploy) CMD (/opt/scripts/backup_database.sh)'],
  ]
  writeFileSync(l.syslog, syslog.filter(([t]) => t <= now).map(([t, line]) => `${syslogTime(t)} excelapp-prod-1 ${line}\n`).join(''))
}

const RELEASES = [
  { tag: 'v1.2.1', days: 120, note: 'Excel 업로드 진행률 표시' },
  { tag: 'v1.2.2', days: 90, note: 'AI 분석 재시도 정책 수정' },
  { tag: 'v1.2.3', days: 45, note: 'FormulaEngine 타임아웃 5초로 조정' },
  { tag: 'v1.3.0', days: 6, note: 'AI 채팅, 결제 웹훅 개선' },
]

/** The app's JavaScript (jsbundling-rails with esbuild), for `npm audit`. */
const APP_PACKAGE = {
  name: 'excelapp-rails',
  private: true,
  scripts: { build: 'esbuild app/javascript/*.* --bundle --sourcemap --format=esm --outdir=app/assets/builds --public-path=/assets' },
  dependencies: { '@hotwired/stimulus': '^3.2.2', '@hotwired/turbo-rails': '^8.0.12', 'chart.js': '^4.4.7' },
  devDependencies: { esbuild: '^0.24.2' },
}

const npmPackage = (name: string, version: string, extra: Record<string, unknown> = {}) => [
  `node_modules/${name}`,
  { version, resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`, ...extra },
]

const APP_PACKAGE_LOCK = {
  name: 'excelapp-rails',
  lockfileVersion: 3,
  requires: true,
  packages: Object.fromEntries([
    ['', { name: 'excelapp-rails', dependencies: APP_PACKAGE.dependencies, devDependencies: APP_PACKAGE.devDependencies }],
    npmPackage('@hotwired/stimulus', '3.2.2'),
    npmPackage('@hotwired/turbo', '8.0.12', { engines: { node: '>= 14' } }),
    npmPackage('@hotwired/turbo-rails', '8.0.12', { dependencies: { '@hotwired/turbo': '^8.0.12', '@rails/actioncable': '>=7.0' } }),
    npmPackage('@kurkle/color', '0.3.4'),
    npmPackage('@rails/actioncable', '8.0.100'),
    npmPackage('chart.js', '4.4.7', { dependencies: { '@kurkle/color': '^0.3.0' }, engines: { pnpm: '>=8' } }),
    npmPackage('esbuild', '0.24.2', { dev: true, hasInstallScript: true, bin: { esbuild: 'bin/esbuild' }, engines: { node: '>=18' } }),
  ]),
}

/** A fake Rails app folder: a git repository with release tags (for the rollback runbook) and log/ → the sandbox logs. */
export function seedApp(root: string, now: Date): boolean {
  const l = layout(root)
  rmSync(l.app, { recursive: true, force: true })
  mkdirSync(path.join(l.app, 'config'), { recursive: true })
  const git = (args: string[], date?: Date) =>
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
      cwd: l.app,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'ExcelApp Deploy',
        GIT_AUTHOR_EMAIL: 'deploy@excelapp.com',
        GIT_COMMITTER_NAME: 'ExcelApp Deploy',
        GIT_COMMITTER_EMAIL: 'deploy@excelapp.com',
        ...(date ? { GIT_AUTHOR_DATE: date.toISOString(), GIT_COMMITTER_DATE: date.toISOString() } : {}),
      },
    })
  writeFileSync(path.join(l.app, '.gitignore'), '/log\n/storage\n/tmp\n/node_modules\n')
  writeFileSync(path.join(l.app, 'package.json'), JSON.stringify(APP_PACKAGE, null, 2) + '\n')
  writeFileSync(path.join(l.app, 'package-lock.json'), JSON.stringify(APP_PACKAGE_LOCK, null, 2) + '\n')
  writeFileSync(path.join(l.app, 'Gemfile'), `source "https://rubygems.org"\nruby "3.3.6"\ngem "rails", "~> 8.0.1"\ngem "pg", "~> 1.5"\ngem "puma", ">= 6.4"\ngem "solid_queue"\ngem "solid_cache"\ngem "redis", ">= 5.0"\n`)
  writeFileSync(path.join(l.app, 'config', 'puma.rb'), `workers ENV.fetch("WEB_CONCURRENCY") { 4 }\nthreads_count = ENV.fetch("RAILS_MAX_THREADS") { 16 }\nthreads threads_count, threads_count\npreload_app!\n`)
  writeFileSync(path.join(l.app, 'config', 'database.yml'), `production:\n  adapter: postgresql\n  url: <%= ENV["DATABASE_URL"] %>\n`)
  try {
    git(['init', '-q'])
    for (const rel of RELEASES) {
      const date = new Date(now.getTime() - rel.days * DAY)
      writeFileSync(path.join(l.app, 'VERSION'), `${rel.tag.slice(1)}\n`)
      writeFileSync(path.join(l.app, 'CHANGELOG.md'), `# ${rel.tag}\n\n- ${rel.note}\n`)
      git(['add', '-A'], date)
      git(['commit', '-q', '-m', `Release ${rel.tag}: ${rel.note}`], date)
      git(['tag', '-a', rel.tag, '-m', rel.tag], date)
    }
  } catch {
    // no git: the folder still serves, without history
  }
  symlinkSync(l.log, path.join(l.app, 'log'))
  symlinkSync(l.storage, path.join(l.app, 'storage'))
  return existsSync(path.join(l.app, '.git'))
}

/** Everything file-based, from scratch (up on a new folder, and reset). */
export function seedFiles(root: string, now: Date, format: RailsLogFormat = 'current'): void {
  seedLogs(root, now, format)
  seedStorage(root, now)
  seedBackups(root, now)
  seedHostFiles(root, now)
  seedApp(root, now)
}
