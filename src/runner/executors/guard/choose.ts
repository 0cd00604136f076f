// Which guard holds a step or a probe: the OS guard's read-only view for shell and TS/JS code that
// is not destructive, else none, with the reason recorded (the judge alone then holds it).
import { existsSync } from 'node:fs'
import { msg } from '../../terminal/messages/index.js'
import { confinedArgv } from './bwrap.js'
import { writablePaths } from './writes.js'
import type { OsGuard } from './detect.js'
import type { StepGuard } from '../../model/run-record.js'
import type { PlannedStep } from '../../model/runbook.js'

/** The guard of one step: what is recorded, how its process is wrapped, or why it cannot run. */
export type GuardChoice = { guard: StepGuard; confine?: (argv: string[]) => string[] } | { refused: string }

export interface GuardSetting {
  os: OsGuard
  /** The run's scratch folder ($RUNBOOK_TMP). */
  scratch: string
  reportsDir?: string
  /** Writable for every guarded step: in a --sandbox run, the folders that play remote services
   * (its S3 bucket), which a real run reaches over the network. */
  remote?: readonly string[]
}

/**
 * `sudo` as a command word (not in a comment): bubblewrap sets no_new_privs, under which sudo cannot
 * elevate, so such code runs with the judge only. Mentioning sudo thus takes the OS guard off;
 * the judge still decides whether the step asks first (docs/SECURITY.md).
 */
export function usesSudo(code: string): boolean {
  return code.split('\n').some((line) => /(^|[\s;&|(`]|\$\()sudo(\s|$)/.test(line.replace(/(^|\s)#.*$/, '')))
}

/**
 * A TS/JS step's `confine` wraps its worker process (ts/host.ts: one worker per distinct view, kept
 * for the run) and its `$.sync` commands; the worker's `$` commands are its children, so inside the
 * view too. Its argv carries no --chdir: bwrap keeps the spawner's cwd (every path exists in the
 * view), so a worker's relative paths resolve as they would unguarded.
 */
export function chooseStepGuard(planned: PlannedStep, env: Record<string, string>, cwd: string, g: GuardSetting): GuardChoice {
  if (planned.kind === 'sql') return none(msg.executors.guardNoneSql)
  if (planned.kind === 'redis') return none(msg.executors.guardNoneRedis)
  if (planned.destructive) return none(msg.executors.guardNoneDestructive)
  // Checked with or without the guard: the judge proves writes into `$BACKUP_DIR/…` read-only on
  // the word of these checks (set, not empty, not a system root or the reports folder).
  const writes = writablePaths(planned.step.attrs.writes ?? [], env, cwd, g.reportsDir)
  if (!writes.ok) return { refused: writes.problem }
  if (!g.os.available) return none(msg.executors.guardNoneUnavailable(g.os.why))
  if (usesSudo(planned.step.code)) return none(msg.executors.guardNoneSudo)
  const remote = (g.remote ?? []).filter((p) => existsSync(p) && !writes.paths.includes(p))
  const worker = planned.kind === 'ts' || planned.kind === 'js'
  return confined(g.os.bwrap, g.scratch, [...writes.paths, ...remote], worker ? undefined : cwd)
}

/** A probe: read-only by intent, so guarded whenever possible (it may write only the scratch folder). */
export function chooseProbeGuard(command: string, g: GuardSetting): GuardChoice {
  if (!g.os.available) return none(msg.executors.guardNoneUnavailable(g.os.why))
  if (usesSudo(command)) return none(msg.executors.guardNoneSudo)
  return confined(g.os.bwrap, g.scratch, [], undefined)
}

function none(why: string): GuardChoice {
  return { guard: { held: 'none', why } }
}

function confined(bwrap: string, scratch: string, writable: string[], cwd: string | undefined): GuardChoice {
  return {
    guard: { held: 'os-readonly', writable: [scratch, ...writable] },
    // Sorted binds: the same view gives the same argv, which is how TS workers are shared (ts/host.ts).
    confine: (argv) => confinedArgv(bwrap, argv, { scratch, writable: [...writable].sort(), cwd }),
  }
}

