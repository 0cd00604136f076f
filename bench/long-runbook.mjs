#!/usr/bin/env node
// Long runbook: time per step at 2,000 steps against the same at 200. Target: ≤ 1.2× (recording a
// step must not cost more as the run grows).
import path from 'node:path'
import { alternate, BIN, measure, report, tmp, writeFile } from './lib/measure.mjs'

const dir = tmp()
const make = (n) => writeFile(dir, `steps-${n}.md`, `# ${n}\n\n${Array.from({ length: n }, () => '```bash\ntrue\n```\n').join('\n')}`)
const small = make(200)
const large = make(2000)
await measure(process.execPath, [BIN, 'plan', small])
await measure(process.execPath, [BIN, 'plan', large])
let n = 0
const medians = await alternate(
  [
    { name: 'runbook run (200 steps)', run: () => measure(process.execPath, [BIN, 'run', small, '--auto', '--reports', path.join(dir, `r${n++}`)]) },
    { name: 'runbook run (2000 steps)', run: () => measure(process.execPath, [BIN, 'run', large, '--auto', '--reports', path.join(dir, `r${n++}`)]) },
  ],
  Number(process.env.RB_BENCH_ROUNDS ?? 2),
)
const [s, l] = Object.values(medians)
report('long runbook', medians, [
  { label: 'ms per step at 200', value: () => s.wallMs / 200, unit: ' ms' },
  { label: 'ms per step at 2000', value: () => l.wallMs / 2000, unit: ' ms' },
  { label: 'per-step 2000 / 200', value: () => l.wallMs / 2000 / (s.wallMs / 200), target: 1.2 },
])
