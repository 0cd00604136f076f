// The real CLI in a throwaway repository: a runbook named by its id wherever one is named,
// `history --target` and its target column, and the two languages (`--lang`, RUNBOOK_LANG, the
// locale for the terminal; `.runbook/settings.yaml` for the report).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { allMessages } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, runCli, tempDir } from '../helpers/cli.js'

const ko = allMessages.ko
const en = allMessages.en
const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/

const RUNBOOK = `---
id: hello-check
title: Hello check
---
# Hello check

\`\`\`bash {id=greet}
echo hello
\`\`\`
`

let repo: string
beforeAll(() => {
  repo = tempDir('rb-names-')
  mkdirSync(path.join(repo, 'runbooks', 'ops'), { recursive: true })
  // The file name differs from the id: the id is found in the front matter.
  writeFileSync(path.join(repo, 'runbooks', 'ops', 'hello.md'), RUNBOOK)
  mkdirSync(path.join(repo, 'environments'))
  writeFileSync(path.join(repo, 'environments', 'staging.env'), 'GREETING=hi\n')
})

describe('a runbook named by its id', () => {
  test('read, plan, run and lint accept the id as well as the file', async () => {
    for (const args of [['read'], ['plan'], ['lint']]) {
      const byId = await runCli([...args, 'hello-check'], { cwd: repo })
      const byFile = await runCli([...args, 'runbooks/ops/hello.md'], { cwd: repo })
      expect(byId.code, `${args[0]}: ${byId.stderr}`).toBe(0)
      expect(byId.stdout).toBe(byFile.stdout)
    }
    const run = await runCli(['run', 'hello-check', '--reports', 'reports'], { cwd: repo })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('hello')
  })

  test('a name that is neither a file nor an id is a usage error naming both', async () => {
    const r = await runCli(['plan', 'no-such-id'], { cwd: repo })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`runbook: ${ko.cli.noSuchRunbook('no-such-id', 'runbooks/')}\n`)
  })
})

describe('history --target', () => {
  test('a target column; --target keeps only the runs against that target', async () => {
    const reports = path.join(repo, 'hist-reports')
    expect((await runCli(['run', 'hello-check', '--reports', reports], { cwd: repo })).code).toBe(0)
    expect((await runCli(['run', 'hello-check', '--target', 'staging', '--reports', reports], { cwd: repo })).code).toBe(0)
    const all = await runCli(['history', '--reports', reports], { cwd: repo })
    const lines = all.stdout.trimEnd().split('\n')
    expect(lines[0]).toContain(ko.cli.historyTarget)
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[2]).sort()).toEqual(['local', 'staging'])
    const staging = await runCli(['history', 'hello-check', '--target', 'staging', '--reports', reports, '--json'], { cwd: repo })
    const entries = JSON.parse(staging.stdout) as { target: string; status: string }[]
    expect(entries.map((e) => e.target)).toEqual(['staging'])
    // JSON keeps the stable English status names.
    expect(entries[0]!.status).toBe('passed')
    expect(JSON.parse((await runCli(['history', '--target', 'production', '--reports', reports, '--json'], { cwd: repo })).stdout)).toEqual([])
  })
})

describe('the interface speaks the operator\'s language, the report the repository\'s', () => {
  test('--lang en: English on the terminal, the report stays Korean', async () => {
    const reports = path.join(repo, 'lang-reports')
    const r = await runCli(['run', 'hello-check', '--lang', 'en', '--reports', reports], { cwd: repo })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout + r.stderr).not.toMatch(HANGUL)
    expect(r.stdout).toContain(en.run.runStatus('passed'))
    const { md } = readReport(reportFiles(reports)[0]!)
    expect(md).toMatch(HANGUL)
  })

  test('without --lang: RUNBOOK_LANG, then the locale (ko_* is Korean, anything else English)', async () => {
    const said = async (env: Record<string, string | undefined>) => (await runCli(['plan', 'no-such-id'], { cwd: repo, env })).stderr
    expect(await said({ RUNBOOK_LANG: 'en' })).toBe(`runbook: ${en.cli.noSuchRunbook('no-such-id', 'runbooks/')}\n`)
    expect(await said({ RUNBOOK_LANG: undefined, LANG: 'ko_KR.UTF-8' })).toBe(`runbook: ${ko.cli.noSuchRunbook('no-such-id', 'runbooks/')}\n`)
    expect(await said({ RUNBOOK_LANG: undefined, LANG: 'C.UTF-8' })).toBe(`runbook: ${en.cli.noSuchRunbook('no-such-id', 'runbooks/')}\n`)
    expect(await said({ RUNBOOK_LANG: undefined, LANG: 'en_US.UTF-8', LC_ALL: 'ko_KR.UTF-8' })).toContain(ko.cli.noSuchRunbook('no-such-id', 'runbooks/'))
    // --lang wins over both; a bad --lang is a usage error.
    expect(await runCli(['plan', 'no-such-id', '--lang=ko'], { cwd: repo, env: { RUNBOOK_LANG: 'en' } })).toMatchObject({ code: 2 })
    const bad = await runCli(['plan', 'hello-check', '--lang', 'fr'], { cwd: repo })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(`runbook: ${ko.cli.badLanguage('fr')}\n`)
  })

  test('a project whose settings say `language: en` gets English reports, whoever runs', async () => {
    const project = tempDir('rb-lang-en-')
    mkdirSync(path.join(project, '.runbook'))
    writeFileSync(path.join(project, '.runbook', 'settings.yaml'), 'language: en\n')
    writeFileSync(path.join(project, 'hello.md'), RUNBOOK)
    const r = await runCli(['run', 'hello.md', '--lang', 'ko', '--reports', 'reports'], { cwd: project })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(HANGUL)
    const { md } = readReport(reportFiles(path.join(project, 'reports'))[0]!)
    expect(md).not.toMatch(HANGUL)
  })
})
