// The safety gates: whether a step runs (skip rules, requirements, rule 5, dry run, consent) and
// the answers to an executor's questions (a command found destructive at run time, a commit after
// preview, a step's own confirm). Decisions only: the caller runs the step and records the result.
import { msg } from '../terminal/messages/index.js'
import { localIso } from '../report/time.js'
import { renderStepIntro } from '../terminal/console-view.js'
import { judgeProbe, probeRefusals } from '../plan/probe.js'
import { showControlChars } from '../parse/control-chars.js'
import { showTouches } from './touch-show.js'
import type { Answer, Consent, Question } from '../model/run-record.js'
import type { PlannedStep } from '../model/runbook.js'
import { isPromptInterrupted, type Prompts, type StepAction } from '../terminal/prompts.js'
import type { RunDeps, RunSettings, SandboxGuard } from './deps.js'
import { formatSample } from '../executors/sql/render.js'
import { SAMPLE_ROWS } from '../executors/sql/sample.js'

/** What the gate decided for a step; every outcome but `run` and `quit` carries its reason. `fail`:
 * the step failed before it ran (a probe whose sudo could not elevate). */
export type Gate = { run: true; consent?: Consent } | { skip: string } | { block: string } | { decline: string } | { fail: string } | { quit: true }

export interface GateContext {
  settings: RunSettings
  deps: Omit<RunDeps, 'guard'> & { guard: SandboxGuard }
  /** KEY=value outputs of earlier steps: part of the env a step sees. */
  outputs(): Record<string, string>
  /** Brings the report on disk up to date before the walk waits for the operator. */
  beforeAsking(): Promise<void>
}

/** `--step ID` runs one step, `--from ID` starts at one: the others are skipped, saying why. */
export function selectionGate(planned: PlannedStep, index: number, startIndex: number, settings: RunSettings): Gate | undefined {
  if (settings.only !== undefined && planned.id !== settings.only) return { skip: msg.run.notSelected(`--step ${settings.only}`) }
  if (startIndex > 0 && index < startIndex) return { skip: msg.run.notSelected(`--from ${settings.from}`) }
  return undefined
}

/** Destructive SQL that runs in its transaction: in a dry run it is previewed and rolled back. */
function previewable(planned: PlannedStep): boolean {
  return planned.kind === 'sql' && !planned.step.attrs.autocommit
}

/** Decides whether a step runs: skip rules, requirements, rule 5, dry run, then consent. */
export async function gateStep(planned: PlannedStep, g: GateContext): Promise<Gate> {
  const { settings, deps } = g
  const attrs = planned.step.attrs
  if (planned.skip) return { skip: msg.run.exampleStep }
  // Runme's background steps are refused (docs/runbook-format.md): a step that outlives its
  // question and its record is not something this runner can account for.
  if (attrs.background) return { skip: msg.run.backgroundStep }
  if (attrs.excludeFromRunAll && settings.only !== planned.id) return { skip: msg.run.excludedFromRunAll }
  const missing = planned.requires.filter((cmd) => !deps.onPath(cmd))
  if (missing.length > 0) return { skip: msg.run.missingCommands(missing) }
  if (attrs.interactive && !deps.prompts) return { block: msg.run.interactiveNoTty }
  if (attrs.probe !== undefined) {
    // Judged before it runs, whatever the step's own declaration: a probe runs before anyone is asked.
    const refusals = probeRefusals(planned.probeDetection ?? (await judgeProbe(attrs.probe)))
    if (refusals.length > 0) return { block: msg.run.probeRefused(showControlChars(attrs.probe, (shown) => shown), refusals) }
    const probe = await deps.probe(attrs.probe, settings.env)
    // A probe that could not even run as written (sudo could not elevate) is no answer to "skip?":
    // the step fails with the reason (issue 13: a failure, never a silent skip).
    if (probe.error !== undefined) return { fail: probe.error }
    if (!probe.ok) return { skip: msg.run.probeFailed(attrs.probe, probe.output.trim().slice(-500)) }
  }
  // A destructive step a dry run skips anyway needs no rule-5 verdict.
  if (settings.sandboxDir && !(planned.destructive && settings.dryRun && !previewable(planned))) {
    const env = { ...settings.env, ...g.outputs() }
    const violations = await deps.guard.stepViolations(planned, env, settings.sandboxDir, attrs.cwd ?? settings.cwd)
    if (violations.length > 0) return { block: msg.run.sandboxRefused(violations) }
  }
  if (planned.destructive && settings.dryRun) return previewable(planned) ? { run: true } : { skip: msg.run.dryRunSkipped }
  if (deps.prompts) return askToRun(planned, g, deps.prompts)
  if (!planned.destructive) return { run: true }
  if (settings.yes) return { run: true, consent: consent(g, 'flag', msg.run.howFlag) }
  return { block: msg.run.noTtyNoYes }
}

