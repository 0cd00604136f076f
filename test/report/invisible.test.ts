// What a report reader sees is what the runbook held: control characters and bidi overrides of the
// runbook (its headings, its steps' code) are shown as visible marks in the report's Markdown, and
// the JSON and front matter carry them as escapes, so `cat report.md` cannot be made to lie.
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { renderReportJson } from '../../src/runner/report/render-json.js'
import { renderReportMarkdown } from '../../src/runner/report/render-md.js'
import { demoRunbook, initialRecord, splitFrontMatter } from './helpers.js'

const ESC = '\u001b'
const RLO = '\u202e'
const ZWSP = '\u200b'
const SOURCE = ['---', `title: "Hidden ${RLO}txt.exe"`, '---', '', `# Hidden ${RLO}txt.exe`, '', `## Look ${ESC}[2K here`, '', '```bash {id=look}', `df -h / # ${ESC}[1A${ZWSP}`, '```', ''].join('\n')

describe('a report of a runbook with control characters', () => {
  const runbook = demoRunbook(SOURCE)
  const record = initialRecord(runbook, { status: 'passed', finished: '2026-11-26T09:01:00+09:00' })

  it('shows them as visible marks in the Markdown body and holds none raw anywhere', () => {
    const md = renderReportMarkdown(record, runbook)
    const { body } = splitFrontMatter(md)
    expect(body).toContain('## Look ⟨␛⟩[2K here')
    expect(body).toContain('df -h / # ⟨␛⟩[1A⟨U+200B⟩')
    expect(md).not.toMatch(/[\u001b\u202e\u200b]/)
  })

  it('escapes them in the JSON and the front matter, which still read back to the same text', () => {
    const json = renderReportJson(record)
    expect(json).not.toMatch(/[\u001b\u202e\u200b]/)
    expect(JSON.parse(json).runbook.title).toBe(record.runbook.title)
    expect(record.runbook.title).toContain(RLO)
    const { yaml } = splitFrontMatter(renderReportMarkdown(record, runbook))
    expect(yaml).toContain('\\u202e')
    expect(parse(yaml).title).toBe(record.runbook.title)
  })
})
