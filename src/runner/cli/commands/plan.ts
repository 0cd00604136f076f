// `runbook plan FILE`: the steps in order with their kind, safety (and why), timeout and needs.
import { assertValid, loadRunbook, warningLines } from '../../parse/load.js'
import { plan } from '../../plan/plan.js'
import { planToJson, renderPlan } from '../render-plan.js'
import { chalkFor } from '../colour.js'
import { runbookFile } from '../runbook-name.js'
import { done, type CommandIo, type CommandResult } from '../io.js'

export interface PlanOptions {
  file: string
  json?: boolean
}

export async function planCommand(cwd: string, options: PlanOptions, io: CommandIo): Promise<CommandResult> {
  const runbook = assertValid(await loadRunbook(await runbookFile(cwd, options.file), cwd))
  for (const line of warningLines(runbook)) io.stderr.write(line)
  const result = await plan(runbook)
  io.stdout.write(options.json ? JSON.stringify(planToJson(result), null, 2) + '\n' : renderPlan(result, chalkFor(io.stdout)))
  return done()
}
