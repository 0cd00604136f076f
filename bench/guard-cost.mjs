#!/usr/bin/env node
// The OS guard's cost per step (issue 13, "Cost"; issue 20): a runbook of 200 trivial bash steps,
// `run --auto --yes` through the real runner, three ways, alternating in each round:
// - unguarded: each step is `true sudo`: still proven read-only (same gate, same journal), but a
//   step that names sudo runs with the judge only (`guard: none (sudo)`, docs/SECURITY.md), so no
//   switch is needed to turn the guard off. (Steps declared `{destructive}` would be unguarded too,
//   but they cost an extra fsync each: not a fair baseline.)
// - guarded, direct: a bubblewrap start per step (`RUNBOOK_GUARD_SPAWNER=off`, see
//   src/runner/executors/guard/spawner.ts).
// - guarded, spawner: the default, one long-lived spawner per view forks each step.
// Every run's JSON report is checked: each step records the guard the mode claims.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { alternate, BIN, measure, report, tmp, writeFile } from './lib/measure.mjs'

const STEPS = Number(process.env.RB_BENCH_STEPS ?? 200)
const dir = tmp('rb-bench-guard-')
const runbook = (code) => `# steps\n\n${Array.from({ length: STEPS }, () => `\`\`\`bash\n${code}\n\`\`\`\n`).join('\n')}`
const guardedMd = writeFile(dir, 'guarded.md', runbook('true'))
const unguardedMd = writeFile(dir, 'unguarded.md', runbook('true sudo'))

let n = 0
/** Runs the runbook; then checks that every step was held as expected (`held`: os-readonly or none). */
async function run(md, held, env = {}) {
  const reports = path.join(dir, `r${n++}`)
  const m = await measure(process.execPath, [BIN, 'run', md, '--auto', '--yes', '--reports', reports], { env })
  if (m.code !== 0) return m
  const day = readdirSync(reports)[0]
  const json = readdirSync(path.join(reports, day)).find((f) => f.endsWith('.json'))
  const steps = JSON.parse(readFileSync(path.join(reports, day, json), 'utf8')).steps
  const wrong = steps.filter((s) => s.guard?.held !== held)
  if (steps.length !== STEPS || wrong.length > 0) throw new Error(`${md}: ${wrong.length} of ${steps.length} steps not held by ${held}`)
  return m
}

// Warm the detection cache once, as any runbook run daily has it.
await measure(process.execPath, [BIN, 'plan', guardedMd])
await measure(process.execPath, [BIN, 'plan', unguardedMd])
const names = { off: 'unguarded (true sudo)', direct: 'guarded, bwrap per step', spawner: 'guarded, via spawner' }
const medians = await alternate([
  { name: names.off, run: () => run(unguardedMd, 'none') },
  { name: names.direct, run: () => run(guardedMd, 'os-readonly', { RUNBOOK_GUARD_SPAWNER: 'off' }) },
  { name: names.spawner, run: () => run(guardedMd, 'os-readonly', { RUNBOOK_GUARD_SPAWNER: 'on' }) },
])
const perStep = (name) => (m) => m[name].wallMs / STEPS
const extra = (name) => (m) => (m[name].wallMs - m[names.off].wallMs) / STEPS
report(`guard cost (${STEPS} bash steps, ms per step = run wall / ${STEPS}, start-up included)`, medians, [
  { label: 'unguarded', value: perStep(names.off), unit: ' ms/step' },
  { label: 'guarded, bwrap per step', value: perStep(names.direct), unit: ' ms/step' },
  { label: 'guarded, via spawner', value: perStep(names.spawner), unit: ' ms/step' },
  { label: 'guard cost, bwrap per step', value: extra(names.direct), unit: ' ms/step' },
  { label: 'guard cost, via spawner', value: extra(names.spawner), unit: ' ms/step' },
])
