// bash/sh steps: a script in its own process group, with $RUNBOOK_OUTPUT for KEY=value outputs.
import type { StepExecutor } from '../model/run-record.js'
import { msg } from '../terminal/messages/index.js'
import { runShellStep } from './shell-step.js'
import { formatTimeout } from './step-stop.js'

export function createShellExecutor(): StepExecutor {
  return {
    async run(ctx) {
      const { step } = ctx.planned
      const result = await runShellStep({
        code: step.code,
        shell: step.language === 'sh' ? 'sh' : 'bash',
        env: ctx.env,
        cwd: ctx.cwd,
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
        onOutput: (text, stream) => ctx.io.output(text, stream),
        interactive: step.attrs.interactive,
        tmpDir: ctx.tmpDir,
        onSpawn: step.attrs.interactive ? undefined : (pid) => ctx.io.process?.(pid),
        confine: ctx.confine,
      })
      if (result.leftoverKilled > 0) {
        ctx.io.note(msg.executors.shellLeftover(result.leftoverKilled))
      }
      for (const problem of result.outputErrors) ctx.io.note(msg.executors.shellOutputError(problem))
      const outputs = Object.keys(result.outputs).length > 0 ? result.outputs : undefined
      if (result.timedOut) return { status: 'timed-out', exitCode: result.exitCode, reason: msg.executors.shellTimedOut(formatTimeout(ctx.timeoutMs)), outputs }
      if (result.interrupted) return { status: 'interrupted', exitCode: result.exitCode, reason: msg.executors.interruptedBySignal, outputs }
      if (result.exitCode === 0) return { status: 'passed', exitCode: 0, outputs }
      // The process could not start or its spawner stopped: say that, not "exit code null".
      const why = result.error ?? (result.signal ? msg.executors.killedBy(result.signal) : msg.executors.exitCode(result.exitCode))
      return { status: 'failed', exitCode: result.exitCode, reason: why, outputs }
    },
  }
}
