// The sandbox's files: Rails-style logs (with rotated ones), a storage folder of uploaded files,
// a backups folder, a local folder that plays the S3 bucket, a fake Rails app (a git repository
// with release tags) and the simulated crontab. All under the sandbox folder.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { formulaEngineHistory, railsHistory, rng } from './logs.js'
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

export function seedLogs(root: string, now = new Date()): void {
  const l = layout(root)
  mkdirSync(l.log, { recursive: true })
  writeFileSync(l.productionLog, railsHistory(now, 36, 20, 1))
  writeFileSync(l.formulaEngineLog, formulaEngineHistory(now, 36, 15, 2))
  // Rotated logs: yesterday's plain, older ones compressed (logrotate's delaycompress).
  writeAt(path.join(l.log, 'production.log.1'), railsHistory(new Date(now.getTime() - 1.5 * DAY), 6, 60, 3), new Date(now.getTime() - DAY))
  for (let i = 2; i <= 40; i += 2) {
    const when = new Date(now.getTime() - i * DAY)
    writeAt(path.join(l.log, `production.log.${i}.gz`), gzipSync(railsHistory(when, 1, 120, 10 + i)), when)
  }
  writeAt(path.join(l.log, 'formula_engine.log.1'), formulaEngineHistory(new Date(now.getTime() - 1.5 * DAY), 4, 60, 4), new Date(now.getTime() - DAY))
}

export function seedStorage(root: string, now = new Date()): void {
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

export function seedBackups(root: string, now = new Date()): void {
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

export function seedHostFiles(root: string): void {
  const l = layout(root)
  mkdirSync(l.host, { recursive: true })
  writeFileSync(l.crontab, DEFAULT_CRONTAB)
  writeFileSync(l.history, '')
  mkdirSync(path.join(l.host, 'logrotate.d'), { recursive: true })
  writeFileSync(
    path.join(l.host, 'logrotate.d', 'excelapp-rails'),
    `${l.log}/*.log {\n    daily\n    missingok\n    rotate 30\n    compress\n    delaycompress\n    notifempty\n    create 0644 deploy deploy\n    postrotate\n        systemctl reload excelapp-rails\n    endscript\n}\n`,
  )
}

const RELEASES = [
  { tag: 'v1.2.1', days: 120, note: 'Excel 업로드 진행률 표시' },
  { tag: 'v1.2.2', days: 90, note: 'AI 분석 재시도 정책 수정' },
  { tag: 'v1.2.3', days: 45, note: 'FormulaEngine 타임아웃 5초로 조정' },
  { tag: 'v1.3.0', days: 6, note: 'AI 채팅, 결제 웹훅 개선' },
]

/** A fake Rails app folder: a git repository with release tags (for the rollback runbook) and log/ → the sandbox logs. */
export function seedApp(root: string, now = new Date()): boolean {
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
  writeFileSync(path.join(l.app, '.gitignore'), '/log\n/storage\n/tmp\n')
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
export function seedFiles(root: string, now = new Date()): void {
  seedLogs(root, now)
  seedStorage(root, now)
  seedBackups(root, now)
  seedHostFiles(root)
  seedApp(root, now)
}
