// Front matter: the split (gray-matter's rule), YAML with positions, and zod validation whose every
// problem names the file line an operator has to fix.
import { describe, expect, test } from 'vitest'
import { parseFrontMatter, splitFrontMatter } from '../../src/runner/parse/frontmatter.js'
import { parseRunbook } from '../../src/runner/parse/parse.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { Diagnostic } from '../../src/runner/model/runbook.js'
import { lineOf, parseFixture, readFixture } from '../fixture-helpers.js'

const located = (ds: Diagnostic[]) => ds.map((d) => `${d.line} ${d.rule}: ${d.message}`)
const SCHEDULES = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'on-demand', 'incident']
/** A message exactly. */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

describe('splitFrontMatter', () => {
  test('finds the YAML between --- lines and where the body starts', () => {
    const source = '---\nid: x\ntitle: y\n---\n# Body\n'
    const split = splitFrontMatter(source)
    expect(split).toEqual({ yaml: 'id: x\ntitle: y\n', format: 'yaml', yamlLine: 2, bodyOffset: source.indexOf('# Body'), bodyLine: 5, present: true })
  })

  test('accepts ... as the closing delimiter and trailing spaces on the delimiters', () => {
    expect(splitFrontMatter('---  \nid: x\n...\nbody\n')).toMatchObject({ yaml: 'id: x\n', bodyLine: 4, present: true })
  })

  test('a closing delimiter at the very end of the file leaves an empty body', () => {
    const source = '---\nid: x\n---'
    expect(splitFrontMatter(source)).toMatchObject({ yaml: 'id: x\n', bodyOffset: source.length, present: true })
  })

  test.each([
    ['no delimiter', '# Title\n---\nid: x\n---\n'],
    ['--- not on the first line', '\n---\nid: x\n---\n'],
    ['an unclosed ---', '---\n# Title\n'],
    ['---- is not a delimiter', '----\nid: x\n----\n'],
    ['an empty file', ''],
  ])('%s: no front matter, body from line 1', (_name, source) => {
    expect(splitFrontMatter(source)).toEqual({ yaml: '', format: 'yaml', yamlLine: 1, bodyOffset: 0, bodyLine: 1, present: false })
  })
})

describe('valid front matter (frontmatter/valid.md)', () => {
  const runbook = parseFixture('frontmatter/valid.md')

  test('has no diagnostics and the body starts after it', () => {
    expect(runbook.diagnostics).toEqual([])
    const text = readFixture('frontmatter/valid.md')
    expect(runbook.bodyLine).toBe(23)
    expect(runbook.headings[0]!.line).toBe(lineOf(text, '# Body'))
    expect(runbook.steps[0]!.line).toBe(lineOf(text, '```bash {id=only}'))
  })

  test('becomes the runbook meta', () => {
    expect(runbook.meta).toEqual({
      id: 'full-front-matter',
      title: '전체 front matter',
      owner: '운영팀',
      schedule: 'quarterly',
      cron: '@daily',
      review: { last: '2025-07-19', next: '2025-10-19' },
      tags: ['daily', 'health'],
      env: [
        { name: 'APP_URL', default: 'http://localhost', required: false, secret: false, description: '애플리케이션 URL' },
        { name: 'DATABASE_URL', default: undefined, required: true, secret: true, description: '운영 DB' },
        { name: 'RETRIES', default: '3', required: false, secret: false },
      ],
      inputs: [
        { name: 'severity', type: 'choice', choices: ['P0', 'P1', 'P2', 'P3'], default: undefined, description: '장애 등급' },
        { name: 'dump', type: 'file', choices: undefined, default: undefined, description: undefined },
        { name: 'count', type: 'number', choices: undefined, default: '5', description: undefined },
        { name: 'implied', type: 'choice', choices: ['a', 'b'], default: undefined, description: undefined },
      ],
      requires: ['psql', 'redis-cli'],
      defaults: { timeoutMs: 90_000 },
      exclusive: true,
      approvals: 2,
    })
  })

  test('defaults when keys are absent', () => {
    const runbook = parseRunbook('---\ntitle: Minimal\n---\n', 'runbooks/minimal.md')
    expect(runbook.meta).toEqual({
      id: 'minimal',
      title: 'Minimal',
      owner: undefined,
      schedule: undefined,
      cron: undefined,
      review: undefined,
      tags: [],
      env: [],
      inputs: [],
      requires: [],
      defaults: { timeoutMs: undefined },
      exclusive: false,
      approvals: 1,
    })
  })
})

