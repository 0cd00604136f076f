// `runbook read`: the runbook rendered for a reader at a terminal (onboarding). Runs nothing.
import type { ChalkInstance } from 'chalk'
import { renderEnv, renderInput, safetyLabel } from './render-plan.js'
import { msg } from '../terminal/messages/index.js'
import { renderProse } from '../terminal/prose.js'
import { hasControlChars, showControlChars } from '../parse/control-chars.js'
import type { Plan, Runbook } from '../model/runbook.js'

export interface ReadView {
  c: ChalkInstance
  highlight: (language: string, code: string) => string
  width: number
}

export function renderRead(runbook: Runbook, plan: Plan, view: ReadView): string {
  const { c } = view
  // What the reader sees is what runs: control characters are shown as marks, never passed on.
  const mark = (shown: string) => c.inverse.yellow(shown)
  const visible = (text: string) => showControlChars(text, mark)
  const out: string[] = []
  const meta = runbook.meta
  out.push(c.bold.cyan(visible(meta.title)), c.dim(`${meta.id} · ${visible(runbook.path)}`))
  const facts = [
    meta.owner && msg.cli.owner(meta.owner),
    meta.schedule && msg.cli.schedule(meta.schedule),
    meta.cron && `cron ${meta.cron}`,
    meta.review?.next && msg.cli.nextReview(meta.review.next),
    msg.cli.stepCount(plan.steps.length, plan.steps.filter((s) => s.destructive).length),
  ].filter(Boolean)
  out.push(facts.join(' · '))
  if (plan.env.length) out.push('', c.bold(msg.cli.environment), ...plan.env.map((e) => `  ${renderEnv(e, c)}`))
  if (plan.inputs.length) out.push('', c.bold(msg.cli.inputs), ...plan.inputs.map((i) => `  ${renderInput(i, c)}`))
  out.push('')

  for (const segment of runbook.segments) {
    if (segment.type === 'heading') {
      const { level, text } = segment.heading
      // The `#` marks stay, so headings stand out without colour too (NO_COLOR, a pipe).
      const marked = `${'#'.repeat(level)} ${text}`
      out.push('', level <= 1 ? c.bold.underline(visible(marked)) : c.bold(visible(marked)))
    } else if (segment.type === 'prose') {
      out.push('', renderProse(visible(segment.markdown), c))
    } else if (segment.type === 'step') {
      const planned = plan.steps[segment.step.index]!
      const n = `${segment.step.index + 1}/${plan.steps.length}`
      out.push('', `${c.bold(`▶ ${n} ${planned.id}`)} ${c.dim(`[${planned.language}]`)} ${safetyLabel(planned, c)}`)
      if (planned.destructive) for (const r of planned.reasons) out.push(c.red(`  ! ${visible(r)}`))
      const code = segment.step.code.replace(/\n$/, '')
      // Code holding a control character is not highlighted: no colour of the highlighter can pass for a mark.
      const shown = hasControlChars(code) ? visible(code) : view.highlight(planned.language, code)
      out.push(gutter(shown, planned.destructive ? c.red('┃ ') : c.cyan('│ ')))
    } else {
      const { language, code } = segment.block
      out.push('', c.dim(`  ${msg.cli.shownOnly(language || 'text')}`), gutter(c.dim(visible(code.replace(/\n$/, ''))), c.dim('│ ')))
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n'
}

function gutter(code: string, mark: string): string {
  return code
    .split('\n')
    .map((l) => `  ${mark}${l}`)
    .join('\n')
}
