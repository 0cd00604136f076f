// Every bad input an operator can hand plan, read and lint: one line naming the file (and line),
// exit 2 (lint: a diagnostic, exit 1), no stack trace; CRLF and a BOM change nothing.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { lintCommand } from '../../src/runner/cli/commands/lint.js'
import { planCommand } from '../../src/runner/cli/commands/plan.js'
import { readCommand } from '../../src/runner/cli/commands/read.js'
import { EXIT } from '../../src/runner/model/errors.js'
import { MAX_RUNBOOK_BYTES } from '../../src/runner/parse/load.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { FIXTURES, lineOf, readFixture } from '../fixture-helpers.js'
import { expectOneLineError, outcome, ROOT } from './helpers.js'

const COMMANDS = {
  plan: (file: string, json = false) => outcome('plan', (io) => planCommand(ROOT, { file, json }, io)),
  read: (file: string) => outcome('read', (io) => readCommand(ROOT, { file }, io)),
  lint: (...paths: string[]) => outcome('lint', (io) => lintCommand(ROOT, { paths }, io)),
}
const DIAGNOSTIC = new RegExp(`^[^:\\n]+:\\d+: (${msg.lint.error}|${msg.lint.warning}): .+ \\[[a-z-]+\\]$`)

let tmp: string
// name → the file and the line of the problem (undefined when there is none)
const inputs: Record<string, { file: string; line?: number }> = {}

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'runbook-bad-'))
  const bad = path.join(tmp, 'bad')
  mkdirSync(bad)
  const put = (name: string, content: string | Buffer) => {
    const file = path.join(bad, name)
    writeFileSync(file, content)
    return file
  }
  inputs['a missing file'] = { file: path.join(bad, 'missing.md') }
  inputs['a directory'] = { file: path.join(tmp, 'a-folder.md') }
  mkdirSync(inputs['a directory'].file)
  // A PNG header: its NUL byte is on the third line.
  inputs['a binary file'] = { file: put('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52])), line: 3 }
  inputs['a Latin-1 file'] = { file: put('latin1.md', Buffer.concat([Buffer.from('# Caf\n\nline three\nCaf'), Buffer.from([0xe9]), Buffer.from('\n')])), line: 4 }
  inputs['invalid YAML front matter'] = { file: put('bad-yaml.md', readFixture('frontmatter/bad-yaml.md')), line: 3 }
  inputs['a tab in the YAML'] = { file: put('tab.md', readFixture('frontmatter/bad-yaml-middle.md')), line: 5 }
  inputs['front matter that is a list'] = { file: put('list.md', readFixture('frontmatter/not-mapping.md')), line: 2 }
  inputs['front matter that is a string'] = { file: put('scalar.md', readFixture('frontmatter/scalar.md')), line: 2 }
  const big = Buffer.alloc(20 * 1024 * 1024, 'x')
  big.write('# A runbook of 20 MB\n\n')
  inputs['a 20 MB file'] = { file: put('huge.md', big) }
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const NAMES = ['a missing file', 'a directory', 'a binary file', 'a Latin-1 file', 'invalid YAML front matter', 'a tab in the YAML', 'front matter that is a list', 'front matter that is a string', 'a 20 MB file']

describe.each(['plan', 'read'] as const)('%s', (command) => {
  test.each(NAMES)('%s: exit 2, one line naming the file (and line), no stack trace', async (name) => {
    const { file, line } = inputs[name]!
    expectOneLineError(await COMMANDS[command](file), file, line)
  })

  test('the messages say what is wrong', async () => {
    const message = async (name: string) => (await COMMANDS[command](inputs[name]!.file)).stderr
    expect(await message('a missing file')).toContain(msg.parse.cannotRead(msg.parse.noSuchFile))
    expect(await message('a directory')).toContain(msg.parse.isDirectory)
    expect(await message('a binary file')).toContain(msg.parse.notText(msg.parse.nulByte, 3))
    expect(await message('a Latin-1 file')).toContain(msg.parse.notText(msg.parse.notUtf8, 4))
    expect(await message('invalid YAML front matter')).toContain(msg.parse.invalidYaml(''))
    expect(await message('front matter that is a list')).toContain(msg.parse.notMapping)
    expect(await message('a 20 MB file')).toContain(msg.parse.fileTooBig('20.0', MAX_RUNBOOK_BYTES / 1024 / 1024))
  })

  test('an empty file is a runbook without steps', async () => {
    const empty = path.join(tmp, `empty-${command}.md`)
    writeFileSync(empty, '')
    const r = await COMMANDS[command](empty)
    expect(r.code, r.stderr).toBe(EXIT.ok)
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain(`empty-${command}`)
    expect(r.stdout).toContain(command === 'plan' ? msg.cli.noSteps : msg.cli.stepCount(0, 0))
  })
})

test('plan --json of an empty file', async () => {
  const empty = path.join(tmp, 'empty.md')
  writeFileSync(empty, '')
  const r = await COMMANDS.plan(empty, true)
  expect(r.code, r.stderr).toBe(EXIT.ok)
  expect(JSON.parse(r.stdout)).toEqual({ runbook: { id: 'empty', title: 'empty', path: empty }, steps: [], env: [], inputs: [], checklist: [] })
})

describe('lint', () => {
  test.each(NAMES.filter((n) => n !== 'a directory'))('on %s prints path:line: message and exits 1', async (name) => {
    const { file, line } = inputs[name]!
    const r = await COMMANDS.lint(file)
    expect(r.code, JSON.stringify(r)).toBe(EXIT.failed)
    const lines = r.stdout.trimEnd().split('\n')
    const errors = lines.filter((l) => l.includes(`: ${msg.lint.error}: `))
    expect(errors, r.stdout).toHaveLength(1)
    expect(errors[0]!.startsWith(`${file}:${line ?? 1}: ${msg.lint.error}: `)).toBe(true)
    for (const l of lines) expect(l).toMatch(DIAGNOSTIC)
  })

  test('on a folder of bad inputs reports each file and exits 1', async () => {
    const r = await COMMANDS.lint(path.join(tmp, 'bad'), inputs['a missing file']!.file)
    expect(r.code).toBe(EXIT.failed)
    for (const name of NAMES.filter((n) => n !== 'a directory')) {
      const { file, line } = inputs[name]!
      expect(r.stdout).toContain(`${file}:${line ?? 1}: ${msg.lint.error}: `)
    }
  })

  test('on an empty folder checks nothing and exits 0', async () => {
    const r = await COMMANDS.lint(inputs['a directory']!.file)
    expect(r).toEqual({ code: EXIT.ok, stdout: '', stderr: `${msg.lint.summary(0, 0, 0)}\n` })
  })
})

describe('CRLF line endings and a UTF-8 BOM', () => {
  const variants: Record<string, string> = {}
  const lf = readFixture('every-step.md')

  beforeAll(() => {
    const dir = path.join(tmp, 'endings')
    mkdirSync(dir)
    const write = (name: string, content: string) => {
      variants[name] = path.join(dir, name)
      writeFileSync(variants[name], content)
    }
    variants['lf.md'] = path.join(dir, 'lf.md')
    copyFileSync(path.join(FIXTURES, 'every-step.md'), variants['lf.md'])
    write('crlf.md', lf.replace(/\n/g, '\r\n'))
    write('bom.md', '\uFEFF' + lf)
    write('bom-crlf.md', '\uFEFF' + lf.replace(/\n/g, '\r\n'))
  })

  const withoutPath = (stdout: string, file: string) => stdout.split(file).join('<file>')

  test.each(['crlf.md', 'bom.md', 'bom-crlf.md'])('%s: the same plan (text and JSON), reading and lint lines as the LF original', async (name) => {
    const runs = [(f: string) => COMMANDS.plan(f, true), (f: string) => COMMANDS.plan(f), COMMANDS.read, (f: string) => COMMANDS.lint(f)]
    for (const run of runs) {
      const original = await run(variants['lf.md']!)
      const variant = await run(variants[name]!)
      expect(variant.code, variant.stderr).toBe(original.code)
      expect(withoutPath(variant.stdout, variants[name]!)).toBe(withoutPath(original.stdout, variants['lf.md']!))
    }
    const planned = JSON.parse((await COMMANDS.plan(variants[name]!, true)).stdout) as { steps: { line: number }[]; runbook: { title: string } }
    expect(planned.runbook.title).toBe('Every kind of step')
    expect(planned.steps[0]!.line).toBe(lineOf(lf, '{id=ts-step'))
  })
})
