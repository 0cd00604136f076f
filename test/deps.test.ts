// A lean dependency set: every package in package.json is used (scripts/check-deps.mjs, a small
// stand-in for knip), and engines.node is what the code needs (scripts/check-node.mjs, run first
// by .ci/run). The registry's deprecation check needs the network, so it is in .ci/run, not here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, test } from 'vitest'
// @ts-expect-error: a plain .mjs script without types
import { checkDeps, importsOf } from '../scripts/check-deps.mjs'
// @ts-expect-error: a plain .mjs script without types
import { satisfies } from '../scripts/check-node.mjs'
import pkg from '../package.json' with { type: 'json' }

type Result = { unused: string[]; staleIgnores: string[] }
const check = (root: string) => checkDeps(root) as Result

describe('check-deps', () => {
  test('the project uses every dependency it declares', () => {
    expect(check(process.cwd())).toEqual({ unused: [], staleIgnores: [] })
  })

  test('gray-matter is gone: nothing imported it (docs/architecture.md says why)', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('gray-matter')
  })

  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
  /** A project with this package.json and these files. */
  function project(manifest: object, files: Record<string, string>): string {
    const root = mkdtempSync(path.join(tmpdir(), 'runbook-check-deps-'))
    dirs.push(root)
    writeFileSync(path.join(root, 'package.json'), JSON.stringify(manifest))
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
      writeFileSync(path.join(root, name), text)
    }
    return root
  }
  const manifest = {
    scripts: { test: 'vitest run', typecheck: 'tsc --noEmit' },
    dependencies: { used: '1', '@scope/deep': '1', lazy: '1', unused: '1' },
    devDependencies: { vitest: '1', typescript: '1', '@types/node': '1', '@types/used': '1', 'fast-check': '1', 'dev-unused': '1' },
  }
  const files = {
    'src/a.ts': "import { x } from 'used'\nimport type { Y } from '@scope/deep/sub/path'\nimport { readFileSync } from 'node:fs'\nexport const z = () => import('lazy')\n",
    'test/a.test.ts': "import fc from 'fast-check'\n",
    // A fixture's imports are not the project's.
    'test/fixtures/x.ts': "import 'dev-unused'\n",
    // typescript runs as `tsc`: the command is read from the installed package.
    'node_modules/typescript/package.json': '{"bin":{"tsc":"bin/tsc","tsserver":"bin/tsserver"}}',
  }

  test('names each unused dependency and devDependency; imports, commands and @types count as use', () => {
    expect(check(project(manifest, files))).toEqual({ unused: ['unused', 'dev-unused'], staleIgnores: [] })
  })

  test('an ignore keeps an unused dependency on purpose, and is reported once the dependency is used', () => {
    const ignoring = { ...manifest, checkDeps: { ignore: { unused: 'kept for a reason', used: 'stale' } } }
    expect(check(project(ignoring, files))).toEqual({ unused: ['dev-unused'], staleIgnores: ['used'] })
  })

  test('as a command: exit 1 and one line per unused dependency; exit 0 when all are used', () => {
    const bad = spawnSync(process.execPath, ['scripts/check-deps.mjs', project(manifest, files)], { encoding: 'utf8' })
    expect(bad.status).toBe(1)
    expect(bad.stderr.trim().split('\n')).toEqual(['check-deps: unused is in package.json but used nowhere', 'check-deps: dev-unused is in package.json but used nowhere'])
    const lean = { ...manifest, dependencies: { used: '1' }, devDependencies: { vitest: '1' } }
    const good = spawnSync(process.execPath, ['scripts/check-deps.mjs', project(lean, files)], { encoding: 'utf8' })
    expect(good.status, good.stderr).toBe(0)
  })

  test('reads import, export-from, dynamic import and require', () => {
    const text = "import a from 'a'\nexport { b } from '@s/b/c'\nawait import('d')\nconst e = require('e/f')\nimport './local.js'\nimport 'node:os'\n"
    const { packages, node } = importsOf(text) as { packages: Set<string>; node: boolean }
    expect([...packages].sort()).toEqual(['@s/b', 'a', 'd', 'e'])
    expect(node).toBe(true)
  })
})

describe('engines.node', () => {
  test('says what @inquirer/prompts 8.7 and util.parseEnv need', () => {
    expect(pkg.engines.node).toBe('^20.17.0 || ^22.13.0 || >=23.5.0')
  })
  test.each([
    ['20.16.0', false],
    ['20.17.0', true],
    ['21.7.3', false],
    ['22.12.0', false],
    ['22.13.0', true],
    ['23.5.0', true],
    ['24.1.0', true],
    ['18.20.4', false],
  ])('Node %s → %s', (version, ok) => {
    expect(satisfies(version, pkg.engines.node)).toBe(ok)
  })
  test('this Node passes the check .ci/run starts with', () => {
    const r = spawnSync(process.execPath, ['scripts/check-node.mjs'], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
  })
})
