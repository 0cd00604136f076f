// `runbook repair REPORT`: finish the report of a run whose runner died, from its journal (see
// report/repair.ts). Exit 0 when the report is final or was made final, 1 when the run had not
// ended (its report is rendered as incomplete; `resume` continues it).
import { EXIT, RunbookError } from '../../model/errors.js'
import { loadRunbook } from '../../parse/load.js'
import { repairReport } from '../../report/repair.js'
import { msg } from '../../terminal/messages/index.js'
import { done, fromCwd, type CommandIo, type CommandResult } from '../io.js'

export interface RepairOptions {
  report: string
}

export async function repairCommand(cwd: string, options: RepairOptions, io: CommandIo): Promise<CommandResult> {
  const report = fromCwd(cwd, options.report)
  const result = await repairReport(report, async (record) => {
    try {
      return await loadRunbook(fromCwd(cwd, record.runbook.path))
    } catch (e) {
      throw new RunbookError(msg.report.repairNoRunbook(record.runbook.path, (e as Error).message), EXIT.usage, report)
    }
  })
  for (const file of result.removed) io.stderr.write(`${msg.report.repairRemoved(file)}\n`)
  if (result.discarded) io.stdout.write(`${msg.report.repairDiscarded(report)}\n`)
  else if (!result.rendered) io.stdout.write(`${msg.report.repairNothing(report)}\n`)
  else if (result.finished) io.stdout.write(`${msg.report.repairFinished(report, msg.run.runStatus(result.status))}\n`)
  else io.stdout.write(`${msg.report.repairIncomplete(report)}\n`)
  return done(result.finished ? EXIT.ok : EXIT.failed)
}
