// `runbook ARGV` in-process: help and version, usage errors, and how errors become exit codes.
import { describe, expect, test } from 'vitest'
import { reportError } from '../../src/runner/cli/main.js'
import { EXIT, RunbookError } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { fixture } from '../fixture-helpers.js'
import { cli, fakeIo } from './helpers.js'

describe('help and version', () => {
  test('--version and -v print the version', async () => {
    for (const flag of ['--version', '-v']) expect(await cli([flag])).toEqual({ code: EXIT.ok, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/), stderr: '' })
  })

  test('--help, -h and help list every command', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await cli([flag])
      expect(r.code).toBe(EXIT.ok)
      for (const command of ['list', 'read', 'plan', 'lint', 'run', 'resume', 'sandbox', 'cron', 'sign', 'verify', 'history', 'doctor']) {
        expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'))
      }
    }
  })

  test('no command at all shows the usage and is a usage error', async () => {
    const r = await cli([])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stdout).toContain('USAGE runbook')
  })

  test.each([
    ['list', ['--json', '--reports']],
    ['read', ['<FILE>']],
    ['plan', ['<FILE>', '--json']],
    ['lint', ['--json']],
    ['run', ['<FILE>', '--step', '--from', '--auto', '--yes', '--dry-run', '--input', '--target', '--sandbox', '--env-file', '--set', '--operator', '--reports', '--json']],
    ['resume', ['<REPORT>', '--force', '--yes', '--auto', '--env-file', '--set', '--operator']],
    ['cron', ['--dir', '--target', '--sandbox']],
    ['sign', ['<REPORT>', '--comment', '--key', '--operator']],
    ['verify', ['<REPORT>', '--allowed-signers', '--approvals', '--json']],
    ['history', ['--reports', '--json']],
  ])('%s --help describes the command and its options', async (command, mentions) => {
    for (const flag of ['--help', '-h']) {
      const r = await cli([command, flag])
      expect(r.code, r.stderr).toBe(EXIT.ok)
      expect(r.stderr).toBe('')
      expect(r.stdout).toContain(`USAGE runbook ${command}`)
      for (const m of mentions) expect(r.stdout).toContain(m)
    }
  })

  test("a subcommand's --help shows its own usage, not its parent's", async () => {
    const up = await cli(['sandbox', 'up', '--help'])
    expect(up.code, up.stderr).toBe(EXIT.ok)
    expect(up.stdout).toContain('USAGE runbook sandbox up')
    expect(up.stdout).toContain('Start the sandbox')
    expect(up.stdout).not.toContain('up|down|status')
    const down = await cli(['sandbox', 'down', '-h'])
    expect(down.stdout).toContain('USAGE runbook sandbox down')
    expect(down.stdout).toContain('--purge')
    const brk = await cli(['sandbox', 'break', '--help'])
    expect(brk.stdout).toContain('USAGE runbook sandbox break')
    expect(brk.stdout).toContain('<FAULT>')
    expect(brk.stdout).toContain('disk-full')
    expect((await cli(['sandbox', '--help'])).stdout).toContain('USAGE runbook sandbox [OPTIONS] up|down|status|reset|break|heal')
  })

  test('help is plain text at colour level 0 and coloured above it', async () => {
    expect((await cli(['plan', '--help'], { colorLevel: 0 })).stdout).not.toContain('\x1b[')
  })

  test('--help wins over a missing argument or a missing file', async () => {
    expect((await cli(['plan', '--help'])).code).toBe(EXIT.ok)
    expect((await cli(['read', 'no-such-file.md', '--help'])).code).toBe(EXIT.ok)
  })
})

describe('usage errors: exit 2 with one line, nothing on stdout', () => {
  test.each([
    [['frobnicate'], `runbook: ${msg.cli.unknownCommand('frobnicate', 'list, read, plan, lint, run, resume, repair, sandbox, cron, sign, verify, history, doctor')}\n`],
    [['plan', '--frob', fixture('every-step.md')], `runbook: ${msg.cli.unknownOption('--frob', 'plan')}\n`],
    [['read', '-x', fixture('every-step.md')], `runbook: ${msg.cli.unknownOption('-x', 'read')}\n`],
    [['lint', '--jsn'], `runbook: ${msg.cli.unknownOption('--jsn', 'lint')}\n`],
    [['list', '--dryrun'], `runbook: ${msg.cli.unknownOption('--dryrun', 'list')}\n`],
    [['run', '--dryrun', fixture('every-step.md')], `runbook: ${msg.cli.unknownOption('--dryrun', 'run')}\n`],
    [['sandbox', 'up', '--frob'], `runbook: ${msg.cli.unknownOption('--frob', 'sandbox')}\n`],
    [['plan'], `runbook: ${msg.cli.seeHelp('Missing required positional argument: FILE', 'plan')}\n`],
    [['read'], `runbook: ${msg.cli.seeHelp('Missing required positional argument: FILE', 'read')}\n`],
    [['run', fixture('every-step.md'), '--input'], `runbook: ${msg.cli.optionNeedsValue('--input')}\n`],
    [['run', fixture('every-step.md'), '--set', 'NOEQUALS'], `runbook: ${msg.cli.expectsKeyValue('--set', 'NOEQUALS')}\n`],
  ])('%j', async (argv, stderr) => {
    expect(await cli(argv)).toEqual({ code: EXIT.usage, stdout: '', stderr })
  })

  test('a sandbox subcommand that does not exist', async () => {
    const r = await cli(['sandbox', 'frob'])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stderr).toMatch(/^runbook: .*frob.*runbook sandbox --help/)
  })
})

describe('errors become exit codes', () => {
  test('a RunbookError is file:line: message and its own code', () => {
    const io = fakeIo()
    expect(reportError(new RunbookError('bad thing', EXIT.failed, 'a.md', 3), 'plan', io)).toBe(EXIT.failed)
    expect(io.captured()).toEqual({ stdout: '', stderr: 'runbook: a.md:3: bad thing\n' })
  })

  test('anything else is an internal error, with the stack only when RUNBOOK_DEBUG is set', () => {
    const quiet = fakeIo()
    expect(reportError(new TypeError('oops'), 'plan', quiet)).toBe(EXIT.internal)
    expect(quiet.captured().stderr).toBe(`runbook: ${msg.cli.internalError('oops')}\n`)
    const debug = fakeIo({ env: { RUNBOOK_DEBUG: '1' } })
    expect(reportError(new TypeError('oops'), 'plan', debug)).toBe(EXIT.internal)
    expect(debug.captured().stderr).toMatch(/\n\s+at /)
    const thrown = fakeIo()
    expect(reportError('a string', 'plan', thrown)).toBe(EXIT.internal)
    expect(thrown.captured().stderr).toBe(`runbook: ${msg.cli.internalError('a string')}\n`)
  })
})
