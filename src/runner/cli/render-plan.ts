// Pure renderers of a Plan: the text an operator reads and the JSON a machine reads.
import { MASK, maskUrlSecrets } from '../run/redact.js'
import type { ChalkInstance } from 'chalk'
import { formatDuration } from '../parse/duration.js'
import { msg } from '../terminal/messages/index.js'
import { showControlChars } from '../parse/control-chars.js'
import { probeRefusals } from '../plan/probe.js'
import { table } from '../terminal/style.js'
import type { EnvSpec, InputSpec, Plan, PlannedStep } from '../model/runbook.js'

export function planToJson(plan: Plan) {
  return {
    runbook: plan.runbook,
    steps: plan.steps.map((s) => ({
      id: s.id,
      title: s.title,
      language: s.language,
      kind: s.kind,
      line: s.line,
      destructive: s.destructive,
      critical: s.declared === 'critical',
      detected: s.detected,
      declared: s.declared,
      reasons: s.reasons,
      skip: s.skip,
      timeoutMs: s.timeoutMs,
      requires: s.requires,
      probe: s.step.attrs.probe ?? null,
      probeVerdict: s.probeDetection ? { readOnly: probeRefusals(s.probeDetection).length === 0, reasons: probeRefusals(s.probeDetection) } : null,
      interactive: s.step.attrs.interactive === true,
      continueOnError: s.step.attrs.continueOnError === true,
      keepGoing: s.step.attrs.keepGoing === true,
      rechecks: s.step.attrs.rechecks ?? null,
    })),
    env: plan.env.map((e) => ({
      name: e.name,
      required: e.required,
      secret: e.secret,
      default: shownDefault(e) ?? null,
      description: e.description ?? null,
    })),
    inputs: plan.inputs.map((i) => ({
      name: i.name,
      type: i.type,
      choices: i.choices ?? null,
      default: i.default === undefined ? null : typeof i.default === 'string' ? maskUrlSecrets(i.default) : i.default,
      description: i.description ?? null,
    })),
    checklist: plan.checklist.map((c) => ({ text: c.text, line: c.line })),
  }
}

export function safetyLabel(s: PlannedStep, c: ChalkInstance): string {
  if (s.skip) return c.dim(msg.cli.safetySkip)
  if (s.declared === 'critical') return c.red.bold(msg.cli.safetyCritical)
  if (s.destructive) return c.red(s.declared ? msg.cli.safetyDestructive : msg.cli.safetyUndeclared)
  if (s.declared === 'safe') return c.green(msg.cli.safetyDeclaredSafe)
  return c.green(msg.cli.safetySafe)
}

/** The probe and the judge's verdict on it: it runs only when proven read-only. */
function renderProbe(s: PlannedStep, c: ChalkInstance, visible: (text: string) => string): string[] {
  if (s.step.attrs.probe === undefined) return []
  const refusals = s.probeDetection ? probeRefusals(s.probeDetection) : [msg.lint.probeNotProven]
  const verdict = refusals.length === 0 ? c.green(msg.cli.probeReadOnly) : c.red(msg.cli.probeRefused(visible(refusals.join('; '))))
  return [`${msg.cli.probe(visible(s.step.attrs.probe))} ${verdict}`]
}

export function renderPlan(plan: Plan, c: ChalkInstance): string {
  const out: string[] = []
  // What the operator reads is what runs: control characters in titles, reasons and probes are shown as marks.
  const visible = (text: string) => showControlChars(text, (shown) => c.inverse.yellow(shown))
  out.push(`${c.bold(visible(plan.runbook.title))} ${c.dim(`(${plan.runbook.id}) ${visible(plan.runbook.path)}`)}`, '')
  if (plan.steps.length === 0) out.push(c.dim(msg.cli.noSteps))
  else {
    const h = msg.cli.planHead
    const rows = [[h.index, h.step, h.kind, h.line, h.timeout, h.safety].map((text) => c.dim(text))]
    plan.steps.forEach((s, i) => {
      rows.push([String(i + 1), s.id, s.language, String(s.line), formatDuration(s.timeoutMs), safetyLabel(s, c)])
    })
    out.push(table(rows))
    const detailed = plan.steps.filter((s) => s.reasons.length > 0 || s.requires.length > 0 || s.step.attrs.probe !== undefined)
    if (detailed.length > 0) out.push('')
    for (const s of detailed) {
      const facts = [
        ...s.reasons.map((r) => (s.destructive ? c.red(visible(r)) : c.dim(visible(r)))),
        ...(s.requires.length ? [msg.cli.requires(s.requires.join(', '))] : []),
        ...renderProbe(s, c, visible),
      ]
      out.push(`${c.bold(s.id)}: ${facts.join('; ')}`)
    }
  }
  if (plan.env.length > 0) out.push('', c.bold(msg.cli.environment), ...plan.env.map((e) => `  ${renderEnv(e, c)}`))
  if (plan.inputs.length > 0) out.push('', c.bold(msg.cli.inputs), ...plan.inputs.map((i) => `  ${renderInput(i, c)}`))
  if (plan.checklist.length > 0) out.push('', c.bold(msg.cli.checklist), ...plan.checklist.map((i) => `  ${i.checked ? '☑' : '☐'} ${i.text}`))
  return out.join('\n') + '\n'
}

/** A default as `plan`, `read` and every `--json` show it: a secret's as `***`, a URL's password masked. */
function shownDefault(e: EnvSpec): string | undefined {
  if (e.default === undefined) return undefined
  return e.secret ? MASK : maskUrlSecrets(String(e.default))
}

export function renderEnv(e: EnvSpec, c: ChalkInstance): string {
  const flags = [e.required ? c.yellow(msg.cli.required) : '', e.secret ? c.magenta(msg.cli.secret) : ''].filter(Boolean)
  const dflt = e.default !== undefined ? c.dim(` = ${shownDefault(e)}`) : ''
  return `${e.name}${dflt}${flags.length ? ` [${flags.join(', ')}]` : ''}${e.description ? ` — ${e.description}` : ''}`
}

export function renderInput(i: InputSpec, c: ChalkInstance): string {
  const type = i.type === 'choice' && i.choices ? i.choices.join('|') : i.type
  const dflt = i.default !== undefined ? c.dim(` = ${typeof i.default === 'string' ? maskUrlSecrets(i.default) : i.default}`) : ''
  return `${i.name} (${type})${dflt}${i.description ? ` — ${i.description}` : ''}`
}
