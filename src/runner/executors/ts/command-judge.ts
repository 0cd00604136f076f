// The run-time `$` gate's judgement: the command line exactly as zx will spawn it (its prefix and
// postfix, values as zx quoted them) under the shell that will run it. A line for a program that
// is not a POSIX shell, or one that does not parse, cannot be proven read-only.
import path from 'node:path'
import { detectShell } from '../../judge/shell.js'
import { msg } from '../../terminal/messages/index.js'
import type { ExactCommand } from './protocol.js'

const SHELLS = new Set(['bash', 'sh', 'dash'])

/** Why a `$` command may change the world; empty when the judge proves it read-only. */
export async function judgeDollarCommand(command: string, exact: ExactCommand | undefined): Promise<string[]> {
  if (exact && !SHELLS.has(path.basename(exact.shell))) return [msg.executors.tsGateShell(exact.shell)]
  const detection = await detectShell(exact ? exact.line : command)
  const reasons = [...detection.reasons]
  for (const e of detection.syntaxErrors) reasons.push(msg.executors.tsGateUnparsed(e.message))
  return reasons
}
