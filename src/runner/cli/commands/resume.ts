// `runbook resume REPORT`: continue an interrupted or failed run from its report.
import { resumeRun } from '../../run/run.js'
import { fromCwd, type CommandIo, type CommandResult } from '../io.js'

export interface ResumeCommandOptions {
  report: string
  force?: boolean
  yes?: boolean
  auto?: boolean
  envFile?: string
  sets?: Record<string, string>
  operator?: string
}

export async function resumeCommand(cwd: string, options: ResumeCommandOptions, io: CommandIo, resume = resumeRun): Promise<CommandResult> {
  const result = await resume({
    report: fromCwd(cwd, options.report),
    force: options.force,
    yes: options.yes,
    auto: options.auto,
    envFile: options.envFile === undefined ? undefined : fromCwd(cwd, options.envFile),
    sets: options.sets ?? {},
    operator: options.operator,
    // No `out`: the runner keeps its own streams, the walk on stdout and notices (processes
    // stopped from the killed run) on stderr.
    now: io.now,
  })
  return { exitCode: result.exitCode }
}