/** At a terminal: the step is shown and the operator decides; destructive steps are confirmed. */
async function askToRun(planned: PlannedStep, g: GateContext, prompts: Prompts): Promise<Gate> {
  const { settings, deps } = g
  if (planned.destructive && settings.yes) return { run: true, consent: consent(g, 'flag', msg.run.howFlag) }
  // --auto runs safe steps without a pause; a destructive step always pauses.
  if (!planned.destructive && settings.auto) return { run: true }
  // A step that only records (`quiet`, proven read-only by the judge) runs without a question.
  if (attrsQuiet(planned) && !planned.destructive) {
    deps.view.write(`${deps.c.dim(`  ${msg.run.quietStep}`)}\n`)
    return { run: true }
  }
  const action = await askStepAction(planned, g, prompts)
  if (action === 'quit') return { quit: true }
  if (action === 'skip') {
    const why = (await prompts.skipReason?.()) ?? ''
    // Skipping a destructive step is declining it: what it was to change is left undone.
    if (planned.destructive) return { decline: why ? msg.run.operatorSkippedWhy(why) : msg.run.operatorSkippedDestructive }
    return { skip: why ? msg.run.operatorSkippedWhy(why) : msg.run.operatorSkipped }
  }
  // Previewable SQL asks again before it commits (see answerQuestion).
  if (!planned.destructive || previewable(planned)) return { run: true }
  const critical = planned.declared === 'critical'
  const message = msg.run.confirmDestructive(planned.id, settings.target)
  const ok = critical
    ? await prompts.typeStepId(message, planned.id).catch(noUnlessInterrupted)
    : await prompts.confirmDestructive(message).catch(noUnlessInterrupted)
  if (!ok) return { decline: msg.run.operatorDeclinedStep }
  return { run: true, consent: consent(g, 'operator', critical ? msg.run.howTypedId : msg.run.howPromptYes) }
}

/** The step shown (its code folded when long, whole on `v`) and the run / skip / quit question. */
async function askStepAction(planned: PlannedStep, g: GateContext, prompts: Prompts): Promise<Exclude<StepAction, 'view'>> {
  const { deps } = g
  const highlight = (language: string, code: string) => deps.highlight(language, code)
  const folded = foldedLines(planned.step.code)
  deps.view.write(renderStepIntro(planned, highlight, deps.c, folded ? { lines: FOLD_LINES, more: msg.run.codeFolded } : undefined))
  if (planned.destructive && planned.kind === 'shell') await showTouches(planned, g)
  await g.beforeAsking()
  for (;;) {
    // A failed prompt (not Ctrl-C) stops the walk rather than guessing an answer.
    const action = await prompts.stepAction(msg.run.stepPrompt(planned.id), planned.destructive, folded).catch((e: unknown) => {
      if (isPromptInterrupted(e)) throw e
      return 'quit' as const
    })
    if (action !== 'view') return action
    deps.view.write(renderStepIntro(planned, highlight, deps.c))
  }
}

/** Code longer than this is shown folded before the question, so the question stays on screen. */
export const FOLD_LINES = 12

function foldedLines(code: string): boolean {
  // Folding that hides only a line or two is not worth a key.
  return code.replace(/\n$/, '').split('\n').length > FOLD_LINES + 3
}

function attrsQuiet(planned: PlannedStep): boolean {
  return planned.step.attrs.quiet === true
}

/** A question that failed counts as "no"; Ctrl-C at it stops the walk (PromptInterrupted). */
function noUnlessInterrupted(e: unknown): false {
  if (isPromptInterrupted(e)) throw e
  return false
}

function consent(g: GateContext, by: Consent['by'], how: string): Consent {
  return { by, who: g.settings.operator, at: localIso(g.deps.now()), how }
}

/** Answers an executor's question for the step `planned`, which was let through with `stepConsent`. */
export async function answerQuestion(question: Question, planned: PlannedStep, stepConsent: Consent | undefined, g: GateContext): Promise<Answer> {
  if (question.kind === 'confirm') return answerConfirm(question.message, g)
  if (question.kind === 'commit') return answerCommit(question, planned, g)
  if (question.kind === 'irreversible') return answerIrreversible(question, planned, stepConsent, g)
  return answerCommand(question, planned, stepConsent, g)
}

async function answerConfirm(message: string, g: GateContext): Promise<Answer> {
  const { prompts } = g.deps
  if (!prompts) return { allow: false, reason: msg.run.noTtyToConfirm, status: 'blocked' }
  await g.beforeAsking()
  const ok = await prompts.confirm(message).catch(noUnlessInterrupted)
  return ok ? { allow: true, consent: consent(g, 'operator', msg.run.howConfirmed(message)) } : { allow: false, reason: msg.run.operatorDeclined, status: 'declined' }
}

