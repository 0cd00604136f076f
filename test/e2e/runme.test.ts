// The Runme corpus (test/fixtures/runme) through the real binary, in temp folders, without a
// terminal: each document plans, reads and runs unchanged, each `name` is the step id, the
// front-matter `cwd` is where the steps run, `excludeFromRunAll` runs only when selected and
// `background` never runs.
import { mkdirSync, readFileSync, realpathSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { FIXTURES } from '../fixture-helpers.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'

const OPERATOR = ['--operator', 'Runme Kim <runme@example.com>']

/** A corpus document copied into a temp folder, its `cwd` pointing at a folder there. */
function setup(name: string) {
  const dir = realpathSync(tempDir('rb-runme-'))
  const work = path.join(dir, 'work')
  mkdirSync(work)
  const file = writeRunbook(dir, name, readFileSync(path.join(FIXTURES, 'runme', name), 'utf8').replaceAll('CWD_HERE', work))
  const env = { RUNBOOK_CACHE_DIR: path.join(dir, 'cache') }
  const cli = (...args: string[]) => runCli(args, { cwd: dir, env })
  const run = async (reports: string, ...args: string[]) => {
    const r = await cli('run', file, '--reports', path.join(dir, reports), ...OPERATOR, ...args)
    const [report] = reportFiles(path.join(dir, reports))
    return { r, json: report ? readReport(report).json : undefined }
  }
  return { dir, work, file, cli, run }
}

describe.concurrent('documents written for Runme, through the binary', () => {
  test.each([
    ['yaml-frontmatter.md', ['hello', 'json-name', 'where', 'ask', 'not-attached', 'excluded', 'in-background']],
    ['json-frontmatter.md', ['json-hello', 'json-where']],
    ['toml-frontmatter.md', ['toml-hello', 'toml-where']],
  ])('%s plans, reads and runs; each name is the step id', async (name, ids) => {
    const s = setup(name)
    const planned = await s.cli('plan', s.file, '--json')
    expect(planned.code, planned.stderr).toBe(EXIT.ok)
    expect((JSON.parse(planned.stdout) as { steps: { id: string }[] }).steps.map((x) => x.id)).toEqual(ids)
    expect(planned.stderr).toContain('[runme-no-meaning]')

    const read = await s.cli('read', s.file)
    expect(read.code, read.stderr).toBe(EXIT.ok)
    for (const id of ids) expect(read.stdout).toContain(id)

    const { r, json } = await s.run('reports')
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(Object.keys(stepStatus(json!))).toEqual(ids)
    // `pwd` ran in the front matter's cwd.
    const where = json!.steps.find((x) => x.id.endsWith('where'))!
    expect(where.status).toBe('passed')
    expect(where.output.trim()).toBe(s.work)
  })

  test('excludeFromRunAll: skipped in a whole run, run with --step; background: never run', async () => {
    const s = setup('yaml-frontmatter.md')
    const { r, json } = await s.run('all')
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(stepStatus(json!)).toEqual({
      hello: 'passed',
      'json-name': 'passed',
      where: 'passed',
      ask: 'passed',
      'not-attached': 'passed',
      excluded: 'skipped',
      'in-background': 'skipped',
    })
    const step = (id: string) => json!.steps.find((x) => x.id === id)!
    expect(step('excluded').reason).toBe(msg.run.excludedFromRunAll)
    expect(step('in-background').reason).toBe(msg.run.backgroundStep)
    expect(step('hello').output).toContain('hello from yaml')

    const selected = await s.run('one', '--step', 'excluded')
    expect(selected.r.code, selected.r.stderr).toBe(EXIT.ok)
    expect(stepStatus(selected.json!).excluded).toBe('passed')
    expect(selected.json!.steps.find((x) => x.id === 'excluded')!.output).toContain('only with --step')

    const background = await s.run('bg', '--step', 'in-background')
    expect(stepStatus(background.json!)['in-background']).toBe('skipped')
  })

  test('an interpreter the judge cannot judge: plan and run refuse the document (exit 2), nothing runs', async () => {
    const dir = realpathSync(tempDir('rb-runme-'))
    const file = writeRunbook(dir, 'zsh.md', '# Z\n\n```sh {name=z interpreter=zsh}\ntouch ran\n```\n')
    for (const args of [['plan', file], ['run', file, '--reports', path.join(dir, 'reports'), '--yes', ...OPERATOR]]) {
      const r = await runCli(args, { cwd: dir, env: { RUNBOOK_CACHE_DIR: path.join(dir, 'cache') } })
      expect(r.code, r.stderr).toBe(EXIT.usage)
      expect(r.stderr).toContain(msg.parse.unknownInterpreter('zsh'))
    }
    expect(reportFiles(path.join(dir, 'reports'))).toEqual([])
  })
})
