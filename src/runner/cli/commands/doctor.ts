// `runbook doctor [--json]`: which step guards work on this machine (the judge always; the OS
// guard when bubblewrap can make a read-only view without capabilities) and how to enable the rest.
import { checkOsGuard, type GuardReport } from '../../executors/guard/checks.js'
import { EXIT } from '../../model/errors.js'
import { msg } from '../../terminal/messages/index.js'
import { chalkFor } from '../colour.js'
import { done, type CommandIo, type CommandResult } from '../io.js'
import type { ChalkInstance } from 'chalk'

export interface DoctorOptions {
  json?: boolean
}

/** Exit 0 when the OS guard works here, 1 when it does not (the report says why and how to fix). */
export async function doctorCommand(_cwd: string, options: DoctorOptions, io: CommandIo, check: () => Promise<GuardReport> = () => checkOsGuard()): Promise<CommandResult> {
  const report = await check()
  if (options.json) io.stdout.write(`${JSON.stringify({ judge: { available: true }, os: report }, null, 2)}\n`)
  else io.stdout.write(renderDoctor(report, chalkFor(io.stdout)))
  return done(report.available ? EXIT.ok : EXIT.failed)
}

export function renderDoctor(report: GuardReport, c: ChalkInstance): string {
  const d = msg.executors
  const lines = [c.bold(d.doctorTitle), `  ${c.green('✔')} ${d.doctorJudge}`]
  for (const check of report.checks) {
    lines.push(`  ${check.ok ? c.green('✔') : c.red('✘')} ${d.doctorCheckNames[check.name]}: ${check.detail}`)
    if (check.fix) lines.push(`      ${c.yellow(`${d.doctorFixLabel}: ${check.fix}`)}`)
  }
  lines.push(report.available ? c.green(d.doctorOsAvailable) : c.yellow(d.doctorOsMissing))
  return `${lines.join('\n')}\n`
}
