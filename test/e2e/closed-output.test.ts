// A closed stdout or stderr never stops a run: `runbook run … | head` goes on to the end, records
// every step and all output into the report and its log, and says in the report that the terminal
// output was closed.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { BIN, readReport, reportFiles, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'

const RUNBOOK = ['# 닫힌 출력', '', '```bash {id=many}', 'seq 1 50000', '```', '', '```bash {id=after}', 'echo after-the-close', '```', ''].join('\n')

/** Runs the binary with its stdout (and, when asked, stderr) into a pipe whose reader closes after the first bytes. */
function runIntoClosedPipe(args: string[], closeStderr: boolean): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
    const closeEarly = (stream: NodeJS.ReadableStream & { destroy(): void }) => stream.once('data', () => stream.destroy())
    closeEarly(child.stdout)
    if (closeStderr) closeEarly(child.stderr)
    else child.stderr.resume()
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

describe('a run whose reader went away', () => {
  test.each([
    ['stdout', false],
    ['stdout and stderr', true],
  ])('closed %s: the run finishes, records everything and says the output was closed', async (_name, closeStderr) => {
    const dir = tempDir('rb-closed-')
    const file = writeRunbook(dir, 'closed.md', RUNBOOK)
    const reports = path.join(dir, 'reports')
    const code = await runIntoClosedPipe(['run', file, '--auto', '--reports', reports], closeStderr)
    expect(code).toBe(0)
    const [md] = reportFiles(reports)
    const { md: text, json, log } = readReport(md!)
    expect(stepStatus(json)).toEqual({ many: 'passed', after: 'passed' })
    expect(json.status).toBe('passed')
    expect((json as unknown as { notes: string[] }).notes.join(' ')).toContain('stdout')
    expect(text).toContain('| head')
    expect(log).toContain('50000')
    expect(log).toContain('after-the-close')
  })
})
