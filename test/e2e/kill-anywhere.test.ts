// A kill -9 at any moment leaves a run that a command can finish, with no result lost or
// duplicated: 50 runs of a 30-step runbook, each killed at a different moment (spread from the
// start to past the end), are finished by `resume` (which renders a run that had ended but not its
// report) or `repair` (a run killed before it recorded anything). Each step appends its number to
// a counter file: every number is there, and a number is there twice only for the step that was in
// flight when the runner died — which the report then shows as an earlier, interrupted attempt.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { BIN, readReport, reportFiles, runCli, tempDir, writeRunbook } from '../helpers/cli.js'

const STEPS = 30
const RUNS = 50
const PARALLEL = 3
const RUNBOOK = ['# 어디서나 중단', '', ...Array.from({ length: STEPS }, (_, i) => ['```bash {id=s' + (i + 1) + ' destructive}', `echo ${i + 1} >> "$COUNTER"`, '```', ''].join('\n'))].join('\n')

/**
 * Runs the runbook and kills the runner with -9 once the counter holds `afterSteps` lines (and a
 * few ms more, so the kill falls anywhere within the next step, between steps, or in the report's
 * rendering); `afterSteps` 0 kills it while it starts.
 */
function runAndKill(dir: string, file: string, counter: string, afterSteps: number, jitterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', file, '--yes', '--auto', '--reports', path.join(dir, 'reports')], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', COUNTER: counter },
      stdio: 'ignore',
    })
    let timer: NodeJS.Timeout | undefined
    const kill = () => {
      clearInterval(poll)
      timer = setTimeout(() => child.kill('SIGKILL'), jitterMs)
    }
    const poll = setInterval(() => {
      const lines = existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').length - 1 : 0
      if (lines >= afterSteps) kill()
    }, 1)
    child.on('exit', () => {
      clearInterval(poll)
      clearTimeout(timer)
      resolve()
    })
  })
}

interface StepJson {
  id: string
  status: string
  earlier?: { status: string }[]
}

/** Finishes what the killed run left: resume until it passed, or repair an empty placeholder. */
async function finish(dir: string, counter: string): Promise<{ steps: StepJson[] } | null> {
  const env = { COUNTER: counter }
  for (let round = 0; round < 4; round++) {
    const [md] = reportFiles(path.join(dir, 'reports'))
    if (!md) return null
    const resumed = await runCli(['resume', md, '--yes', '--auto'], { cwd: dir, env })
    if (resumed.code === 0 || /already passed|이미 통과/.test(resumed.stderr)) return readReport(md).json as unknown as { steps: StepJson[] }
    if (/runbook repair/.test(resumed.stderr)) {
      const repaired = await runCli(['repair', md], { cwd: dir })
      expect(repaired.code, repaired.stderr).toBe(0)
      expect(existsSync(md)).toBe(false)
      continue
    }
    throw new Error(`resume failed (${resumed.code}): ${resumed.stderr}`)
  }
  throw new Error('not finished after 4 rounds')
}

/** What the kills hit, so that the test shows it covered the run from start to end. */
const hit = { noReport: 0, interrupted: 0, untouched: 0 }

async function oneRun(i: number): Promise<void> {
  const dir = tempDir('rb-kill-')
  const file = writeRunbook(dir, 'kill.md', RUNBOOK)
  const counter = path.join(dir, 'counter')
  // Spread over the run: at start-up, after each number of steps, and at the end (30: while the
  // report is being rendered, or after).
  await runAndKill(dir, file, counter, Math.round((i / (RUNS - 1)) * STEPS), (i * 7) % 13)
  const report = await finish(dir, counter)
  const lines = existsSync(counter) ? readFileSync(counter, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []
  if (report === null) {
    expect(lines, `run ${i}: no report, so no step may have run`).toEqual([])
    hit.noReport++
    return
  }
  if (report.steps.some((s) => s.earlier?.length)) hit.interrupted++
  else hit.untouched++
  expect(report.steps.map((s) => s.status), `run ${i}`).toEqual(Array(STEPS).fill('passed'))
  const seen = new Map<number, number>()
  for (const n of lines) seen.set(n, (seen.get(n) ?? 0) + 1)
  for (let n = 1; n <= STEPS; n++) {
    const times = seen.get(n) ?? 0
    const step = report.steps[n - 1]!
    expect(times, `run ${i} step ${n} ran`).toBeGreaterThanOrEqual(1)
    expect(times, `run ${i} step ${n}: once, or again after an interrupted attempt`).toBeLessThanOrEqual(1 + (step.earlier?.filter((a) => a.status === 'interrupted').length ?? 0))
  }
}

describe('kill -9 anywhere', () => {
  test(`${RUNS} runs of ${STEPS} steps killed at spread moments are all finishable, nothing lost or duplicated`, async () => {
    const queue = Array.from({ length: RUNS }, (_, i) => i)
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) await oneRun(i)
      }),
    )
    // Kills landed mid-run (a step in flight) and after the end alike.
    expect(hit.interrupted, JSON.stringify(hit)).toBeGreaterThanOrEqual(10)
    expect(hit.noReport + hit.untouched, JSON.stringify(hit)).toBeGreaterThanOrEqual(3)
  }, 600_000)
})
