// Records are not readable by everyone: 0600 files in 0700 folders whatever the umask; a group
// named in the project's settings (or RUNBOOK_REPORTS_GROUP) reads them too (0640/0750); verify
// warns about a report anyone can read; a resumed run keeps the access its report has.
import { execFile } from 'node:child_process'
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { BIN, reportFiles, runCli, tempDir, writeRunbook } from '../helpers/cli.js'

const RUNBOOK = ['# 권한', '', '```bash {id=one}', 'echo hello', '```', ''].join('\n')

/** Runs the binary under umask 000 (the worst a host can set). */
function runWithOpenUmask(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', 'umask 000; exec "$@"', 'sh', process.execPath, BIN, ...args], { cwd, env: { PATH: process.env.PATH!, HOME: process.env.HOME!, NO_COLOR: '1', ...env } }, (err, _out, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
    )
  })
}

/** Every file and folder under the reports folder (the folder itself included) with its mode and group. */
function modes(reports: string): { name: string; mode: number; gid: number; dir: boolean }[] {
  const all = [reports, ...readdirSync(reports, { recursive: true, encoding: 'utf8' }).map((f) => path.join(reports, f))]
  return all.map((p) => {
    const s = statSync(p)
    return { name: path.relative(reports, p) || '.', mode: s.mode & 0o777, gid: s.gid, dir: s.isDirectory() }
  })
}

describe('who can read the records', () => {
  test('by default: 0600 files in 0700 folders, even under umask 000', async () => {
    const dir = tempDir('rb-access-')
    writeRunbook(dir, 'a.md', RUNBOOK)
    const r = await runWithOpenUmask(dir, ['run', 'a.md', '--auto', '--reports', 'reports'])
    expect(r.code, r.stderr).toBe(0)
    const found = modes(path.join(dir, 'reports'))
    expect(found.filter((f) => !f.dir).map((f) => path.extname(f.name)).sort()).toEqual(['.json', '.md'])
    for (const f of found) expect([f.name, f.mode.toString(8)]).toEqual([f.name, f.dir ? '700' : '600'])
  })

  test.each([
    ['the project settings', (dir: string) => {
      mkdirSync(path.join(dir, '.runbook'))
      writeFileSync(path.join(dir, '.runbook', 'settings.yaml'), 'reports:\n  group: daemon\n')
      return {}
    }],
    ['RUNBOOK_REPORTS_GROUP', () => ({ RUNBOOK_REPORTS_GROUP: 'daemon' })],
  ])('a group named in %s reads them: 0640 files in 0750 folders of that group', async (_name, setUp) => {
    const dir = tempDir('rb-access-')
    writeRunbook(dir, 'a.md', RUNBOOK)
    const env = setUp(dir)
    const r = await runWithOpenUmask(dir, ['run', 'a.md', '--auto', '--reports', 'reports'], env)
    expect(r.code, r.stderr).toBe(0)
    for (const f of modes(path.join(dir, 'reports'))) {
      expect([f.name, f.mode.toString(8), f.gid]).toEqual([f.name, f.dir ? '750' : '640', 1])
    }
  })

  test('a group that does not exist is a usage error naming it, before anything runs', async () => {
    const dir = tempDir('rb-access-')
    writeRunbook(dir, 'a.md', ['# x', '', '```bash {id=one}', 'echo ran > ran.txt', '```', ''].join('\n'))
    const r = await runWithOpenUmask(dir, ['run', 'a.md', '--auto', '--yes', '--reports', 'reports'], { RUNBOOK_REPORTS_GROUP: 'no-such-group-rb' })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no-such-group-rb')
    expect(() => statSync(path.join(dir, 'ran.txt'))).toThrow()
  })

  test('a reports folder that already exists (--reports .) keeps its own mode; the date folder is closed', async () => {
    const dir = tempDir('rb-access-')
    chmodSync(dir, 0o755)
    writeRunbook(dir, 'a.md', RUNBOOK)
    const r = await runWithOpenUmask(dir, ['run', 'a.md', '--auto', '--reports', '.'])
    expect(r.code, r.stderr).toBe(0)
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('755')
    const dated = readdirSync(dir).find((f) => /^\d{4}-\d{2}-\d{2}$/.test(f))!
    expect((statSync(path.join(dir, dated)).mode & 0o777).toString(8)).toBe('700')
  })

  test('verify warns about a report anyone can read', async () => {
    const dir = tempDir('rb-access-')
    const file = writeRunbook(dir, 'a.md', RUNBOOK)
    const reports = path.join(dir, 'reports')
    expect((await runCli(['run', file, '--auto', '--reports', reports])).code).toBe(0)
    const [md] = reportFiles(reports)
    const quiet = await runCli(['verify', md!], { cwd: dir })
    expect(quiet.stderr).not.toMatch(/chmod o-rwx|읽을 수 있는 보고서/)
    chmodSync(md!, 0o644)
    const warned = await runCli(['verify', md!], { cwd: dir })
    expect(warned.stderr).toContain(md!)
    expect(warned.stderr).toMatch(/chmod o-rwx/)
  })
})
