// The TS host runs dist/ts-worker.js, which the suite's global setup builds once (rebuilding here
// would race with CLI tests running bin/runbook in parallel). Build only when it is missing, e.g.
// when this file runs alone without the global setup.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

export async function buildWorker(): Promise<void> {
  if (existsSync(`${root}dist/ts-worker.js`)) return
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' })
}
