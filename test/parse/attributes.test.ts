// Fence attributes in both syntaxes: `{id=x destructive="why" timeout=30s}` and Runme's JSON
// `{"name":"x"}`, with every attribute of docs/runbook-format.md's table and the problems a typo makes.
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
    })
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
      'sql {id=a critical safe="x" timeout=1m30s continue-on-error requires=psql probe="pg_isready" db=REPORT_DB redis=CACHE max-rows=100 max-display=20 autocommit cwd=/tmp interactive skip}',
    )
    expect(problems).toEqual([])
    expect(attrs).toEqual({
      id: 'a',
      critical: true,
      safe: 'x',
      timeout: '1m30s',
      continueOnError: true,
      requires: ['psql'],
      probe: 'pg_isready',
      db: 'REPORT_DB',
      redis: 'CACHE',
      maxRows: 100,
      maxDisplay: 20,
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
    expect(parseInfo('bash   {  id=x    skip  }  ')).toEqual({ language: 'bash', attrs: { id: 'x', skip: true }, problems: [] })
  })

  test('{} is no attributes', () => {
    expect(parseInfo('bash {}')).toEqual({ language: 'bash', attrs: {}, problems: [] })
  })
})

describe('parseInfo: Runme JSON syntax', () => {
  test('{"name":"x"}', () => {
    expect(parseInfo('sh {"name":"runme-json"}')).toEqual({ language: 'sh', attrs: { id: 'runme-json' }, problems: [] })
  })

  test('spaces, JSON booleans, numbers and Runme\'s string booleans', () => {
    expect(parseInfo('bash { "name": "x", "skip": true, "interactive": "false", "max-rows": 5, "timeout": "45s" }')).toEqual({
      language: 'bash',
      attrs: { id: 'x', skip: true, maxRows: 5, timeout: '45s' },
      problems: [],
    })
  })

  test('JSON that does not parse is a problem', () => {
    const { attrs, problems } = parseInfo('sh {"name": broken}')
    expect(attrs).toEqual({})
    expect(problems).toHaveLength(1)
    expect(problems[0]!.startsWith(msg.parse.badJsonAttributes(''))).toBe(true)
  })

  test('unknown keys in JSON form are unknown attributes', () => {
    expect(parseInfo('sh {"a":1}').problems).toEqual([msg.parse.unknownAttribute('a', Object.keys(ATTRIBUTE_RULES).join(', '))])
  })
})

describe('parseInfo: problems', () => {
  test.each([
    ['bash {colour=red}', msg.parse.unknownAttribute('colour', Object.keys(ATTRIBUTE_RULES).join(', '))],
    ['bash {timeout=soon}', msg.parse.badDuration('timeout', 'soon')],
    ['bash {timeout=0s}', msg.parse.badDuration('timeout', '0s')],
    ['bash {timeout=-5s}', msg.parse.badDuration('timeout', '-5s')],
    ['bash {timeout}', msg.parse.badDuration('timeout', '')],
    ['sql {max-rows=many}', msg.parse.needsCount('max-rows', 'many')],
    ['sql {max-display=1.5}', msg.parse.needsCount('max-display', '1.5')],
    ['bash {id}', msg.parse.needsValue('id', 'id="…"')],
    ['bash {safe=""}', msg.parse.needsValue('safe', 'safe="…"')],
    ['bash {requires}', msg.parse.needsValue('requires', 'requires=psql,redis-cli')],
    ['bash {skip=maybe}', msg.parse.flagTakesNoValue('skip', 'maybe')],
    ['bash {destructive="oops}', msg.parse.unclosedQuote('"', 'destructive')],
    ['bash id=no-braces', msg.parse.needsBraces('id=no-braces')],
    ['bash {id=x', msg.parse.needsBraces('{id=x')],
    ['bash {=x}', msg.parse.unexpectedInAttributes('=x')],
  ])('%s', (info, problem) => {
    expect(parseInfo(info).problems).toEqual([problem])
  })

  test('a bad attribute does not drop the good ones', () => {
    expect(parseInfo('bash {id=keep colour=red timeout=5s}')).toMatchObject({ attrs: { id: 'keep', timeout: '5s' }, problems: [expect.stringContaining('colour')] })
  })

  test('durations', () => {
    for (const ok of ['500ms', '30s', '10m', '1h', '1m30s', '90', '1.5s']) expect(parseInfo(`bash {timeout=${ok}}`).problems, ok).toEqual([])
  })
})

describe('ATTRIBUTE_RULES', () => {
  test('lists every attribute of docs/runbook-format.md and nothing else', () => {
    expect(Object.keys(ATTRIBUTE_RULES).sort()).toEqual(
      ['id', 'name', 'destructive', 'critical', 'safe', 'timeout', 'continue-on-error', 'requires', 'probe', 'writes', 'db', 'redis', 'max-rows', 'max-display', 'autocommit', 'cwd', 'interactive', 'skip', 'quiet'].sort(),
    )
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
    expect(bad).toMatchObject({ line: lineOf(text, '{id=unknown-attr'), rule: 'attributes', severity: 'error' })
  })
})
