// renderCrontab(entries, options) → crontab text, and `runbook cron` (in-process) over the project's runbooks.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { cronCommand, renderCrontab, shellQuote, type CronEntry } from '../../src/runner/cli/render-cron.js'
import { cronCommand as runCron, type CronOptions } from '../../src/runner/cli/commands/cron.js'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg, setRecordLanguage } from '../../src/runner/terminal/messages/index.js'
import { cli, outcome, ROOT } from './helpers.js'

/** A repository with the project's runbooks and the env files of the targets named. */
function repoWith(targets: string[]): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'runbook-cron-'))
  symlinkSync(path.join(ROOT, 'runbooks'), path.join(repo, 'runbooks'))
  mkdirSync(path.join(repo, 'environments'))
  for (const t of targets) writeFileSync(path.join(repo, 'environments', `${t}.env`), 'APP_URL=http://localhost\n')
  return repo
}
const REPO = repoWith(['production', 'staging'])
afterAll(() => rmSync(REPO, { recursive: true, force: true }))

const cron = (options: CronOptions = {}, repo = REPO) => outcome('cron', (io) => runCron(repo, options, io))

const daily: CronEntry = { id: 'backup-daily-database', title: '일일 데이터베이스 백업', path: 'runbooks/backup/daily-database.md', cron: '0 2 * * *', schedule: 'daily' }
const weekly: CronEntry = { id: 'backup-weekly-full', title: '주간 전체 백업', path: 'runbooks/backup/weekly-full.md', cron: '0 1 * * 0', schedule: 'weekly' }

