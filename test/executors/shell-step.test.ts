import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseOutputFile, runShellStep } from '../../src/runner/executors/shell-step.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { baseEnv, collector, running } from './helpers.js'

describe('runShellStep', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rb-shell-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))
  const step = (code: string, extra: Partial<Parameters<typeof runShellStep>[0]> = {}) => {
    const c = collector()
    return runShellStep({ code, shell: 'bash', env: baseEnv(), timeoutMs: 20_000, tmpDir: tmp, onOutput: c.onOutput, ...extra }).then((r) => ({ ...r, ...c.out }))
  }

  it('reads KEY=value and multi-line outputs from $RUNBOOK_OUTPUT', async () => {
    const r = await step(
      [
        'echo "COUNT=42" >> "$RUNBOOK_OUTPUT"',
        'echo "URL=http://x/?a=b" >> "$RUNBOOK_OUTPUT"',
        '{ echo "REPORT<<EOF"; echo "line 1"; echo "line 2 = two"; echo "EOF"; } >> "$RUNBOOK_OUTPUT"',
        'echo "COUNT=43" >> "$RUNBOOK_OUTPUT"',
        'echo done',
      ].join('\n'),
    )
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('done\n')
    expect(r.outputs).toEqual({ COUNT: '43', URL: 'http://x/?a=b', REPORT: 'line 1\nline 2 = two' })
    expect(r.outputErrors).toEqual([])
    expect(readdirSync(tmp)).toEqual([]) // script and output file removed
  })

  it('runs bash with -e and pipefail, without rc files', async () => {
    expect((await step('false\necho after')).exitCode).toBe(1)
    const piped = await step('false | true\necho after')
    expect(piped.exitCode).toBe(1)
    expect(piped.stdout).toBe('')
    const clean = await step('echo "$-"; shopt -q login_shell && echo login || echo nologin')
    expect(clean.stdout).toMatch(/e/)
    expect(clean.stdout).toContain('nologin')
    expect(clean.stderr).toBe('')
  })

  it('runs sh with -e', async () => {
    const r = await step('echo "sh says $((1+2))"\nfalse\necho after', { shell: 'sh' })
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe('sh says 3\n')
  })

  it('passes env and cwd, and stops on timeout', async () => {
    const r = await step('echo "$NAME in $(pwd)"', { env: baseEnv({ NAME: 'ops' }), cwd: tmp })
    expect(r.stdout).toBe(`ops in ${tmp}\n`)
    const t = await step('echo "PARTIAL=1" >> "$RUNBOOK_OUTPUT"\nsleep 2345.6', { timeoutMs: 500 })
    expect(t.timedOut).toBe(true)
    expect(t.outputs).toEqual({ PARTIAL: '1' })
    expect(running('sleep 2345.6')).toBe(false)
  })
})

describe('parseOutputFile', () => {
  it('follows GitHub Actions conventions', () => {
    expect(parseOutputFile('A=1\r\n\nB=x=y\nC<<END\r\na\r\n\r\nb\r\nEND\r\nD=\n')).toEqual({
      outputs: { A: '1', B: 'x=y', C: 'a\n\nb', D: '' },
      outputErrors: [],
    })
    // '=' before '<<' means a plain value
    expect(parseOutputFile('K=a<<b\n').outputs).toEqual({ K: 'a<<b' })
  })

  it('reports malformed lines and unterminated heredocs', () => {
    const r = parseOutputFile('just text\n1BAD=x\nOK=1\nH<<EOF\nnever closed\n')
    expect(r.outputs).toEqual({ OK: '1' })
    expect(r.outputErrors).toHaveLength(3)
    expect(r.outputErrors[2]).toBe(`${msg.executors.atLine(4)}${msg.executors.outputHeredocUnclosed('H', 'EOF')}`)
  })
})
