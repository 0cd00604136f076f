import markdownIt from 'markdown-it'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { renderReportJson } from '../../src/runner/report/render-json.js'
import { cleanOutput, renderReportMarkdown } from '../../src/runner/report/render-md.js'
import { msg } from '../../src/runner/terminal/messages/index.js'

const st = (status: Parameters<typeof msg.run.stepStatus>[0]) => msg.run.stepStatus(status)
import type { RunRecord } from '../../src/runner/model/run-record.js'
import { demoRunbook, FENCE, finishedStep, initialRecord, splitFrontMatter } from './helpers.js'

const runbook = demoRunbook()
const md = markdownIt('default', { html: true })

function finishedRecord(): RunRecord {
  const record = initialRecord(runbook, { status: 'failed', finished: '2026-11-26T09:01:00+09:00' })
  record.steps[0] = finishedStep(runbook, 'app-up', {
    checks: [
      { name: '앱 /up 응답 200', ok: true, detail: 'status 200' },
      { name: '응답 시간', ok: false, detail: '2.3s > 1s' },
    ],
    output: '\u001b[32mGET /up\u001b[0m 200\r\n10%\r50%\r100%\nend\n',
    outputBytes: 40,
    notes: ['**굵게** 쓴 메모와 `코드`'],
    commands: [{ command: 'curl -s http://localhost/up | jq .', exitCode: 0, durationMs: 30 }],
  })
  record.steps[1] = finishedStep(runbook, 'db-ping', {
    destructive: true,
    declared: 'destructive',
    reasons: ['DELETE writes'],
    consent: { by: 'operator', who: '김운영 <ops@example.com>', at: '2026-11-26T09:00:05+09:00', how: 'answered yes' },
    statements: [{ line: 20, sql: 'DELETE FROM sessions\nWHERE expired', command: 'DELETE', rowCount: 3, durationMs: 4 }],
    tables: [
      {
        title: '세션',
        columns: ['id', 'a|b'],
        rows: [
          ['1', 'x\ny'],
          ['2', 'z'.repeat(500)],
        ],
        totalRows: 7,
      },
    ],
  })
  record.steps[2] = finishedStep(runbook, 'quoted', { status: 'failed', exitCode: 2, reason: 'exit 2', output: 'bad\n' })
  record.steps[3] = finishedStep(runbook, 'listed', { status: 'skipped', exitCode: undefined, durationMs: undefined, reason: 'requires: psql' })
  record.checklist = [{ text: '백업 상태 확인', line: 14, checked: true, by: '김운영 <ops@example.com>', at: '2026-11-26T09:00:03+09:00' }]
  record.resumes = [{ at: '2026-11-26T10:00:00+09:00', operator: '박야간', fromStep: 'quoted' }]
  return record
}

/** The paragraph that follows each step's fence, in document order. */
function resultAfterFences(body: string): Map<string, string> {
  const tokens = md.parse(body, {})
  const found = new Map<string, string>()
  for (const [i, t] of tokens.entries()) {
    const id = t.type === 'fence' ? /\{id=([^}\s]+)/.exec(t.info)?.[1] : undefined
    if (!id) continue
    const next = tokens.slice(i + 1).find((x) => x.type === 'inline')
    found.set(id, next?.content ?? '')
  }
  return found
}

