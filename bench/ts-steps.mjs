#!/usr/bin/env node
// TS steps: 100 trivial TypeScript steps against the same code as one .mjs run by node.
// Target: ≤ 2×.
import path from 'node:path'
import { alternate, BIN, measure, report, tmp, writeFile } from './lib/measure.mjs'

const STEPS = Number(process.env.RB_BENCH_TS_STEPS ?? 100)
const dir = tmp()
const body = (i) => `const n${i}: number = (state.n as number | undefined) ?? 0\nstate.n = n${i} + 1`
const md = writeFile(dir, 'ts.md', `# ts\n\n${Array.from({ length: STEPS }, (_, i) => `\`\`\`ts\n${body(i)}\n\`\`\`\n`).join('\n')}`)
const mjs = writeFile(dir, 'same.mjs', `const state = {}\n${Array.from({ length: STEPS }, (_, i) => `{ const n${i} = state.n ?? 0; state.n = n${i} + 1 }`).join('\n')}\n`)
await measure(process.execPath, [BIN, 'plan', md])
let n = 0
const medians = await alternate([
  { name: `node same.mjs (${STEPS} statements)`, run: () => measure(process.execPath, [mjs]) },
  { name: `runbook run (${STEPS} TS steps)`, run: () => measure(process.execPath, [BIN, 'run', md, '--auto', '--yes', '--reports', path.join(dir, `r${n++}`)]) },
])
const [base, ours] = Object.values(medians)
report(`TS steps (${STEPS})`, medians, [{ label: 'runbook / node', value: () => ours.wallMs / base.wallMs, target: 2 }])
