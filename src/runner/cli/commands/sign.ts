// `runbook sign REPORT`: sign off a finished report with the operator's SSH key.
import { signReport } from '../../sign/sign.js'
import { msg } from '../../terminal/messages/index.js'
import { chalkFor } from '../colour.js'
import { done, fromCwd, type CommandIo, type CommandResult } from '../io.js'

export interface SignCommandOptions {
  report: string
  comment?: string
  /** SSH key (default: git's user.signingkey, else ssh-agent). */
  key?: string
  operator?: string
}

export async function signCommand(cwd: string, options: SignCommandOptions, io: CommandIo, sign = signReport): Promise<CommandResult> {
  const { mdPath, statement } = await sign({
    report: fromCwd(cwd, options.report),
    comment: options.comment,
    // As given: it may be a key itself rather than a file (git's user.signingkey allows both).
    key: options.key,
    operator: options.operator,
  })
  const c = chalkFor(io.stderr)
  const caveats = [
    statement.status !== 'passed' ? msg.cli.caveatRun(statement.status) : '',
    statement.checklist.startsWith('unfinished') ? msg.cli.caveatChecklist(statement.checklist) : '',
  ]
    .filter(Boolean)
    .join(', ')
  io.stderr.write(`${c.green('✔')} ${msg.cli.signed(mdPath, statement.principal)}${caveats ? c.yellow(` (${caveats})`) : ''}\n`)
  return done()
}
