import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TsHost } from '../../src/runner/executors/ts/host.js'
import type { CommandDecision, TsHooks, TsStepRequest } from '../../src/runner/executors/ts/protocol.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { buildWorker } from './build-worker.js'
import { baseEnv, gone, running } from './helpers.js'

interface Recorder extends TsHooks {
  stdout: string
  stderr: string
  asked: string[]
  ended: { command: string; exitCode: number | null }[]
  notes: string[]
  tables: unknown[]
  questions: string[]
}

function recorder(opts: { decide?: (cmd: string) => CommandDecision; answer?: boolean; confirmDelayMs?: number } = {}): Recorder {
  const r: Recorder = {
    stdout: '',
    stderr: '',
    asked: [],
    ended: [],
    notes: [],
    tables: [],
    questions: [],
    onOutput(text, stream) {
      r[stream] += text
    },
    async onCommand(cmd) {
      r.asked.push(cmd)
      return opts.decide ? opts.decide(cmd) : 'allow'
    },
    onCommandEnd(c) {
      r.ended.push({ command: c.command, exitCode: c.exitCode })
    },
    onNote(md) {
      r.notes.push(md)
    },
    onTable(rows) {
      r.tables.push(rows)
    },
    async confirm(q) {
      r.questions.push(q)
      if (opts.confirmDelayMs) await new Promise((res) => setTimeout(res, opts.confirmDelayMs))
      return opts.answer ?? true
    },
  }
  return r
}

