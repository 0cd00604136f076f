// Shows what a destructive shell step will touch, before the operator is asked (touches.ts finds
// it). The file lists come from read-only commands: each is judged like a probe first and runs only
// when the judge proves it read-only, as a probe runs (the step's env, in its cwd, 15 s, under the
// OS guard when there is one). Whatever is not certain — a command that failed, timed out or was
// not proven read-only — is left out, without a word.
import { shellQuote } from '../model/shell-quote.js'
import { judgeProbe, probeRefusals } from '../plan/probe.js'
import { msg } from '../terminal/messages/index.js'
import { findTouches, type Touch } from './touches.js'
import type { PlannedStep } from '../model/runbook.js'
import type { GateContext } from './gate.js'

/** Entries of one list shown before "and N more". */
export const TOUCH_SHOWN = 20
const MARK = 'RUNBOOK-TOUCH-EXIT:'

export async function showTouches(planned: PlannedStep, g: GateContext): Promise<void> {
  const { deps, settings } = g
  const env = { ...settings.env, ...g.outputs() }
  const cwd = planned.step.attrs.cwd ?? settings.cwd
  let touches: Touch[]
  try {
    touches = await findTouches(planned.step.code, env)
  } catch {
    return
  }
  const blocks: string[] = []
  for (const touch of touches) {
    if (touch.kind === 'named') {
      blocks.push(`    ${msg.run.touchNamed(touch.what)} ${touch.names.join(', ')}`)
      continue
    }
    const files = await listFiles(touch.command, cwd, env, g)
    if (files === null) continue
    const label = touch.label.length > 100 ? `${touch.label.slice(0, 99)}…` : touch.label
    if (files.length === 0) {
      blocks.push(`    ${msg.run.touchNoFiles(label)}`)
      continue
    }
    const shown = files.slice(0, TOUCH_SHOWN).map((f) => `      ${f}`)
    if (files.length > TOUCH_SHOWN) shown.push(`      ${msg.run.touchMore(files.length - TOUCH_SHOWN)}`)
    blocks.push([`    ${msg.run.touchFiles(label)}`, ...shown].join('\n'))
  }
  if (blocks.length === 0) return
  deps.view.write(`${deps.c.yellow(`  ${msg.run.touchHeader}`)}\n${blocks.join('\n')}\n`)
}

/** The lines a read-only listing prints, or null when it is not proven read-only or did not finish. */
async function listFiles(command: string, cwd: string, env: Record<string, string>, g: GateContext): Promise<string[] | null> {
  const script = `cd -- ${shellQuote(cwd)} && { ${command} 2>/dev/null && echo ${MARK}0 || echo "${MARK}$?"; }`
  const refusals = probeRefusals(await judgeProbe(script))
  if (refusals.length > 0) return null
  const result = await g.deps.probe(script, env)
  if (result.error !== undefined) return null
  const lines = result.output.split('\n')
  const end = lines.findIndex((l) => l.startsWith(MARK))
  if (end === -1) return null
  const exit = Number(lines[end]!.slice(MARK.length))
  // find: any failure (a missing folder, an expression it rejects) makes the list uncertain. ls -d
  // exits 2 for a path that does not exist: the paths it printed exist, the others will not be
  // removed either.
  if (exit !== 0 && !(command.startsWith('ls ') && exit <= 2)) return null
  return [...new Set(lines.slice(0, end).filter((l) => l !== ''))]
}
