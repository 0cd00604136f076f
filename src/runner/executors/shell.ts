// bash/sh steps: a script in its own process group, with $RUNBOOK_OUTPUT for KEY=value outputs.
import type { StepExecutor } from '../model/run-record.js'
import { runShellStep } from './shell-step.js'

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
      })
      if (result.leftoverKilled > 0) {
        ctx.io.note(`단계가 끝난 뒤 남아 있던 프로세스 ${result.leftoverKilled}개를 정지했습니다 (오래 살아야 하는 서비스는 systemctl, docker 또는 setsid로 시작하세요).`)
      }
      for (const problem of result.outputErrors) ctx.io.note(`$RUNBOOK_OUTPUT 형식 오류: ${problem}`)
      const outputs = Object.keys(result.outputs).length > 0 ? result.outputs : undefined
      if (result.timedOut) return { status: 'timed-out', exitCode: result.exitCode, reason: `시간 초과 (${ctx.timeoutMs / 1000}s): 프로세스 그룹을 정지함`, outputs }
      if (result.interrupted) return { status: 'interrupted', exitCode: result.exitCode, reason: '중단됨 (Ctrl-C 또는 SIGTERM)', outputs }
      if (result.exitCode === 0) return { status: 'passed', exitCode: 0, outputs }
      const why = result.signal ? `신호 ${result.signal}로 종료` : `종료 코드 ${result.exitCode}`
      return { status: 'failed', exitCode: result.exitCode, reason: why, outputs }
    },
  }
}
