// The simulated host's command shims: .sandbox/bin/<command> are tiny sh scripts that hand the
// call to the shim program (bundled at `up` from programs/shim.ts with esbuild, like the
// stand-in and the db-lock helper), with this sandbox's folder baked in. Which program plays
// which command is the table in programs/shims/index.ts.
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'esbuild'
import { shellQuote } from '../runner/api.js'
import { layout, projectRoot } from './paths.js'

/** Every command the sandbox simulates (or, for npm, ps and redis-cli, partly passes through). */
export const SHIMMED = [
  'systemctl',
  'service',
  'docker',
  'sysctl',
  'apt',
  'apt-get',
  'aws',
  'bundle',
  'bundler-audit',
  'brakeman',
  'npm',
  'crontab',
  'sudo',
  'free',
  'df',
  'top',
  'uptime',
  'ps',
  'journalctl',
  'rails',
  'rake',
  'logrotate',
  'nginx',
  'redis-cli',
] as const

const PROGRAMS = ['shim', 'standin', 'lock'] as const

/**
 * The programs use a few messages of the runner (through src/runner/api.ts); the runner's modules
 * have no side effects when imported, so the bundle keeps what is used and drops the rest of what
 * api.ts re-exports (the judge and its parsers would otherwise make every shim call slow).
 */
const runnerWithoutSideEffects: Plugin = {
  name: 'runner-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData?.resolving) return undefined
      const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } })
      if (r.errors.length > 0 || !r.path.includes(`${path.sep}src${path.sep}runner${path.sep}`)) return undefined
      return { path: r.path, sideEffects: false }
    })
  },
}

/** Bundles the shim, stand-in and db-lock programs into .sandbox/bin/.programs/*.mjs. */
export async function buildPrograms(root: string): Promise<void> {
  const l = layout(root)
  mkdirSync(l.programs, { recursive: true })
  const { build } = await import('esbuild')
  const src = path.join(projectRoot(), 'src', 'sandbox', 'programs')
  await build({
    entryPoints: Object.fromEntries(PROGRAMS.map((p) => [p, path.join(src, `${p}.ts`)])),
    outdir: l.programs,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['pg-native'],
    // pg is CommonJS: give its require() calls a real require in the ESM bundle.
    banner: { js: "import { createRequire as __sandboxRequire } from 'node:module'; const require = __sandboxRequire(import.meta.url);" },
    logLevel: 'error',
    absWorkingDir: projectRoot(),
    plugins: [runnerWithoutSideEffects],
  })
}


/** Writes one sh script per simulated command into .sandbox/bin. */
export function writeShims(root: string, node = process.execPath): string[] {
  const l = layout(root)
  mkdirSync(l.bin, { recursive: true })
  for (const f of readdirSync(l.bin)) if (!f.startsWith('.')) rmSync(path.join(l.bin, f), { force: true })
  const program = path.join(l.programs, 'shim.mjs')
  for (const name of SHIMMED) {
    const file = path.join(l.bin, name)
    writeFileSync(file, `#!/bin/sh\n# ExcelApp sandbox: simulated \`${name}\` (see docs/sandbox.md)\nexec ${shellQuote(node)} ${shellQuote(program)} ${shellQuote(root)} ${name} "$@"\n`)
    chmodSync(file, 0o755)
  }
  return [...SHIMMED]
}
