// A step's `probe="…"` command, judged like a shell step: it runs before the gate asks anyone, so
// only a probe the judge proves read-only may run, whatever the step itself is declared to be.
import { msg } from '../terminal/messages/index.js'
import type { Detection } from '../model/runbook.js'

/** The judge's verdict on a probe, as on a shell step of the same text. */
export async function judgeProbe(command: string): Promise<Detection> {
  // Loaded on use: the shell parser is among the slowest imports of the runner.
  const { detect } = await import('../judge/index.js')
  return detect('shell', command)
}

/** Why a probe may not run: what the judge found, a syntax error, a refusal; [] when it may run. */
export function probeRefusals(verdict: Detection): string[] {
  const reasons = [
    ...(verdict.destructive ? verdict.reasons : []),
    ...verdict.syntaxErrors.map((e) => e.message),
    ...verdict.refused.map((r) => r.message),
  ]
  // A verdict of destructive without a reason still refuses: the judge could not prove it read-only.
  if (reasons.length === 0 && verdict.destructive) reasons.push(msg.lint.probeNotProven)
  return reasons
}
