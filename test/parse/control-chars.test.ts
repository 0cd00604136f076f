// What the operator sees is what runs: control characters in a step's code are found (for lint) and
// shown as visible marks in `read`, `plan` and the step intro, never passed to the terminal raw.
import { Chalk } from 'chalk'
import { describe, expect, test } from 'vitest'
import { findControlChars, hasControlChars, showControlChars } from '../../src/runner/parse/control-chars.js'
import { renderRead } from '../../src/runner/cli/render-read.js'
import { renderPlan } from '../../src/runner/cli/render-plan.js'
import { renderStepHeader, renderStepIntro } from '../../src/runner/terminal/console-view.js'
import { planOf, recordingExecutors, scriptedPrompts, walkInProcess } from '../run/fakes.js'

// Every character the rule names, and the two a step may hold.
const FORBIDDEN = ['\x1b', '\r', '\b', '\x00', '\x07', '\x0b', '\x0c', '\x7f', '\x85', '\x9b', '\u200b', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2060', '\u2066', '\u2069', '\ufeff', '\u061c']
const ALLOWED = ['\t', '\n', ' ', 'a', '한', '✔', '\u00a0', '\u2028']

/** Whether a rendered text holds any character that is not printable as is (colour off). */
const raw = (text: string) => FORBIDDEN.some((ch) => text.includes(ch))

// The attack: `rm` hidden behind a harmless-looking line (erase line, cursor to column 1, `df -h /`).
const HIDING = `rm -rf /tmp/rb-cc-never-there\x1b[2K\x1b[1Gdf -h /`
const BIDI = `echo "safe \u202Ecod.hsab\u202C"; rm -f /tmp/rb-cc-never-there`

describe('control characters', () => {
  test('each forbidden character is found where it is; TAB, LF and ordinary text are not', () => {
    for (const ch of FORBIDDEN) {
      expect(hasControlChars(`ok${ch}`), JSON.stringify(ch)).toBe(true)
      expect(findControlChars(`line one\nab${ch}c`), JSON.stringify(ch)).toEqual([{ line: 2, column: 3, shown: expect.any(String) }])
    }
    for (const ch of ALLOWED) expect(hasControlChars(`ok${ch}ok`), JSON.stringify(ch)).toBe(false)
    expect(findControlChars(HIDING).map((c) => c.shown)).toEqual(['␛', '␛'])
    expect(findControlChars(BIDI).map((c) => c.shown)).toEqual(['U+202E', 'U+202C'])
  })

  test('shown visibly and distinctly: a mark in ⟨⟩ with the style given, nothing raw left', () => {
    const shown = showControlChars(HIDING, (s) => `[${s}]`)
    expect(shown).toBe('rm -rf /tmp/rb-cc-never-there[⟨␛⟩][2K[⟨␛⟩][1Gdf -h /')
    for (const ch of FORBIDDEN) expect(raw(showControlChars(`a${ch}b`, (s) => s)), JSON.stringify(ch)).toBe(false)
  })

  const doc = (code: string) => `# 숨김\n\n설명\x1b[8m 숨은 글\n\n\`\`\`bash {id=hidden safe="test"}\n${code}\n\`\`\`\n`

  test.each([
    ['an escape hiding rm', HIDING],
    ['a bidi override', BIDI],
    ['a zero-width space in a command', 'r\u200bm -f /tmp/rb-cc-never-there'],
  ])('%s: read, plan and the step intro show the code with its marks, raw bytes never reach the screen', async (_name, code) => {
    const { runbook, plan } = await planOf(doc(code))
    for (const level of [0, 1] as const) {
      const c = new Chalk({ level })
      // The highlighter must not be given code holding control characters: it could pass them on.
      const highlight = (_language: string, text: string) => {
        if (hasControlChars(text)) throw new Error('highlighter given raw control characters')
        return text
      }
      const read = renderRead(runbook, plan, { c, highlight, width: 100 })
      const intro = renderStepIntro(plan.steps[0]!, highlight, c)
      const planned = renderPlan(plan, c)
      for (const [name, text] of [['read', read], ['intro', intro], ['plan', planned]] as const) {
        // With colour, ESC appears only as the start of chalk's own styles (`ESC[`+digits+`m`).
        const withoutStyles = text.replace(/\x1b\[\d+(;\d+)*m/g, '')
        expect(raw(withoutStyles), `${name} at colour level ${level}`).toBe(false)
      }
      for (const text of [read, intro].map((t) => t.replace(/\x1b\[\d+(;\d+)*m/g, ''))) {
        expect(text).toContain('rb-cc-never-there')
        for (const mark of findControlChars(code)) expect(text).toContain(`⟨${mark.shown}⟩`)
        expect(text).toContain('⟨␛⟩[8m 숨은 글')
      }
      if (level === 1) expect(intro).toContain(c.inverse.yellow('⟨␛⟩'))
    }
  })

  test('at a terminal the walk shows the step intro with its marks before asking, and nothing runs on skip', async () => {
    const { runbook, plan } = await planOf(doc(HIDING))
    const prompts = scriptedPrompts('skip')
    const { executors, runs } = recordingExecutors()
    const { record, screen } = await walkInProcess(runbook, plan, { prompts, executors })
    expect(prompts.asked).toEqual(['stepAction'])
    expect(screen()).toContain('rm -rf /tmp/rb-cc-never-there⟨␛⟩[2K⟨␛⟩[1Gdf -h /')
    expect(raw(screen())).toBe(false)
    expect(runs).toHaveLength(0)
    expect(record.steps[0]!.status).toBe('skipped')
  })

  test('the step header shows a title with an escape as marks (the title is the runbook\'s heading)', async () => {
    const { plan } = await planOf(`# 숨김\n\n## 디스크\x1b[2K\u202e 확인\n\n\`\`\`bash {id=hidden}\nrm -f /tmp/rb-cc-\x1b[8mnever-there\n\`\`\`\n`)
    const header = renderStepHeader(plan.steps[0]!, 1, 1, 'local', new Chalk({ level: 0 }))
    expect(header).toContain('디스크⟨␛⟩[2K⟨U+202E⟩ 확인')
    expect(raw(header)).toBe(false)
  })

  test('code without control characters is still highlighted', async () => {
    const { runbook, plan } = await planOf(doc('df -h /'))
    const highlight = (_language: string, text: string) => `<hl>${text}</hl>`
    const c = new Chalk({ level: 0 })
    expect(renderStepIntro(plan.steps[0]!, highlight, c)).toContain('<hl>df -h /')
    expect(renderRead(runbook, plan, { c, highlight, width: 100 })).toContain('<hl>df -h /</hl>')
  })
})
