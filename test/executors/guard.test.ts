// The OS guard (bubblewrap) for real, as root: a confined step writes only its scratch folder and
// its declared paths; it cannot remount the view or unshare a mount namespace; a timeout still stops
// every process of the step; `writes=` that would open up a system root or the reports folder is refused.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runShellStep } from '../../src/runner/executors/shell-step.js'
import { detectOsGuard, type OsGuard } from '../../src/runner/executors/guard/detect.js'
import { chooseProbeGuard, chooseStepGuard, usesSudo, type GuardSetting } from '../../src/runner/executors/guard/choose.js'
import { writablePaths } from '../../src/runner/executors/guard/writes.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { PlannedStep, StepAttributes } from '../../src/runner/model/runbook.js'
import { baseEnv, collector, gone, running } from './helpers.js'

const root = mkdtempSync(join(tmpdir(), 'rb-guard-'))
const scratch = join(root, 'scratch')
const outside = join(root, 'outside')
const declared = join(root, 'backups')
const canary = join(outside, 'canary')
let os: OsGuard

beforeAll(async () => {
  for (const d of [scratch, outside, declared]) mkdirSync(d)
  os = await detectOsGuard()
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function planned(code: string, attrs: StepAttributes = {}, extra: Partial<PlannedStep> = {}): PlannedStep {
  return { id: 's', kind: 'shell', language: 'bash', destructive: false, step: { code, attrs }, ...extra } as unknown as PlannedStep
}

const setting = (): GuardSetting => ({ os, scratch, reportsDir: join(root, 'reports') })

async function guarded(code: string, attrs: StepAttributes = {}, timeoutMs = 20_000) {
  writeFileSync(canary, 'intact\n')
  const choice = chooseStepGuard(planned(code, attrs), baseEnv({ BACKUP_DIR: declared }), root, setting())
  if (!('confine' in choice)) throw new Error(`not confined: ${JSON.stringify(choice)}`)
  const c = collector()
  const r = await runShellStep({ code, shell: 'bash', env: baseEnv({ RUNBOOK_TMP: scratch, BACKUP_DIR: declared }), timeoutMs, tmpDir: scratch, onOutput: c.onOutput, confine: choice.confine, killGraceMs: 500 })
  return { ...r, ...c.out, guard: choice.guard }
}

describe('the OS guard on this machine', () => {
  it('is available (bubblewrap works here)', () => {
    expect(os).toMatchObject({ available: true })
  })

  it('a step writing outside its scratch folder fails with the path named; the canary is intact', async () => {
    const r = await guarded(`echo changed > ${canary}`)
    expect(r.exitCode).not.toBe(0)
    expect(r.stderr).toContain(canary)
    expect(r.stderr).toMatch(/Read-only file system/)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect(r.guard).toEqual({ held: 'os-readonly', writable: [scratch] })
  })

  it('rm, mv, truncation and a write through /proc/self/root are refused alike', async () => {
    for (const code of [`rm -f ${canary}`, `mv ${canary} ${canary}.x`, `: > ${canary}`, `cp /dev/null ${canary}`, `echo x > /proc/self/root${canary}`]) {
      const r = await guarded(code)
      expect(r.exitCode, code).not.toBe(0)
      expect(readFileSync(canary, 'utf8'), code).toBe('intact\n')
    }
  })

  it('cannot remount the view writable, unshare a mount namespace or mount over it, even as root', async () => {
    const r = await guarded(
      [
        'set +e',
        'mount -o remount,rw / ; echo "remount=$?"',
        `unshare -m sh -c 'mount -o remount,rw / && echo changed > ${canary}' ; echo "unshare=$?"`,
        `mount -t tmpfs none ${outside} ; echo "mount=$?"`,
        `echo changed > ${canary} ; echo "write=$?"`,
        // the capability-less bwrap monitor outside the view, and pid 1: their /proc/<pid>/root is the host's root
        `echo changed > /proc/$PPID/root${canary} ; echo "monitor-root=$?"`,
        `echo changed > /proc/1/root${canary} ; echo "init-root=$?"`,
        `unshare -Urm sh -c 'echo changed > ${canary}' ; echo "nested=$?"`,
        'echo 1 > /proc/sys/vm/drop_caches ; echo "sysctl=$?"',
        'echo 0 > /proc/sys/kernel/randomize_va_space ; echo "sysctl2=$?"',
        "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status",
      ].join('\n'),
    )
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect(r.stdout).toMatch(/remount=[1-9]/)
    expect(r.stdout).toMatch(/unshare=[1-9]/)
    expect(r.stdout).toMatch(/mount=[1-9]/)
    expect(r.stdout).toMatch(/write=[1-9]/)
    for (const attempt of ['monitor-root', 'init-root', 'nested', 'sysctl', 'sysctl2']) expect(r.stdout).toMatch(new RegExp(`${attempt}=[1-9]`))
    expect(readFileSync('/proc/sys/kernel/randomize_va_space', 'utf8').trim()).not.toBe('0')
    expect(r.stdout).toMatch(/CapEff:\s+0+\n/)
    expect(r.stdout).toMatch(/NoNewPrivs:\s+1/)
  })

  it('the scratch folder, $RUNBOOK_OUTPUT and a writes= path are writable, and nothing else', async () => {
    const r = await guarded(
      [
        'echo a > "$RUNBOOK_TMP/a"',
        'mktemp >/dev/null',
        'echo DONE=yes >> "$RUNBOOK_OUTPUT"',
        'echo dump > "$BACKUP_DIR/today.sql"',
        `if echo x > ${join(root, 'sibling')} 2>/dev/null; then echo sibling-written; fi`,
        `if echo x > ${canary} 2>/dev/null; then echo canary-written; fi`,
      ].join('\n'),
      { writes: ['$BACKUP_DIR'] },
    )
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.outputs).toEqual({ DONE: 'yes' })
    expect(readFileSync(join(declared, 'today.sql'), 'utf8')).toBe('dump\n')
    expect(r.stdout).not.toContain('written')
    expect(existsSync(join(root, 'sibling'))).toBe(false)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect(r.guard).toEqual({ held: 'os-readonly', writable: [scratch, declared] })
  })

  it('a step that swaps $RUNBOOK_OUTPUT for a symlink or a FIFO cannot make the runner read another file', async () => {
    const secret = join(outside, 'secret.env')
    writeFileSync(secret, 'SECRET=hunter2\n')
    const viaLink = await guarded(`rm -f "$RUNBOOK_OUTPUT"; ln -s ${secret} "$RUNBOOK_OUTPUT"`)
    expect(viaLink.exitCode, viaLink.stderr).toBe(0)
    expect(viaLink.outputs).toEqual({})
    expect(viaLink.outputErrors).toEqual([msg.executors.outputNotAFile])
    const viaFifo = await guarded('rm -f "$RUNBOOK_OUTPUT"; mkfifo "$RUNBOOK_OUTPUT"')
    expect(viaFifo.outputs).toEqual({})
    expect(viaFifo.outputErrors).toEqual([msg.executors.outputNotAFile])
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
  })

  it('a timeout stops bwrap and every process of the step (bwrap leads the group)', async () => {
    const marker = `guard-timeout-${process.pid}`
    const r = await guarded(`(exec -a ${marker} sleep 30) & trap '' TERM; sleep 30`, {}, 400)
    expect(r.timedOut).toBe(true)
    expect(await gone(marker)).toBe(true)
    expect(running(marker)).toBe(false)
  })

  it('a probe is confined too: it can write only the scratch folder', async () => {
    const choice = chooseProbeGuard(`echo x > ${canary}`, setting())
    expect('confine' in choice && choice.guard).toEqual({ held: 'os-readonly', writable: [scratch] })
    writeFileSync(canary, 'intact\n')
    const r = await runShellStep({ code: `echo x > ${canary}`, shell: 'bash', env: baseEnv(), timeoutMs: 10_000, tmpDir: scratch, confine: 'confine' in choice ? choice.confine : undefined })
    expect(r.exitCode).not.toBe(0)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
  })
})

describe('which guard holds a step', () => {
  const choose = (p: PlannedStep, g: Partial<GuardSetting> = {}) => chooseStepGuard(p, baseEnv(), root, { ...setting(), ...g })

  it('none, with the reason, for destructive, SQL and Redis steps, sudo, and a machine without the guard', () => {
    expect(choose(planned('rm -f x', {}, { destructive: true }))).toEqual({ guard: { held: 'none', why: msg.executors.guardNoneDestructive } })
    expect(choose(planned('await $`rm -f x`', {}, { kind: 'ts', destructive: true } as Partial<PlannedStep>))).toEqual({ guard: { held: 'none', why: msg.executors.guardNoneDestructive } })
    expect(choose(planned('await $`sudo ls /root`', {}, { kind: 'ts' } as Partial<PlannedStep>))).toEqual({ guard: { held: 'none', why: 'sudo' } })
    expect(choose(planned('await $`ls`', {}, { kind: 'ts' } as Partial<PlannedStep>), { os: { available: false, why: 'no bwrap' } })).toEqual({ guard: { held: 'none', why: msg.executors.guardNoneUnavailable('no bwrap') } })
    expect(choose(planned('select 1', {}, { kind: 'sql' } as Partial<PlannedStep>))).toEqual({ guard: { held: 'none', why: msg.executors.guardNoneSql } })
    expect(choose(planned('PING', {}, { kind: 'redis' } as Partial<PlannedStep>))).toEqual({ guard: { held: 'none', why: msg.executors.guardNoneRedis } })
    expect(choose(planned('sudo cat /etc/shadow | wc -l'))).toEqual({ guard: { held: 'none', why: 'sudo' } })
    expect(choose(planned('ls'), { os: { available: false, why: 'no bwrap' } })).toEqual({ guard: { held: 'none', why: msg.executors.guardNoneUnavailable('no bwrap') } })
  })

  it('TS and JS steps that are not destructive are held in the view; their worker argv has no --chdir and sorted binds', () => {
    const b = join(root, 'b')
    const a = join(root, 'a')
    for (const d of [a, b]) mkdirSync(d, { recursive: true })
    for (const kind of ['ts', 'js'] as const) {
      const choice = chooseStepGuard(planned('await $`ls`', { writes: [b, a] }, { kind } as Partial<PlannedStep>), baseEnv(), root, setting())
      expect(choice).toMatchObject({ guard: { held: 'os-readonly', writable: [scratch, b, a] } })
      const argv = 'confine' in choice && choice.confine ? choice.confine(['node', 'w.js']) : []
      expect(argv).not.toContain('--chdir')
      expect(argv.join(' ')).toContain(`--bind ${scratch} ${scratch} --bind ${a} ${a} --bind ${b} ${b}`)
    }
  })

  it('writes= is checked with or without the guard (the judge proves writes into it on the word of these checks)', () => {
    const off = { os: { available: false as const, why: 'no bwrap' } }
    expect(choose(planned('mkdir -p "$NOPE/x"', { writes: ['$NOPE'] }), off)).toEqual({ refused: msg.executors.writesUnset('$NOPE', 'NOPE') })
    expect(choose(planned('echo x > /etc/x', { writes: ['/etc'] }), off)).toEqual({ refused: msg.executors.writesSystemRoot('/etc', '/etc') })
    expect(choose(planned('sudo mkdir -p "$NOPE/x"', { writes: ['$NOPE'] }))).toEqual({ refused: msg.executors.writesUnset('$NOPE', 'NOPE') })
  })

  it('in a --sandbox run the folders that play remote services are writable to guarded steps (when they exist)', () => {
    const s3 = join(root, 's3')
    mkdirSync(s3, { recursive: true })
    expect(choose(planned('aws s3 cp x s3://b/x'), { remote: [s3, join(root, 'missing')] })).toMatchObject({ guard: { held: 'os-readonly', writable: [scratch, s3] } })
  })

  it('sudo counts only as a command word, not in a comment or inside another word', () => {
    expect(usesSudo('sudo -n true')).toBe(true)
    expect(usesSudo('x=1; sudo ls')).toBe(true)
    expect(usesSudo('echo $(sudo id)')).toBe(true)
    expect(usesSudo('ls | sudo tee /x')).toBe(true)
    expect(usesSudo('# sudo is not used here\nls')).toBe(false)
    expect(usesSudo('grep sudoers /etc/group')).toBe(false)
    expect(usesSudo('ls # then sudo')).toBe(false)
  })
})

describe('writes= paths', () => {
  const reports = join(root, 'reports')
  const check = (writes: string[], env: Record<string, string> = {}) => writablePaths(writes, env, root, reports)

  it('resolves $VAR and ${VAR}, relative paths from the cwd, and a missing path through its nearest folder', () => {
    expect(check(['$BACKUP_DIR', '${BACKUP_DIR}/new/deeper', 'backups'], { BACKUP_DIR: declared })).toEqual({ ok: true, paths: [declared] })
  })

  it('refuses /, system roots, the reports folder or a folder holding it, an unset variable, a symlink to /etc', () => {
    const link = join(root, 'etc-link')
    symlinkSync('/etc', link)
    for (const [writes, problem] of [
      [['/'], msg.executors.writesSystemRoot('/', '/')],
      [['/etc'], msg.executors.writesSystemRoot('/etc', '/etc')],
      [['/var/'], msg.executors.writesSystemRoot('/var/', '/var')],
      [['/usr/lib64'], msg.executors.writesSystemRoot('/usr/lib64', '/usr/lib64')],
      [['/lib'], msg.executors.writesSystemRoot('/lib', realpathSync('/lib'))],
      [['/home'], msg.executors.writesSystemRoot('/home', '/home')],
      [[link], msg.executors.writesSystemRoot(link, '/etc')],
      [['$NOPE/x'], msg.executors.writesUnset('$NOPE/x', 'NOPE')],
      [[reports], msg.executors.writesReports(reports, reports)],
      [[join(reports, 'x')], msg.executors.writesReports(join(reports, 'x'), reports)],
      [[root], msg.executors.writesReports(root, reports)],
    ] as const) {
      const r = check([...writes])
      expect(r.ok, writes[0]).toBe(false)
      if (!r.ok) expect(r.problem, writes[0]).toBe(problem)
    }
  })
})
