// Documents written for Runme (issue 19): its front-matter keys and cell attributes are read with
// their meaning here, JSON and TOML front matter keep their positions, unknown names are warnings
// unless they look like ours misspelt, and an interpreter the judge cannot judge is refused.
import { describe, expect, test } from 'vitest'
import { parseRunbook } from '../../src/runner/parse/parse.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { lineOf, parseFixture, readFixture } from '../fixture-helpers.js'

const errors = (text: string) => parseRunbook(text, 'x.md').diagnostics.filter((d) => d.severity === 'error')

describe('the Runme corpus (test/fixtures/runme)', () => {
  test.each([
    ['yaml-frontmatter.md', ['hello', 'json-name', 'where', 'ask', 'not-attached', 'excluded', 'in-background']],
    ['json-frontmatter.md', ['json-hello', 'json-where']],
    ['toml-frontmatter.md', ['toml-hello', 'toml-where']],
  ])('%s: no errors, each name is the step id, cwd from the front matter', (name, ids) => {
    const runbook = parseFixture(`runme/${name}`)
    expect(runbook.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(runbook.steps.map((s) => [s.id, s.idExplicit])).toEqual(ids.map((id) => [id, true]))
    expect(runbook.steps.every((s) => s.attrs.cwd === 'CWD_HERE')).toBe(true)
  })

  test('the YAML document: interpreters pick the shell, Runme\'s flags reach the steps, the rest are warnings at their lines', () => {
    const text = readFixture('runme/yaml-frontmatter.md')
    const runbook = parseFixture('runme/yaml-frontmatter.md')
    const step = (id: string) => runbook.steps.find((s) => s.id === id)!
    // Front-matter `shell: bash` runs the `sh` cells with bash; a cell's own interpreter wins.
    expect(runbook.steps.map((s) => s.language)).toEqual(['bash', 'bash', 'sh', 'bash', 'bash', 'bash', 'bash'])
    expect(step('excluded').attrs.excludeFromRunAll).toBe(true)
    expect(step('in-background').attrs.background).toBe(true)
    expect(step('not-attached').attrs.interactive).toBeUndefined()
    expect(runbook.meta.runme).toEqual({ shell: 'bash', cwd: 'CWD_HERE' })
    const warnings = [...runbook.diagnostics].sort((a, b) => a.line - b.line).map((d) => [d.line, d.rule, d.message])
    expect(warnings).toEqual([
      [lineOf(text, 'skipPrompts'), 'runme-no-meaning', msg.parse.skipPromptsIgnored],
      [lineOf(text, 'category: ops'), 'runme-no-meaning', msg.parse.noMeaningHere('category')],
      [lineOf(text, 'terminalRows: 20'), 'runme-no-meaning', msg.parse.noMeaningHere('terminalRows')],
      [lineOf(text, '"name":"json-name"'), 'runme-no-meaning', msg.parse.noMeaningHere('closeTerminalOnSuccess')],
      [lineOf(text, '"name":"json-name"'), 'runme-no-meaning', msg.parse.noMeaningHere('mimeType')],
      [lineOf(text, '{name=where'), 'runme-no-meaning', msg.parse.noMeaningHere('tag')],
      [lineOf(text, '{name=where'), 'runme-no-meaning', msg.parse.noMeaningHere('category')],
      [lineOf(text, '{name=where'), 'runme-no-meaning', msg.parse.noMeaningHere('terminalRows')],
    ].sort((a, b) => (a[0] as number) - (b[0] as number)))
  })

  test('JSON and TOML front matter are read like YAML', () => {
    for (const name of ['json-frontmatter.md', 'toml-frontmatter.md']) {
      const runbook = parseFixture(`runme/${name}`)
      expect(runbook.meta.runme?.cwd, name).toBe('CWD_HERE')
      expect(runbook.diagnostics.map((d) => d.rule).sort(), name).toEqual(['runme-no-meaning', 'runme-no-meaning', 'runme-no-meaning'])
    }
    // Front-matter `shell: sh` runs every shell cell, the `bash` one included.
    expect(parseFixture('runme/json-frontmatter.md').steps.map((s) => s.language)).toEqual(['sh', 'sh'])
  })
})

describe('front matter formats keep their error positions', () => {
  test('JSON: a trailing comma (which YAML would accept) is an error at its line', () => {
    expect(errors('---\n{\n  "title": "x",\n  "owner": "me",\n}\n---\n')).toMatchObject([{ line: 5, rule: 'front-matter-json' }])
  })

  test('JSON: a wrong type is located at its key', () => {
    expect(errors('---\n{\n  "title": "x",\n  "approvals": "two"\n}\n---\n')).toMatchObject([{ line: 4, rule: 'front-matter-schema' }])
  })

  test('TOML: a syntax error names its file line', () => {
    expect(errors('+++\ntitle = "x"\nowner = = "me"\n+++\n')).toMatchObject([{ line: 3, rule: 'front-matter-toml' }])
  })

  test('TOML: schema problems are located at their key, in tables too', () => {
    expect(errors('+++\ntitle = "x"\napprovals = 0\n+++\n')).toMatchObject([{ line: 3, rule: 'front-matter-schema' }])
    expect(errors('+++\ntitle = "x"\n\n[review]\nnext = "soon"\n+++\n')).toMatchObject([{ line: 5, rule: 'front-matter-schema' }])
  })

  test('TOML: dates are read as dates, env and inputs like YAML\'s', () => {
    const r = parseRunbook('+++\nid = "t"\n[review]\nnext = 2027-02-26\n[env.APP_URL]\ndefault = "http://x"\n+++\n', 'x.md')
    expect(r.diagnostics).toEqual([])
    expect(r.meta.review).toEqual({ next: '2027-02-26' })
    expect(r.meta.env).toEqual([{ name: 'APP_URL', default: 'http://x', required: false, secret: false, description: undefined }])
  })

  test('an unclosed +++ is not front matter', () => {
    expect(parseRunbook('+++\ntitle = "x"\n', 'x.md').meta.title).toBe('x')
  })
})

describe('unknown names: warnings, unless a safety rule could be lost', () => {
  test('an unknown top-level key is a warning; one close to ours is an error', () => {
    expect(parseRunbook('---\ncolour: red\n---\n', 'x.md').diagnostics).toMatchObject([{ severity: 'warning', rule: 'unknown-key', line: 2 }])
    expect(errors('---\naprovals: 2\n---\n')).toMatchObject([{ line: 2, message: msg.parse.looksMisspelt('aprovals', 'approvals') }])
    expect(errors('---\nexclusiv: true\n---\n')).toMatchObject([{ line: 2, message: msg.parse.looksMisspelt('exclusiv', 'exclusive') }])
  })

  test('an unknown key inside env stays an error (a misspelt secret would unmask a value)', () => {
    expect(errors('---\nenv:\n  TOKEN: { secrte: true }\n---\n')).toMatchObject([{ line: 3, rule: 'front-matter-schema' }])
  })

  test('an unknown attribute never makes a step safe: the judge decides as if it were absent', async () => {
    const { plan } = await import('../../src/runner/plan/plan.js')
    const runbook = parseRunbook('```bash {name=wipe harmless=yes}\nrm -rf /srv/data\n```\n', 'x.md')
    expect(runbook.diagnostics).toMatchObject([{ severity: 'warning', rule: 'unknown-attribute' }])
    expect((await plan(runbook)).steps[0]).toMatchObject({ id: 'wipe', destructive: true })
  })
})

describe('interpreter', () => {
  test.each([
    ['bash', 'bash'],
    ['/bin/bash', 'bash'],
    ['/usr/bin/env bash', 'bash'],
    ['bash -e', 'bash'],
    ['sh', 'sh'],
  ])('%j runs the step with %s', (interpreter, language) => {
    const r = parseRunbook(`\`\`\`sh {name=x interpreter="${interpreter}"}\necho hi\n\`\`\`\n`, 'x.md')
    expect(r.diagnostics).toEqual([])
    expect(r.steps[0]!.language).toBe(language)
  })

  test.each(['zsh', 'python3', '/usr/bin/env node', 'fish'])('%j cannot be judged: an error at the fence', (interpreter) => {
    expect(errors(`# T\n\n\`\`\`sh {name=x interpreter="${interpreter}"}\necho hi\n\`\`\`\n`)).toEqual([
      { file: 'x.md', line: 3, severity: 'error', rule: 'interpreter', message: msg.parse.unknownInterpreter(interpreter) },
    ])
  })

  test('front-matter shell naming another program refuses every shell step; on a TS step it is an error', () => {
    expect(errors('---\nshell: zsh\n---\n```sh {name=a}\necho a\n```\n```ts {name=b}\n1\n```\n')).toMatchObject([{ rule: 'interpreter', line: 4 }])
    expect(errors('```ts {name=b interpreter=bash}\n1\n```\n')).toMatchObject([{ rule: 'interpreter', message: msg.parse.interpreterNotShell('bash') }])
  })
})
