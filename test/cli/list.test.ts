// `runbook list` and `runbook history` in-process: the catalogue with review state and last run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Chalk } from 'chalk'
import { historyCommand, renderHistory } from '../../src/runner/cli/commands/history.js'
import { listCommand } from '../../src/runner/cli/commands/list.js'
import { lastRuns } from '../../src/runner/report/history.js'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { fixture } from '../fixture-helpers.js'
import { expectOneLineError, outcome, ROOT } from './helpers.js'

let noReports: string
beforeAll(() => {
  // No run history: "last run" is "never" whatever reports/ holds.
  noReports = mkdtempSync(path.join(tmpdir(), 'runbook-no-reports-'))
})
afterAll(() => rmSync(noReports, { recursive: true, force: true }))

const list = (dir: string | undefined, json = false) => outcome('list', (io) => listCommand(ROOT, { dir, json, reports: noReports }, io))

describe('list', () => {
  test('shows schedule, owner, steps, destructive count and review status; READMEs are not runbooks', async () => {
    const r = await list(fixture('list'))
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(r.stderr).toBe('')
    const lines = r.stdout.trimEnd().split('\n')
    const { lastRun, ...before } = msg.cli.listHead
    expect(lines[0]).toMatch(new RegExp(`^${[...Object.values(before), msg.cli.listSourceHead, lastRun].join('\\s+')}$`))
    expect(lines).toHaveLength(3)
    const row = (...cells: string[]) => new RegExp(`^${cells.map((c) => c.replace(/[()]/g, '\\$&')).join('\\s+')}$`, 'm')
    expect(r.stdout).toMatch(row('overdue-review', 'Overdue review', 'monthly', '—', '운영팀', '3', '2', msg.cli.reviewOverdue('2020-04-01'), '—', msg.cli.never))
    expect(r.stdout).toMatch(row('current-review', 'Current review', 'daily', '2025-06-02 02:00', 'DBA팀', '1', '0', msg.cli.reviewNext('2099-12-31'), '—', msg.cli.never))
    expect(r.stdout).not.toContain('Not a runbook')
  })

  test('a review within 14 days of the clock is due soon', async () => {
    const r = await outcome('list', (io) => listCommand(ROOT, { dir: fixture('list'), json: true, reports: noReports }, io), { now: new Date(2099, 11, 20) })
    const entries = JSON.parse(r.stdout) as { id: string; review: { status: string } }[]
    expect(entries.find((e) => e.id === 'current-review')!.review.status).toBe('due-soon')
  })

  test("a runbook reviewed on time still shows its guide's own review as overdue, in its own column", async () => {
    const at = (now: Date) => outcome('list', (io) => listCommand(ROOT, { dir: fixture('list-source'), reports: noReports }, io), { now })
    const row = (...cells: string[]) => new RegExp(`^${cells.map((c) => c.replace(/[()>]/g, '\\$&')).join('\\s+')}$`, 'm')
    const late = await at(new Date(2026, 10, 28))
    expect(late.code, late.stderr).toBe(EXIT.ok)
    expect(late.stdout).toMatch(row('derived-from-guide', 'Derived from the guide', 'monthly', '—', '—', '1', '0', msg.cli.reviewNext('2027-02-26'), msg.cli.sourceOverdue('2025-10-19'), msg.cli.never))
    expect(late.stdout).toMatch(row('own-runbook', 'Not derived', 'daily', '—', '—', '1', '0', msg.cli.reviewNext('2027-02-26'), '—', msg.cli.never))
    // Before the guide's date it is not overdue: the mark follows the clock, not the data.
    const early = await at(new Date(2025, 9, 10))
    expect(early.stdout).toMatch(row('derived-from-guide', 'Derived from the guide', 'monthly', '—', '—', '1', '0', msg.cli.reviewNext('2027-02-26'), msg.cli.sourceDueSoon('2025-10-19'), msg.cli.never))
    expect(early.stdout).not.toContain(msg.cli.sourceOverdue('2025-10-19'))
    const json = await outcome('list', (io) => listCommand(ROOT, { dir: fixture('list-source'), json: true, reports: noReports }, io), { now: new Date(2026, 10, 28) })
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        id: 'derived-from-guide',
        review: { next: '2027-02-26', status: 'ok' },
        source: { guide: 'docs/guide/operations-guide.ko.md', section: '백업 및 복구 > 3. 복구 절차', next: '2025-10-19', status: 'overdue' },
      }),
      expect.objectContaining({ id: 'own-runbook', source: null }),
    ])
  })

  test('the next run follows the clock: after 02:00 it is the next day, a weekly time its next weekday', async () => {
    const at = async (now: Date) => {
      const r = await outcome('list', (io) => listCommand(ROOT, { dir: fixture('list'), json: true, reports: noReports }, io), { now })
      return (JSON.parse(r.stdout) as { id: string; nextRun: string | null }[]).find((e) => e.id === 'current-review')!.nextRun
    }
    expect(await at(new Date(2026, 10, 28, 1, 59))).toBe(new Date(2026, 10, 28, 2, 0).toISOString())
    expect(await at(new Date(2026, 10, 28, 2, 0))).toBe(new Date(2026, 10, 29, 2, 0).toISOString())
    expect(await at(new Date(2026, 11, 31, 23, 0))).toBe(new Date(2027, 0, 1, 2, 0).toISOString())
  })

  test('--json', async () => {
    const r = await list(fixture('list'), true)
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({
        id: 'current-review',
        title: 'Current review',
        path: 'test/fixtures/list/current.md',
        schedule: 'daily',
        owner: 'DBA팀',
        cron: '0 2 * * *',
        // 02:00 local time the day after the test clock (2025-06-01 10:00 local)
        nextRun: new Date(2025, 5, 2, 2, 0).toISOString(),
        steps: 1,
        destructive: 0,
        review: { next: '2099-12-31', status: 'ok' },
        lastRun: null,
      }),
      expect.objectContaining({ id: 'overdue-review', nextRun: null, schedule: 'monthly', owner: '운영팀', steps: 3, destructive: 2, review: { next: '2020-04-01', status: 'overdue' } }),
    ])
  })

  test("the project's runbooks folder is the default", async () => {
    const r = await list(undefined, true)
    expect(r.code, r.stderr).toBe(EXIT.ok)
    const entries = JSON.parse(r.stdout) as { path: string }[]
    expect(entries.length).toBeGreaterThan(0)
    for (const e of entries) expect(e.path.startsWith('runbooks/')).toBe(true)
  })

  test("every project runbook names the guide section it came from, and the guide's overdue review shows", async () => {
    const r = await outcome('list', (io) => listCommand(ROOT, { json: true, reports: noReports }, io), { now: new Date(2026, 10, 28) })
    const entries = JSON.parse(r.stdout) as { path: string; source: { guide: string; section: string | null; next: string; status: string } | null }[]
    expect(entries.length).toBeGreaterThanOrEqual(29)
    for (const e of entries) {
      expect(e.source, e.path).toMatchObject({ guide: 'docs/guide/operations-guide.ko.md', next: '2025-10-19', status: 'overdue' })
      expect(e.source!.section, e.path).toMatch(/\S/)
    }
  })

  test('paths are read relative to the folder the command works in, and shown as typed', async () => {
    const r = await outcome('list', (io) => listCommand(path.join(ROOT, 'test'), { dir: 'fixtures/list', json: true, reports: noReports }, io))
    expect((JSON.parse(r.stdout) as { path: string }[]).map((e) => e.path)).toEqual(['fixtures/list/current.md', 'fixtures/list/overdue.md'])
  })

  test('a folder that does not exist is a one-line error', async () => {
    const missing = path.join(noReports, 'no-such-folder')
    expectOneLineError(await list(missing), missing)
  })

  test('no runbooks at all', async () => {
    const r = await list(noReports)
    expect(r.stdout).toBe(`${msg.cli.noRunbooks}\n`)
  })
})

