// The interactive walk with the real @inquirer prompts, driven through @inquirer/testing's screen.
import { screen } from '@inquirer/testing/vitest'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, test, vi } from 'vitest'
import { readReport, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'

// The runner's own single-key prompt drawn on the same test screen as the library's prompts.
vi.mock('../../src/runner/terminal/key-prompt.js', async (importOriginal) => {
  const { wrapPrompt } = await import('@inquirer/testing/vitest')
  const actual = await importOriginal<typeof import('../../src/runner/terminal/key-prompt.js')>()
  return { ...actual, keyPrompt: wrapPrompt(actual.keyPrompt as never) }
})

const { runRunbook } = await import('../../src/runner/run/run.js')
const { inquirerPrompts } = await import('../../src/runner/terminal/prompts.js')
const { msg } = await import('../../src/runner/terminal/messages/index.js')

function terminal(): NodeJS.WriteStream & { text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { text: () => string }
  let text = ''
  ;(stream as unknown as PassThrough).on('data', (d: Buffer) => (text += d.toString()))
  stream.text = () => text
  return stream
}

function start(body: string, extra: Partial<Parameters<typeof runRunbook>[0]> = {}) {
  const dir = tempDir('rb-interactive-')
  const file = writeRunbook(dir, 'walk.md', body)
  const out = terminal()
  const result = runRunbook({
    file,
    reports: path.join(dir, 'reports'),
    prompts: inquirerPrompts(),
    operator: 'Lee Oncall <lee@example.com>',
    out,
    ...extra,
  })
  return { dir, result, out }
}

const DOWN = { name: 'down' }
const UP = { name: 'up' }
const ENTER = { name: 'enter' }
const SPACE = { name: 'space' }

describe('interactive walk', () => {
  test('run / skip / quit', async () => {
    const { result } = start(`# 걷기

## 첫 단계

\`\`\`bash {id=a}
echo one
\`\`\`

## 둘째 단계

\`\`\`bash {id=b}
echo two
\`\`\`

## 셋째 단계

\`\`\`bash {id=c}
echo three
\`\`\`
`)
    await screen.next()
    expect(screen.getScreen()).toContain('a: 실행할까요?')
    screen.keypress(ENTER) // run (the default)
    await screen.next()
    expect(screen.getScreen()).toContain('b: 실행할까요?')
    screen.keypress(DOWN)
    screen.keypress(ENTER) // skip
    await screen.next()
    expect(screen.getScreen()).toContain(msg.run.skipReasonPrompt)
    screen.type('점검 창 밖')
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toContain('c: 실행할까요?')
    screen.keypress(DOWN)
    screen.keypress(DOWN)
    screen.keypress(ENTER) // quit
    const { record, exitCode, reportPath } = await result
    expect(exitCode).toBe(3)
    expect(record.status).toBe('aborted')
    const { json } = readReport(reportPath)
    expect(stepStatus(json)).toEqual({ a: 'passed', b: 'skipped', c: 'not-run' })
    expect(json.steps[1]!.reason).toBe(msg.run.operatorSkippedWhy('점검 창 밖'))
  })

  test('single keys answer at once: s skips (no reason given), r runs, q quits', async () => {
    const { result } = start(`# 키\n\n\`\`\`bash {id=a}\necho one\n\`\`\`\n\n\`\`\`bash {id=b}\necho two\n\`\`\`\n\n\`\`\`bash {id=c}\necho three\n\`\`\`\n`)
    await screen.next()
    expect(screen.getScreen()).toContain(msg.run.keysHint('r/s/q'))
    screen.keypress('s')
    await screen.next()
    screen.keypress(ENTER) // no reason
    await screen.next()
    expect(screen.getScreen()).toContain('b: 실행할까요?')
    screen.keypress('r')
    await screen.next()
    expect(screen.getScreen()).toContain('c: 실행할까요?')
    screen.keypress('q')
    const { record, exitCode } = await result
    expect(exitCode).toBe(3)
    expect(stepStatus(record)).toEqual({ a: 'skipped', b: 'passed', c: 'not-run' })
    expect(record.steps[0]!.reason).toBe(msg.run.operatorSkipped)
  })

  test('Ctrl-C at the run/skip question stops the walk: interrupted, exit 130, the report saved', async () => {
    const { result } = start(`# 중단\n\n\`\`\`bash {id=a}\necho one\n\`\`\`\n\n\`\`\`bash {id=b}\necho two\n\`\`\`\n`)
    await screen.next()
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toContain('b: 실행할까요?')
    screen.keypress({ name: 'c', ctrl: true })
    const { record, exitCode, reportPath } = await result
    expect(exitCode).toBe(130)
    expect(record.status).toBe('interrupted')
    expect(readReport(reportPath).json.status).toBe('interrupted')
    expect(stepStatus(record)).toEqual({ a: 'passed', b: 'not-run' })
  })

  test('Ctrl-C at the checklist stops the walk (no internal error)', async () => {
    const { result } = start(`# 체크\n\n## 하나\n\n- [ ] 알림 확인\n\n## 둘\n\n\`\`\`bash {id=a}\necho one\n\`\`\`\n`)
    await screen.next()
    expect(screen.getScreen()).toContain('알림 확인')
    screen.keypress({ name: 'c', ctrl: true })
    const { record, exitCode } = await result
    expect(exitCode).toBe(130)
    expect(record.status).toBe('interrupted')
    expect(stepStatus(record)).toEqual({ a: 'not-run' })
  })

  test('a long step is shown folded; v shows it whole and asks again', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `echo line-${i + 1}`).join('\n')
    const { result, out } = start(`# 긴 단계\n\n\`\`\`bash {id=long}\n${lines}\n\`\`\`\n`)
    await screen.next()
    expect(screen.getScreen()).toContain(msg.run.choiceViewCode)
    expect(out.text()).toContain('echo line-12')
    expect(out.text()).not.toContain('echo line-13')
    expect(out.text()).toContain(msg.run.codeFolded(18))
    screen.keypress('v')
    await screen.next()
    expect(out.text()).toContain('echo line-30')
    screen.keypress('r')
    const { record } = await result
    expect(record.steps[0]!.status).toBe('passed')
  })

  test('the introduction is shown first; a quiet step runs without its question', async () => {
    const { result, out } = start(`# 소개\n\n먼저 읽을 **안내**입니다.\n\n## 기록\n\n\`\`\`bash {id=note quiet}\necho noted\n\`\`\`\n\n\`\`\`bash {id=b}\necho two\n\`\`\`\n`)
    await screen.next()
    expect(screen.getScreen()).toContain('b: 실행할까요?')
    expect(out.text()).toContain('먼저 읽을 안내입니다.')
    expect(out.text().indexOf('먼저 읽을')).toBeLessThan(out.text().indexOf('[1/2] note'))
    expect(out.text()).toContain(msg.run.quietStep)
    screen.keypress('r')
    const { record } = await result
    expect(stepStatus(record)).toEqual({ note: 'passed', b: 'passed' })
  })

  test('a declined destructive step does not run; the default is No', async () => {
    const dir = tempDir('rb-interactive-')
    const out = terminal()
    const canary = path.join(dir, 'canary')
    const file = writeRunbook(
      dir,
      'declined.md',
      `# 거절

\`\`\`bash {id=wipe destructive="creates the canary"}
touch ${canary}
\`\`\`
`,
    )
    const run = runRunbook({ file, reports: path.join(dir, 'reports2'), prompts: inquirerPrompts(), operator: 'Lee <lee@example.com>', out })
    await screen.next()
    expect(screen.getScreen()).toContain('wipe: 실행할까요?')
    screen.keypress(UP) // from the default "skip" up to "run"
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toMatch(/위험 단계 wipe/)
    expect(screen.getScreen()).toContain('local')
    screen.keypress(ENTER) // the default: No
    const { record, exitCode } = await run
    expect(exitCode).toBe(3)
    expect(existsSync(canary)).toBe(false)
    expect(record.steps[0]!.status).toBe('declined')
    expect(out.text()).toContain('위험(destructive) 단계')
  })

  test('a critical step runs only when its id is typed; consent names the operator', async () => {
    const dir = tempDir('rb-interactive-')
    const canary = path.join(dir, 'canary')
    const file = writeRunbook(
      dir,
      'critical.md',
      `# 치명적

\`\`\`bash {id=restore-db critical}
touch ${canary}
\`\`\`
`,
    )
    const run = runRunbook({ file, reports: path.join(dir, 'reports'), prompts: inquirerPrompts(), operator: 'Lee <lee@example.com>', out: terminal() })
    await screen.next()
    screen.keypress(UP)
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toContain('restore-db')
    screen.type('restore-db')
    screen.keypress(ENTER)
    const { record, exitCode } = await run
    expect(exitCode).toBe(0)
    expect(existsSync(canary)).toBe(true)
    expect(record.steps[0]!.consent).toMatchObject({ by: 'operator', who: 'Lee <lee@example.com>' })
    expect(record.steps[0]!.consent!.how).toContain('id')
  })

  test('a mistyped id for a critical step declines it', async () => {
    const dir = tempDir('rb-interactive-')
    const canary = path.join(dir, 'canary')
    const file = writeRunbook(dir, 'critical.md', `# 치명적\n\n\`\`\`bash {id=restore-db critical}\ntouch ${canary}\n\`\`\`\n`)
    const run = runRunbook({ file, reports: path.join(dir, 'reports'), prompts: inquirerPrompts(), operator: 'Lee <lee@example.com>', out: terminal() })
    await screen.next()
    screen.keypress(UP)
    screen.keypress(ENTER)
    await screen.next()
    for (const typed of ['restore', 'restore-d', 'db-restore']) {
      expect(screen.getScreen()).toContain(msg.run.typeStepId('restore-db'))
      screen.type(typed)
      screen.keypress(ENTER)
      if (typed !== 'db-restore') await screen.next()
    }
    const { record } = await run
    expect(existsSync(canary)).toBe(false)
    expect(record.steps[0]!.status).toBe('declined')
  })

  test('a mistyped id is asked again; typed right, the step runs', async () => {
    const dir = tempDir('rb-interactive-')
    const canary = path.join(dir, 'canary')
    const file = writeRunbook(dir, 'critical.md', `# 치명적\n\n\`\`\`bash {id=restore-db critical}\ntouch ${canary}\n\`\`\`\n`)
    const run = runRunbook({ file, reports: path.join(dir, 'reports'), prompts: inquirerPrompts(), operator: 'Lee <lee@example.com>', out: terminal() })
    await screen.next()
    screen.keypress('r')
    await screen.next()
    screen.type('restore_db')
    screen.keypress(ENTER)
    await screen.next()
    expect(screen.getScreen()).toContain(msg.run.typeStepId('restore-db'))
    screen.type('restore-db')
    screen.keypress(ENTER)
    const { record, exitCode } = await run
    expect(exitCode).toBe(0)
    expect(existsSync(canary)).toBe(true)
    expect(record.steps[0]!.status).toBe('passed')
  })

  test('inputs are asked at the start; checklist items are ticked with who and when', async () => {
    const dir = tempDir('rb-interactive-')
    const file = writeRunbook(
      dir,
      'triage.md',
      `---
inputs:
  severity: { type: choice, choices: [P0, P1, P2, P3], description: 장애 등급 }
---
# 분류

- [ ] 알림 확인
- [ ] 영향 범위 파악

\`\`\`bash {id=show}
echo "severity=$INPUT_SEVERITY"
\`\`\`
`,
    )
    const run = runRunbook({ file, reports: path.join(dir, 'reports'), prompts: inquirerPrompts(), operator: 'Lee <lee@example.com>', out: terminal(), auto: true })
    await screen.next()
    expect(screen.getScreen()).toContain('severity')
    screen.keypress(DOWN)
    screen.keypress(ENTER) // P1
    await screen.next()
    expect(screen.getScreen()).toContain('알림 확인')
    screen.keypress(SPACE) // tick the first item only
    screen.keypress(ENTER)
    const { record, reportPath } = await run
    expect(record.inputs).toEqual({ severity: 'P1' })
    expect(record.checklist).toEqual([
      expect.objectContaining({ text: '알림 확인', checked: true, by: 'Lee <lee@example.com>' }),
      expect.objectContaining({ text: '영향 범위 파악', checked: false }),
    ])
    const { md } = readReport(reportPath)
    expect(md).toMatch(/- \[x\] 알림 확인/)
    expect(md).toMatch(/- \[ \] 영향 범위 파악/)
  })

  test('after a failure: retry, then skip', async () => {
    const dir = tempDir('rb-interactive-')
    const flag = path.join(dir, 'flag')
    const file = writeRunbook(dir, 'retry.md', `# 재시도\n\n\`\`\`bash {id=flaky}\ntest -f ${flag}\n\`\`\`\n\n\`\`\`bash {id=next}\necho next\n\`\`\`\n`)
    const run = runRunbook({ file, reports: path.join(dir, 'reports'), prompts: inquirerPrompts(), operator: 'Lee <lee@example.com>', out: terminal(), auto: true })
    await screen.next()
    expect(screen.getScreen()).toContain('flaky 단계가 실패했습니다')
    writeFileSync(flag, '')
    screen.keypress(ENTER) // retry
    const { record } = await run
    expect(record.steps[0]!.status).toBe('passed')
    expect(record.steps[0]!.attempts).toBe(2)
    expect(record.status).toBe('passed')
  })
})
