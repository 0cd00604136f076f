// `runbook plan` and `runbook read` in-process: the JSON shape, the text an operator reads, and
// the one-line errors of an invalid runbook.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { planCommand } from '../../src/runner/cli/commands/plan.js'
import { readCommand } from '../../src/runner/cli/commands/read.js'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { FIXTURES, fixture, lineOf, readFixture } from '../fixture-helpers.js'
import { expectOneLineError, outcome, ROOT } from './helpers.js'

const plan = (file: string, json = false) => outcome('plan', (io) => planCommand(ROOT, { file, json }, io))

describe('plan', () => {
  const text = readFixture('every-step.md')

  test('--json has the documented shape', async () => {
    const r = await plan(fixture('every-step.md'), true)
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(r.stderr).toBe('')
    const planned = JSON.parse(r.stdout) as {
      runbook: Record<string, unknown>
      steps: Record<string, unknown>[]
      env: Record<string, unknown>[]
      inputs: Record<string, unknown>[]
      checklist: Record<string, unknown>[]
    }
    expect(planned.runbook).toEqual({ id: 'every-step', title: 'Every kind of step', path: 'test/fixtures/every-step.md' })
    for (const s of planned.steps) {
      for (const key of ['id', 'title', 'language', 'line', 'destructive', 'declared', 'reasons', 'skip', 'timeoutMs', 'requires']) expect(s, `${String(s.id)}.${key}`).toHaveProperty(key)
      expect(['destructive', 'critical', 'safe', null]).toContain(s.declared)
      expect(Number.isInteger(s.timeoutMs)).toBe(true)
    }
    // Only executable languages, each at the line of its opening fence.
    const ids = ['ts-step', 'typescript-step', 'js-step', 'javascript-step', 'bash-restart', 'sh-step', 'shell-undeclared', 'bash-safe', 'sql-read', 'sql-vacuum', 'redis-ping', 'redis-flush', 'example']
    const languages = ['ts', 'typescript', 'js', 'javascript', 'bash', 'sh', 'shell', 'bash', 'sql', 'sql', 'redis', 'redis', 'bash']
    expect(planned.steps.map((s) => [s.id, s.language, s.line])).toEqual(ids.map((id, i) => [id, languages[i], lineOf(text, `{id=${id}`)]))

    const by = (id: string) => planned.steps.find((s) => s.id === id)!
    expect(by('ts-step')).toMatchObject({ title: 'TypeScript', declared: null, destructive: false, reasons: [], skip: false, timeoutMs: 10_000, requires: [] })
    expect(by('typescript-step')).toMatchObject({ timeoutMs: 45_000, requires: ['psql', 'jq'] })
    expect(by('sh-step')).toMatchObject({ timeoutMs: 90_000 })
    expect(by('bash-restart')).toMatchObject({ declared: 'destructive', destructive: true })
    expect(by('bash-restart').reasons).toContain(msg.lint.declaredDestructiveBecause('restarts the app'))
    expect(by('shell-undeclared')).toMatchObject({ declared: null, destructive: true })
    expect(by('bash-safe')).toMatchObject({ declared: 'safe', destructive: false })
    expect(by('sql-vacuum')).toMatchObject({ declared: 'critical', destructive: true, timeoutMs: 7_200_000 })
    expect(by('sql-vacuum').reasons).toContain(msg.lint.declaredCritical)
    expect(by('redis-flush')).toMatchObject({ declared: 'destructive', destructive: true })
    expect(by('example')).toMatchObject({ skip: true, title: 'Examples' })

    expect(planned.env).toEqual([
      { name: 'APP_URL', required: false, secret: false, default: 'http://localhost', description: '애플리케이션 URL' },
      { name: 'DATABASE_URL', required: true, secret: true, default: null, description: '운영 DB' },
      { name: 'LOG_DIR', required: false, secret: false, default: '/var/log/excelapp', description: null },
    ])
    expect(planned.inputs).toEqual([
      { name: 'severity', type: 'choice', choices: ['P0', 'P1', 'P2', 'P3'], default: null, description: '장애 등급' },
      { name: 'ticket', type: 'string', choices: null, default: null, description: '티켓 번호' },
      { name: 'rows', type: 'number', choices: null, default: '10', description: null },
    ])
    expect(planned.checklist).toEqual([
      { text: '백업 상태 확인', line: lineOf(text, '백업 상태 확인') },
      { text: '모니터링 확인', line: lineOf(text, '모니터링 확인') },
    ])
  })

  test('the timeout is 10 minutes when neither the step nor the front matter sets one', async () => {
    const r = await plan(fixture('commonmark.md'), true)
    const planned = JSON.parse(r.stdout) as { steps: { timeoutMs: number; id: string }[] }
    expect(new Set(planned.steps.map((s) => s.timeoutMs))).toEqual(new Set([600_000]))
    expect(planned.steps.map((s) => s.id)).toEqual(['backtick', 'tilde', 'three-spaces', 'in-list', 'in-quote', 'outer', 'unclosed'])
  })

  test('text shows steps, kinds, lines, timeouts, safety, reasons, env, inputs and the checklist', async () => {
    const r = await plan(fixture('every-step.md'))
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(r.stderr).toBe('')
    const out = r.stdout
    const h = msg.cli.planHead
    expect(out).not.toContain('\x1b[')
    expect(out).toContain('Every kind of step (every-step) test/fixtures/every-step.md')
    expect(out).toMatch(new RegExp(`^${['#', h.step, h.kind, h.line, h.timeout, h.safety].join('\\s+')}$`, 'm'))
    expect(out).toMatch(new RegExp(`^1\\s+ts-step\\s+ts\\s+${lineOf(text, '{id=ts-step')}\\s+10s\\s+${msg.cli.safetySafe}$`, 'm'))
    const row = (n: number, id: string, kind: string, label: string) => new RegExp(`^${n}\\s+${id}\\s+${kind}\\s+\\d+\\s+\\S+\\s+${label.replace(/[()]/g, '\\$&')}$`, 'm')
    expect(out).toMatch(row(5, 'bash-restart', 'bash', msg.cli.safetyDestructive))
    expect(out).toMatch(row(7, 'shell-undeclared', 'shell', msg.cli.safetyUndeclared))
    expect(out).toMatch(row(8, 'bash-safe', 'bash', msg.cli.safetyDeclaredSafe))
    expect(out).toMatch(row(10, 'sql-vacuum', 'sql', msg.cli.safetyCritical))
    expect(out).toMatch(row(13, 'example', 'bash', msg.cli.safetySkip))
    expect(out).toContain(`bash-restart: ${msg.lint.declaredDestructiveBecause('restarts the app')}`)
    expect(out).toContain(`typescript-step: ${msg.cli.requires('psql, jq')}`)
    expect(out).toContain(`DATABASE_URL [${msg.cli.required}, ${msg.cli.secret}] — 운영 DB`)
    expect(out).toContain('severity (P0|P1|P2|P3) — 장애 등급')
    expect(out).toContain('☐ 백업 상태 확인')
    expect(out).toContain('☑ 모니터링 확인')
  })

  test("an invalid runbook (schema errors) names the first problem's line and how many more there are", async () => {
    const file = fixture('frontmatter/bad-values.md')
    const r = await plan(file)
    expectOneLineError(r, file, 2)
    // 13 problems, one of them (an unknown key) a warning: the first error and 11 more.
    expect(r.stderr).toContain(msg.parse.moreProblems(11, file))
  })

  test('a document written for Runme plans: each name is the step id, what is ignored is said on stderr', async () => {
    const file = fixture('runme/yaml-frontmatter.md')
    const r = await plan(file, true)
    expect(r.code, r.stderr).toBe(EXIT.ok)
    const steps = (JSON.parse(r.stdout) as { steps: { id: string; destructive: boolean }[] }).steps
    expect(steps.map((s) => s.id)).toEqual(['hello', 'json-name', 'where', 'ask', 'not-attached', 'excluded', 'in-background'])
    expect(steps.every((s) => !s.destructive)).toBe(true)
    const warnings = r.stderr.trimEnd().split('\n')
    expect(warnings).toHaveLength(8)
  })

  test('duplicate explicit ids stop plan at the second one', async () => {
    const file = fixture('duplicate-ids.md')
    expectOneLineError(await plan(file), file, lineOf(readFixture('duplicate-ids.md'), '```sh {id=same}'))
  })
})