describe('schema errors name their line (frontmatter/bad-values.md)', () => {
  const text = readFixture('frontmatter/bad-values.md')
  const runbook = parseFixture('frontmatter/bad-values.md')
  const at = (needle: string) => lineOf(text, needle)

  test.each([
    ['id: has space', exactly(`id: ${msg.parse.expectedId}`)],
    ['owner: 42', exactly(`owner: ${msg.parse.wrongType('string', 'number')}`)],
    ['schedule: sometimes', exactly(`schedule: ${msg.parse.expectedOneOf(SCHEDULES)}`)],
    ['cron: every day', exactly(`cron: ${msg.parse.expectedCron}`)],
    ['next: tomorrow', exactly(`review.next: ${msg.parse.expectedDate}`)],
    ['tags: daily', exactly(`tags: ${msg.parse.wrongType('array', 'string')}`)],
    ['1BAD: x', exactly(msg.parse.badName('env.1BAD', msg.parse.expectedVarName))],
    ['GOOD: {', exactly(`env.GOOD.required: ${msg.parse.wrongType('boolean', 'string')}`)],
    ['GOOD: {', exactly(msg.parse.unknownKey('env.GOOD.descripton'))],
    ['sev: { type: enum }', exactly(`inputs.sev.type: ${msg.parse.expectedOneOf(['string', 'number', 'choice', 'file'])}`)],
    ['defaults: { timeout: forever }', exactly(`defaults.timeout: ${msg.parse.expectedDuration}`)],
    ['approvals: 0', exactly(`approvals: ${msg.parse.belowMinimum('1', true)}`)],
  ])('%s → %s', (needle, message) => {
    const found = runbook.diagnostics.filter((d) => message.test(d.message))
    expect(found, located(runbook.diagnostics).join('\n')).toHaveLength(1)
    expect(found[0]).toMatchObject({ file: 'test/fixtures/frontmatter/bad-values.md', line: at(needle), severity: 'error', rule: 'front-matter-schema' })
  })

  test('an unknown top-level key is a warning at its line (another tool\'s key), not an error', () => {
    const found = runbook.diagnostics.filter((d) => d.message === msg.parse.unknownTopKeyWarning('colour'))
    expect(found).toEqual([{ file: 'test/fixtures/frontmatter/bad-values.md', line: at('colour: red'), severity: 'warning', rule: 'unknown-key', message: msg.parse.unknownTopKeyWarning('colour') }])
  })

  test('nothing else is reported', () => {
    expect(runbook.diagnostics).toHaveLength(13)
  })

  test('valid keys survive, so later stages still see them', () => {
    expect(runbook.meta.title).toBe('Bad values')
    expect(runbook.meta.id).toBe('bad-values')
    expect(runbook.meta.schedule).toBeUndefined()
    expect(runbook.meta.approvals).toBe(1)
  })

  test('source: the guide, its section and the guide\'s own review dates become meta.source', () => {
    const r = parseRunbook('---\nreview: { last: 2026-11-26, next: 2027-02-26 }\nsource: { guide: docs/guide/g.ko.md, section: "백업 및 복구 > 3. 복구 절차", reviewed: 2025-07-19, next: 2025-10-19 }\n---\n', 'x.md')
    expect(r.diagnostics).toEqual([])
    expect(r.meta.source).toEqual({ guide: 'docs/guide/g.ko.md', section: '백업 및 복구 > 3. 복구 절차', reviewed: '2025-07-19', next: '2025-10-19' })
    expect(r.meta.review).toEqual({ last: '2026-11-26', next: '2027-02-26' })
  })

  test.each([
    ['source:\n  section: x', 3, `source.guide: ${msg.parse.wrongType('string', 'undefined')}`],
    ['source:\n  guide: g.md\n  next: soon', 4, `source.next: ${msg.parse.expectedDate}`],
    ['source:\n  guide: g.md\n  reviewd: 2025-07-19', 4, msg.parse.unknownKey('source.reviewd')],
    ['source: docs/guide/g.md', 2, `source: ${msg.parse.wrongType('object', 'string')}`],
  ])('a bad source fails closed: %j', (yaml, line, message) => {
    const r = parseRunbook(`---\n${yaml}\n---\n`, 'x.md')
    expect(located(r.diagnostics)).toEqual([`${line} front-matter-schema: ${message}`])
    expect(r.meta.source).toBeUndefined()
  })

  test('an unknown key nested in a block mapping is reported at that key', () => {
    const r = parseRunbook('---\nreview:\n  last: 2025-01-01\n  nextt: 2025-02-01\n---\n', 'x.md')
    expect(located(r.diagnostics)).toEqual([`4 front-matter-schema: ${msg.parse.unknownKey('review.nextt')}`])
  })

  test('an env var that is neither a value nor a mapping says what was expected', () => {
    const r = parseRunbook('---\nenv:\n  APP_URL: [a, b]\n---\n', 'x.md')
    expect(located(r.diagnostics)).toEqual([`3 front-matter-schema: env.APP_URL: ${msg.parse.expectedTypes(['string', 'number', 'boolean', 'object'])}`])
  })

  test('a wrong type for a whole section is reported at its value', () => {
    const r = parseRunbook('---\ntitle: t\nenv: [A, B]\n---\n', 'x.md')
    expect(located(r.diagnostics)).toEqual([`3 front-matter-schema: env: ${msg.parse.wrongType('record', 'array')}`])
  })
})

