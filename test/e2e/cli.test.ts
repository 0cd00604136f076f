// The real `runbook` binary, each of its promises once: version and help, a usage error and an
// unknown flag exit 2, a bad runbook is one line `file:line: message` and exit 2, NO_COLOR and
// FORCE_COLOR, data on stdout and messages on stderr. What the commands do is tested in-process
// (test/cli/).
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { fixture, lineOf, readFixture, ROOT } from '../fixture-helpers.js'

const BIN = path.join(ROOT, 'bin', 'runbook')
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

function runbook(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  delete childEnv.FORCE_COLOR
  Object.assign(childEnv, env)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const STACK_FRAME = /^\s+at /m

describe.concurrent('the runbook binary', () => {
  test('--version prints the package version and nothing else', async () => {
    expect(await runbook(['--version'])).toEqual({ code: EXIT.ok, stdout: `${pkg.version}\n`, stderr: '' })
  })

  test('--help lists the commands; a command\'s --help its options', async () => {
    const r = await runbook(['--help'])
    expect(r.code).toBe(EXIT.ok)
    expect(r.stderr).toBe('')
    for (const command of ['list', 'read', 'plan', 'lint', 'run', 'resume', 'sandbox', 'cron', 'sign', 'verify', 'history']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'))
    const run = await runbook(['run', '--help'])
    expect(run.code).toBe(EXIT.ok)
    expect(run.stdout).toContain('USAGE runbook run')
    expect(run.stdout).toContain('--dry-run')
  })

  test('no command shows the usage and exits 2', async () => {
    const r = await runbook([])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stdout).toContain('USAGE runbook')
  })

  test.each([
    [['frobnicate'], msg.cli.unknownCommand('frobnicate', 'list, read, plan, lint, run, resume, repair, sandbox, cron, sign, verify, history, doctor')],
    [['plan', '--frob', fixture('every-step.md')], msg.cli.unknownOption('--frob', 'plan')],
    [['plan'], msg.cli.seeHelp('Missing required positional argument: FILE', 'plan')],
  ])('%j exits 2 with one line on stderr and nothing on stdout', async (args, message) => {
    expect(await runbook(args)).toEqual({ code: EXIT.usage, stdout: '', stderr: `runbook: ${message}\n` })
  })

  test('a bad runbook is one line `file:line: message`, exit 2, no stack trace', async () => {
    const file = fixture('duplicate-ids.md')
    const r = await runbook(['plan', file])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stdout).toBe('')
    const line = lineOf(readFixture('duplicate-ids.md'), '```sh {id=same}')
    expect(r.stderr).toMatch(new RegExp(`^runbook: ${file}:${line}: [^\\n]+\\n$`))
    expect(r.stderr).not.toMatch(STACK_FRAME)
  })

  test('data on stdout, messages on stderr; the exit code of the command', async () => {
    const r = await runbook(['lint', fixture('list')])
    expect(r.code).toBe(EXIT.ok)
    expect(r.stdout).toBe(`${fixture('list/overdue.md')}:6: ${msg.lint.warning}: ${msg.lint.reviewOverdue('2020-04-01')} [review-overdue]\n`)
    expect(r.stderr).toBe(`${msg.lint.summary(2, 0, 1)}\n`)
    const failing = await runbook(['lint', '--json', fixture('duplicate-ids.md')])
    expect(failing.code).toBe(EXIT.failed)
    expect(JSON.parse(failing.stdout)).toMatchObject({ files: 1, errors: 2 })
  })

  test('NO_COLOR (any non-empty value) and a pipe give plain text; FORCE_COLOR colours', async () => {
    for (const env of [{}, { NO_COLOR: '' }, { NO_COLOR: 'true' }] as Record<string, string>[]) {
      expect((await runbook(['plan', '--help'], env)).stdout).not.toContain('\x1b[')
      expect((await runbook(['plan', fixture('every-step.md')], env)).stdout).not.toContain('\x1b[')
    }
    const forced = { NO_COLOR: '', FORCE_COLOR: '1', TEST: '', CI: '' }
    expect((await runbook(['plan', '--help'], forced)).stdout).toContain('\x1b[')
    expect((await runbook(['plan', fixture('every-step.md')], forced)).stdout).toContain('\x1b[')
  })
})
