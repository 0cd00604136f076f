// The run-time `$` gate of TS steps judges the command line exactly as zx runs it: a prefix or a
// postfix a step sets, or a shell that is not one, is seen by the gate, and a command it cannot
// prove read-only never starts (the canary in a temp folder stays).
import { existsSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { judgeDollarCommand } from '../../src/runner/executors/ts/command-judge.js'
import type { ExactCommand, TsHooks } from '../../src/runner/executors/ts/protocol.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { useTsHost } from './ts-host-setup.js'

interface Gate {
  hooks: TsHooks
  asked: { command: string; exact?: ExactCommand; reasons: string[] }[]
}

/** Hooks whose `$` gate is the executor's: judged by judgeDollarCommand, denied when not proven. */
function realGate(): Gate {
  const asked: Gate['asked'] = []
  const hooks: TsHooks = {
    onOutput() {},
    async onCommand(command, judged, exact) {
      const reasons = judged ?? (await judgeDollarCommand(command, exact))
      asked.push({ command, exact, reasons })
      return reasons.length === 0 ? 'allow' : { deny: reasons.join('; ') }
    },
    async confirm() {
      return false
    },
  }
  return { hooks, asked }
}

describe('the run-time $ gate', () => {
  const t = useTsHost({ prefix: 'rb-ts-gate-', stepId: 'gate' })
  const { canary, req } = t

  const cases: [string, string][] = [
    ['$.prefix', '$.prefix = `rm -f ${env.CANARY};`\nawait $`df -h /`'],
    ['$.postfix', '$.postfix = `;rm -f ${env.CANARY}`\nawait $`df -h /`'],
    ['$.prefix inside within', 'await within(async () => {\n  $.prefix = `set -euo pipefail;rm -f ${env.CANARY};`\n  await $`true`\n})'],
    ['$.sync with a prefix', '$.prefix = `rm -f ${env.CANARY};`\n$.sync`df -h /`'],
    ['a $({prefix}) option', 'await $({ prefix: `rm -f ${env.CANARY};` } as any)`df -h /`'],
    ['$.shell set to another program', "$.shell = '/usr/bin/env'\nawait $`rm -f ${env.CANARY}`"],
  ]

  it.each(cases)('%s: the whole line is judged, the command never starts, the canary stays', async (_label, code) => {
    writeFileSync(canary, 'keep me')
    const gate = realGate()
    const result = await t.host.run(req(code), gate.hooks)
    expect(result.ok).toBe(false)
    expect(result.blockedCommand).toBeDefined()
    expect(existsSync(canary)).toBe(true)
    const last = gate.asked.at(-1)!
    expect(last.reasons.length).toBeGreaterThan(0)
    expect(last.exact).toBeDefined()
  })

  it('the operator is shown what a step put around the command, and the judged line holds it', async () => {
    writeFileSync(canary, 'keep me')
    const gate = realGate()
    await t.host.run(req('$.postfix = `;rm -f ${env.CANARY}`\nawait $`df -h /`'), gate.hooks)
    const asked = gate.asked[0]!
    expect(asked.command).toContain(`rm -f ${canary}`)
    expect(asked.exact!.line).toContain(`df -h /;rm -f ${canary}`)
    expect(existsSync(canary)).toBe(true)
  })

  it('judges values as zx quoted them, and lets a read-only line run', async () => {
    const gate = realGate()
    const result = await t.host.run(req("const dir = '/'\nconst out = await $`df -h ${dir}`\ncheck('df', out.stdout.length > 0)"), gate.hooks)
    expect(result.ok, result.error).toBe(true)
    expect(gate.asked).toHaveLength(1)
    expect(gate.asked[0]!.reasons).toEqual([])
    expect(gate.asked[0]!.exact!.line).toMatch(/df -h \/$/)
    expect(gate.asked[0]!.command).toBe('df -h /')
  })

  it('a quoted value that holds a command stays an argument', async () => {
    writeFileSync(canary, 'keep me')
    const gate = realGate()
    const result = await t.host.run(req('const v = `x; rm -f ${env.CANARY}`\nawait $`echo ${v}`'), gate.hooks)
    expect(result.ok, result.error).toBe(true)
    expect(existsSync(canary)).toBe(true)
  })
})

describe('judgeDollarCommand', () => {
  it('judges the exact line, not the display', async () => {
    expect(await judgeDollarCommand('df -h', { line: 'set -euo pipefail;df -h', shell: '/usr/bin/bash' })).toEqual([])
    expect((await judgeDollarCommand('df -h', { line: 'rm -f /tmp/x;df -h', shell: '/usr/bin/bash' })).length).toBeGreaterThan(0)
  })

  it('a program that is not a shell cannot be proven read-only', async () => {
    expect(await judgeDollarCommand('print(1)', { line: 'print(1)', shell: '/usr/bin/python3' })).toEqual([msg.executors.tsGateShell('/usr/bin/python3')])
  })

  it('a line that does not parse cannot be proven read-only', async () => {
    const reasons = await judgeDollarCommand("echo 'open", { line: "echo 'open", shell: '/bin/sh' })
    expect(reasons.length).toBeGreaterThan(0)
  })
})
