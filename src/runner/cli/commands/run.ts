import { defineCommand } from 'citty'
import { keyValues, repeated } from '../args.js'
import { isInteractive, runRunbook } from '../../run/run.js'

export default defineCommand({
  meta: { name: 'run', description: 'Walk through a runbook, step by step, into a dated report' },
  args: {
    file: { type: 'positional', description: 'runbook file', required: true },
    step: { type: 'string', description: 'run only this step' },
    from: { type: 'string', description: 'start at this step (earlier ones are skipped)' },
    auto: { type: 'boolean', description: 'run non-destructive steps without pausing' },
    yes: { type: 'boolean', description: 'confirm destructive and critical steps (for unattended runs)' },
    'dry-run': { type: 'boolean', description: 'safe steps run; destructive SQL is previewed and rolled back; other destructive steps are skipped' },
    input: { type: 'string', description: 'an input as K=V (repeatable)' },
    target: { type: 'string', description: 'read env from environments/NAME.env' },
    sandbox: { type: 'boolean', description: 'run against the local sandbox (.sandbox/env)' },
    'env-file': { type: 'string', description: 'read env from this KEY=value file' },
    set: { type: 'string', description: 'set an env var K=V (repeatable, highest precedence)' },
    operator: { type: 'string', description: 'who runs it: "Name <mail>" (default: git user)' },
    reports: { type: 'string', description: 'reports folder (default: reports/ or $RUNBOOK_REPORTS)' },
    json: { type: 'boolean', description: 'print the run record as JSON on stdout (the walk goes to stderr)' },
  },
  async run({ args, rawArgs }) {
    const result = await runRunbook({
      file: args.file,
      step: args.step,
      from: args.from,
      auto: args.auto,
      yes: args.yes,
      dryRun: args['dry-run'],
      inputs: keyValues(repeated(rawArgs, 'input'), '--input'),
      target: args.target,
      sandbox: args.sandbox,
      envFile: args['env-file'],
      sets: keyValues(repeated(rawArgs, 'set'), '--set'),
      operator: args.operator,
      reports: args.reports,
      out: args.json ? process.stderr : process.stdout,
    })
    if (args.json) process.stdout.write(JSON.stringify({ report: result.reportPath, ...result.record }, null, 2) + '\n')
    process.exitCode = result.exitCode
    if (isInteractive() && !args.json && result.record.status !== 'interrupted') await offerSignoff(result.reportPath, args.operator)
  },
})

/** At the end of an interactive run the operator may sign the report right away. */
async function offerSignoff(report: string, operator: string | undefined): Promise<void> {
  const { confirm, input } = await import('@inquirer/prompts')
  try {
    if (!(await confirm({ message: '보고서에 지금 서명할까요? (runbook sign)', default: false }))) return
    const comment = await input({ message: '서명 의견 (없으면 엔터):' })
    const { signReport } = await import('../../sign/sign.js')
    const { statement } = await signReport({ report, comment, operator })
    process.stderr.write(`✔ ${statement.principal} 서명 완료: ${report}\n`)
  } catch (e) {
    process.stderr.write(`서명하지 못했습니다: ${(e as Error).message}\n  나중에: runbook sign ${report}\n`)
  }
}