describe('renderCrontab', () => {
  test('one line per scheduled runbook: cd into the repo, run unattended against the target, log to reports/cron.log', () => {
    const text = renderCrontab([daily, weekly], { repo: '/srv/runbooks', target: 'production' })
    expect(text).toContain(
      '0 2 * * * cd /srv/runbooks && mkdir -p reports && ./bin/runbook run runbooks/backup/daily-database.md --yes --auto --target production >> reports/cron.log 2>&1',
    )
    expect(text).toContain('0 1 * * 0 cd /srv/runbooks && mkdir -p reports && ./bin/runbook run runbooks/backup/weekly-full.md --yes --auto --target production >> reports/cron.log 2>&1')
    expect(text).toContain('# backup-daily-database — 일일 데이터베이스 백업 (daily)')
    expect(text).toMatch(/^SHELL=\/bin\/bash$/m)
    // every non-comment, non-assignment line is a valid five-field crontab entry
    const entries = text.split('\n').filter((l) => l && !l.startsWith('#') && !/^[A-Z]+=/.test(l))
    expect(entries).toHaveLength(2)
    for (const l of entries) expect(l).toMatch(/^(\S+ ){5}cd /)
  })

  test('--sandbox replaces the target', () => {
    const text = renderCrontab([daily], { repo: '/srv/runbooks', sandbox: true, target: 'production' })
    expect(text).toContain('--yes --auto --sandbox >> reports/cron.log')
    expect(text).not.toContain('--target')
  })

  test('paths with spaces are quoted and % is escaped for cron', () => {
    expect(shellQuote('/srv/my runbooks')).toBe("'/srv/my runbooks'")
    expect(shellQuote("it's")).toBe("'it'\\''s'")
    const cmd = cronCommand({ path: 'runbooks/100%.md' }, { repo: '/srv/my runbooks', target: 'prod' })
    expect(cmd).toBe("cd '/srv/my runbooks' && mkdir -p reports && ./bin/runbook run runbooks/100\\%.md --yes --auto --target prod >> reports/cron.log 2>&1")
  })

  test('a runbook whose inputs have no default is listed commented out, with the reason', () => {
    const text = renderCrontab([{ ...daily, missingInputs: ['severity'] }], { repo: '/r', target: 'production' })
    expect(text).toContain(`# ${msg.cli.cronUnattended('severity')}`)
    expect(text).toMatch(/^# 0 2 \* \* \* cd \/r /m)
  })

  test('PATH line when given; a note when nothing is scheduled', () => {
    expect(renderCrontab([daily], { repo: '/r', target: 'x', path: '/opt/node/bin:/usr/bin' })).toMatch(/^PATH=\/opt\/node\/bin:\/usr\/bin$/m)
    expect(renderCrontab([{ ...daily, cron: '' }], { repo: '/r', target: 'x' })).toContain(`# ${msg.cli.cronNothing}`)
  })
})

describe('runbook cron', () => {
  test("schedules the guide's 02:00 daily backup and 01:00 Sunday full backup", async () => {
    const r = await cron()
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(r.stdout).toContain(`0 2 * * * cd ${REPO} && mkdir -p reports && ./bin/runbook run runbooks/backup/daily-database.md --yes --auto --target production --lang ko >> reports/cron.log 2>&1`)
    expect(r.stdout).toContain('0 1 * * 0 cd ')
    expect(r.stdout).toContain('runbooks/backup/weekly-full.md --yes --auto --target production --lang ko')
    expect(r.stdout).toContain('0 9 * * * cd ')
    expect(r.stdout).toContain('runbooks/daily/health-check.md')
    // incident runbooks have no cron time
    expect(r.stdout).not.toContain('runbooks/incident/')
  })

  test('--sandbox, --target and --dir', async () => {
    const sandbox = await cron({ sandbox: true })
    expect(sandbox.stdout).toContain('--yes --auto --sandbox --lang ko')
    const staging = await cron({ target: 'staging', dir: 'runbooks/backup' })
    expect(staging.stdout).toContain('runbooks/backup/daily-database.md --yes --auto --target staging')
    expect(staging.stdout).not.toContain('runbooks/daily/')
    expect(await cron({ target: 'x', sandbox: true })).toEqual({ code: EXIT.usage, stdout: '', stderr: `runbook: ${msg.cli.targetOrSandbox}\n` })
    expect(await cron({ target: '../etc' })).toEqual({ code: EXIT.usage, stdout: '', stderr: `runbook: ${msg.cli.badTarget('../etc')}\n` })
  })

  test('a target without its env file is refused, naming the file: the scheduled runs could not start', async () => {
    const none = repoWith([])
    try {
      const envFile = path.join('environments', 'production.env')
      expect(await cron({}, none)).toEqual({ code: EXIT.usage, stdout: '', stderr: `runbook: ${msg.cli.cronNoEnvFile('production', envFile)}\n` })
      expect((await cron({ target: 'staging' }, none)).stderr).toContain(path.join('environments', 'staging.env'))
      // The sandbox has no env file of its own to check here: `sandbox up` writes it.
      expect((await cron({ sandbox: true }, none)).code).toBe(EXIT.ok)
    } finally {
      rmSync(none, { recursive: true, force: true })
    }
  })

  test('the repository is the folder the command works in; an invalid runbook is named and not scheduled', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'runbook-cron-'))
    try {
      mkdirSync(path.join(repo, 'runbooks'))
      mkdirSync(path.join(repo, 'environments'))
      writeFileSync(path.join(repo, 'environments', 'production.env'), '')
      writeFileSync(path.join(repo, 'runbooks', 'ok.md'), '---\ncron: "0 3 * * *"\n---\n# OK\n\n```bash\necho ok\n```\n')
      writeFileSync(path.join(repo, 'runbooks', 'bad.md'), '---\ncron: "0 4 * * *"\ncolour: red\n---\n# Bad\n')
      const r = await outcome('cron', (io) => runCron(repo, {}, io))
      expect(r.code).toBe(EXIT.ok)
      expect(r.stdout).toContain(`0 3 * * * cd ${repo} && mkdir -p reports && ./bin/runbook run runbooks/ok.md --yes --auto --target production --lang ko`)
      expect(r.stdout).not.toContain('bad.md')
      expect(r.stderr).toBe(`runbooks/bad.md: ${msg.cli.notScheduled}\n`)
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })
})

describe('runbook cron and the record language', () => {
  test("each run gets the repository's language (`language:` in .runbook/settings.yaml), whatever cron's locale", async () => {
    const repo = repoWith(['production'])
    try {
      mkdirSync(path.join(repo, '.runbook'))
      writeFileSync(path.join(repo, '.runbook', 'settings.yaml'), 'language: en\n')
      const r = await cli(['cron'], { cwd: repo })
      expect(r.code, r.stderr).toBe(EXIT.ok)
      expect(r.stdout).toContain('runbooks/backup/daily-database.md --yes --auto --target production --lang en >>')
    } finally {
      setRecordLanguage('ko')
      rmSync(repo, { recursive: true, force: true })
    }
  })
})
