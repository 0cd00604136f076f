// `runbook read FILE`: the runbook rendered for a reader at a terminal; executes nothing.
import { loadHighlighter } from '../../terminal/highlight.js'
import { assertValid, loadRunbook, warningLines } from '../../parse/load.js'
import { plan } from '../../plan/plan.js'
import { renderRead } from '../render-read.js'
import { chalkFor } from '../colour.js'
import { runbookFile } from '../runbook-name.js'
import { done, type CommandIo, type CommandResult } from '../io.js'

export interface ReadOptions {
  file: string
}

export async function readCommand(cwd: string, options: ReadOptions, io: CommandIo): Promise<CommandResult> {
  const runbook = assertValid(await loadRunbook(await runbookFile(cwd, options.file), cwd))
  for (const line of warningLines(runbook)) io.stderr.write(line)
  const c = chalkFor(io.stdout)
  const [planned, highlight] = await Promise.all([plan(runbook), loadHighlighter(c)])
  io.stdout.write(renderRead(runbook, planned, { c, highlight, width: io.stdout.columns ?? 100 }))
  return done()
}
