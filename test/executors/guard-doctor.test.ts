// `runbook doctor`: the checks of the OS guard on this machine (real), and what it says on machines
// without it (platform, bubblewrap and the guarded runner injected), in text and JSON.
import { describe, expect, it } from 'vitest'
import { checkOsGuard, type RunGuarded } from '../../src/runner/executors/guard/checks.js'
import { doctorCommand } from '../../src/runner/cli/commands/doctor.js'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { cli, outcome } from '../cli/helpers.js'

describe('runbook doctor', () => {
  it('on this machine: every check of the OS guard passes, exit 0, in text and JSON', async () => {
    const text = await cli(['doctor'])
    expect(text.code, text.stdout).toBe(EXIT.ok)
    expect(text.stdout).toContain(msg.executors.doctorOsAvailable)
    expect(text.stdout).toContain(msg.executors.doctorRemountBlocked)
    const json = await cli(['doctor', '--json'])
    const parsed = JSON.parse(json.stdout) as { judge: { available: boolean }; os: { available: boolean; checks: { name: string; ok: boolean }[] } }
    expect(parsed.judge.available).toBe(true)
    expect(parsed.os.available).toBe(true)
    expect(parsed.os.checks.map((c) => [c.name, c.ok])).toEqual([
      ['platform', true],
      ['bubblewrap', true],
      ['namespaces', true],
      ['capabilities', true],
      ['remount', true],
    ])
  })

  it('not Linux: no OS guard, the judge alone; exit 1', async () => {
    const r = await outcome('doctor', (io) => doctorCommand('/', {}, io, () => checkOsGuard({ platform: 'darwin' })))
    expect(r.code).toBe(EXIT.failed)
    expect(r.stdout).toContain(msg.executors.doctorFixPlatform)
    expect(r.stdout).toContain(msg.executors.doctorOsMissing)
  })

  it('no bubblewrap: says to install Debian’s bubblewrap', async () => {
    const r = await outcome('doctor', (io) => doctorCommand('/', {}, io, () => checkOsGuard({ platform: 'linux', bwrap: null })))
    expect(r.code).toBe(EXIT.failed)
    expect(r.stdout).toContain(msg.executors.guardNoBwrap)
    expect(r.stdout).toContain('apt-get install bubblewrap')
  })

  it('namespaces refused (AppArmor, sysctl, a container’s seccomp): the error and every way to enable them', async () => {
    const refused: RunGuarded = async () => ({ code: 1, stdout: '', stderr: 'bwrap: setting up uid map: Permission denied' })
    const r = await outcome('doctor', (io) => doctorCommand('/', { json: true }, io, () => checkOsGuard({ platform: 'linux', bwrap: '/usr/bin/bwrap', run: refused })))
    expect(r.code).toBe(EXIT.failed)
    const report = JSON.parse(r.stdout) as { os: { available: boolean; checks: { name: string; ok: boolean; detail: string; fix?: string }[] } }
    expect(report.os.available).toBe(false)
    const ns = report.os.checks.find((c) => c.name === 'namespaces')!
    expect(ns).toMatchObject({ ok: false, detail: 'bwrap: setting up uid map: Permission denied' })
    for (const hint of ['kernel.unprivileged_userns_clone', 'kernel.apparmor_restrict_unprivileged_userns', 'AppArmor', 'seccomp', '--privileged']) expect(ns.fix).toContain(hint)
  })

  it('a view that keeps capabilities or can be remounted is reported as not holding', async () => {
    const leaky: RunGuarded = async (_bwrap, argv) =>
      argv[0] === 'cat' ? { code: 0, stdout: 'CapEff:\t000001ffffffffff\nNoNewPrivs:\t0\n', stderr: '' } : { code: 0, stdout: argv[0] === 'sh' ? 'REMOUNTED\n' : '', stderr: '' }
    const report = await checkOsGuard({ platform: 'linux', bwrap: '/usr/bin/bwrap', run: leaky })
    expect(report.available).toBe(false)
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['capabilities', 'remount'])
  })
})