describe('renderReportMarkdown', () => {
  const record = finishedRecord()
  const text = renderReportMarkdown(record, runbook, { logName: 'demo-check-090000.log' })
  const { yaml, body } = splitFrontMatter(text)

  it('starts with front matter that parses back', () => {
    expect(parse(yaml)).toEqual({
      run_id: record.runId,
      runbook: 'demo-check',
      title: '데모 점검',
      source: 'runbooks/demo-check.md',
      source_sha256: runbook.sha256,
      git_commit: 'abc1234',
      git_dirty: false,
      target: 'sandbox',
      operator: '김운영 <ops@example.com>',
      host: 'bastion-1',
      started: '2026-11-26T09:00:00+09:00',
      finished: '2026-11-26T09:01:00+09:00',
      status: 'failed',
      dry_run: false,
      counts: { passed: 2, failed: 1, skipped: 1, 'not-run': 1 },
      inputs: { severity: 'P2' },
      schema_version: 1,
    })
  })

  it('has a title, a status line, the resumes and a summary table', () => {
    expect(body).toContain('# 데모 점검 — 실행 보고서\n')
    expect(body).toContain(`❌ **${msg.run.runStatus('failed')}** — 2 ${st('passed')}, 1 ${st('failed')}, 1 ${st('skipped')}, 1 ${st('not-run')} · 대상 \`sandbox\` · 실행자 김운영 \\<ops@example.com\\>`)
    expect(body).toContain('- 2026-11-26T10:00:00+09:00 · 박야간 · `quoted` 단계부터')
    expect(body).toContain('| # | 단계 | 상태 | 소요 시간 |')
    expect(body).toContain(`| 1 | app-up · 앱 확인 | ✅ ${st('passed')} | 1.2s |`)
    expect(body).toContain(`| 3 | quoted · 데이터베이스 | ❌ ${st('failed')} | 1.2s |`)
    expect(body).toContain(`| 4 | listed · 데이터베이스 | ⏭ ${st('skipped')} | — |`)
    expect(body).toContain(`| 5 | unclosed · 마지막 | ◻ ${st('not-run')} | — |`)
    const headings = md.parse(body, {}).filter((t) => t.type === 'heading_open').length
    // Ours: title, 요약, 런북과 단계별 결과; the runbook's: 데모 점검, 3 sections.
    expect(headings).toBe(7)
  })

  it('puts each result right after its step block, in a blockquote, a list and an unclosed fence too', () => {
    const results = resultAfterFences(body)
    expect([...results.keys()]).toEqual(['app-up', 'db-ping', 'quoted', 'listed', 'unclosed'])
    expect(results.get('app-up')).toBe(`**결과 · app-up: ✅ ${st('passed')}** · exit 0 · 1.2s · 2026-11-26T09:00:02+09:00`)
    expect(results.get('db-ping')).toContain(`**결과 · db-ping: ✅ ${st('passed')}**`)
    expect(results.get('quoted')).toContain(`**결과 · quoted: ❌ ${st('failed')}** · exit 2`)
    expect(results.get('listed')).toBe(`**결과 · listed: ⏭ ${st('skipped')}** · 2026-11-26T09:00:02+09:00`)
    expect(results.get('unclosed')).toBe(`**결과 · unclosed: ◻ ${st('not-run')}**`)
    // The unclosed block was closed before its result: its code is just its code.
    const unclosed = md.parse(body, {}).find((t) => t.type === 'fence' && t.info.includes('unclosed'))
    expect(unclosed?.content).toBe('echo never closed\n')
  })

  it('shows checks, notes, tables, commands, SQL, consent, reasons and cleaned output', () => {
    expect(body).toContain('- ✅ 앱 /up 응답 200 — status 200\n- ❌ 응답 시간 — 2.3s \\> 1s')
    expect(body).toContain('**메모**\n\n**굵게** 쓴 메모와 `코드`')
    expect(body).toContain('- `curl -s http://localhost/up | jq .` → exit 0 · 30ms')
    expect(body).toContain(`**위험 단계** · ${msg.report.declaredAs('destructive')} — DELETE writes`)
    expect(body).toContain('**동의** · 운영자 김운영 \\<ops@example.com\\> · answered yes · 2026-11-26T09:00:05+09:00')
    expect(body).toContain('- 줄 20 · `DELETE FROM sessions WHERE expired` → DELETE 3행 · 4ms')
    expect(body).toContain('**표** · 세션\n\n| id | a\\|b |\n| --- | --- |\n| 1 | x y |\n')
    expect(body).toContain(`| 2 | ${'z'.repeat(199)}… |`)
    expect(body).toContain('_… 5행 더 (전체 7행)_')
    expect(body).toContain('**사유** · exit 2')
    expect(body).toContain('**사유** · requires: psql')
    expect(body).toContain(`**출력**\n\n${FENCE}text\nGET /up 200\n100%\nend\n${FENCE}`)
    const table = md.parse(body, {}).filter((t) => t.type === 'table_open')
    expect(table.length).toBe(3) // run facts, summary, the step's table
  })

  it('ticks checklist items with who and when', () => {
    expect(body).toContain('- [x] 백업 상태 확인 — 확인함: 김운영 \\<ops@example.com\\> · 2026-11-26T09:00:03+09:00\n- [ ] 로그 확인\n')
  })

  it('says where the full output is when inline output was cut', () => {
    const r = finishedRecord()
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`)
    r.steps[0] = { ...r.steps[0]!, output: lines.join('\n'), outputBytes: 9000 }
    const out = renderReportMarkdown(r, runbook, { logName: 'x-1.log' })
    expect(out).toContain(msg.report.outputCut('`x-1.log`', '9,000'))
    expect(out).toContain('line 49\n[… 750줄 생략 …]\nline 800\n')
    expect(out).toContain('line 999\n```\n')
    const r2 = finishedRecord()
    r2.steps[0] = { ...r2.steps[0]!, outputTruncated: true }
    expect(renderReportMarkdown(r2, runbook, { logName: 'x-2.log' })).toContain('`x-2.log`')
  })

  it('renders a running record: the step in flight shows as running', () => {
    const r = initialRecord(runbook)
    r.steps[0] = { ...r.steps[0]!, started: '2026-11-26T09:00:01+09:00' }
    const out = renderReportMarkdown(r, runbook)
    expect(out).toContain(`| 1 | app-up · 앱 확인 | ⏳ ${st('running')} | — |`)
    expect(out).toContain(`**결과 · app-up: ⏳ ${st('running')}** · 2026-11-26T09:00:01+09:00`)
  })

  it('keeps results of steps the runbook no longer has in a section of their own', () => {
    const r = finishedRecord()
    r.steps.push({ ...r.steps[0]!, id: 'removed-step' })
    r.checklist.push({ text: '옛 항목', line: 2, checked: true, by: 'k', at: 't' })
    const out = renderReportMarkdown(r, runbook)
    expect(out).toContain('## 본문에 없는 기록')
    expect(out).toContain(`**결과 · removed-step: ✅ ${st('passed')}**`)
    expect(out).toContain('- [x] 옛 항목 — 확인함: k · t')
  })

  it('is pure: same input, same text, input untouched', () => {
    const r = finishedRecord()
    const before = JSON.stringify(r)
    expect(renderReportMarkdown(r, runbook)).toBe(renderReportMarkdown(r, runbook))
    expect(JSON.stringify(r)).toBe(before)
  })
})

