// `runbook verify REPORT`: check a report's integrity and signatures; exit 1 when anything fails.
import { EXIT } from '../../model/errors.js'
import { worldReadable } from '../../report/access.js'
import { reportPaths } from '../../report/writer.js'
import { verifyReport, type VerifyResult } from '../../sign/sign.js'
import { msg } from '../../terminal/messages/index.js'
import { chalkFor } from '../colour.js'
import { done, fromCwd, type CommandIo, type CommandResult } from '../io.js'
import type { ChalkInstance } from 'chalk'

export interface VerifyCommandOptions {
  report: string
  /** Allowed signers file (default .runbook/allowed_signers). */
  allowedSigners?: string
  json?: boolean
}

export async function verifyCommand(cwd: string, options: VerifyCommandOptions, io: CommandIo, verify = verifyReport): Promise<CommandResult> {
  const report = fromCwd(cwd, options.report)
  // A warning, not a failure: the report is intact, but it should not be open to everyone.
  const paths = reportPaths(report)
  for (const file of [paths.md, paths.json, paths.log]) if (await worldReadable(file)) io.stderr.write(`${msg.report.worldReadable(file)}\n`)
  const result = await verify(report, fromCwd(cwd, options.allowedSigners ?? '.runbook/allowed_signers'))
  io.stdout.write(options.json ? JSON.stringify(result, null, 2) + '\n' : renderVerify(result, chalkFor(io.stdout)))
  return done(result.ok ? EXIT.ok : EXIT.failed)
}

export function renderVerify(result: VerifyResult, c: ChalkInstance): string {
  const out: string[] = []
  for (const s of result.signoffs) {
    const mark = s.valid ? c.green('✔') : c.red('✘')
    out.push(`${mark} ${msg.cli.signoffLine(s.signer, s.report, s.signedAt, s.status, s.checklist)}${s.comment ? `: ${s.comment}` : ''}`)
  }
  out.push(msg.cli.approvals(result.approvals.principals.length, result.approvals.required))
  for (const p of result.problems) out.push(`${c.red('✘')} ${p}`)
  out.push(result.ok ? `${c.green(msg.cli.verified)}: ${msg.cli.verifiedDetail}` : c.red(msg.cli.verifyFailed))
  return out.join('\n') + '\n'
}
