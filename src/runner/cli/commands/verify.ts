// `runbook verify REPORT`: check a report's integrity and signatures; exit 1 when anything fails.
import { EXIT, RunbookError } from '../../model/errors.js'
import { worldReadable } from '../../report/access.js'
import { reportPaths } from '../../report/writer.js'
import { verifyReport, type VerifyOptions, type VerifyResult } from '../../sign/sign.js'
import { msg } from '../../terminal/messages/index.js'
import { chalkFor } from '../colour.js'
import { done, fromCwd, type CommandIo, type CommandResult } from '../io.js'
import type { ChalkInstance } from 'chalk'

export interface VerifyCommandOptions {
  report: string
  /** Allowed signers file (default .runbook/allowed_signers). */
  allowedSigners?: string
  json?: boolean
  /** `--approvals N`, as typed: the number to require when the runbook cannot be found. */
  approvals?: string
}

export async function verifyCommand(
  cwd: string,
  options: VerifyCommandOptions,
  io: CommandIo,
  verify: (report: string, allowedSigners: string, opts?: VerifyOptions) => Promise<VerifyResult> = verifyReport,
): Promise<CommandResult> {
  const report = fromCwd(cwd, options.report)
  const approvals = options.approvals === undefined ? undefined : approvalsOption(options.approvals)
  // A warning, not a failure: the report is intact, but it should not be open to everyone.
  const paths = reportPaths(report)
  for (const file of [paths.md, paths.json, paths.log]) if (await worldReadable(file)) io.stderr.write(`${msg.report.worldReadable(file)}\n`)
  const result = await verify(report, fromCwd(cwd, options.allowedSigners ?? '.runbook/allowed_signers'), { approvals, cwd })
  io.stdout.write(options.json ? JSON.stringify(result, null, 2) + '\n' : renderVerify(result, chalkFor(io.stdout)))
  return done(result.ok ? EXIT.ok : EXIT.failed)
}

function approvalsOption(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 10) throw new RunbookError(msg.cli.badApprovals(value), EXIT.usage)
  return n
}

export function renderVerify(result: VerifyResult, c: ChalkInstance): string {
  const out: string[] = []
  for (const s of result.signoffs) {
    const mark = s.valid ? c.green('✔') : c.red('✘')
    out.push(`${mark} ${msg.cli.signoffLine(s.signer, s.report, s.signedAt, s.status, s.checklist)}${s.comment ? `: ${s.comment}` : ''}`)
  }
  const { required, principals, counted, source } = result.approvals
  const have = counted ?? principals.length
  out.push(required === null ? msg.cli.approvalsUnknown(have) : msg.cli.approvals(have, required))
  if (source) out.push(source.from === 'runbook' ? msg.cli.approvalsFromRunbook(source.where) : msg.cli.approvalsFromVerifier(source.why ?? ''))
  for (const p of result.problems) out.push(`${c.red('✘')} ${p}`)
  out.push(result.ok ? `${c.green(msg.cli.verified)}: ${msg.cli.verifiedDetail}` : c.red(msg.cli.verifyFailed))
  return out.join('\n') + '\n'
}
