import { defineCommand } from 'citty'
import { keyValues, repeated } from '../args.js'
import { resumeRun } from '../../run/run.js'

export default defineCommand({
  meta: { name: 'resume', description: 'Continue an interrupted or failed run from its report' },
  args: {
    report: { type: 'positional', description: 'the report (.md or .json)', required: true },
    force: { type: 'boolean', description: 'resume even though the runbook changed since the run' },
    yes: { type: 'boolean', description: 'confirm destructive and critical steps' },
    auto: { type: 'boolean', description: 'run non-destructive steps without pausing' },
    'env-file': { type: 'string', description: 'read env from this KEY=value file' },
    set: { type: 'string', description: 'set an env var K=V (repeatable)' },
    operator: { type: 'string', description: 'who resumes it: "Name <mail>"' },
  },
  async run({ args, rawArgs }) {
    const result = await resumeRun({
      report: args.report,
      force: args.force,
      yes: args.yes,
      auto: args.auto,
      envFile: args['env-file'],
      sets: keyValues(repeated(rawArgs, 'set'), '--set'),
      operator: args.operator,
    })
    process.exitCode = result.exitCode
  },
})
