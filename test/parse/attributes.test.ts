// Fence attributes in both syntaxes: `{id=x destructive="why" timeout=30s}` and Runme's JSON
// `{"name":"x"}`, with every attribute of docs/runbook-format.md's table and the problems a typo makes.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { ATTRIBUTE_RULES, parseInfo } from '../../src/runner/parse/attributes.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { lineOf, parseFixture, readFixture } from '../fixture-helpers.js'

describe('parseInfo: the language', () => {
  test.each([
    ['bash', 'bash'],
    ['  sql  ', 'sql'],
    ['TS {id=x}', 'ts'],
    ['bash{id=x}', 'bash'],
    ['', ''],
  ])('%j → %j', (info, language) => {
    expect(parseInfo(info).language).toBe(language)
  })
})

describe('parseInfo: brace syntax', () => {
  test('bare flags, name=value pairs and lists', () => {
    expect(parseInfo('bash {id=restart destructive continue-on-error requires=psql,redis-cli timeout=30s}')).toEqual({
      language: 'bash',
      attrs: { id: 'restart', destructive: true, continueOnError: true, requires: ['psql', 'redis-cli'], timeout: '30s' },
      problems: [],
      warnings: [],
    })
  })

  test('keep-going is a flag; rechecks names a step', () => {
    expect(parseInfo('ts {id=recheck keep-going rechecks=detect}').attrs).toEqual({ id: 'recheck', keepGoing: true, rechecks: 'detect' })
    expect(parseInfo('ts {rechecks}').problems).toHaveLength(1)
    expect(parseInfo('ts {keep-going=sometimes}').problems).toHaveLength(1)
  })

  test('double-quoted values keep their spaces, and may hold braces and the other quote', () => {
    expect(parseInfo(`bash {destructive="restarts the rails app" probe="docker info --format '{{.ServerVersion}}'"}`).attrs).toEqual({
      destructive: 'restarts the rails app',
      probe: "docker info --format '{{.ServerVersion}}'",
    })
  })

  test('single-quoted values, and backslash escapes in double quotes', () => {
    expect(parseInfo(`bash {safe='reads only' cwd="/srv/my \\"app\\""}`).attrs).toEqual({ safe: 'reads only', cwd: '/srv/my "app"' })
  })

  test('every attribute of the table', () => {
    const { attrs, problems } = parseInfo(
      'sql {id=a critical safe="x" timeout=1m30s continue-on-error keep-going rechecks=detect requires=psql probe="pg_isready" db=REPORT_DB redis=CACHE max-rows=100 max-display=20 redact-columns=email,Phone autocommit cwd=/tmp interactive skip}',
    )
    expect(problems).toEqual([])
    expect(attrs).toEqual({
      id: 'a',
      critical: true,
      safe: 'x',
      timeout: '1m30s',
      continueOnError: true,
      keepGoing: true,
      rechecks: 'detect',
      requires: ['psql'],
      probe: 'pg_isready',
      db: 'REPORT_DB',
      redis: 'CACHE',
      maxRows: 100,
      maxDisplay: 20,
      redactColumns: ['email', 'Phone'],
      autocommit: true,
      cwd: '/tmp',
      interactive: true,
      skip: true,
    })
  })

  test('name is Runme\'s spelling of id', () => {
    expect(parseInfo('sh {name=ping}').attrs).toEqual({ id: 'ping' })
  })

  test('flags take true/false; destructive=false leaves the step undeclared', () => {
    expect(parseInfo('bash {skip=true interactive=false destructive=false}').attrs).toEqual({ skip: true })
    expect(parseInfo('bash {destructive=true}').attrs).toEqual({ destructive: true })
    expect(parseInfo('bash {destructive=why}').attrs).toEqual({ destructive: 'why' })
  })

  test('whitespace around the braces and between pairs', () => {
    expect(parseInfo('bash   {  id=x    skip  }  ')).toEqual({ language: 'bash', attrs: { id: 'x', skip: true }, problems: [], warnings: [] })
  })

  test('{} is no attributes', () => {
    expect(parseInfo('bash {}')).toEqual({ language: 'bash', attrs: {}, problems: [], warnings: [] })
  })
})

describe('parseInfo: Runme JSON syntax', () => {
  test('{"name":"x"}', () => {
    expect(parseInfo('sh {"name":"runme-json"}')).toEqual({ language: 'sh', attrs: { id: 'runme-json' }, problems: [], warnings: [] })
  })

  test('spaces, JSON booleans, numbers and Runme\'s string booleans', () => {
    expect(parseInfo('bash { "name": "x", "skip": true, "interactive": "false", "max-rows": 5, "timeout": "45s" }')).toEqual({
      language: 'bash',
      attrs: { id: 'x', skip: true, maxRows: 5, timeout: '45s' },
      problems: [],
      warnings: [],
    })
  })

  test('JSON that does not parse is a problem', () => {
    const { attrs, problems } = parseInfo('sh {"name": broken}')
    expect(attrs).toEqual({})
    expect(problems).toHaveLength(1)
    expect(problems[0]!.startsWith(msg.parse.badJsonAttributes(''))).toBe(true)
  })

  test('unknown keys in JSON form are unknown attributes: a warning, the step stays', () => {
    expect(parseInfo('sh {"zebra":1,"name":"x"}')).toMatchObject({ attrs: { id: 'x' }, problems: [], warnings: [{ rule: 'unknown-attribute', message: msg.parse.unknownAttributeWarning('zebra') }] })
  })
})

