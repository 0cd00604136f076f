// Issue 13's canaries through the real binary, without a terminal and without --yes: a probe that
// deletes, `--yes=no` / `--yes=0`, escape bytes hiding `rm` behind a harmless-looking line, and a
// hand-edited detection cache. Each is refused (exit 3, or 2 for a usage error) and the canary lives.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { runCli, tempDir, writeRunbook } from '../helpers/cli.js'

const OPERATOR = ['--operator', 'Canary Kim <canary@example.com>']

/** A folder with a canary file and a runbook whose only step is `code` under the fence `info` (CANARY: the canary's path). */
function setup(info: string, code: string) {
  const dir = tempDir('rb-canary-')
  const canary = path.join(dir, 'canary')
  writeFileSync(canary, 'alive')
  const text = `---\nid: canary\ntitle: Canary\n---\n\n## 단계\n\n\`\`\`bash {id=step ${info}}\n${code}\n\`\`\`\n`
  const file = writeRunbook(dir, 'rb.md', text.replaceAll('CANARY', canary))
  const run = (...args: string[]) =>
    runCli(['run', file, '--reports', path.join(dir, 'reports'), ...OPERATOR, ...args], { cwd: dir, env: { RUNBOOK_CACHE_DIR: path.join(dir, 'cache') } })
  return { dir, canary, file, run, alive: () => readFileSync(canary, 'utf8') === 'alive' }
}

describe('canaries, no terminal, no --yes', () => {
  test('a probe that deletes: blocked before it runs, whatever the step declares, --yes included', async () => {
    for (const [info, args] of [
      ['destructive probe="rm -f CANARY"', []],
      ['destructive probe="rm -f CANARY"', ['--yes']],
      ['safe="reads" probe="test -n \\"$(rm -f CANARY)\\""', []],
    ] as const) {
      const s = setup(info, 'echo step')
      const r = await s.run(...args)
      expect(r.code, `${info} ${args.join(' ')}\n${r.stderr}`).toBe(EXIT.blocked)
      expect(s.alive(), info).toBe(true)
      const lint = await runCli(['lint', s.file], { cwd: s.dir })
      expect(lint.code).toBe(EXIT.failed)
      expect(lint.stdout + lint.stderr).toContain('[probe-not-read-only]')
    }
  })

  test('`--yes=no`, `--yes=0`, `--yes no`: usage errors, nothing runs', async () => {
    const s = setup('destructive', 'rm -f CANARY')
    for (const args of [['--yes=no'], ['--yes=0'], ['--yes=maybe'], ['--yes', 'no'], ['--no-yes=true']]) {
      const r = await s.run(...args)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(EXIT.usage)
      expect(r.stderr).toContain('--yes=true')
      expect(s.alive()).toBe(true)
    }
    // And what is accepted means what it says: --yes=false withholds consent.
    expect((await s.run('--yes=false')).code).toBe(EXIT.blocked)
    expect(s.alive()).toBe(true)
  })

  test('escape bytes hiding `rm` behind `df -h /`: blocked, a lint error, shown as marks by read and plan', async () => {
    const s = setup('', 'rm -f CANARY\x1b[2K\x1b[1Gdf -h /')
    const r = await s.run()
    expect(r.code, r.stderr).toBe(EXIT.blocked)
    expect(s.alive()).toBe(true)
    const lint = await runCli(['lint', s.file], { cwd: s.dir })
    expect(lint.code).toBe(EXIT.failed)
    expect(lint.stdout).toContain('[control-characters]')
    expect(lint.stdout).toContain('rb.md:9:')
    for (const command of ['read', 'plan']) {
      const shown = await runCli([command, s.file], { cwd: s.dir, env: { FORCE_COLOR: '1', NO_COLOR: undefined } })
      expect(shown.code, shown.stderr).toBe(EXIT.ok)
      // Only chalk's own styles remain; the step's ESC bytes are marks.
      expect(shown.stdout.replace(/\x1b\[\d+(;\d+)*m/g, ''), command).not.toContain('\x1b')
      if (command === 'read') expect(shown.stdout).toContain('⟨␛⟩')
    }
  })

  test('a hand-edited cache turning the `rm` step safe is not trusted (MAC kept or a hash recomputed)', async () => {
    for (const fix of ['keep the MAC', 'recompute a sha256']) {
      const s = setup('', 'rm -f CANARY')
      const planned = await runCli(['plan', s.file, '--json'], { cwd: s.dir, env: { RUNBOOK_CACHE_DIR: path.join(s.dir, 'cache') } })
      expect(JSON.parse(planned.stdout).steps[0].detected).toBe(true)
      const cacheDir = path.join(s.dir, 'cache')
      const file = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.startsWith('detect-'))!)
      const text = readFileSync(file, 'utf8')
      const nl = text.indexOf('\n')
      const body = JSON.parse(text.slice(nl + 1)) as { entries: Record<string, { destructive?: boolean; reasons?: string[] }> }
      let flipped = 0
      for (const entry of Object.values(body.entries)) {
        if (entry && entry.destructive === true) {
          entry.destructive = false
          entry.reasons = []
          flipped++
        }
      }
      expect(flipped).toBeGreaterThan(0)
      const forged = JSON.stringify(body)
      const head = fix === 'keep the MAC' ? text.slice(0, nl) : createHash('sha256').update(forged).digest('hex')
      writeFileSync(file, `${head}\n${forged}`, { mode: 0o600 })
      const r = await s.run()
      expect(r.code, `${fix}: ${r.stderr}`).toBe(EXIT.blocked)
      expect(s.alive(), fix).toBe(true)
    }
  })
})
