import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { killAllRunning } from '../../src/runner/executors/process-group.js'
import { runProcess } from '../../src/runner/executors/process.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { baseEnv, collector, gone, running } from './helpers.js'

const bash = (script: string, extra: Partial<Parameters<typeof runProcess>[0]> = {}) => {
  const c = collector()
  const result = runProcess({ file: 'bash', args: ['--noprofile', '--norc', '-c', script], env: baseEnv(), timeoutMs: 20_000, onOutput: c.onOutput, ...extra })
  return result.then((r) => ({ ...r, ...c.out }))
}

describe('runProcess', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rb-proc-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('captures stdout and stderr and the exit code', async () => {
    const r = await bash('echo hello; echo oops >&2; exit 3')
    expect(r.stdout).toBe('hello\n')
    expect(r.stderr).toBe('oops\n')
    expect(r.exitCode).toBe(3)
    expect(r.signal).toBeNull()
    expect(r.timedOut).toBe(false)
    expect(r.leftoverKilled).toBe(0)
    expect((await bash('true')).exitCode).toBe(0)
  })

  it('passes env and cwd', async () => {
    const r = await bash('echo "$GREETING from $(pwd)"', { env: baseEnv({ GREETING: 'hi' }), cwd: tmp })
    expect(r.stdout).toBe(`hi from ${tmp}\n`)
  })

  it('times out and stops the whole group', async () => {
    const started = Date.now()
    const r = await bash('sleep 1234.5; echo never', { timeoutMs: 1000 })
    expect(r.timedOut).toBe(true)
    expect(r.exitCode).toBeNull()
    expect(r.signal).toBe('SIGTERM')
    expect(r.stdout).toBe('')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(running('sleep 1234.5')).toBe(false)
  })

  it('stops what the step left in its group once its main process exits', async () => {
    const started = Date.now()
    const r = await bash('sleep 987.6 & echo started')
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('started\n')
    expect(r.leftoverKilled).toBeGreaterThanOrEqual(1)
    expect(Date.now() - started).toBeLessThan(4000)
    expect(running('sleep 987.6')).toBe(false)
  })

  it('ends a step that ignores SIGTERM after the grace', async () => {
    const started = Date.now()
    const r = await bash("trap '' TERM; sleep 1111.1; echo survived", { timeoutMs: 500, killGraceMs: 500 })
    expect(r.timedOut).toBe(true)
    expect(r.signal).toBe('SIGKILL')
    expect(r.stdout).not.toContain('survived')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(await gone('sleep 1111.1')).toBe(true)
  })

  it('gives a step reading stdin EOF at once', async () => {
    const r = await bash('if read -r line; then echo "read:$line"; else echo eof; fi; cat; echo done', { timeoutMs: 5000 })
    expect(r.timedOut).toBe(false)
    expect(r.stdout).toBe('eof\ndone\n')
  })

  it('writes input to stdin when given', async () => {
    const r = await runProcess({ file: 'cat', args: [], env: baseEnv(), timeoutMs: 5000, input: 'abc', onOutput: () => {} })
    expect(r.exitCode).toBe(0)
    const c = collector()
    await runProcess({ file: 'cat', args: [], env: baseEnv(), timeoutMs: 5000, input: 'xyz', onOutput: c.onOutput })
    expect(c.out.stdout).toBe('xyz')
  })

  it('survives invalid UTF-8 and keeps multibyte characters split across chunks', async () => {
    const bad = await bash("printf 'a\\xff\\xfeb\\n'")
    expect(bad.exitCode).toBe(0)
    expect(bad.stdout).toBe('a\uFFFD\uFFFDb\n')
    const chunks: string[] = []
    const raw: Buffer[] = []
    await runProcess({
      file: 'bash',
      args: ['-c', "printf '\\xea\\xb0'; sleep 0.2; printf '\\x80\\xeb\\x82\\x98\\n'; printf '\\xe2'"],
      env: baseEnv(),
      timeoutMs: 5000,
      onOutput: (t) => chunks.push(t),
      onData: (b) => raw.push(b),
    })
    expect(chunks.join('')).toBe('가나\n\uFFFD')
    expect(chunks.every((c) => !c.includes('\uFFFD') || c === '\uFFFD')).toBe(true)
    expect(Buffer.concat(raw).length).toBe(8)
  })

  it('is interrupted by an abort signal', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 200)
    const r = await bash('sleep 765.4', { signal: ac.signal })
    expect(r.interrupted).toBe(true)
    expect(r.timedOut).toBe(false)
    expect(running('sleep 765.4')).toBe(false)
    const pre = await bash('echo never', { signal: AbortSignal.abort() })
    expect(pre.interrupted).toBe(true)
    expect(pre.stdout).toBe('')
  })

  it('reports a program or working directory that does not exist', async () => {
    const a = await runProcess({ file: 'no-such-program-xyz', args: [], env: baseEnv(), timeoutMs: 1000 })
    expect(a.exitCode).toBeNull()
    expect(a.error).toMatch(/ENOENT/)
    const b = await runProcess({ file: 'true', args: [], env: baseEnv(), timeoutMs: 1000, cwd: join(tmp, 'missing') })
    expect(b.error).toBe(msg.executors.workingDirectoryNotFound(join(tmp, 'missing')))
  })

  it('does not wait for a pipe held by a process that left the group', async () => {
    const started = Date.now()
    const r = await bash('setsid sleep 654.3 & echo bye', { timeoutMs: 10_000 })
    expect(r.stdout).toBe('bye\n')
    expect(Date.now() - started).toBeLessThan(3000)
    // it escaped the group on purpose (a service); clean it up here
    await runProcess({ file: 'pkill', args: ['-f', 'sleep 654.3'], env: baseEnv(), timeoutMs: 2000 })
  })

  it('killAllRunning stops live groups', async () => {
    const pending = bash('sleep 555.5')
    await new Promise((r) => setTimeout(r, 200))
    expect(running('sleep 555.5')).toBe(true)
    expect(killAllRunning(200)).toBeGreaterThanOrEqual(1)
    const r = await pending
    expect(r.signal).toBe('SIGTERM')
    expect(running('sleep 555.5')).toBe(false)
  })

  it('interactive: inherits stdio, is not captured, still times out', async () => {
    const c = collector()
    const r = await runProcess({ file: 'bash', args: ['-c', 'echo to-terminal >/dev/null; sleep 444.4'], env: baseEnv(), timeoutMs: 500, interactive: true, onOutput: c.onOutput })
    expect(r.timedOut).toBe(true)
    expect(c.out.stdout).toBe('')
    expect(await gone('sleep 444.4')).toBe(true)
  })
})
