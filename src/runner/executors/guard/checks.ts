// What `runbook doctor` checks of the OS guard on this machine, each with how to fix it: Linux,
// bubblewrap on PATH, a namespace it may create, capabilities dropped inside, a remount refused.
import { msg } from '../../terminal/messages/index.js'
import { probeArgv } from './bwrap.js'
import { findBwrap, runQuietly } from './detect.js'

export interface GuardCheck {
  name: 'platform' | 'bubblewrap' | 'namespaces' | 'capabilities' | 'remount'
  ok: boolean
  detail: string
  /** How to make it work, when it does not. */
  fix?: string
}

export interface GuardReport {
  guard: 'os-readonly'
  available: boolean
  checks: GuardCheck[]
}

/** Runs argv inside the guard's smallest view; injected in tests of the doctor's output. */
export type RunGuarded = (bwrap: string, argv: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>

const runGuarded: RunGuarded = (bwrap, argv) => runQuietly(probeArgv(bwrap, argv))

/** The machine as checked; each part can be given (tests stand for other machines with them). */
export interface GuardMachine {
  platform?: string
  /** bubblewrap's path; `null`: not installed. */
  bwrap?: string | null
  run?: RunGuarded
}

export async function checkOsGuard(machine: GuardMachine = {}): Promise<GuardReport> {
  const platform = machine.platform ?? process.platform
  const bwrap = machine.bwrap === undefined ? findBwrap() : machine.bwrap
  const run = machine.run ?? runGuarded
  const d = msg.executors
  const checks: GuardCheck[] = []
  const report = (): GuardReport => ({ guard: 'os-readonly', available: checks.every((c) => c.ok), checks })
  checks.push(platform === 'linux' ? { name: 'platform', ok: true, detail: platform } : { name: 'platform', ok: false, detail: platform, fix: d.doctorFixPlatform })
  if (platform !== 'linux') return report()
  if (!bwrap) {
    checks.push({ name: 'bubblewrap', ok: false, detail: d.guardNoBwrap, fix: d.doctorFixBwrap })
    return report()
  }
  checks.push({ name: 'bubblewrap', ok: true, detail: bwrap })
  const trial = await run(bwrap, ['true'])
  if (trial.code !== 0) {
    checks.push({ name: 'namespaces', ok: false, detail: trial.stderr.split('\n')[0] || d.exitCode(trial.code), fix: d.doctorFixNamespaces })
    return report()
  }
  checks.push({ name: 'namespaces', ok: true, detail: d.doctorNamespacesOk })
  const status = await run(bwrap, ['cat', '/proc/self/status'])
  const capEff = /^CapEff:\s*([0-9a-f]+)/m.exec(status.stdout)?.[1]
  const noNewPrivs = /^NoNewPrivs:\s*1/m.test(status.stdout)
  const capsDropped = capEff !== undefined && /^0+$/.test(capEff) && noNewPrivs
  checks.push({ name: 'capabilities', ok: capsDropped, detail: d.doctorCapabilities(capEff ?? '?', noNewPrivs), ...(capsDropped ? {} : { fix: d.doctorFixBwrap }) })
  const remount = await run(bwrap, ['sh', '-c', 'mount -o remount,rw / 2>/dev/null && echo REMOUNTED; exit 0'])
  const blocked = remount.code === 0 && !remount.stdout.includes('REMOUNTED')
  checks.push({ name: 'remount', ok: blocked, detail: blocked ? d.doctorRemountBlocked : d.doctorRemountPossible, ...(blocked ? {} : { fix: d.doctorFixBwrap }) })
  return report()
}
