#!/usr/bin/env node
// Step overhead: a runbook of 200 trivial bash steps, `run --auto --yes` with the report on,
// against the floor (200 sequential `bash -c true` spawned from Node, as the runner must) and
// zx's Markdown mode on the same file. Target: ≤ 1.5× the floor, and faster than zx.
import path from 'node:path'
import { alternate, BIN, measure, report, ROOT, tmp, writeFile } from './lib/measure.mjs'

const STEPS = Number(process.env.RB_BENCH_STEPS ?? 200)
const dir = tmp()
const md = writeFile(dir, 'steps.md', `# steps\n\n${Array.from({ length: STEPS }, () => '```bash\ntrue\n```\n').join('\n')}`)
const floor = writeFile(
  dir,
  'floor.mjs',
  `import { spawn } from 'node:child_process'
for (let i = 0; i < ${STEPS}; i++) await new Promise((r) => spawn('bash', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'] }).on('close', r))
`,
)
const zx = path.join(ROOT, 'node_modules', 'zx', 'build', 'cli.js')
// Warm the detection cache once, as any runbook run daily has it.
await measure(process.execPath, [BIN, 'plan', md])
let n = 0
const medians = await alternate([
  { name: `floor: ${STEPS} × bash -c true`, run: () => measure(process.execPath, [floor]) },
  { name: `runbook run (${STEPS} steps)`, run: () => measure(process.execPath, [BIN, 'run', md, '--auto', '--yes', '--reports', path.join(dir, `r${n++}`)]) },
  { name: `zx ${path.basename(md)}`, run: () => measure(process.execPath, [zx, md]) },
])
const [f, ours, z] = Object.values(medians)
report(`step overhead (${STEPS} bash steps)`, medians, [
  { label: 'runbook / floor', value: () => ours.wallMs / f.wallMs, target: 1.5 },
  { label: 'runbook / zx', value: () => ours.wallMs / z.wallMs, target: 1 },
  { label: 'runbook overhead per step', value: () => (ours.wallMs - f.wallMs) / STEPS, unit: ' ms' },
])
