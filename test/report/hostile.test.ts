// Nothing a step produces can fake the report's structure: whatever its output, notes, check
// names, table cells, reasons or recorded identities hold, the rendered report has the same
// headings, fences, HTML blocks and result lines, and the hostile text stays inside one fence.
import markdownIt, { type Token } from 'markdown-it'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { cleanOutput, renderReportMarkdown } from '../../src/runner/report/render-md.js'
import type { RunRecord } from '../../src/runner/model/run-record.js'
import { demoRunbook, finishedStep, initialRecord, splitFrontMatter } from './helpers.js'

const runbook = demoRunbook()
const md = markdownIt('default', { html: true })

const HOSTILE = [
  '---',
  'title: forged front matter',
  'status: passed',
  '---',
  '# forged heading',
  'forged setext',
  '===',
  ...Array.from({ length: 8 }, (_, i) => '`'.repeat(i + 3)),
  ...Array.from({ length: 8 }, (_, i) => '~'.repeat(i + 3)),
  '```sh {id=fake}',
  '   ````',
  '**결과 · app-up: ✅ passed** · exit 0 · 0.1s · 2026-11-26T09:00:01+09:00',
  '**결과 &middot; db-ping: ✅ passed**',
  '<details><summary>open me</summary>',
  '<!-- comment',
  '<script>alert(1)</script>',
  '> # quoted heading',
  '- # listed heading',
  '    indented code',
  '| a | b |',
  '| --- | --- |',
  '[ref]: https://evil.example',
  '$$ x^2 $$',
  '\u001b[31mred\u001b[0m \u202Egnp.exe',
  '***',
  'the end',
].join('\n')

function records(text: string): RunRecord {
  const record = initialRecord(runbook, {
    status: 'failed',
    finished: '2026-11-26T09:01:00+09:00',
    operator: text,
    target: text,
    host: text,
    inputs: { [text]: text, plain: text },
  })
  const one = text.replace(/\n/g, ' ')
  record.steps[0] = finishedStep(runbook, 'app-up', {
    output: text,
    outputBytes: text.length,
    checks: [{ name: text, ok: true, detail: text }],
    commands: [{ command: text, exitCode: 0, durationMs: 1 }],
  })
  record.steps[1] = finishedStep(runbook, 'db-ping', {
    status: 'failed',
    reason: text,
    tables: [{ title: text, columns: [text, one], rows: [[text, one]], totalRows: 3 }],
    statements: [{ line: 20, sql: text, command: one, rowCount: 1, durationMs: 1 }],
    consent: { by: 'operator', who: text, at: one, how: text },
    destructive: true,
    declared: 'destructive',
    reasons: [text],
  })
  record.steps[2] = finishedStep(runbook, 'quoted', { notes: [text] })
  record.checklist = [{ text: '백업 상태 확인', line: 14, checked: true, by: text, at: text }]
  record.resumes = [{ at: one, operator: text, fromStep: text }]
  return record
}

function structure(tokens: Token[]) {
  const count = (type: string) => tokens.filter((t) => t.type === type).length
  return {
    headings: count('heading_open'),
    fences: count('fence'),
    codeBlocks: count('code_block'),
    htmlBlocks: count('html_block'),
    htmlInline: tokens.flatMap((t) => t.children ?? []).filter((c) => c.type === 'html_inline').length,
    rules: count('hr'),
    blockquotes: count('blockquote_open'),
    resultLines: tokens.filter((t) => t.type === 'inline' && t.content.startsWith('**결과 · ')).length,
  }
}

describe('hostile step output cannot fake structure', () => {
  const benign = 'plain line\nanother line'
  const safe = renderReportMarkdown(records(benign), runbook, { logName: 'x.log' })
  const evil = renderReportMarkdown(records(HOSTILE), runbook, { logName: 'x.log' })
  const safeTokens = md.parse(splitFrontMatter(safe).body, {})
  const evilTokens = md.parse(splitFrontMatter(evil).body, {})

  it('has the same headings, HTML, rules, quotes and result lines as a benign run', () => {
    const a = structure(safeTokens)
    const b = structure(evilTokens)
    // The one extra fence: the hostile note is shown verbatim in a fence instead of as Markdown.
    expect(b).toEqual({ ...a, fences: a.fences + 1 })
    expect(b.resultLines).toBe(runbook.steps.length)
    expect(b.htmlBlocks + b.htmlInline).toBe(0)
  })

  it('keeps the whole hostile output inside one fence token', () => {
    const expected = cleanOutput(HOSTILE)
    const holding = evilTokens.filter((t) => t.type === 'fence' && t.content.includes('forged heading'))
    // The output, the multi-line reason and the note: each whole, each in its own fence.
    expect(holding.map((t) => t.content)).toEqual([`${expected}\n`, `${expected}\n`, `${expected}\n`])
    expect(expected).not.toContain('\u001b')
    expect(expected).not.toContain('\u202E')
  })

  it('cannot forge the front matter: values round-trip and no key is added', () => {
    const { yaml, body } = splitFrontMatter(evil)
    const fm = parse(yaml) as Record<string, unknown>
    expect(fm.status).toBe('failed')
    expect(fm.title).toBe('데모 점검')
    expect(fm.operator).toBe(HOSTILE)
    expect(fm.inputs).toEqual({ [HOSTILE]: HOSTILE, plain: HOSTILE })
    expect(Object.keys(fm)).toEqual(Object.keys(parse(splitFrontMatter(safe).yaml) as object))
    // Every value stays on its own line: the front matter has as many lines as a benign one.
    expect(yaml.split('\n').length).toBe(splitFrontMatter(safe).yaml.split('\n').length)
    // The body's first line is our heading, not something from the front matter.
    expect(body.split('\n')[1]).toBe('# 데모 점검 — 실행 보고서')
  })

  it('no line outside fences starts a heading or fence, and no bold result outside the real ones', () => {
    const rendered = md.render(splitFrontMatter(evil).body)
    expect(rendered).not.toMatch(/<h\d>forged/)
    expect(rendered).not.toContain('<details>')
    expect(rendered).not.toContain('<script>')
    expect(rendered.match(/<strong>결과 · /g)?.length).toBe(runbook.steps.length)
  })
})
