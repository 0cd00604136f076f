// No unused dependency: every package in package.json is used by the code base.
// `node scripts/check-deps.mjs [ROOT]` prints what is unused and exits 1; a fast test runs it.
//
// A lean stand-in for knip (which would be one more large dev dependency): a dependency counts as
// used when a file of src/, scripts/, bin/, bench/ or test/ (or a config file at the root) imports
// it (`import … from`, `import()`, `require()`, `export … from`); a devDependency also when its
// command runs in a package.json script or .ci/run, and `@types/X` when X is used (`@types/node`
// by any `node:` import). `checkDeps.ignore` in package.json names a dependency that is kept on
// purpose though unused (with the reason as the value); an ignore whose dependency is in fact
// used is reported too, so an exception cannot outlive its reason.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const CODE_DIRS = ['src', 'scripts', 'bin', 'bench', 'test']
const CODE_FILE = /\.(ts|mts|cts|tsx|js|mjs|cjs)$/
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'fixtures'])
// The module specifier of an import, export-from, dynamic import or require.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g

function* codeFiles(dir) {
  if (!existsSync(dir)) return
  for (const name of readdirSync(dir).sort()) {
    if (SKIP_DIRS.has(name)) continue
    const file = path.join(dir, name)
    const stat = statSync(file)
    if (stat.isDirectory()) yield* codeFiles(file)
    // bin/ holds extension-less node scripts.
    else if (CODE_FILE.test(name) || path.basename(dir) === 'bin') yield file
  }
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; relative, absolute and node: → undefined. */
export function packageOf(specifier) {
  if (/^(\.|\/|node:|#)/.test(specifier)) return undefined
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** The packages a source text imports, and whether it imports a `node:` module. */
export function importsOf(text) {
  const packages = new Set()
  let node = false
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1]
    if (spec.startsWith('node:')) node = true
    const name = packageOf(spec)
    if (name) packages.add(name)
  }
  return { packages, node }
}

/** The commands a package installs (its `bin`), read from node_modules when it is there. */
function binsOf(root, name) {
  const manifest = path.join(root, 'node_modules', name, 'package.json')
  if (!existsSync(manifest)) return [name.split('/').pop()]
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'))
  if (!bin) return []
  return typeof bin === 'string' ? [name.split('/').pop()] : Object.keys(bin)
}

/** Unused dependencies of the project at `root`, and ignores that are no longer needed. */
export function checkDeps(root) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
  const imported = new Set()
  let nodeImports = false
  const rootConfigs = readdirSync(root).filter((n) => CODE_FILE.test(n)).map((n) => path.join(root, n))
  for (const file of [...CODE_DIRS.flatMap((d) => [...codeFiles(path.join(root, d))]), ...rootConfigs]) {
    const { packages, node } = importsOf(readFileSync(file, 'utf8'))
    for (const p of packages) imported.add(p)
    nodeImports ||= node
  }
  const ci = path.join(root, '.ci', 'run')
  const commands = [...Object.values(pkg.scripts ?? {}), existsSync(ci) ? readFileSync(ci, 'utf8') : ''].join('\n')
  const runs = (bin) => new RegExp(`(^|[\\s;&|(])(npx\\s+)?${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'm').test(commands)

  const used = (name, dev) => {
    if (imported.has(name)) return true
    if (name.startsWith('@types/')) {
      const typed = name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2')
      return typed === 'node' ? nodeImports : imported.has(typed)
    }
    return dev && binsOf(root, name).some(runs)
  }
  const ignore = pkg.checkDeps?.ignore ?? {}
  const unused = []
  const staleIgnores = []
  for (const [deps, dev] of [[pkg.dependencies, false], [pkg.devDependencies, true]]) {
    for (const name of Object.keys(deps ?? {})) {
      const isUsed = used(name, dev)
      if (name in ignore) {
        if (isUsed) staleIgnores.push(name)
      } else if (!isUsed) unused.push(name)
    }
  }
  return { unused, staleIgnores }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'))
  const { unused, staleIgnores } = checkDeps(root)
  for (const name of unused) console.error(`check-deps: ${name} is in package.json but used nowhere`)
  for (const name of staleIgnores) console.error(`check-deps: ${name} is used now; remove it from checkDeps.ignore`)
  process.exit(unused.length + staleIgnores.length > 0 ? 1 : 0)
}