describe('cleanOutput', () => {
  it('strips ANSI, keeps the last state of \\r progress bars, drops controls and noise', () => {
    expect(cleanOutput('\u001b[1;31mred\u001b[0m \u001b]0;title\u0007ok')).toBe('red ok')
    expect(cleanOutput('a\r\nb\r\n')).toBe('a\nb\n')
    expect(cleanOutput('[#    ] 10%\r[##   ] 40%\r[#####] 100%\ndone')).toBe('[#####] 100%\ndone')
    expect(cleanOutput('abcdef\rXY')).toBe('XYcdef')
    expect(cleanOutput('ab\bc\u0000\u0007d\te')).toBe('acd\te')
    expect(cleanOutput('evil\u202Etxt.exe')).toBe('eviltxt.exe')
    expect(cleanOutput('bad \uFFFD\uFFFD\uFFFD bytes')).toBe('bad \uFFFD bytes')
    expect(cleanOutput('\uFFFD'.repeat(40))).toBe('[이진 데이터 40자 생략]')
  })
})

describe('renderReportJson', () => {
  it('is stable whatever order the fields were set in, and parses back to the record', () => {
    const record = finishedRecord()
    const shuffled = Object.fromEntries(Object.entries(record).reverse()) as unknown as RunRecord
    const json = renderReportJson(record)
    expect(renderReportJson(shuffled)).toBe(json)
    expect(JSON.parse(json)).toEqual(record)
    expect(json.startsWith('{\n  "schemaVersion": 1,\n  "runId": ')).toBe(true)
    expect(json.endsWith('}\n')).toBe(true)
  })
})
