// Everything a step says reaches the operator while it runs: a TS step's notes (as readable
// terminal text), tables (aligned) and checks appear on screen during the walk, not only in the
// report; wide lines are cut inside the gutter. The TS steps run for real (the TS executor and its
// worker, dist/ts-worker.js).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { Chalk } from 'chalk'
import stringWidth from 'string-width'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createExecutors } from '../../src/runner/executors/index.js'
import { parseRunbook } from '../../src/runner/parse/parse.js'
import { plan as planRunbook } from '../../src/runner/plan/plan.js'
import { createConsoleView } from '../../src/runner/terminal/console-view.js'
import { renderNote, renderTable } from '../../src/runner/terminal/step-said.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { buildWorker } from '../executors/build-worker.js'
import { planOf, walkInProcess } from './fakes.js'

const executors = createExecutors()
const plain = new Chalk({ level: 0 })

beforeAll(buildWorker)
afterAll(async () => {
  await Promise.all(Object.values(executors).map((e) => e.close?.()))
})

describe('a TS step at the terminal', () => {
  test('its note, table and checks are on screen, in the order said, before its result', async () => {
    const code = [
      "check('앱 응답', true, '200')",
      "note('## 연락처\\n\\n- **당번**: Kim (`#ops-emergency`)\\n- [가이드](https://example.com/guide)')",
      "table([{ 이름: 'db', 상태: 'ok' }, { 이름: 'redis', 상태: 'down' }])",
      "check('Redis 응답', false, 'timeout')",
    ].join('\n')
    const { runbook, plan } = await planOf(`# 말하기\n\n\`\`\`ts {id=says keep-going}\n${code}\n\`\`\`\n`)
    const { record, screen } = await walkInProcess(runbook, plan, { executors })
    const shown = screen()
    const at = (text: string) => {
      const i = shown.indexOf(text)
      expect(i, `${text} in:\n${shown}`).toBeGreaterThan(-1)
      return i
    }
    const order = [at('✔ 앱 응답 — 200'), at('연락처'), at('• 당번: Kim (#ops-emergency)'), at('가이드 (https://example.com/guide)'), at('이름  | 상태'), at('redis | down'), at('✘ Redis 응답 — timeout'), at(`✘ ${msg.run.stepStatus('failed')}`)]
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    // Markdown marks are gone from the screen; the report keeps the note as it was written.
    expect(shown).not.toContain('**당번**')
    expect(shown).not.toContain('## 연락처')
    expect(record.steps[0]!.notes[0]).toContain('**당번**')
    expect(record.steps[0]!.tables[0]!.rows).toEqual([['db', 'ok'], ['redis', 'down']])
    // The passed check is not repeated under the result; the failed one is, next to the status.
    expect(shown.split('앱 응답').length - 1).toBe(1)
  }, 60_000)

  test("triage's open-incident shows the P1 deadline, the contacts and the stage table", async () => {
    const file = path.join(import.meta.dirname, '../../runbooks/incident/triage.md')
    const runbook = parseRunbook(readFileSync(file, 'utf8'), 'runbooks/incident/triage.md')
    const plan = await planRunbook(runbook)
    const { record, screen } = await walkInProcess(runbook, plan, {
      executors,
      settings: { only: 'open-incident', inputs: { severity: 'P1', summary: '' } },
    })
    expect(record.steps.find((s) => s.id === 'open-incident')!.status).toBe('passed')
    expect(screen()).toContain('P1 · 대응 시한 60분')
    expect(screen()).toContain('연락: Slack #ops-emergency, 1차 대응(operations@excelapp.com)')
    expect(screen()).toContain('1. 상황 인지')
    expect(screen()).toContain('24시간')
  }, 60_000)
})

describe('the live view', () => {
  test('what a step says sits inside the gutter, on its own line, cut to the terminal width', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream
    let text = ''
    ;(stream as unknown as PassThrough).on('data', (d: Buffer) => (text += d.toString()))
    Object.assign(stream, { isTTY: true, columns: 40 })
    const view = createConsoleView(stream, plain)
    view.output('partial line without newline')
    const wide = { columns: ['경로', '설명'], rows: [['/api/v1/workbooks/:id/formulas/recalculate', '수식 재계산이 매우 오래 걸리는 경로입니다 '.repeat(3)]], totalRows: 1 }
    view.said!(renderTable(wide, plain, view.columns!()))
    view.said!(renderNote(`# 제목\n${'아주 긴 한 줄 '.repeat(20)}`, plain, view.columns!()))
    view.stepEnded()
    const lines = text.split('\n').filter((l) => l !== '')
    expect(lines[0]).toBe('  │ partial line without newline')
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(40)
    for (const line of lines.slice(1)) expect(line.startsWith('  │ '), line).toBe(true)
    expect(text).toContain('…')
  })

  test('a note cannot draw on the terminal: escapes in it are removed', () => {
    const shown = renderNote('ok\u001b[2J\u001b]0;title\u0007 done', plain)
    expect(shown).toBe('ok done\n')
  })
})
