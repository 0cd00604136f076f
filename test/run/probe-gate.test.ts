// Probes are judged like shell steps: the gate refuses a probe that is not proven read-only before
// it runs, whatever the step declares, with --yes and at a terminal alike. The probes here run for
// real (the runner's own probe runner) against canary files in a temp folder.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Chalk } from 'chalk'
import { describe, expect, test } from 'vitest'
import { gateStep, type GateContext } from '../../src/runner/run/gate.js'
import { runProbe } from '../../src/runner/run/host.js'
import { lint } from '../../src/runner/plan/lint.js'
import { renderPlan, planToJson } from '../../src/runner/cli/render-plan.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { RunSettings } from '../../src/runner/run/deps.js'
import { fakeGuard, fixedClock, OPERATOR, planOf, scriptedPrompts } from './fakes.js'

function canaryDir(): { dir: string; canary: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rb-probe-'))
  const canary = path.join(dir, 'canary')
  writeFileSync(canary, 'alive')
  return { dir, canary }
}

/** The text of a catalogue entry before the value put in at HOLE. */
const HOLE = '\u0000'
const before = (text: string) => text.split(HOLE)[0]!

const runbookWith = (info: string, code = 'echo step ran') => `# 사전 확인\n\n\`\`\`bash {id=probed ${info}}\n${code}\n\`\`\`\n`

/** The gate with a probe runner that really runs and counts; the rest are fakes. */
function context(dir: string, opts: { yes?: boolean; tty?: boolean } = {}) {
  const probes: string[] = []
  const settings = { dryRun: false, yes: opts.yes ?? false, auto: false, target: 'staging', operator: OPERATOR, cwd: dir, tmpDir: dir, env: {}, inputs: {}, logName: 'p.log' } as RunSettings
  const prompts = opts.tty ? scriptedPrompts('yes') : null
  const g: GateContext = {
    settings,
    deps: {
      executors: {} as never,
      prompts,
      view: { write: () => undefined, output: () => undefined, stepStarted: () => undefined, stepEnded: () => undefined, closed: () => false },
      c: new Chalk({ level: 0 }),
      highlight: (_l, code) => code,
      recorder: { append: async () => undefined, appendLog: () => undefined, render: async () => undefined },
      interrupts: { stepSignal: () => new AbortController().signal, pending: () => null, clear: () => undefined },
      secrets: [],
      now: fixedClock,
      onPath: () => true,
      probe: async (command, env) => {
        probes.push(command)
        return runProbe(command, env, dir)
      },
      guard: fakeGuard('allows'),
    },
    outputs: () => ({}),
    beforeAsking: async () => undefined,
  }
  return { g, probes, prompts }
}

// Probes that change the world, each written as an author (or an attacker) might. A probe is judged
// by the shell judge itself, so every form that judge refuses (its own tests) is refused here too.
const WRITING_PROBES = (canary: string) => [
  `rm -f ${canary}`,
  `test -e ${canary} && rm -f ${canary}`,
  `test -n "$(rm -f ${canary})"`,
  `true > ${canary}`,
  `cat /dev/null > ${canary}`,
  `echo x | tee ${canary}`,
  `CMD=rm; $CMD -f ${canary}`,
  `eval "rm -f ${canary}"`,
  `bash -c 'rm -f ${canary}'`,
  `{rm,-f,${canary}}`,
  `mv ${canary} ${canary}.moved`,
]

describe('a probe is judged before it runs', () => {
  test.each([
    ['declared destructive, no terminal, no --yes', 'destructive', {}],
    ['declared destructive, --yes', 'destructive', { yes: true }],
    ['declared critical, --yes', 'critical', { yes: true }],
    ['declared safe', 'safe="reads only"', {}],
    ['undeclared, at a terminal answering yes', '', { tty: true }],
  ] as const)('%s: blocked, the probe never runs, the canary is intact', async (_name, declared, opts) => {
    const { dir, canary } = canaryDir()
    for (const probe of WRITING_PROBES(canary)) {
      const { plan } = await planOf(runbookWith(`${declared} probe=${JSON.stringify(probe)}`))
      const { g, probes, prompts } = context(dir, opts)
      const gate = await gateStep(plan.steps[0]!, g)
      expect(gate, probe).toHaveProperty('block')
      expect((gate as { block: string }).block, probe).toContain(before(msg.run.probeRefused(probe, [HOLE])))
      expect(probes, probe).toEqual([])
      expect(prompts?.asked ?? [], probe).toEqual([])
      expect(readFileSync(canary, 'utf8'), probe).toBe('alive')
    }
  })

  test('a plan without the probe verdict (made elsewhere) is judged at the gate all the same', async () => {
    const { dir, canary } = canaryDir()
    const { plan } = await planOf(runbookWith(`destructive probe="rm -f ${canary}"`))
    const { probeDetection: _dropped, ...withoutVerdict } = plan.steps[0]!
    const { g, probes } = context(dir, { yes: true })
    expect(await gateStep(withoutVerdict, g)).toHaveProperty('block')
    expect(probes).toEqual([])
    expect(readFileSync(canary, 'utf8')).toBe('alive')
  })

  test('a read-only probe runs: it passes (the step runs) or fails (the step is skipped)', async () => {
    const { dir, canary } = canaryDir()
    const pass = context(dir)
    const { plan: passing } = await planOf(runbookWith(`probe="test -f ${canary}"`))
    expect(await gateStep(passing.steps[0]!, pass.g)).toEqual({ run: true })
    expect(pass.probes).toEqual([`test -f ${canary}`])
    const fail = context(dir)
    const { plan: failing } = await planOf(runbookWith(`probe="test -d ${canary}"`))
    expect(await gateStep(failing.steps[0]!, fail.g)).toHaveProperty('skip')
  })

  test('plan shows the verdict on each probe, in text and JSON; lint makes a writing probe an error', async () => {
    const text = `${runbookWith('destructive probe="rm -f /tmp/rb-probe-never"')}\n\`\`\`bash {id=reader probe="test -d /tmp"}\necho ok\n\`\`\`\n`
    const { runbook, plan } = await planOf(text)
    const shown = renderPlan(plan, new Chalk({ level: 0 }))
    expect(shown).toContain(`${msg.cli.probe('rm -f /tmp/rb-probe-never')} ${before(msg.cli.probeRefused(HOLE))}`)
    expect(shown).toContain(`${msg.cli.probe('test -d /tmp')} ${msg.cli.probeReadOnly}`)
    const json = planToJson(plan).steps
    expect(json[0]!.probeVerdict).toMatchObject({ readOnly: false })
    expect(json[0]!.probeVerdict!.reasons.length).toBeGreaterThan(0)
    expect(json[1]!.probeVerdict).toEqual({ readOnly: true, reasons: [] })
    const found = lint(runbook, plan, '2025-06-01').filter((d) => d.rule === 'probe-not-read-only')
    expect(found.map((d) => d.line)).toEqual([plan.steps[0]!.line])
  })
})
