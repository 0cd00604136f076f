#!/usr/bin/env node
// Cold start: `runbook --version`, `runbook plan` of the largest runbook, `runbook lint runbooks/`
// against `node -e 0`. Targets: ≤ 1.5×, ≤ 3×, ≤ 6×.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { alternate, BIN, measure, report, ROOT } from './lib/measure.mjs'

const runbooks = readdirSync(path.join(ROOT, 'runbooks'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.md') && !f.endsWith('README.md'))
  .map((f) => path.join(ROOT, 'runbooks', f))
const largest = runbooks.sort((a, b) => statSync(b).size - statSync(a).size)[0]
// The detection cache is warm in daily use; warm it once.
await measure(process.execPath, [BIN, 'lint', 'runbooks'])
const medians = await alternate(
  [
    { name: 'node -e 0', run: () => measure(process.execPath, ['-e', '0']) },
    { name: 'runbook --version', run: () => measure(process.execPath, [BIN, '--version']) },
    { name: `runbook plan ${path.relative(ROOT, largest)}`, run: () => measure(process.execPath, [BIN, 'plan', largest]) },
    { name: 'runbook lint runbooks/', run: () => measure(process.execPath, [BIN, 'lint', 'runbooks']), allowFailure: true },
  ],
  Number(process.env.RB_BENCH_ROUNDS ?? 5),
)
const [node, version, plan, lint] = Object.values(medians)
report('cold start', medians, [
  { label: '--version / node', value: () => version.wallMs / node.wallMs, target: 1.5 },
  { label: 'plan / node', value: () => plan.wallMs / node.wallMs, target: 3 },
  { label: 'lint / node', value: () => lint.wallMs / node.wallMs, target: 6 },
])
