// Bundles the runner's own code into dist/ (dependencies stay in node_modules), so that
// `bin/runbook` starts without a TypeScript loader. The hash of the detection code is injected so
// the on-disk detection cache never serves results of another detector.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

/** Every file under a folder (sub-folders too), in a stable order. */
function filesUnder(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? filesUnder(path.join(dir, name)) : [path.join(dir, name)]))
}

// The judge's own code and the words of its reasons (the cache holds reasons as they were said).
const detectHash = createHash('sha256')
for (const file of [...filesUnder('src/runner/judge'), 'src/runner/terminal/messages/judge.ts', ...filesUnder('src/runner/terminal/messages/judge')])
  detectHash.update(file).update(readFileSync(file))
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
for (const dep of ['mvdan-sh', '@pgsql/parser', 'esbuild', 'acorn']) detectHash.update(lock.packages?.[`node_modules/${dep}`]?.version ?? '')

const result = await build({
  entryPoints: { cli: 'src/runner/cli/cli.ts', 'ts-worker': 'src/runner/executors/ts/worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too: one file to load instead of hundreds saves most of the
  // start-up time. Those with native parts, WASM, or files they read at run time stay external.
  external: ['esbuild', '@pgsql/parser', 'pg-native', 'zx', 'zx/*', 'mvdan-sh', '@inquirer/*'],
  banner: { js: "import { createRequire as __runbookRequire } from 'node:module'; const require = __runbookRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __DETECT_HASH__: JSON.stringify(detectHash.digest('hex')) },
  metafile: true,
})

// Remove what earlier builds left; files are replaced in place (not by emptying dist/ first) so a
// runner already started by a test or an operator keeps finding its chunks.
const produced = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(f)))
if (existsSync('dist')) {
  for (const file of readdirSync('dist')) if (!produced.has(path.resolve('dist', file))) rmSync(path.join('dist', file), { force: true })
}
