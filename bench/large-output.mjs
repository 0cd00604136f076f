#!/usr/bin/env node
// Large output: a step printing 500 MB against `bash -c '… > file'`. Targets: wall ≤ 2×, the
// runner's peak RSS ≤ 150 MB.
import path from 'node:path'
import { alternate, BIN, measure, report, tmp, writeFile } from './lib/measure.mjs'

const MB = Number(process.env.RB_BENCH_OUTPUT_MB ?? 500)
const dir = tmp()
const produce = `yes 'runbook benchmark line: the quick brown fox jumps over the lazy dog 0123456789' | head -c ${MB}000000`
const md = writeFile(dir, "big.md", `# big\n\n\`\`\`bash {timeout=10m}\nset +o pipefail # yes(1) ends on SIGPIPE when head has enough\n${produce}\n\`\`\`\n`)
let n = 0
const medians = await alternate([
  { name: `bash -c '… > file' (${MB} MB)`, run: () => measure('bash', ['-c', `${produce} > ${path.join(dir, 'out.txt')}`]) },
  { name: `runbook run (${MB} MB step)`, run: () => measure(process.execPath, [BIN, 'run', md, '--auto', '--reports', path.join(dir, `r${n++}`)]) },
])
const [base, ours] = Object.values(medians)
report(`large output (${MB} MB)`, medians, [
  { label: 'wall runbook / bash', value: () => ours.wallMs / base.wallMs, target: 2 },
  { label: 'runner peak RSS (MiB)', value: () => ours.peakMiB, unit: ' MiB', target: 150 },
])
