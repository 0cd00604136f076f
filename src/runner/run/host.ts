// What the walk asks of the host it runs on: is a command on PATH (`requires=`), does a probe
// pass (`probe=`), and Ctrl-C / SIGTERM / SIGHUP turned into the walk's interrupts.
import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { killAllRunning } from '../executors/process-group.js'
import { runShellStep } from '../executors/shell-step.js'
import { chooseProbeGuard, type GuardSetting } from '../executors/guard/choose.js'
import { msg } from '../terminal/messages/index.js'
import type { Interrupts } from './deps.js'

export function onPath(command: string, pathVar: string): boolean {
  if (command.includes('/')) return isExecutable(command)
  return pathVar.split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, command)))
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Runs a step's probe, under the OS guard when there is one (a probe is read-only by intent). A probe
 * that failed because sudo could not elevate (its own `sudo: …` line) is an error, not a reason to skip.
 */
export async function runProbe(command: string, env: Record<string, string>, tmpDir: string, guard?: GuardSetting): Promise<{ ok: boolean; output: string; error?: string }> {
  let output = ''
  const choice = guard ? chooseProbeGuard(command, guard) : undefined
  const confine = choice && 'confine' in choice ? choice.confine : undefined
  const result = await runShellStep({ code: command, shell: 'bash', env, timeoutMs: 15_000, tmpDir, onOutput: (t) => (output += t), confine })
  const ok = result.exitCode === 0 && !result.timedOut
  const sudoLine = ok ? undefined : output.split('\n').find((line) => line.startsWith('sudo: '))
  return { ok, output, ...(sudoLine !== undefined ? { error: msg.executors.probeSudoFailed(sudoLine) } : {}) }
}

/** Ctrl-C (here, or at a prompt: `raise`), SIGTERM and SIGHUP stop the running step and end the walk. */
export function installInterrupts(): Interrupts & { dispose(): void } {
  let controller = new AbortController()
  let pending: 'interrupt' | 'terminate' | null = null
  const onInt = () => {
    pending ??= 'interrupt'
    controller.abort()
  }
  const onTerm = () => {
    pending = 'terminate'
    controller.abort()
  }
  const onExit = () => killAllRunning(0)
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  process.on('SIGHUP', onTerm)
  process.on('exit', onExit)
  return {
    stepSignal: () => controller.signal,
    raise: onInt,
    pending: () => pending,
    clear: () => {
      pending = null
      controller = new AbortController()
    },
    dispose: () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      process.off('SIGHUP', onTerm)
      process.off('exit', onExit)
    },
  }
}