describe('TsHost', () => {
  let host: TsHost
  const tmp = mkdtempSync(join(tmpdir(), 'rb-ts-'))
  const req = (code: string, extra: Partial<TsStepRequest> = {}): TsStepRequest => ({
    code,
    loader: 'ts',
    env: baseEnv({ GREETING: 'hello' }),
    inputs: { severity: 'P2' },
    state: {},
    timeoutMs: 20_000,
    stepId: 'step',
    cwd: tmp,
    ...extra,
  })

  beforeAll(async () => {
    await buildWorker()
    host = new TsHost() // dist/ts-worker.js, as when running from source
  })
  afterAll(async () => {
    await host.close()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('runs type-annotated code with top-level await, env and inputs', async () => {
    const h = recorder()
    const r = await host.run(
      req(`
interface Row { name: string; n: number }
const rows: Row[] = [{ name: 'a', n: 1 }]
const total = rows.reduce((s: number, x: Row): number => s + x.n, 0) as number
await sleep(10)
console.log(env.GREETING, inputs.severity, total)
console.error('to stderr')
echo\`echoed \${total}\`
`),
      h,
    )
    expect(r.error).toBeUndefined()
    expect(r.ok).toBe(true)
    expect(h.stdout).toBe('hello P2 1\nechoed 1\n')
    expect(h.stderr).toBe('to stderr\n')
  })

  it('streams $ command output, command line first, with the step env and cwd', async () => {
    const h = recorder()
    const r = await host.run(req('const out = await $`echo hi; echo "$GREETING from $(pwd)"`\ncheck("saw hi", out.stdout.startsWith("hi"))'), h)
    expect(r.ok).toBe(true)
    expect(h.stdout).toBe(`$ echo hi; echo "$GREETING from $(pwd)"\nhi\nhello from ${tmp}\n`)
    expect(h.asked).toEqual(['echo hi; echo "$GREETING from $(pwd)"'])
    expect(r.commands).toEqual([{ command: 'echo hi; echo "$GREETING from $(pwd)"', exitCode: 0, durationMs: expect.any(Number) }])
    expect(h.ended).toEqual([{ command: 'echo hi; echo "$GREETING from $(pwd)"', exitCode: 0 }])
  })

  it('never runs a denied command, and fails the step with the reason', async () => {
    const canary = join(tmp, 'canary')
    const h = recorder({ decide: (cmd) => (cmd.startsWith('touch') ? { deny: 'destructive: touch needs consent' } : 'allow') })
    const r = await host.run(req(`try { await $\`touch \${${JSON.stringify(canary)}}\` } catch { console.log('caught') }\nawait $\`echo after\``), h)
    expect(existsSync(canary)).toBe(false)
    expect(r.ok).toBe(false)
    expect(r.error).toBe('destructive: touch needs consent')
    expect(r.blockedCommand).toEqual({ command: `touch ${canary}`, reason: 'destructive: touch needs consent' })
    // once blocked, later commands of the step are refused without asking again
    expect(h.asked).toEqual([`touch ${canary}`])
    expect(h.stdout).toBe('caught\n')
    expect(r.commands).toEqual([])
  })

  it('checks $.sync commands too, and runs allowed ones', async () => {
    const canary = join(tmp, 'canary-sync')
    const h = recorder({ decide: (cmd) => (cmd.startsWith('touch') ? { deny: 'no' } : 'allow') })
    const ok = await host.run(req('const r = $.sync`echo sync-out`\nconsole.log("got", r.stdout.trim())'), h)
    expect(ok.ok).toBe(true)
    expect(h.stdout).toBe('$ echo sync-out\nsync-out\ngot sync-out\n')
    expect(ok.commands.map((c) => c.command)).toEqual(['echo sync-out'])
    const denied = await host.run(req(`$.sync\`touch \${${JSON.stringify(canary)}}\``), recorder({ decide: () => ({ deny: 'no' }) }))
    expect(denied.ok).toBe(false)
    expect(denied.blockedCommand?.reason).toBe('no')
    expect(existsSync(canary)).toBe(false)
  })

  it('stops a while(true) step on timeout, and the next step runs in the same host', async () => {
    const started = Date.now()
    const r = await host.run(req('let i = 0\nwhile (true) { i++ }', { timeoutMs: 1000 }), recorder())
    expect(r.timedOut).toBe(true)
    expect(r.ok).toBe(false)
    expect(Date.now() - started).toBeLessThan(5000)
    const h = recorder()
    const next = await host.run(req('console.log("alive")'), h)
    expect(next.ok).toBe(true)
    expect(h.stdout).toBe('alive\n')
  })

  it('kills the commands of a step that times out', async () => {
    const r = await host.run(req('await $`sleep 876.5`', { timeoutMs: 800 }), recorder())
    expect(r.timedOut).toBe(true)
    expect(await gone('sleep 876.5')).toBe(true)
    const sync = await host.run(req('$.sync`sleep 876.6`', { timeoutMs: 800 }), recorder())
    expect(sync.timedOut).toBe(true)
    expect(await gone('sleep 876.6')).toBe(true)
  })

  it('stops what a command leaves behind, and commands the step did not await', async () => {
    const h = recorder()
    const r = await host.run(req('await $`sleep 765.1 & echo started`\n$`sleep 765.2`.nothrow()\nawait sleep(100)'), h)
    expect(r.ok).toBe(true)
    expect(h.stdout).toContain('started\n')
    expect(await gone('sleep 765.1')).toBe(true)
    expect(await gone('sleep 765.2')).toBe(true)
  })

  it('does not wait for the pipes of a process that left the group', async () => {
    const started = Date.now()
    const h = recorder()
    const r = await host.run(req('await $`setsid sleep 543.2 & echo detached`'), h)
    expect(r.ok).toBe(true)
    expect(h.stdout).toContain('detached\n')
    expect(Date.now() - started).toBeLessThan(3000)
    spawnSync('pkill', ['-f', 'sleep 543.2'])
  })

  it('interrupts on abort', async () => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 300)
    const r = await host.run(req('await $`sleep 654.9`', { signal: ac.signal }), recorder())
    expect(r.interrupted).toBe(true)
    expect(r.ok).toBe(false)
    expect(running('sleep 654.9')).toBe(false)
  })

  it('fails the step on a false check and records every check', async () => {
    const r = await host.run(req('check("one", true)\ncheck("two", 1 > 2, { got: 1 })\nconsole.log("went on")'), recorder())
    expect(r.ok).toBe(false)
    expect(r.error).toBeUndefined()
    expect(r.failedChecks).toEqual(['two'])
    expect(r.checks).toEqual([
      { name: 'one', ok: true },
      { name: 'two', ok: false, detail: '{ got: 1 }' },
    ])
  })

  it('returns the state as mutated by the step', async () => {
    const r = await host.run(req('state.count = (state.count as number) + 1\nstate.list = ["a"]', { state: { count: 1, kept: true } }), recorder())
    expect(r.ok).toBe(true)
    expect(r.state).toEqual({ count: 2, kept: true, list: ['a'] })
  })

  it('sends confirm, note and table through the hooks; operator time does not count against the timeout', async () => {
    const h = recorder({ answer: false, confirmDelayMs: 1200 })
    const r = await host.run(
      req('const yes = await confirm("Restart?")\nnote(`**answer** ${yes}`)\ntable([{ a: 1, b: "x" }])\ncheck("declined", yes === false)', { timeoutMs: 1000 }),
      h,
    )
    expect(r.error).toBeUndefined()
    expect(r.ok).toBe(true)
    expect(h.questions).toEqual(['Restart?'])
    expect(h.notes).toEqual(['**answer** false'])
    expect(h.tables).toEqual([[{ a: 1, b: 'x' }]])
  })

  it('reports thrown errors and failed commands with the step line', async () => {
    const thrown = await host.run(req('const a: number = 1\n\nthrow new Error(`boom ${a}`)'), recorder())
    expect(thrown.ok).toBe(false)
    expect(thrown.error).toBe(msg.executors.onLine('boom 1', 3))
    expect(thrown.errorLine).toBe(3)
    const failed = await host.run(req('type T = string\n\nawait $`echo bad >&2; exit 7`'), recorder())
    expect(failed.ok).toBe(false)
    const says = msg.executors
    expect(failed.error).toBe(says.onLine(`${says.commandFailed('$ echo bad >&2; exit 7', says.exitCode(7))}\nbad`, 3))
    expect(failed.commands[0]?.exitCode).toBe(7)
    const syntax = await host.run(req('const x: = 1'), recorder())
    expect(syntax.ok).toBe(false)
    expect(syntax.errorLine).toBe(1)
  })

  it('fails the step on an unhandled rejection without losing the worker', async () => {
    const r = await host.run(req('Promise.reject(new Error("lost promise"))\nawait sleep(5000)'), recorder())
    expect(r.ok).toBe(false)
    expect(r.error).toContain('lost promise')
    const h = recorder()
    expect((await host.run(req('console.log("still here")'), h)).ok).toBe(true)
    expect(h.stdout).toBe('still here\n')
  })

  it('gives $ commands EOF on stdin, keeps pipes and input working, and cd sets their cwd', async () => {
    const h = recorder()
    const r = await host.run(
      req(`
const a = await $\`cat\`
const b = await $\`echo piped\`.pipe($\`tr a-z A-Z\`)
const c = await $({ input: 'given' })\`cat\`
cd('/')
const d = await $\`pwd\`
state.out = [a.stdout, b.stdout, c.stdout, d.stdout]
`, { timeoutMs: 10_000 }),
      h,
    )
    expect(r.error).toBeUndefined()
    expect(r.state.out).toEqual(['', 'PIPED\n', 'given', '/\n'])
  })

  it('does not source ~/.bashrc and does not leak commands into the next step', async () => {
    const home = mkdtempSync(join(tmp, 'home-'))
    const rc = join(home, '.bashrc')
    await host.run(req(`await fs.writeFile(${JSON.stringify(rc)}, 'echo FROM-RC')`), recorder())
    expect(readFileSync(rc, 'utf8')).toBe('echo FROM-RC')
    const h = recorder()
    const r = await host.run(req('await $`echo plain`', { env: baseEnv({ HOME: home }) }), h)
    expect(r.ok).toBe(true)
    expect(h.stdout + h.stderr).not.toContain('FROM-RC')
  })
})
