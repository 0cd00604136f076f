// `runbook lint` in-process: every problem as path:line: severity: message [rule] on stdout, the
// count on stderr, exit 1 on errors; and the project's own runbooks lint clean.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { lintCommand } from '../../src/runner/cli/commands/lint.js'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { fixture, lineOf, readFixture } from '../fixture-helpers.js'
import { outcome, ROOT } from './helpers.js'

const lint = (paths: string[], json = false, cwd = ROOT, strict = false) => outcome('lint', (io) => lintCommand(cwd, { paths, json, strict }, io))

/** One line of lint's text output. */
const LINT_LINE = new RegExp(`^(?<file>[^:\\n]+):(?<line>\\d+): (?<severity>${msg.lint.error}|${msg.lint.warning}): (?<message>.+) \\[(?<rule>[a-z-]+)\\]$`)

describe('lint', () => {
  test('prints every problem as path:line: message and exits 1 on errors', async () => {
    const files = [fixture('duplicate-ids.md'), fixture('attributes.md'), fixture('frontmatter/bad-values.md')]
    const r = await lint(files)
    expect(r.code).toBe(EXIT.failed)
    const lines = r.stdout.trimEnd().split('\n')
    for (const l of lines) expect(l).toMatch(LINT_LINE)
    const problems = lines.map((l) => LINT_LINE.exec(l)!.groups!)
    expect(new Set(problems.map((p) => p.file))).toEqual(new Set(files))
    const dupText = readFixture('duplicate-ids.md')
    expect(problems).toContainEqual({
      file: fixture('duplicate-ids.md'),
      line: String(lineOf(dupText, '```sh {id=same}')),
      severity: msg.lint.error,
      message: msg.parse.duplicateId('same', lineOf(dupText, '```bash {id=same}')),
      rule: 'duplicate-id',
    })
    expect(problems.filter((p) => p.file === fixture('frontmatter/bad-values.md') && p.rule === 'front-matter-schema')).toHaveLength(12)
    const errors = problems.filter((p) => p.severity === msg.lint.error).length
    expect(r.stderr).toBe(`${msg.lint.summary(3, errors, problems.length - errors)}\n`)
  })

  test('warnings alone exit 0', async () => {
    const r = await lint([fixture('list')])
    expect(r.code, r.stdout).toBe(EXIT.ok)
    expect(r.stdout).toBe(`${fixture('list/overdue.md')}:6: ${msg.lint.warning}: ${msg.lint.reviewOverdue('2020-04-01')} [review-overdue]\n`)
    expect(r.stderr).toBe(`${msg.lint.summary(2, 0, 1)}\n`)
  })

  test('--json', async () => {
    const r = await lint([fixture('duplicate-ids.md')], true)
    expect(r.code).toBe(EXIT.failed)
    const out = JSON.parse(r.stdout) as { files: number; errors: number; diagnostics: unknown[] }
    expect(out.files).toBe(1)
    expect(out.errors).toBe(2)
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ file: fixture('duplicate-ids.md'), line: 11, severity: 'error', rule: 'duplicate-id' }))
    expect(r.stderr).toBe('')
  })

  test('the fixture with every kind of step has exactly its undeclared destructive step to fix', async () => {
    const r = await lint([fixture('every-step.md')])
    expect(r.code).toBe(EXIT.failed)
    const line = lineOf(readFixture('every-step.md'), '{id=shell-undeclared}')
    expect(r.stdout).toMatch(new RegExp(`^${fixture('every-step.md')}:${line}: ${msg.lint.error}: .*shell-undeclared.* \\[undeclared-destructive\\]\\n$`))
  })

  test('the review-overdue rule reads the clock it is given', async () => {
    const before = await outcome('lint', (io) => lintCommand(ROOT, { paths: [fixture('list')] }, io), { now: new Date(2020, 2, 1) })
    expect(before.stdout).toBe('')
    expect(before.stderr).toBe(`${msg.lint.summary(2, 0, 0)}\n`)
  })
})

describe('strictness: unknown keys and attributes', () => {
  const text = '---\ntitle: Foreign\ncolour: red\n---\n\n```bash {name=ping zebra=1}\necho ping\n```\n'
  const dir = mkdtempSync(path.join(tmpdir(), 'rb-lint-strict-'))
  mkdirSync(path.join(dir, 'runbooks'))
  mkdirSync(path.join(dir, 'elsewhere'))
  writeFileSync(path.join(dir, 'runbooks', 'ours.md'), text)
  writeFileSync(path.join(dir, 'elsewhere', 'foreign.md'), text)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const rules = (stdout: string) => stdout.trimEnd().split('\n').map((l) => { const g = LINT_LINE.exec(l)!.groups!; return [g.line, g.severity, g.rule] })

  test('elsewhere they are warnings: exit 0', async () => {
    const r = await lint(['elsewhere'], false, dir)
    expect(r.code, r.stdout).toBe(EXIT.ok)
    expect(rules(r.stdout)).toEqual([['3', msg.lint.warning, 'unknown-key'], ['6', msg.lint.warning, 'unknown-attribute']])
  })

  test('with --strict, or under runbooks/ (the default path too), they are errors: exit 1', async () => {
    for (const r of [await lint(['elsewhere'], false, dir, true), await lint(['runbooks/ours.md'], false, dir), await lint([], false, dir)]) {
      expect(r.code, r.stdout).toBe(EXIT.failed)
      expect(rules(r.stdout)).toEqual([['3', msg.lint.error, 'unknown-key'], ['6', msg.lint.error, 'unknown-attribute']])
    }
  })

  test('the Runme corpus lints without errors; its ignored names are warnings, even with --strict', async () => {
    const r = await lint([fixture('runme')], false, ROOT, true)
    expect(r.code, r.stdout).toBe(EXIT.ok)
    expect(new Set(rules(r.stdout).map((x) => x[2]))).toEqual(new Set(['runme-no-meaning']))
  })
})

describe("the project's own runbooks", () => {
  test('`runbook lint` (runbooks/ by default) finds no error', async () => {
    const r = await lint([])
    expect(r.stdout.split('\n').filter((l) => LINT_LINE.exec(l)?.groups?.severity === msg.lint.error)).toEqual([])
    expect(r.code, r.stdout + r.stderr).toBe(EXIT.ok)
  })
})
