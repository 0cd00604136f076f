// Is this Node one package.json's `engines.node` allows? `.ci/run` asks first, so an old Node fails
// in one clear line instead of somewhere in the suite (util.parseEnv needs 20.12; @inquirer/prompts
// 8.7 needs ^20.17, ^22.13 or >=23.5). Kept to plain syntax so that an old Node can run it.
// Understands what engines here uses: ranges `^X.Y.Z` and `>=X.Y.Z` joined by `||`.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const parse = (v) => v.replace(/^v/, '').split('.').map((n) => Number(n) || 0)
const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]

/** Whether `version` (like 20.16.0) satisfies `range` (like `^20.17.0 || >=23.5.0`). */
export function satisfies(version, range) {
  const v = parse(version)
  return range.split('||').some((part) => {
    const p = part.trim()
    const m = /^(\^|>=)\s*(\d+(?:\.\d+){0,2})$/.exec(p)
    if (!m) throw new Error(`check-node: cannot read the range "${p}"`)
    const floor = parse(m[2])
    if (compare(v, floor) < 0) return false
    return m[1] === '>=' || v[0] === floor[0]
  })
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
  const range = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node
  if (!satisfies(process.versions.node, range)) {
    console.error(`ci: Node ${process.versions.node} is too old or unsupported; this project needs Node ${range} (package.json engines)`)
    process.exit(1)
  }
}
