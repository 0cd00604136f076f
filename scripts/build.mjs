// Bundles the runner's own code into dist/ (dependencies stay in node_modules), so that
// `bin/runbook` starts without a TypeScript loader.
import { build } from 'esbuild'

await build({
  entryPoints: { cli: 'src/runner/cli.ts', 'ts-worker': 'src/runner/ts-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
})
