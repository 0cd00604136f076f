// Boolean options mean what they say, for every command: `--x`, `--x=true`, `--x=false`, `--no-x`;
// any other value (`--yes=no`, `--yes=0`, …) is a usage error naming the option, never consent.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { rejectBadBooleans } from '../../src/runner/cli/args.js'
import { definitions } from '../../src/runner/cli/definitions.js'
import { EXIT, RunbookError } from '../../src/runner/model/errors.js'
import { cli, fakeIo, ROOT } from './helpers.js'

/** Every command's boolean options, read from the definitions themselves (a new one is covered too). */
async function booleanOptions(): Promise<Array<[string, string]>> {
  const { commands } = definitions(ROOT, fakeIo())
  const out: Array<[string, string]> = []
  for (const [name, load] of Object.entries(commands)) {
    const command = await load()
    for (const [option, arg] of Object.entries((command.args ?? {}) as Record<string, { type: string }>)) if (arg.type === 'boolean') out.push([name, option])
  }
  return out
}

const BAD = (o: string) => [`--${o}=no`, `--${o}=0`, `--${o}=1`, `--${o}=maybe`, `--${o}=`, `--${o}=TRUE`, `--${o}=yes`, `--no-${o}=true`, `--no-${o}=false`]

describe('boolean options', () => {
  test('the commands have boolean options (yes, auto, dry-run, force, json, sandbox, purge)', async () => {
    const options = new Set((await booleanOptions()).map(([, o]) => o))
    for (const o of ['yes', 'auto', 'dry-run', 'force', 'json', 'sandbox', 'purge']) expect(options).toContain(o)
  })

  test('every other value of every boolean option of every command is a usage error naming the option and the accepted forms', async () => {
    for (const [command, option] of await booleanOptions()) {
      for (const bad of BAD(option)) {
        const r = await cli([command, bad])
        expect(r.code, `${command} ${bad}: ${r.stderr}`).toBe(EXIT.usage)
        expect(r.stdout).toBe('')
        expect(r.stderr, `${command} ${bad}`).toContain(`--${option}=true`)
        expect(r.stderr, `${command} ${bad}`).toContain(`--no-${option}`)
      }
    }
  })

  test('a word after a bare flag that reads as its value (`--yes no`) is a usage error, not a positional', async () => {
    for (const word of ['no', 'false', '0', 'off', 'NO', 'yes', 'true']) {
      const r = await cli(['run', 'x.md', '--yes', word])
      expect(r.code, r.stderr).toBe(EXIT.usage)
      expect(r.stderr).toContain('--yes')
    }
  })

  test('one option given both on and off is a usage error', async () => {
    for (const argv of [['--yes', '--no-yes'], ['--no-yes', '--yes=true'], ['--yes=false', '--yes']]) {
      const r = await cli(['run', 'x.md', ...argv])
      expect(r.code, r.stderr).toBe(EXIT.usage)
      expect(r.stderr).toContain('--yes')
    }
  })

  test('the accepted forms pass, as do values after `--` and options that are not boolean', () => {
    const def = { yes: { type: 'boolean' as const }, 'dry-run': { type: 'boolean' as const }, step: { type: 'string' as const } }
    for (const argv of [
      ['--yes'],
      ['--yes=true'],
      ['--yes=false'],
      ['--no-yes'],
      ['--yes', '--yes=true'],
      ['--dry-run', 'file.md'],
      ['--no-dry-run'],
      ['--step=no'],
      ['--step', '0'],
      ['--', '--yes=no'],
      ['--yes', 'no.md'],
    ])
      expect(() => rejectBadBooleans(argv, def, 'run'), argv.join(' ')).not.toThrow()
    expect(() => rejectBadBooleans(['--dry-run=0'], def, 'run')).toThrow(RunbookError)
  })

  test('`run --yes=no` and `--yes=0` do not run a destructive step: usage error, canary intact', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rb-bool-'))
    const canary = path.join(dir, 'canary')
    writeFileSync(canary, 'alive')
    const file = path.join(dir, 'rb.md')
    writeFileSync(file, `---\nid: bool-canary\ntitle: Canary\n---\n\n## Remove\n\n\`\`\`bash {id=remove}\nrm -f "${canary}"\n\`\`\`\n`)
    for (const bad of ['--yes=no', '--yes=0', '--yes=maybe', '--no-yes=true']) {
      const r = await cli(['run', file, bad, '--reports', path.join(dir, 'reports')], { cwd: dir })
      expect(r.code, r.stderr).toBe(EXIT.usage)
      expect(existsSync(canary)).toBe(true)
    }
  })
})
