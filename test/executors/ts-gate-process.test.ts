// TS steps run in a child process of their own (not a thread of the runner), so the operating
// system can hold them to what they may touch; the `$` gate and the blocking requests work
// across that boundary, and a step stuck in a loop is still stopped.
import { describe, expect, it } from 'vitest'
import { TsHost } from '../../src/runner/executors/ts/host.js'
import type { TsHooks } from '../../src/runner/executors/ts/protocol.js'
import { useTsHost } from './ts-host-setup.js'

/** Whether a process has gone within `ms`. */
async function pidGone(pid: number, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms
  for (;;) {
    try {
      process.kill(pid, 0)
    } catch {
      return true
    }
    if (Date.now() > until) return false
    await new Promise((r) => setTimeout(r, 50))
  }
}

function hooks(decide: (cmd: string) => 'allow' | { deny: string } = () => 'allow'): TsHooks & { stdout: string; asked: string[] } {
  const h = {
    stdout: '',
    asked: [] as string[],
    onOutput(text: string) {
      h.stdout += text
    },
    async onCommand(command: string) {
      h.asked.push(command)
      return decide(command)
    },
    async confirm() {
      return true
    },
  }
  return h
}

describe('the TS worker is a child process', () => {
  const t = useTsHost({ prefix: 'rb-ts-proc-', stepId: 'proc', env: {} })
  const { req } = t

  it('runs the step in another process, a child of the runner', async () => {
    const result = await t.host.run(req('state.pid = process.pid\nstate.ppid = process.ppid'), hooks())
    expect(result.ok, result.error).toBe(true)
    expect(result.state.pid).not.toBe(process.pid)
    expect(result.state.ppid).toBe(process.pid)
  })

  it('the $ gate and $.sync answer across the boundary, in order with the output', async () => {
    const h = hooks((cmd) => (cmd.startsWith('echo no') ? { deny: 'not this one' } : 'allow'))
    const result = await t.host.run(req("console.log('before')\nconst a = $.sync`echo sync-ok`\nconsole.log(a.stdout.trim())\nawait $`echo async-ok`\nawait $`echo no`"), h)
    expect(result.blockedCommand).toBeDefined()
    expect(h.asked).toEqual(['echo sync-ok', 'echo async-ok', 'echo no'])
    expect(h.stdout.indexOf('before')).toBeLessThan(h.stdout.indexOf('sync-ok'))
    expect(h.stdout).toContain('async-ok')
  })

  it('a lot of output before a command does not stall the request', async () => {
    const h = hooks()
    const result = await t.host.run(req("for (let i = 0; i < 2000; i++) console.log('x'.repeat(200))\nconst r = await $`echo done`\ncheck('done', r.stdout.trim() === 'done')"), h)
    expect(result.ok, result.error).toBe(true)
    expect(h.stdout.length).toBeGreaterThan(400_000)
  })

  it('a step stuck in a loop is stopped with its process, and the next step gets a fresh one', async () => {
    const first = await t.host.run(req('state.pid = process.pid\nwhile (true) {}', { timeoutMs: 800 }), hooks())
    expect(first.timedOut).toBe(true)
    expect(await pidGone(first.state.pid as number)).toBe(true)
    const next = await t.host.run(req('state.pid = process.pid'), hooks())
    expect(next.ok, next.error).toBe(true)
    expect(typeof next.state.pid).toBe('number')
    expect(next.state.pid).not.toBe(process.pid)
  })

  it('the process goes away when the host closes', async () => {
    const own = new TsHost()
    const result = await own.run(req('state.pid = process.pid'), hooks())
    const pid = result.state.pid as number
    await own.close()
    expect(await pidGone(pid)).toBe(true)
  })
})