describe('parseInfo: problems', () => {
  test.each([
    ['bash {critcal}', msg.parse.looksMisspelt('critcal', 'critical')],
    ['bash {destrutive}', msg.parse.looksMisspelt('destrutive', 'destructive')],
    ['sql {max_rows=5}', msg.parse.looksMisspelt('max_rows', 'max-rows')],
    ['bash {timeout=soon}', msg.parse.badDuration('timeout', 'soon')],
    ['bash {timeout=0s}', msg.parse.badDuration('timeout', '0s')],
    ['bash {timeout=-5s}', msg.parse.badDuration('timeout', '-5s')],
    ['bash {timeout}', msg.parse.badDuration('timeout', '')],
    ['sql {max-rows=many}', msg.parse.needsCount('max-rows', 'many')],
    ['sql {max-display=1.5}', msg.parse.needsCount('max-display', '1.5')],
    ['bash {id}', msg.parse.needsValue('id', 'id="…"')],
    ['bash {safe=""}', msg.parse.needsValue('safe', 'safe="…"')],
    ['bash {requires}', msg.parse.needsValue('requires', 'requires=psql,redis-cli')],
    ['sql {redact-columns}', msg.parse.needsValue('redact-columns', 'redact-columns=email,phone')],
    ['sql {redact-columns=}', msg.parse.needsValue('redact-columns', 'redact-columns=email,phone')],
    ['sql {redact-columns=" , "}', msg.parse.needsValue('redact-columns', 'redact-columns=email,phone')],
    ['bash {skip=maybe}', msg.parse.flagTakesNoValue('skip', 'maybe')],
    ['bash {destructive="oops}', msg.parse.unclosedQuote('"', 'destructive')],
    ['bash id=no-braces', msg.parse.needsBraces('id=no-braces')],
    ['bash {id=x', msg.parse.needsBraces('{id=x')],
    ['bash {=x}', msg.parse.unexpectedInAttributes('=x')],
  ])('%s', (info, problem) => {
    expect(parseInfo(info).problems).toEqual([problem])
  })

  test('a bad attribute does not drop the good ones', () => {
    expect(parseInfo('bash {id=keep critcal timeout=5s}')).toMatchObject({ attrs: { id: 'keep', timeout: '5s' }, problems: [expect.stringContaining('critcal')] })
  })

  test('an unknown attribute far from ours is a warning, never a problem', () => {
    expect(parseInfo('bash {id=keep colour=red}')).toEqual({
      language: 'bash',
      attrs: { id: 'keep' },
      problems: [],
      warnings: [{ rule: 'unknown-attribute', message: msg.parse.unknownAttributeWarning('colour') }],
    })
  })

  test('durations', () => {
    for (const ok of ['500ms', '30s', '10m', '1h', '1m30s', '90', '1.5s']) expect(parseInfo(`bash {timeout=${ok}}`).problems, ok).toEqual([])
  })
})

describe('ATTRIBUTE_RULES', () => {
  test('lists every attribute of docs/runbook-format.md and nothing else', () => {
    // The names in the first column of the docs' attribute table (`id=x` / `name=x`, `skip`, …).
    const docs = readFileSync(new URL('../../docs/runbook-format.md', import.meta.url), 'utf8')
    const table = docs.slice(docs.indexOf('| attribute | meaning |'))
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2)
    const documented = rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Za-z-]+)/g)].map((m) => m[1]!))
    expect(Object.keys(ATTRIBUTE_RULES).sort()).toEqual([...new Set(documented)].sort())
  })
})

describe('attributes on fixture steps (attributes.md)', () => {
  const text = readFixture('attributes.md')
  const runbook = parseFixture('attributes.md')
  const attrs = (id: string) => runbook.steps.find((s) => s.id === id)?.attrs

  test('both syntaxes reach the steps', () => {
    expect(attrs('app-up')).toEqual({ id: 'app-up', destructive: true, timeout: '10s' })
    expect(attrs('quoted')).toEqual({ id: 'quoted', destructive: 'restarts the rails app', probe: "docker info --format '{{.ServerVersion}}'" })
    expect(attrs('single-quoted')).toEqual({ id: 'single-quoted', safe: 'only reads the logs, though it says rm' })
    expect(attrs('vacuum')).toEqual({ id: 'vacuum', autocommit: true, critical: true, maxRows: 100, maxDisplay: 20, db: 'REPORTING_DATABASE_URL' })
    expect(attrs('via-name')).toEqual({ id: 'via-name', continueOnError: true, requires: ['psql', 'redis-cli'], cwd: '/tmp', interactive: true, skip: true })
    expect(attrs('cache-ping')).toEqual({ id: 'cache-ping', redis: 'CACHE_REDIS_URL', timeout: '1m30s' })
    expect(attrs('no-space')).toEqual({ id: 'no-space' })
    expect(attrs('runme-json')).toEqual({ id: 'runme-json' })
    expect(attrs('runme-spaced')).toEqual({ id: 'runme-spaced', skip: true, timeout: '45s' })
  })

  test('each explicit id is marked explicit; steps whose attributes failed get a derived id', () => {
    expect(runbook.steps.filter((s) => !s.idExplicit).map((s) => s.id)).toEqual(['attributes', 'attributes-2'])
  })

  test('problems are located at the fence line', () => {
    const bad = runbook.diagnostics.find((d) => d.message.includes('"colour"'))
    expect(bad).toMatchObject({ line: lineOf(text, '{id=unknown-attr'), rule: 'unknown-attribute', severity: 'warning' })
  })
})
