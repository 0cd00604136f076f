#!/usr/bin/env node
// `npm run bench`: runs every benchmark case in this folder (bench/*.mjs except this file), one
// after the other, each in its own Node process with the output passed through. A case prints
// its own figures; a case that exits non-zero is reported, and this exits 1 at the end.
// Run one case: `node bench/run.mjs sql-large-result` (names may omit `.mjs`).
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const self = path.basename(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2).map((a) => a.replace(/\.mjs$/, ''))
const cases = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== self)
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.mjs$/, '')))
  .sort()

if (cases.length === 0) {
  console.error(wanted.length ? `no bench case named ${wanted.join(', ')}` : 'no bench cases in bench/')
  process.exit(1)
}

const failed = []
for (const file of cases) {
  console.log(`\n=== ${file} ===`)
  const started = Date.now()
  const r = spawnSync(process.execPath, [path.join(here, file)], { stdio: 'inherit', cwd: path.join(here, '..') })
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  if (r.status !== 0) {
    failed.push(file)
    console.log(`=== ${file}: FAILED (exit ${r.status ?? r.signal}) after ${secs}s ===`)
  } else console.log(`=== ${file}: done in ${secs}s ===`)
}
if (failed.length > 0) {
  console.error(`\n${failed.length} of ${cases.length} bench cases failed: ${failed.join(', ')}`)
  process.exit(1)
}
