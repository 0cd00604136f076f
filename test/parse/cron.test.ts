// Cron expressions and review dates are validated by what they mean (croner; the calendar), and a
// bad one is a front-matter error naming its file and line; `runbook cron` never schedules it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { cronProblem, isCalendarDate, nextCronRun } from '../../src/runner/parse/cron.js'
import { parseFrontMatter, splitFrontMatter } from '../../src/runner/parse/frontmatter.js'
import { cronCommand } from '../../src/runner/cli/commands/cron.js'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { outcome } from '../cli/helpers.js'

const FILE = 'runbooks/x.md'
const frontMatter = (yaml: string) => parseFrontMatter(splitFrontMatter(`---\nid: x\ntitle: X\n${yaml}---\n# X\n`), FILE, 'x')

describe('cronProblem', () => {
  test.each(['0 2 * * *', '*/15 1-5 * jan mon-fri', '0 0 29 2 *', '0 3 * * 7', '@daily', '@midnight', '@weekly', '@annually'])('%s is a crontab time', (e) => {
    expect(cronProblem(e)).toBeUndefined()
  })
  test.each([
    ['99 99 * * *', 'invalid'],
    ['0 24 * * *', 'invalid'],
    ['5-1 * * * *', 'invalid'],
    ['0 0 30 2 *', 'never'],
    ['0 0 31 4 *', 'never'],
    ['0 0 L * *', 'extension'],
    ['0 0 * * 1#2', 'extension'],
    ['0 0 ? * *', 'extension'],
    ['0 0 0 * * *', 'shape'],
    ['every day', 'shape'],
    ['@reboot', 'shape'],
  ])('%s is refused (%s)', (e, kind) => {
    expect(cronProblem(e)?.kind).toBe(kind)
  })
  test('the next run is in local time, after the given moment', () => {
    expect(nextCronRun('30 4 * * 1', new Date(2026, 10, 28, 12, 0))).toEqual(new Date(2026, 10, 30, 4, 30))
    expect(nextCronRun('99 99 * * *', new Date())).toBeNull()
  })
})

describe('isCalendarDate', () => {
  test.each([
    ['2024-02-29', true],
    ['2026-12-31', true],
    ['2025-02-29', false],
    ['2025-02-30', false],
    ['2099-99-99', false],
    ['2025-00-10', false],
    ['2025-1-10', false],
  ])('%s → %s', (text, ok) => expect(isCalendarDate(text)).toBe(ok))
})

describe('front matter: impossible cron lines and dates are errors naming file and line', () => {
  test.each([
    ['cron: "99 99 * * *"\n', 4, `cron: ${msg.parse.cronInvalid('Invalid value for minute: 99')}`],
    ['cron: "0 0 30 2 *"\n', 4, `cron: ${msg.parse.cronNever}`],
    ['cron: "0 0 L * *"\n', 4, `cron: ${msg.parse.cronExtension('L')}`],
    ['cron: every day\n', 4, `cron: ${msg.parse.expectedCron}`],
    ['review:\n  last: 2025-01-01\n  next: 2099-99-99\n', 6, `review.next: ${msg.parse.notCalendarDate('2099-99-99')}`],
    ['review:\n  next: 2025-02-30\n', 5, `review.next: ${msg.parse.notCalendarDate('2025-02-30')}`],
    ['review:\n  next: tomorrow\n', 5, `review.next: ${msg.parse.expectedDate}`],
    ['source:\n  guide: g.md\n  reviewed: 2025-13-01\n', 6, `source.reviewed: ${msg.parse.notCalendarDate('2025-13-01')}`],
  ])('%j', (yaml, line, message) => {
    const { diagnostics, meta } = frontMatter(yaml)
    expect(diagnostics).toEqual([{ file: FILE, line, severity: 'error', rule: 'front-matter-schema', message }])
    // Nothing invalid reaches the runbook's data.
    expect(meta.cron).toBeUndefined()
  })
  test('a valid cron and real dates pass', () => {
    const { diagnostics, meta } = frontMatter('cron: "0 2 * * 1-5"\nreview:\n  last: 2024-02-29\n  next: 2026-12-31\n')
    expect(diagnostics).toEqual([])
    expect(meta).toMatchObject({ cron: '0 2 * * 1-5', review: { last: '2024-02-29', next: '2026-12-31' } })
  })
})

describe('runbook cron never prints an invalid line', () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'runbook-cron-invalid-'))
  afterAll(() => rmSync(repo, { recursive: true, force: true }))
  mkdirSync(path.join(repo, 'runbooks'))
  mkdirSync(path.join(repo, 'environments'))
  writeFileSync(path.join(repo, 'environments', 'production.env'), 'APP_URL=http://localhost\n')
  const runbook = (id: string, cron: string) =>
    writeFileSync(path.join(repo, 'runbooks', `${id}.md`), `---\nid: ${id}\ntitle: ${id}\ncron: "${cron}"\n---\n\n# ${id}\n\n\`\`\`sql {id=ping}\nSELECT 1;\n\`\`\`\n`)
  runbook('good', '0 2 * * *')
  runbook('minute-99', '99 99 * * *')
  runbook('feb-30', '0 0 30 2 *')

  test('the impossible ones are refused with their file named; the crontab holds only valid lines', async () => {
    const r = await outcome('cron', (io) => cronCommand(repo, {}, io))
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(r.stderr).toContain(`runbooks/minute-99.md: ${msg.cli.notScheduled}`)
    expect(r.stderr).toContain(`runbooks/feb-30.md: ${msg.cli.notScheduled}`)
    const lines = r.stdout.split('\n').filter((l) => l && !l.startsWith('#') && !/^[A-Z]+=/.test(l))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('runbooks/good.md')
    for (const l of lines) expect(cronProblem(l.split(/\s+/).slice(0, 5).join(' '))).toBeUndefined()
    expect(r.stdout).not.toContain('99 99')
    expect(r.stdout).not.toContain('30 2 *')
  })
})