async function answerCommit(question: Extract<Question, { kind: 'commit' }>, planned: PlannedStep, g: GateContext): Promise<Answer> {
  const { settings, deps } = g
  const { prompts } = deps
  if (settings.dryRun) return { allow: false, reason: msg.run.dryRunRolledBack, status: 'previewed' }
  if (settings.yes) return { allow: true, consent: consent(g, 'flag', msg.run.howFlagCommit) }
  if (!prompts) return { allow: false, reason: msg.run.noTtyRolledBack, status: 'blocked' }
  // The samples are unmasked: shown only to an operator who is asked, never in a log or the record.
  for (const s of question.samples ?? []) deps.view.write(formatSample(s.line, s.table, SAMPLE_ROWS))
  const summary = question.statements.map((s) => commitSummary(s)).join('\n')
  deps.view.write(`${deps.c.yellow(msg.run.commitPreview)}\n${summary}\n`)
  await g.beforeAsking()
  const message = msg.run.commitPrompt(settings.target)
  const ok = question.critical
    ? await prompts.typeStepId(message, planned.id).catch(noUnlessInterrupted)
    : await prompts.commit(message).catch(noUnlessInterrupted)
  if (!ok) return { allow: false, reason: msg.run.operatorRolledBack, status: 'declined' }
  return { allow: true, consent: consent(g, 'operator', question.critical ? msg.run.howCommittedTypedId : msg.run.howCommitted) }
}

/**
 * Destructive SQL that cannot be previewed (effects a rollback does not undo): a dry run does not
 * run it; otherwise it is asked like a destructive command, before anything runs, and then runs
 * and commits without the commit question.
 */
async function answerIrreversible(
  question: Extract<Question, { kind: 'irreversible' }>,
  planned: PlannedStep,
  stepConsent: Consent | undefined,
  g: GateContext,
): Promise<Answer> {
  const { settings, deps } = g
  const { prompts } = deps
  const statements = question.statements.map((s) => msg.run.notPreviewableStatement(s.line, s.reason))
  if (settings.dryRun) return { allow: false, reason: msg.run.dryRunNotPreviewable(statements), status: 'skipped' }
  if (stepConsent) return { allow: true, consent: stepConsent }
  if (settings.yes) return { allow: true, consent: consent(g, 'flag', msg.run.howFlag) }
  if (!prompts) return { allow: false, reason: msg.run.noTtyNotPreviewable(statements), status: 'blocked' }
  deps.view.write(deps.c.red(msg.run.notPreviewable(statements)))
  await g.beforeAsking()
  const message = msg.run.runWithoutPreviewPrompt(settings.target)
  const ok = question.critical
    ? await prompts.typeStepId(message, planned.id).catch(noUnlessInterrupted)
    : await prompts.confirmDestructive(message).catch(noUnlessInterrupted)
  if (!ok) return { allow: false, reason: msg.run.operatorDeclinedStep, status: 'declined' }
  return { allow: true, consent: consent(g, 'operator', question.critical ? msg.run.howTypedId : msg.run.howPromptYes) }
}

/** A statement in the commit summary, with the rows it changed per table when they were counted. */
function commitSummary(s: Extract<Question, { kind: 'commit' }>['statements'][number]): string {
  const lines = [msg.run.commitStatement(s.line, s.command, s.rowCount)]
  if (s.uncounted) lines.push(`    ${msg.executors.sqlUncounted(s.uncounted)}`)
  for (const c of s.tables ?? []) lines.push(`    ${msg.executors.sqlTableCounts(c.table, c.inserted, c.updated, c.deleted, c.truncated)}`)
  return lines.join('\n')
}

/** A command found destructive only at run time, inside a step that was not confirmed for it. */
async function answerCommand(
  question: Extract<Question, { kind: 'command' }>,
  planned: PlannedStep,
  stepConsent: Consent | undefined,
  g: GateContext,
): Promise<Answer> {
  const { settings, deps } = g
  const { prompts } = deps
  if (settings.sandboxDir) {
    const cwd = planned.step.attrs.cwd ?? settings.cwd
    const violations = await deps.guard.commandViolations(question.command, settings.sandboxDir, { cwd, env: settings.env })
    if (violations.length > 0) return { allow: false, reason: msg.run.sandboxRefusedCommand(question.command, violations), status: 'blocked' }
  }
  if (stepConsent) return { allow: true, consent: stepConsent }
  if (settings.dryRun) return { allow: false, reason: msg.run.dryRunCommand(question.command), status: 'blocked' }
  if (settings.yes) return { allow: true, consent: consent(g, 'flag', msg.run.howFlagCommand(question.command)) }
  if (!prompts) return { allow: false, reason: msg.run.undeclaredCommand(question.command, question.reasons), status: 'blocked' }
  deps.view.write(deps.c.red(msg.run.dangerousCommand(question.command, question.reasons)))
  await g.beforeAsking()
  const ok = await prompts.confirmDestructive(msg.run.commandPrompt(settings.target)).catch(noUnlessInterrupted)
  if (!ok) return { allow: false, reason: msg.run.operatorDeclinedCommand(question.command), status: 'declined' }
  return { allow: true, consent: consent(g, 'operator', msg.run.howCommand(question.command)) }
}