describe('YAML that does not parse', () => {
  test('an unclosed flow sequence is reported at its own line, not at the closing ---', () => {
    const r = parseFixture('frontmatter/bad-yaml.md')
    expect(r.diagnostics).toHaveLength(1)
    expect(r.diagnostics[0]).toMatchObject({ line: 3, rule: 'front-matter-yaml', severity: 'error' })
    expect(r.diagnostics[0]!.message.startsWith(msg.parse.invalidYaml(''))).toBe(true)
    expect(r.diagnostics[0]!.message).not.toContain('\n')
    expect(r.meta.id).toBe('bad-yaml')
  })

  test('a tab used as indentation', () => {
    const text = readFixture('frontmatter/bad-yaml-middle.md')
    const r = parseFixture('frontmatter/bad-yaml-middle.md')
    expect(r.diagnostics.map((d) => [d.line, d.rule])).toEqual([[lineOf(text, '\tAPP_URL'), 'front-matter-yaml']])
  })

  test('a duplicate key', () => {
    const r = parseFixture('frontmatter/duplicate-key.md')
    expect(located(r.diagnostics)).toEqual([`4 front-matter-yaml: ${msg.parse.invalidYaml('Map keys must be unique')}`])
  })

  test('an unclosed quoted string', () => {
    const r = parseRunbook('---\nid: x\ntitle: "unclosed\n---\n# T\n', 'x.md')
    expect(r.diagnostics.map((d) => [d.line, d.rule])).toEqual([[3, 'front-matter-yaml']])
  })
})

describe('front matter that is not a mapping', () => {
  test.each([
    ['frontmatter/not-mapping.md', 2],
    ['frontmatter/scalar.md', 2],
  ])('%s is an error at line %i', (name, line) => {
    const r = parseFixture(name)
    expect(r.diagnostics).toEqual([
      { file: `test/fixtures/${name}`, line, severity: 'error', rule: 'front-matter-shape', message: msg.parse.notMapping },
    ])
  })
})

describe('front matter that is absent or empty', () => {
  test('an empty block is fine', () => {
    const r = parseFixture('frontmatter/empty-front-matter.md')
    expect(r.diagnostics).toEqual([])
    expect(r.bodyLine).toBe(3)
    expect(r.meta).toMatchObject({ id: 'empty-front-matter', title: 'Empty front matter' })
  })

  test('an unclosed --- is a thematic break: the body starts at line 1', () => {
    const r = parseFixture('frontmatter/unclosed.md')
    expect(r.diagnostics).toEqual([])
    expect(r.bodyLine).toBe(1)
    expect(r.meta.title).toBe('Not front matter')
    expect(r.headings[0]!.line).toBe(2)
  })

  test('closed with ...', () => {
    const r = parseFixture('frontmatter/dots-close.md')
    expect(r.diagnostics).toEqual([])
    expect(r.meta).toMatchObject({ id: 'dots-close', title: 'Closed with dots' })
    expect(r.headings[0]!.line).toBe(6)
  })

  test('comments only', () => {
    const r = parseRunbook('---\n# just a comment\n---\n# T\n', 'c.md')
    expect(r.diagnostics).toEqual([])
    expect(r.meta.title).toBe('T')
  })
})

describe('CRLF and BOM', () => {
  test.each([
    ['CRLF', (t: string) => t.replace(/\n/g, '\r\n')],
    ['BOM', (t: string) => '\uFEFF' + t],
  ])('%s: the same meta and the same error lines', (_name, convert) => {
    for (const name of ['frontmatter/valid.md', 'frontmatter/bad-values.md', 'frontmatter/bad-yaml.md']) {
      const lf = parseRunbook(readFixture(name), name)
      const variant = parseRunbook(Buffer.from(convert(readFixture(name))), name)
      expect(variant.meta, name).toEqual(lf.meta)
      expect(variant.diagnostics, name).toEqual(lf.diagnostics)
      expect(variant.bodyLine, name).toBe(lf.bodyLine)
    }
  })
})

describe('parseFrontMatter', () => {
  test('never throws: problems are diagnostics with file lines offset by the opening ---', () => {
    const split = splitFrontMatter('---\n\n\nschedule: never\n---\n')
    const { meta, diagnostics } = parseFrontMatter(split, 'f.md', 'fallback')
    expect(meta.id).toBe('fallback')
    expect(located(diagnostics)).toEqual([
      `4 front-matter-schema: schedule: ${msg.parse.expectedOneOf(SCHEDULES)}`,
    ])
  })
})

describe('YAML that only fails when resolved', () => {
  test('an alias without its anchor is a front-matter error, not a crash (found by fuzzing)', () => {
    const runbook = parseRunbook('---\nid: *daily-health-check\n---\n# x\n', 'alias.md')
    expect(runbook.diagnostics).toEqual([expect.objectContaining({ rule: 'front-matter-yaml', line: 2 })])
    expect(runbook.diagnostics[0]!.message).toContain('alias')
  })
  test('a billion-laughs alias bomb is refused', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(', ')}]`)
    const runbook = parseRunbook(`---\n${levels.join('\n')}\n---\n# x\n`, 'bomb.md')
    expect(runbook.diagnostics.some((d) => d.severity === 'error')).toBe(true)
  })
})