describe('read', () => {
  let work: string
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'runbook-read-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  test('renders headings, prose, code, destructive marks, env and inputs, and runs nothing', async () => {
    const file = path.join(FIXTURES, 'read-canary.md')
    mkdirSync(path.join(work, 'cwd'))
    const r = await outcome('read', (io) => readCommand(path.join(work, 'cwd'), { file }, io), { env: { CANARY_DIR: work } })
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(r.stderr).toBe('')
    // Nothing ran: no canary anywhere it could have been made.
    expect(readdirSync(path.join(work, 'cwd'))).toEqual([])
    for (const dir of [work, ROOT, FIXTURES]) {
      for (const canary of ['canary-bash.txt', 'canary-ts.txt', 'canary-dir']) expect(existsSync(path.join(dir, canary)), canary).toBe(false)
    }
    const out = r.stdout
    expect(out).not.toContain('\x1b[')
    expect(out).toMatch(/^# 읽기 전용 확인$/m)
    expect(out).toMatch(/^## 셸 단계$/m)
    expect(out).toMatch(/^## 위험한 단계$/m)
    expect(out).toContain('이 런북의 단계는 실행되면 카나리 파일을 만듭니다.')
    expect(out).toContain('Destructive steps are marked.')
    expect(out).toContain('touch "$CANARY_DIR/canary-bash.txt"')
    expect(out).toContain("fs.writeFileSync(path.join(env.CANARY_DIR, 'canary-ts.txt'), 'ran')")
    expect(out).toContain(`▶ 3/3 wipe-canary [bash] ${msg.cli.safetyDestructive}`)
    expect(out).toContain(`! ${msg.lint.declaredDestructiveBecause('deletes the canary folder')}`)
    expect(out).toMatch(/┃ rm -rf "\$CANARY_DIR\/canary-dir"/)
    // touch writes a file: the shell judge fails closed too.
    expect(out).toContain(`▶ 1/3 bash-canary [bash] ${msg.cli.safetyUndeclared}`)
    expect(out).toContain('보기용 예시')
    expect(out).toContain('☐ 카나리 파일이 없는지 확인')
    expect(out).toContain(msg.cli.environment)
    expect(out).toContain('CANARY_DIR = . — 카나리 파일을 만들 폴더')
    expect(out).toContain(`API_TOKEN [${msg.cli.required}, ${msg.cli.secret}] — API 토큰`)
    expect(out).toContain(msg.cli.inputs)
    expect(out).toContain('reason (string) — 실행 이유')
    expect(out).toContain(msg.cli.owner('교육팀'))
    // The TS canary writes a file: a TS step that writes is destructive (the judge fails closed).
    expect(out).toContain(msg.cli.stepCount(3, 3))
    // Document order: the first step comes after its heading and before the next one.
    expect(out.indexOf('## 셸 단계')).toBeLessThan(out.indexOf('bash-canary'))
    expect(out.indexOf('bash-canary')).toBeLessThan(out.indexOf('## TypeScript 단계'))
  })

  test('with colours on, code is highlighted', async () => {
    const r = await outcome('read', (io) => readCommand(ROOT, { file: fixture('read-canary.md') }, io), { colorLevel: 1 })
    expect(r.code, r.stderr).toBe(EXIT.ok)
    const codeLine = r.stdout.split('\n').find((l) => l.includes('canary-ts.txt'))
    // More than the gutter's colour: the code itself carries escapes.
    expect(codeLine!.split('\x1b[').length).toBeGreaterThan(3)
  })
})
