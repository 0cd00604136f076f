// The real CLI under a pseudo-terminal (util-linux `script`), typed at like an operator would.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { allMessages, msg } from '../../src/runner/terminal/messages/index.js'
import { createItems, itemCount, randomSuffix, resetItems, scratchDatabase } from '../helpers/servers.js'
import { BIN, readReport, reportFiles, tempDir, writeRunbook } from '../helpers/cli.js'
import { inPty, shellQuote } from '../helpers/pty.js'

test('under a pty: the destructive step is shown in red with the target, and runs after the operator confirms', async () => {
  const dir = tempDir('rb-pty-')
  const canary = path.join(dir, 'canary')
  const file = writeRunbook(
    dir,
    'pty.md',
    `# 터미널에서

## 확인

\`\`\`bash {id=look}
echo looking
\`\`\`

## 정리

\`\`\`bash {id=clean destructive="creates the canary"}
touch ${canary}
\`\`\`
`,
  )
  const reports = path.join(dir, 'reports')
  const command = [process.execPath, BIN, 'run', file, '--auto', '--reports', reports, '--operator', 'Park Pty <park@example.com>'].map(shellQuote).join(' ')
  const { code, screen } = await inPty(command, [
    { waitFor: msg.run.stepPrompt('clean'), keys: '\x1b[A\r' }, // up from "skip" to "run"
    { waitFor: msg.run.confirmDestructive('clean', 'local'), keys: 'y\r' },
  ])
  expect(screen).toContain('looking')
  expect(screen).toContain(msg.run.stepWarning(msg.run.destructiveStep, 'local'))
  // No signing key on this machine: said before any question (no comment typed for nothing).
  expect(screen).toContain(msg.sign.noSigningKey)
  expect(screen).not.toContain(msg.cli.signNow)
  expect(code).toBe(0)
  expect(existsSync(canary)).toBe(true)
  const { json } = readReport(reportFiles(reports)[0]!)
  expect(json.steps.find((s) => s.id === 'clean')!.consent).toMatchObject({ by: 'operator', who: 'Park Pty <park@example.com>' })
})

test('under a pty: a destructive rm lists the files it would delete before the question; skipping it declines it (exit 3)', async () => {
  const dir = tempDir('rb-pty-touch-')
  const logs = path.join(dir, 'logs')
  mkdirSync(logs)
  for (const f of ['a.log', 'b.log', 'keep.txt']) writeFileSync(path.join(logs, f), 'x')
  const file = writeRunbook(dir, 'touch.md', `# 정리\n\n\`\`\`bash {id=wipe destructive="deletes logs"}\nrm -f "$LOGS"/*.log\n\`\`\`\n`)
  const reports = path.join(dir, 'reports')
  const command = [process.execPath, BIN, 'run', file, '--set', `LOGS=${logs}`, '--reports', reports, '--operator', 'Park Pty <park@example.com>'].map(shellQuote).join(' ')
  const { code, screen } = await inPty(command, [
    { waitFor: msg.run.stepPrompt('wipe'), keys: 's' },
    { waitFor: msg.run.skipReasonPrompt, keys: '\r' },
    { waitFor: '서명할까요?', keys: '\r' },
  ])
  const question = screen.indexOf(msg.run.stepPrompt('wipe'))
  expect(screen.indexOf(msg.run.touchHeader)).toBeGreaterThan(-1)
  expect(screen.indexOf(`${logs}/a.log`)).toBeLessThan(question)
  expect(screen.indexOf(`${logs}/b.log`)).toBeLessThan(question)
  expect(screen.indexOf(`${logs}/b.log`)).toBeGreaterThan(-1)
  expect(screen).not.toContain('keep.txt')
  expect(code).toBe(3)
  for (const f of ['a.log', 'b.log', 'keep.txt']) expect(existsSync(path.join(logs, f)), f).toBe(true)
  const { json } = readReport(reportFiles(reports)[0]!)
  expect(json.status).toBe('incomplete')
  expect(json.steps[0]!.status).toBe('declined')
})

// ---- One interruption model: Ctrl-C at any prompt, as during a step -------------------------

const CTRL_C = '\x03'
const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/

