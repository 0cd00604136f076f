// parse(text) → Runbook on fixture runbooks: CommonMark decides what a fence is, every step gets
// its line, title, prose and id, and checklists keep their lines.
import { describe, expect, test } from 'vitest'
import { normaliseText, parseRunbook, STEP_KINDS } from '../../src/runner/parse/parse.js'
import { slugify } from '../../src/runner/parse/slug.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { lineOf, parseFixture, readFixture } from '../fixture-helpers.js'

describe('CommonMark fences (commonmark.md)', () => {
  const text = readFixture('commonmark.md')
  const runbook = parseFixture('commonmark.md')
  const step = (id: string) => {
    const found = runbook.steps.find((s) => s.id === id)
    if (!found) throw new Error(`no step ${id}`)
    return found
  }

  test('exactly the fences of executable languages are steps, in document order', () => {
    expect(runbook.steps.map((s) => s.id)).toEqual(['backtick', 'tilde', 'three-spaces', 'in-list', 'in-quote', 'outer', 'unclosed'])
    expect(runbook.steps.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(runbook.diagnostics).toEqual([])
  })

  test('each step records the 1-based line of its opening fence and of its first code line', () => {
    for (const s of runbook.steps) {
      expect(s.line, s.id).toBe(lineOf(text, `{id=${s.id}}`))
      expect(s.codeLine, s.id).toBe(s.line + 1)
    }
    expect(step('backtick').endLine).toBe(lineOf(text, '{id=backtick}') + 3)
  })

  test('backtick and tilde fences', () => {
    expect(step('backtick')).toMatchObject({ language: 'bash', kind: 'shell', code: 'echo backtick\n' })
    expect(step('tilde')).toMatchObject({ language: 'sh', kind: 'shell', code: 'echo tilde\n' })
  })

  test('a fence indented by up to three spaces loses that indentation', () => {
    expect(step('three-spaces').code).toBe('echo three-spaces\n')
  })

  test('fences inside list items and blockquotes are steps, their container markers stripped', () => {
    expect(step('in-list').code).toBe('echo in-list\n')
    expect(step('in-quote')).toMatchObject({ language: 'sql', kind: 'sql', code: 'SELECT 1 AS quoted;\n' })
  })

  test('a longer fence contains a shorter one: the inner fence is code, not a step', () => {
    expect(step('outer').code).toBe('const markdown = `\n```bash\necho inner-backtick\n```\n`\nconsole.log(markdown)\n')
    expect(step('outer').endLine).toBe(lineOf(text, 'console.log(markdown)') + 2)
    const allCode = runbook.steps.map((s) => s.code)
    expect(allCode).not.toContain('echo inner-backtick\n')
    expect(allCode).not.toContain('echo inner-tilde\n')
    const markdownBlock = runbook.displays.find((d) => d.language === 'markdown')
    expect(markdownBlock?.code).toBe('```bash\necho inner-tilde\n```\n')
  })

  test('an unclosed fence runs to the end of the file', () => {
    const unclosed = step('unclosed')
    expect(unclosed.code).toBe('echo unclosed\necho still-in-the-block\n\n```not a closing fence\n')
    expect(unclosed.endLine).toBe(text.trimEnd().split('\n').length + 1)
  })

  test('indented code blocks, display-only languages and fences without a language are shown, never steps', () => {
    expect(runbook.displays.map((d) => d.language)).toEqual(['markdown', '', 'text', 'yaml', 'ruby', 'console', ''])
    expect(runbook.displays[1]).toMatchObject({ code: 'echo indented-code-block\n', line: lineOf(text, '    echo indented-code-block') })
    expect(runbook.displays.find((d) => d.language === 'console')?.line).toBe(lineOf(text, '```console'))
    expect(runbook.steps.some((s) => /indented-code-block|no-language|echo console|not-a-fence|puts "ruby"/.test(s.code))).toBe(false)
    expect(runbook.displays.some((d) => d.code.includes('not-a-fence'))).toBe(false)
  })

  test('task-list items are the checklist, with their lines; plain list items are not', () => {
    expect(runbook.checklist).toEqual([
      { text: 'unchecked item', checked: false, line: lineOf(text, '- [ ] unchecked item') },
      { text: 'checked item', checked: true, line: lineOf(text, '- [x] checked item') },
      { text: 'capital X item', checked: true, line: lineOf(text, '* [X] capital X item') },
    ])
  })

  test('headings, step titles and prose', () => {
    expect(runbook.headings).toEqual([
      { level: 1, text: 'CommonMark fences', line: lineOf(text, '# CommonMark fences') },
      { level: 2, text: 'Checklist', line: lineOf(text, '## Checklist') },
      { level: 2, text: 'Unclosed', line: lineOf(text, '## Unclosed') },
    ])
    expect(step('backtick').title).toBe('CommonMark fences')
    expect(step('unclosed').title).toBe('Unclosed')
    expect(step('backtick').prose).toBe('Prose before the first step.')
    expect(step('tilde').prose).toBe('A tilde fence:')
    expect(step('unclosed').prose).toBe('The last fence is never closed, so it runs to the end of the file.')
  })

  test('segments walk the body in document order', () => {
    const kinds = runbook.segments.map((s) => (s.type === 'step' ? `step:${s.step.id}` : s.type === 'display' ? `display:${s.block.language}` : s.type))
    expect(kinds.slice(0, 5)).toEqual(['heading', 'prose', 'step:backtick', 'prose', 'step:tilde'])
    expect(kinds.at(-1)).toBe('step:unclosed')
    const lines = runbook.segments.map((s) =>
      s.type === 'heading' ? s.heading.line : s.type === 'prose' ? s.line : s.type === 'step' ? s.step.line : s.block.line,
    )
    expect(lines).toEqual([...lines].sort((a, b) => a - b))
    const prose = runbook.segments.find((s) => s.type === 'prose')
    expect(prose).toEqual({ type: 'prose', markdown: 'Prose before the first step.', line: lineOf(text, 'Prose before the first step.') })
  })

  test('the body starts after the front matter and the meta comes from it', () => {
    expect(runbook.bodyLine).toBe(5)
    expect(runbook.meta).toMatchObject({ id: 'commonmark-cases', title: 'CommonMark fence cases' })
    expect(runbook.sha256).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('executable and display-only languages', () => {
  test.each([
    ['ts', 'ts'],
    ['typescript', 'ts'],
    ['js', 'js'],
    ['javascript', 'js'],
    ['bash', 'shell'],
    ['sh', 'shell'],
    ['shell', 'shell'],
    ['sql', 'sql'],
    ['redis', 'redis'],
  ])('%s is a %s step', (language, kind) => {
    const runbook = parseRunbook(`\`\`\`${language}\nx\n\`\`\`\n`, 'k.md')
    expect(runbook.steps).toHaveLength(1)
    expect(runbook.steps[0]).toMatchObject({ language, kind })
  })

  test.each(['text', 'yaml', 'ruby', 'console', 'json', 'diff', 'markdown', 'python', 'zsh', 'psql'])('%s is shown, not run', (language) => {
    expect(STEP_KINDS[language]).toBeUndefined()
    const runbook = parseRunbook(`\`\`\`${language} {id=x}\nx\n\`\`\`\n`, 'k.md')
    expect(runbook.steps).toEqual([])
    expect(runbook.displays).toEqual([{ language, code: 'x\n', line: 1, endLine: 4 }])
    expect(runbook.diagnostics).toEqual([])
  })
})

describe('default ids (ids.md)', () => {
  const text = readFixture('ids.md')
  const runbook = parseFixture('ids.md')

  test('ids come from the nearest heading, Unicode letters kept, -2 and -3 for further blocks', () => {
    expect(runbook.steps.map((s) => [s.id, s.idExplicit])).toEqual([
      ['step', false],
      ['애플리케이션-상태-확인', false],
      ['애플리케이션-상태-확인-2', false],
      ['애플리케이션-상태-확인-3', false],
      ['formulaengine-서비스-포트-3002-확인', false],
      ['explicit-wins-2', false],
      ['explicit-wins', true],
      ['redis-cli-and-bold-in-a-heading', false],
      ['café-नमस्ते', false],
    ])
    expect(runbook.diagnostics).toEqual([])
  })

  test('titles are the heading text without markup; a step before any heading has none', () => {
    expect(runbook.steps[0]!.title).toBe('')
    expect(runbook.steps[1]!.title).toBe('애플리케이션 상태 확인')
    expect(runbook.steps[7]!.title).toBe('redis-cli and bold in a heading')
  })

  test('the title falls back to the first level-1 heading and the id to the file name', () => {
    expect(runbook.meta.title).toBe('Default step ids')
    const bare = parseRunbook('# 시스템 상태 확인\n\n```bash\necho\n```\n', 'runbooks/daily/health.md')
    expect(bare.meta).toMatchObject({ id: 'health', title: '시스템 상태 확인' })
    expect(bare.steps[0]).toMatchObject({ id: '시스템-상태-확인', line: 3 })
  })

  test('display blocks between steps do not count', () => {
    expect(runbook.displays).toHaveLength(1)
    expect(runbook.steps[2]!.line).toBe(lineOf(text, "console.log('second')") - 1)
  })
})

describe('slugify', () => {
  test.each([
    ['애플리케이션 상태 확인', '애플리케이션-상태-확인'],
    ['  Redis 연결   확인  ', 'redis-연결-확인'],
    ['1. DB (PostgreSQL) 확인!', '1-db-postgresql-확인'],
    ['snake_case and--dashes', 'snake-case-and-dashes'],
    ['Cafe\u0301', 'café'],
    ['नमस्ते दुनिया', 'नमस्ते-दुनिया'],
    ['!!!', ''],
  ])('%s → %s', (heading, id) => {
    expect(slugify(heading)).toBe(id)
  })

  test('decomposed Hangul (as macOS may write it) gives the same id as composed', () => {
    expect(slugify('상태 확인'.normalize('NFD'))).toBe('상태-확인')
  })
})

describe('explicit duplicate ids (duplicate-ids.md)', () => {
  test('every repeat is an error at its own line, naming the first', () => {
    const text = readFixture('duplicate-ids.md')
    const runbook = parseFixture('duplicate-ids.md')
    const first = lineOf(text, '```bash {id=same}')
    expect(runbook.diagnostics.map((d) => [d.line, d.rule, d.severity])).toEqual([
      [lineOf(text, '```sh {id=same}'), 'duplicate-id', 'error'],
      [lineOf(text, '```sql {name=same}'), 'duplicate-id', 'error'],
    ])
    for (const d of runbook.diagnostics) expect(d.message).toBe(msg.parse.duplicateId('same', first))
    expect(runbook.diagnostics[0]!.file).toBe('test/fixtures/duplicate-ids.md')
  })
})

describe('attribute problems on steps (attributes.md)', () => {
  test('are diagnostics at the line of the fence; display blocks are not checked', () => {
    const text = readFixture('attributes.md')
    const runbook = parseFixture('attributes.md')
    expect(runbook.diagnostics.map((d) => [d.line, d.rule])).toEqual(
      ['{id=unknown-attr', '{id=bad-timeout', '{id=zero-timeout', '{id=bad-count', '{id=unclosed-quote', 'id=no-braces', '{"name": broken}'].map(
        (needle) => [lineOf(text, needle), needle === '{id=unknown-attr' ? 'unknown-attribute' : 'attributes'],
      ),
    )
    expect(runbook.displays.map((d) => d.language)).toEqual(['yaml'])
  })
})

describe('line endings and BOM', () => {
  const lf = readFixture('commonmark.md')
  const comparable = (text: string | Buffer) => {
    const r = parseRunbook(text, 'same.md')
    return { meta: r.meta, steps: r.steps, displays: r.displays, checklist: r.checklist, headings: r.headings, segments: r.segments, bodyLine: r.bodyLine, diagnostics: r.diagnostics, source: r.source }
  }

  test.each([
    ['CRLF', lf.replace(/\n/g, '\r\n')],
    ['BOM', '\uFEFF' + lf],
    ['BOM and CRLF', '\uFEFF' + lf.replace(/\n/g, '\r\n')],
    ['lone CR', lf.replace(/\n/g, '\r')],
  ])('%s gives the same runbook as LF', (_name, variant) => {
    expect(comparable(Buffer.from(variant))).toEqual(comparable(lf))
  })

  test('the hash is of the bytes as read', () => {
    expect(parseRunbook(lf.replace(/\n/g, '\r\n'), 'a.md').sha256).not.toBe(parseRunbook(lf, 'a.md').sha256)
  })

  test('normaliseText strips only a leading BOM', () => {
    expect(normaliseText('\uFEFFa\r\nb\rc\n\uFEFF')).toBe('a\nb\nc\n\uFEFF')
  })
})

describe('edge cases', () => {
  test('an empty file is a runbook without steps', () => {
    const runbook = parseRunbook('', 'empty.md')
    expect(runbook).toMatchObject({ steps: [], displays: [], checklist: [], diagnostics: [], bodyLine: 1 })
    expect(runbook.meta).toMatchObject({ id: 'empty', title: 'empty' })
  })

  test('a runbook without front matter counts lines from the top', () => {
    const runbook = parseRunbook('# T\n\ntext\n\n```sql\nSELECT 1;\n```\n- [ ] done\n', 'x.md')
    expect(runbook.steps[0]).toMatchObject({ line: 5, codeLine: 6, endLine: 8, prose: 'text' })
    expect(runbook.checklist).toEqual([{ text: 'done', checked: false, line: 8 }])
  })

  test('nested task items keep their own lines', () => {
    const runbook = parseRunbook('- [ ] outer\n  - [x] inner\n', 'x.md')
    expect(runbook.checklist).toEqual([
      { text: 'outer', checked: false, line: 1 },
      { text: 'inner', checked: true, line: 2 },
    ])
  })

  test('"[ ]" in the middle of a paragraph is not a checklist item', () => {
    expect(parseRunbook('Tick [ ] when done.\n\n- item with [ ] inside\n', 'x.md').checklist).toEqual([])
  })

  test('a fence in raw HTML is still CommonMark: an HTML block ends at a blank line', () => {
    const runbook = parseRunbook('<details>\n\n```bash {id=in-details}\necho hi\n```\n\n</details>\n', 'x.md')
    expect(runbook.steps.map((s) => s.id)).toEqual(['in-details'])
  })
})
