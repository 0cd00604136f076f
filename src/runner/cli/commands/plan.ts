import { defineCommand } from 'citty'
import { assertValid, loadRunbook } from '../../parse/load.js'
import { plan } from '../../plan/plan.js'
import { planToJson, renderPlan } from '../render-plan.js'
import { makeChalk } from '../../terminal/style.js'

export default defineCommand({
  meta: { name: 'plan', description: 'Show the steps in order: kind, destructive (and why), timeout, requires, env and inputs' },
  args: {
    file: { type: 'positional', description: 'runbook file', required: true },
    json: { type: 'boolean', description: 'print JSON for machines' },
  },
  async run({ args }) {
    const runbook = assertValid(await loadRunbook(args.file))
    const result = await plan(runbook)
    process.stdout.write(args.json ? JSON.stringify(planToJson(result), null, 2) + '\n' : renderPlan(result, makeChalk()))
  },
})
