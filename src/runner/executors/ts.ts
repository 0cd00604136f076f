// TS/JS steps in the long-lived worker; every `$` command is checked for destructiveness before
// it starts — the whole line as zx will run it, prefix and postfix included — and one the step
// was not confirmed for goes through the orchestrator's question.
// So does a `redis` command the worker judged destructive in a step that is not destructive.
// `sql` calls are recorded as the step's statements (see ts-clients.ts for their rules).
import type { Answer, StepExecutor, TableBlock } from '../model/run-record.js'
import { openDetectionCache, type DetectionCache } from '../plan/judge-cache.js'
import { judgeDollarCommand } from './ts/command-judge.js'
import { TsHost } from './ts/host.js'
import { formatTimeout } from './step-stop.js'
import { msg } from '../terminal/messages/index.js'

export function createTsExecutor(): StepExecutor {
  let host: TsHost | undefined
  let cache: DetectionCache | undefined
  return {
    async run(ctx) {
      cache ??= openDetectionCache()
      host ??= new TsHost({ cache })
      let denial: Extract<Answer, { allow: false }> | undefined
      const result = await host.run(
        {
          code: ctx.planned.step.code,
          loader: ctx.planned.kind === 'ts' ? 'ts' : 'js',
          env: ctx.env,
          inputs: ctx.inputs,
          state: ctx.state,
          timeoutMs: ctx.timeoutMs,
          cwd: ctx.cwd,
          stepId: ctx.planned.id,
          signal: ctx.signal,
          ...(ctx.confine ? { confine: ctx.confine } : {}),
          db: {
            destructive: ctx.planned.destructive,
            safe: ctx.planned.declared === 'safe',
            dbVar: ctx.planned.step.attrs.db ?? 'DATABASE_URL',
            redisVar: ctx.planned.step.attrs.redis ?? 'REDIS_URL',
            runbookId: ctx.runbookId,
            stepId: ctx.planned.id,
          },
        },
        {
          onOutput: (text, stream) => ctx.io.output(text, stream),
          onCommand: async (command, judged, exact) => {
            const reasons = judged ?? (await judgeDollarCommand(command, exact))
            if (reasons.length === 0) return 'allow'
            const answer = await ctx.ask({ kind: 'command', command, reasons })
            if (answer.allow) return 'allow'
            denial = answer
            return { deny: answer.reason }
          },
          onCommandEnd: (cmd) => ctx.io.command(cmd),
          onStatement: (st) =>
            ctx.io.statement({
              line: ctx.planned.step.codeLine + (st.line ?? 1) - 1,
              sql: st.sql,
              command: st.command,
              rowCount: st.rowCount,
              durationMs: st.durationMs,
            }),
          onCheck: (check) => ctx.io.check(check),
          onNote: (md) => ctx.io.note(md),
          onTable: (rows) => ctx.io.table(toTable(rows)),
          confirm: async (question) => (await ctx.ask({ kind: 'confirm', message: question })).allow,
        },
      )
      const base = { state: result.state }
      if (result.blockedCommand && denial) return { ...base, status: denial.status === 'previewed' ? 'blocked' : denial.status, reason: denial.reason }
      if (result.timedOut) return { ...base, status: 'timed-out', reason: msg.executors.tsWorkerTimedOut(formatTimeout(ctx.timeoutMs)) }
      if (result.interrupted) return { ...base, status: 'interrupted', reason: msg.executors.interruptedBySignal }
      // Failed checks as the only cause: the walk words the reason from their names.
      if (result.failedChecks) return { ...base, status: 'failed', failedChecks: result.failedChecks }
      if (!result.ok) return { ...base, status: 'failed', reason: result.error ?? msg.executors.someChecksFailed }
      return { ...base, status: 'passed' }
    },
    async close() {
      cache?.save()
      await host?.close()
      host = undefined
    },
  }
}

/** `table(rows)` accepts an array of objects or of arrays. */
export function toTable(rows: unknown): TableBlock {
  const list = Array.isArray(rows) ? rows : [rows]
  const cell = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v))
  if (list.every((r) => Array.isArray(r))) {
    const [head, ...body] = list as unknown[][]
    return { columns: (head ?? []).map(cell), rows: body.map((r) => r.map(cell)), totalRows: body.length }
  }
  const columns = [...new Set(list.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : ['value'])))]
  const body = list.map((r) => (r && typeof r === 'object' ? columns.map((k) => cell((r as Record<string, unknown>)[k])) : [cell(r)]))
  return { columns, rows: body, totalRows: body.length }
}
