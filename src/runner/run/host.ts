// What the walk asks of the host it runs on: is a command on PATH (`requires=`), does a probe
// pass (`probe=`), and Ctrl-C / SIGTERM / SIGHUP turned into the walk's interrupts.
import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { killAllRunning } from '../executors/process-group.js'
import { runShellStep } from '../executors/shell-step.js'
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

export async function runProbe(command: string, env: Record<string, string>, tmpDir: string): Promise<{ ok: boolean; output: string }> {
  let output = ''
  const result = await runShellStep({ code: command, shell: 'bash', env, timeoutMs: 15_000, tmpDir, onOutput: (t) => (output += t) })
  return { ok: result.exitCode === 0 && !result.timedOut, output }
}

/** First Ctrl-C stops the running step and asks; SIGTERM stops it and ends the run. */
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