describe('list holds runbooks/ strictly, as lint does', () => {
  test('an unknown front matter key makes a runbook under runbooks/ invalid; elsewhere it is a warning', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'rb-list-strict-'))
    const doc = '---\ntitle: 엄격\ncolour: red\n---\n# 엄격\n\n```bash {id=a}\ntrue\n```\n'
    for (const dir of ['runbooks', 'elsewhere']) {
      mkdirSync(path.join(cwd, dir))
      writeFileSync(path.join(cwd, dir, 'strict.md'), doc)
    }
    const problems = async (dir: string) => {
      const r = await outcome('list', (io) => listCommand(cwd, { dir, json: true, reports: noReports }, io))
      return (JSON.parse(r.stdout) as { problems: number }[])[0]!.problems
    }
    expect(await problems('runbooks')).toBeGreaterThan(0)
    expect(await problems('elsewhere')).toBe(0)
    rmSync(cwd, { recursive: true, force: true })
  })
})

describe('history', () => {
  test('an empty reports folder has no runs; --json is an empty list', async () => {
    expect((await outcome('history', (io) => historyCommand(ROOT, { reports: noReports }, io))).stdout).toBe(`${msg.cli.noRuns}\n`)
    expect((await outcome('history', (io) => historyCommand(ROOT, { reports: noReports, json: true }, io))).stdout).toBe('[]\n')
  })

  test('rows show start, runbook, status, operator, sign-offs against approvals, and the report', () => {
    const base = { runId: 'r', title: 't', finished: null, target: 'production', report: 'reports/2025-06-01/a.md' }
    const text = renderHistory(
      [
        { ...base, runbook: 'a', status: 'passed', started: '2025-06-01T10:00:00+09:00', operator: 'Kim <kim@example.com>', signedBy: [], approvals: 1 },
        { ...base, runbook: 'b', status: 'failed', started: '2025-06-01T09:00:00+09:00', operator: 'Lee <lee@example.com>', signedBy: ['kim@example.com'], approvals: 2 },
      ],
      new Chalk({ level: 0 }),
    )
    const lines = text.trimEnd().split('\n')
    const h = msg.cli.historyHead
    expect(lines[0]).toMatch(new RegExp(`^${[h.started, h.runbook, msg.cli.historyTarget, h.status, h.operator, h.signoff, h.report].join('\\s+')}$`))
    const passed = msg.run.runStatus('passed')
    const failed = msg.run.runStatus('failed')
    expect(lines[1]).toMatch(new RegExp(`^2025-06-01 10:00:00\\s+a\\s+production\\s+${passed}\\s+Kim <kim@example.com>\\s+${msg.cli.unsigned}\\s+reports/2025-06-01/a.md$`))
    expect(lines[2]).toMatch(new RegExp(`^2025-06-01 09:00:00\\s+b\\s+production\\s+${failed}\\s+Lee <lee@example.com>\\s+kim@example.com \\(1/2\\)\\s+reports/2025-06-01/a.md$`))
  })

  test('a --step or dry run is told apart from a full one, and is never a runbook\'s last run', () => {
    const base = { runId: 'r', title: 't', finished: null, target: 'production', report: 'reports/2025-06-01/a.md', operator: 'Kim <kim@example.com>', signedBy: [], approvals: 1 }
    const partial = { ...base, runbook: 'a', status: 'passed', started: '2025-06-02T10:00:00+09:00', partial: '--step vacuum' }
    const full = { ...base, runbook: 'a', status: 'failed', started: '2025-06-01T10:00:00+09:00' }
    expect(renderHistory([partial, full], new Chalk({ level: 0 }))).toContain(`${msg.run.runStatus('passed')} (${msg.cli.partialRun('--step vacuum')})`)
    expect(lastRuns([partial, full]).get('a')).toBe(full)
  })
})