/** `runbook run FILE ARGS…` in a pty, in a throwaway folder; its reports and the screen. */
async function walkInPty(body: string, args: string[], answers: { waitFor: string; keys: string }[], env: Record<string, string> = {}) {
  const dir = tempDir('rb-pty-')
  const file = writeRunbook(dir, 'walk.md', body)
  const reports = path.join(dir, 'reports')
  const vars = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`)
  const command = [...(vars.length ? ['env', ...vars] : []), ...[process.execPath, BIN, 'run', file, '--reports', reports, '--operator', 'Park Pty <park@example.com>', ...args].map(shellQuote)].join(' ')
  const result = await inPty(command, answers)
  const report = reportFiles(reports)[0]
  return { ...result, dir, report: report ? readReport(report) : undefined }
}

function expectInterrupted(r: Awaited<ReturnType<typeof walkInPty>>): void {
  expect(r.code, r.screen).toBe(130)
  expect(r.report!.json.status).toBe('interrupted')
  expect(r.screen).not.toMatch(/internal error|내부 오류|force closed/i)
  // No sign offer after a run that did not finish.
  expect(r.screen).not.toContain(msg.cli.signNow)
  expect(r.screen).not.toContain(msg.sign.noSigningKey)
}

test('under a pty: Ctrl-C while a step runs stops it and the walk: no question, exit 130', async () => {
  const r = await walkInPty(`# 긴 단계\n\n\`\`\`bash {id=wait}\necho waiting-now; sleep 30\n\`\`\`\n\n\`\`\`bash {id=after}\necho after-step\n\`\`\`\n`, ['--auto'], [
    { waitFor: 'waiting-now', keys: CTRL_C },
  ])
  expectInterrupted(r)
  expect(r.report!.json.steps.map((s) => s.status)).toEqual(['interrupted', 'not-run'])
})

test('under a pty: a key typed while a step runs does not answer the next question', async () => {
  const dir = tempDir('rb-pty-canary-')
  const canary = path.join(dir, 'canary')
  const r = await walkInPty(
    `# 미리 누름\n\n\`\`\`bash {id=slow}\necho started-now; sleep 1\n\`\`\`\n\n\`\`\`bash {id=clean destructive="creates the canary"}\ntouch ${canary}\n\`\`\`\n`,
    ['--auto'],
    [
      { waitFor: 'started-now', keys: 'ry' }, // typed ahead, while `slow` runs
      { waitFor: msg.run.stepPrompt('clean'), keys: 's' },
      { waitFor: msg.run.skipReasonPrompt, keys: '\r' },
    ],
  )
  // Skipping the destructive step declines it: exit 3, the run incomplete; nothing ran.
  expect(r.code, r.screen).toBe(3)
  expect(existsSync(canary)).toBe(false)
  expect(r.report!.json.steps.map((s) => s.status)).toEqual(['passed', 'declined'])
})

const TWO_STEPS = `# 두 단계\n\n## 하나\n\n\`\`\`bash {id=one}\necho first-step\n\`\`\`\n\n## 둘\n\n\`\`\`bash {id=two}\necho second-step\n\`\`\`\n`

test('under a pty: Ctrl-C at the run/skip question stops the walk, saves the report, exits 130', async () => {
  const r = await walkInPty(TWO_STEPS, [], [
    { waitFor: msg.run.stepPrompt('one'), keys: 'r' },
    { waitFor: msg.run.stepPrompt('two'), keys: CTRL_C },
  ])
  expectInterrupted(r)
  expect(r.report!.json.steps.map((s) => s.status)).toEqual(['passed', 'not-run'])
  // Its code was shown, its output never: the line the step prints stands alone only when it ran.
  expect(r.screen).not.toMatch(/│ second-step/)
})

test('under a pty: Ctrl-C at the checklist stops the walk the same way', async () => {
  const r = await walkInPty(`# 체크\n\n## 준비\n\n- [ ] 알림 확인\n\n## 실행\n\n\`\`\`bash {id=one}\necho first-step\n\`\`\`\n`, [], [
    { waitFor: '알림 확인', keys: CTRL_C },
  ])
  expectInterrupted(r)
  expect(r.report!.json.steps.map((s) => s.status)).toEqual(['not-run'])
})

test('under a pty: Ctrl-C at the critical id stops the walk; nothing runs', async () => {
  const dir = tempDir('rb-pty-canary-')
  const canary = path.join(dir, 'canary')
  const r = await walkInPty(`# 치명적\n\n\`\`\`bash {id=restore-db critical}\ntouch ${canary}\n\`\`\`\n`, [], [
    { waitFor: msg.run.stepPrompt('restore-db'), keys: 'r' },
    { waitFor: msg.run.typeStepId('restore-db'), keys: CTRL_C },
  ])
  expectInterrupted(r)
  expect(existsSync(canary)).toBe(false)
})

test('under a pty: a mistyped critical id is asked again, shown once a try; typed right, the step runs', async () => {
  const dir = tempDir('rb-pty-canary-')
  const canary = path.join(dir, 'canary')
  const r = await walkInPty(`# 치명적\n\n\`\`\`bash {id=restore-db critical}\ntouch ${canary}\n\`\`\`\n`, [], [
    { waitFor: msg.run.stepPrompt('restore-db'), keys: 'r' },
    { waitFor: msg.run.typeStepId('restore-db'), keys: 'restore_db\r' },
    { waitFor: msg.run.stepIdMismatch('restore_db', 2), keys: 'restore-db\r' },
  ])
  expect(r.code, r.screen).toBe(0)
  expect(existsSync(canary)).toBe(true)
  // The question itself once; the id prompt once per try (not echoed twice).
  const question = msg.run.confirmDestructive('restore-db', 'local')
  expect(r.screen.split(question).length - 1).toBe(1)
})

describe('with PostgreSQL', () => {
  const database = scratchDatabase(`rb_pty_${randomSuffix()}`)
  beforeAll(async () => {
    const db = await database.create()
    await createItems(db)
    await resetItems(db)
    await db.end()
  })
  afterAll(() => database.drop())

  test('under a pty: Ctrl-C at the commit question rolls back, stops the walk, exits 130', async () => {
    const r = await walkInPty(
      `---\nenv:\n  DATABASE_URL: { required: true, description: test db }\n---\n# 커밋\n\n\`\`\`sql {id=trim destructive="deletes rows"}\nDELETE FROM items WHERE id > 5;\n\`\`\`\n\n\`\`\`bash {id=after}\necho after-step\n\`\`\`\n`,
      ['--set', `DATABASE_URL=${database.url}`],
      [
        { waitFor: msg.run.stepPrompt('trim'), keys: 'r' },
        { waitFor: msg.run.commitPrompt('local'), keys: CTRL_C },
      ],
    )
    expectInterrupted(r)
    expect(r.report!.json.steps.map((s) => s.status)).toEqual(['interrupted', 'not-run'])
    const db = new pg.Client({ connectionString: database.url })
    await db.connect()
    try {
      expect(await itemCount(db)).toBe(10)
    } finally {
      await db.end()
    }
  })
})

// ---- One language for the interface, one for the record ---------------------------------------

const EN_WALK = `# Language walk\n\nRead this first.\n\n## Steps\n\n- [ ] alert checked\n\n\`\`\`bash {id=one}\necho first-step\n\`\`\`\n\n## More\n\n\`\`\`bash {id=two}\necho second-step\n\`\`\`\n`

test('under a pty: --lang en walks in English (no Hangul on screen), the report stays Korean', async () => {
  const r = await walkInPty(EN_WALK, ['--lang', 'en'], [
    { waitFor: allMessages.en.run.tickChecklist, keys: ' \r' },
    { waitFor: allMessages.en.run.stepPrompt('one'), keys: 'r' },
    { waitFor: allMessages.en.run.stepPrompt('two'), keys: 's' },
    { waitFor: allMessages.en.run.skipReasonPrompt, keys: 'not today\r' },
  ])
  expect(r.code, r.screen).toBe(0)
  expect(r.screen).toContain('Read this first.')
  expect(r.screen).toContain(allMessages.en.run.keysHint('r/s/q'))
  expect(r.screen).not.toMatch(HANGUL)
  expect(r.report!.md).toMatch(HANGUL)
  expect(r.report!.json.steps[1]!.reason).toContain('not today')
})

test('under a pty: --lang ko walks in Korean: no English prompt text of the catalogue', async () => {
  const r = await walkInPty(EN_WALK, ['--lang', 'ko'], [
    { waitFor: allMessages.ko.run.tickChecklist, keys: ' \r' },
    { waitFor: allMessages.ko.run.stepPrompt('one'), keys: 'r' },
    { waitFor: allMessages.ko.run.stepPrompt('two'), keys: 's' },
    { waitFor: allMessages.ko.run.skipReasonPrompt, keys: '\r' },
  ], { RUNBOOK_LANG: 'en' })
  expect(r.code, r.screen).toBe(0)
  for (const english of [allMessages.en.run.keysHint('r/s/q'), allMessages.en.run.stepPrompt('one'), allMessages.en.run.tickChecklist, 'navigate', 'select', 'submit', ' Yes', ' No']) {
    expect(r.screen, english).not.toContain(english)
  }
  expect(r.screen).toContain(allMessages.ko.run.keysHint('r/s/q'))
})
