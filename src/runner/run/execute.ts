// execute(plan, deps) → RunRecord: walks the steps in order, applies the safety gates, runs each
// step through the executor of its language and records every result before the next starts.
// The terminal, prompts, executors, clock and report writer are passed in.
import type { ChalkInstance } from 'chalk'
import { OutputCapture } from './capture.js'
import { renderStepHeader, renderStepIntro, renderStepResult, type ConsoleView } from '../terminal/console-view.js'
import { createStreamRedactor, redact } from './redact.js'
import { applyEvent, emptyResults } from '../report/fold.js'
import { localIso } from '../report/time.js'
import type { Prompts } from '../terminal/prompts.js'
import type {
  Answer,
  ChecklistTick,
  Consent,
  ExecutorRegistry,
  Question,
  RunEvent,
  RunRecord,
  RunStatus,
  StepOutcome,
  StepRecord,
  StepStatus,
} from '../model/run-record.js'
import type { Plan, PlannedStep, Runbook } from '../model/runbook.js'

export interface RunSettings {
  dryRun: boolean
  yes: boolean
  auto: boolean
  only?: string
  from?: string
  target: string
  /** The sandbox folder in --sandbox runs: steps that would change the host outside it are refused (rule 5). */
  sandboxDir?: string
  operator: string
  cwd: string
  tmpDir: string
  env: Record<string, string>
  inputs: Record<string, string>
  logName: string
}

export interface Recorder {
  append(event: RunEvent): Promise<void>
  appendLog(stepId: string, text: string): void
  render(record: RunRecord): Promise<void>
}

/** Ctrl-C and SIGTERM, as seen by the walk. */
export interface Interrupts {
  /** Aborted on the first Ctrl-C or a SIGTERM while a step runs. */
  stepSignal(): AbortSignal
  /** 'terminate' after SIGTERM (stop without asking), 'interrupt' after Ctrl-C, else null. */
  pending(): 'interrupt' | 'terminate' | null
  clear(): void
}

export interface RunDeps {
  executors: ExecutorRegistry
  prompts: Prompts | null
  view: ConsoleView
  c: ChalkInstance
  highlight(language: string, code: string): string
  recorder: Recorder
  interrupts: Interrupts
  secrets: string[]
  now(): Date
  onPath(command: string): boolean
  probe(command: string, env: Record<string, string>): Promise<{ ok: boolean; output: string }>
}

export const CHECKS_FAILED = '실패한 점검: '
/** Why a --sandbox run refused a step (safety rule 5). */
export const SANDBOX_REFUSED = '샌드박스 밖의 호스트를 바꾸는 단계라 실행하지 않음 (안전 규칙 5): '

/** Statuses a resume does not run again. */
const SETTLED: StepStatus[] = ['passed', 'skipped', 'previewed']

export async function executeRun(
  plan: Plan,
  runbook: Runbook,
  initial: RunRecord,
  settings: RunSettings,
  deps: RunDeps,
): Promise<RunRecord> {
  const { c, view, prompts } = deps
  let record = initial
  const emit = async (event: RunEvent) => {
    const safe = redactDeep(event, deps.secrets)
    record = applyEvent(record, safe)
    await deps.recorder.append(safe)
  }
  const at = () => localIso(deps.now())
  const env = { ...settings.env, ...(record.outputs ?? {}) }
  let stop: RunStatus | null = null
  let sawDecline = false
  let checklistDone = 0
  const startIndex = settings.from ? plan.steps.findIndex((s) => s.id === settings.from) : 0

  const tickChecklistBefore = async (line: number) => {
    const due = runbook.checklist.filter((item, i) => i >= checklistDone && item.line < line)
    checklistDone += due.length
    if (due.length === 0 || !prompts || stop) return
    const pendingItems = due.filter((item) => !record.checklist.some((t) => t.line === item.line && t.checked))
    if (pendingItems.length === 0) return
    await deps.recorder.render(record)
    const answers = await prompts.tick(pendingItems.map((i) => i.text))
    for (const [i, item] of pendingItems.entries()) {
      const tick: ChecklistTick = { text: item.text, line: item.line, checked: answers[i] ?? false, by: settings.operator, at: at() }
      await emit({ type: 'checklist-ticked', tick })
    }
  }

  for (const [index, planned] of plan.steps.entries()) {
    if (deps.interrupts.pending() === 'terminate') stop = 'interrupted'
    if (stop) break
    const previous = record.steps[index]
    if (previous && SETTLED.includes(previous.status) && previous.attempts > 0) continue
    await tickChecklistBefore(planned.line)
    if (stop) break
    const n = index + 1
    const total = plan.steps.length
    view.write(`\n${renderStepHeader(planned, n, total, settings.target, c)}\n`)

    const notSelected =
      (settings.only !== undefined && planned.id !== settings.only) || (startIndex > 0 && index < startIndex)
    const gate = notSelected
      ? ({ skip: `선택되지 않음 (${settings.only ? `--step ${settings.only}` : `--from ${settings.from}`})` } as const)
      : await gateStep(planned, settings, deps, () => record)
    if ('quit' in gate) {
      stop = 'aborted'
      break
    }
    if ('skip' in gate || 'block' in gate || 'decline' in gate) {
      const status: StepStatus = 'skip' in gate ? 'skipped' : 'block' in gate ? 'blocked' : 'declined'
      const reason = 'skip' in gate ? gate.skip : 'block' in gate ? gate.block : gate.decline
      const rec = finished(planned, record, { status, reason }, at())
      view.write(renderStepResult(rec.step, c))
      await emit(rec.event)
      if (status === 'blocked') stop = 'blocked'
      if (status === 'declined') sawDecline = true
      continue
    }

    // Run, and at a terminal offer retry / skip / abort after a failure.
    for (let attempt = 1; ; attempt++) {
      const rec = await runStep(planned, index, attempt, gate.consent, settings, deps, env, () => record, emit)
      view.write(renderStepResult(rec.step, c))
      await emit(rec.event)
      if (rec.outputs && Object.keys(rec.outputs).length > 0) Object.assign(env, rec.outputs)

      const status = rec.step.status
      const signal = deps.interrupts.pending()
      if (status === 'interrupted' || signal) {
        deps.interrupts.clear()
        if (signal === 'terminate' || !prompts) stop = 'interrupted'
        else {
          await deps.recorder.render(record)
          const choice = await prompts.afterInterrupt().catch(() => 'quit' as const)
          if (choice === 'quit') stop = 'interrupted'
        }
        break
      }
      if (status === 'blocked') {
        stop = 'blocked'
        break
      }
      if (status === 'declined') sawDecline = true
      if (status !== 'failed' && status !== 'timed-out') break
      if (prompts && !planned.step.attrs.continueOnError) {
        await deps.recorder.render(record)
        const choice = await prompts.afterFailure(`${planned.id} 단계가 실패했습니다 (${status}). 어떻게 할까요?`)
        if (choice === 'retry') continue
        if (choice === 'abort') stop = 'aborted'
        break
      }
      if (!planned.step.attrs.continueOnError) stop = 'failed'
      break
    }
  }
  if (!stop) await tickChecklistBefore(Number.POSITIVE_INFINITY)

  const status: RunStatus = stop ?? finalStatus(record, sawDecline)
  await emit({ type: 'run-finished', at: at(), status })
  return record
}

function finalStatus(record: RunRecord, sawDecline: boolean): RunStatus {
  const statuses = record.steps.map((s) => s.status)
  if (statuses.some((s) => s === 'failed' || s === 'timed-out' || s === 'interrupted')) return 'failed'
  if (sawDecline || statuses.some((s) => s === 'blocked' || s === 'declined')) return 'blocked'
  return 'passed'
}

type Gate = { run: true; consent?: Consent } | { skip: string } | { block: string } | { decline: string } | { quit: true }

/** Decides whether a step runs: skip rules, requirements, then consent. */
async function gateStep(planned: PlannedStep, settings: RunSettings, deps: RunDeps, record: () => RunRecord): Promise<Gate> {
  const { prompts, c } = deps
  const attrs = planned.step.attrs
  if (planned.skip) return { skip: '예시 단계 ({skip}): 실행하지 않음' }
  const missing = planned.requires.filter((cmd) => !deps.onPath(cmd))
  if (missing.length > 0) return { skip: `필요한 명령이 PATH에 없음: ${missing.join(', ')}` }
  if (attrs.interactive && !prompts) return { block: '터미널이 필요한 단계(interactive)인데 TTY가 없음' }
  if (attrs.probe) {
    const probe = await deps.probe(attrs.probe, settings.env)
    if (!probe.ok) return { skip: `probe 실패 (${attrs.probe}): ${probe.output.trim().slice(-500) || '출력 없음'}` }
  }

  const previewable = planned.kind === 'sql' && !attrs.autocommit
  if (settings.sandboxDir && !(planned.destructive && settings.dryRun && !previewable)) {
    const env = { ...settings.env, ...(record().outputs ?? {}) }
    const { sandboxStepViolations } = await import('../../sandbox/guard.js')
    const violations = await sandboxStepViolations(planned, env, settings.sandboxDir, attrs.cwd ?? settings.cwd)
    if (violations.length > 0) return { block: `${SANDBOX_REFUSED}${violations.join('; ')}` }
  }
  if (planned.destructive && settings.dryRun) {
    // Destructive SQL runs in its transaction and is always rolled back: the preview.
    return previewable ? { run: true } : { skip: 'dry run: 위험 단계는 실행하지 않음' }
  }

  if (prompts) {
    if (planned.destructive && settings.yes) return { run: true, consent: flagConsent(deps, settings.operator) }
    const intro = renderStepIntro(planned, deps.highlight(planned.language, planned.step.code), c)
    const needsPause = planned.destructive || !settings.auto
    if (needsPause) deps.view.write(intro)
    if (!needsPause) return { run: true }
    await deps.recorder.render(record())
    let action
    try {
      action = await prompts.stepAction(`${planned.id}: 실행할까요?`, planned.destructive)
    } catch {
      return { quit: true }
    }
    if (action === 'quit') return { quit: true }
    if (action === 'skip') return { skip: '운영자가 건너뜀' }
    if (!planned.destructive || previewable) return { run: true }
    const message = `⚠ 대상 ${settings.target}에서 위험 단계 ${planned.id}를 실행합니다. 계속할까요?`
    const ok =
      planned.declared === 'critical'
        ? await prompts.typeStepId(message, planned.id).catch(() => false)
        : await prompts.confirmDestructive(message).catch(() => false)
    if (!ok) return { decline: '운영자가 위험 단계 실행을 거절함' }
    const how = planned.declared === 'critical' ? '단계 id를 입력해 확인' : '프롬프트에서 yes'
    return { run: true, consent: { by: 'operator', who: settings.operator, at: localIso(deps.now()), how } }
  }

  if (!planned.destructive) return { run: true }
  if (settings.yes) return { run: true, consent: flagConsent(deps, settings.operator) }
  return { block: '위험 단계: TTY가 없고 --yes도 없어 실행하지 않음 (확인하려면 터미널에서 실행하거나 --yes)' }
}

function flagConsent(deps: RunDeps, operator: string): Consent {
  return { by: 'flag', who: operator, at: localIso(deps.now()), how: '--yes' }
}

interface FinishedStep {
  step: StepRecord
  event: RunEvent
  outputs?: Record<string, string>
}

function finished(planned: PlannedStep, record: RunRecord, outcome: Partial<StepRecord> & { status: StepStatus }, at: string): FinishedStep {
  const base = record.steps.find((s) => s.id === planned.id) ?? blankStep(planned)
  const step: StepRecord = { ...base, ...outcome, finished: at }
  return { step, event: { type: 'step-finished', at, step } }
}

export function blankStep(planned: PlannedStep): StepRecord {
  return {
    id: planned.id,
    title: planned.title,
    language: planned.language,
    kind: planned.kind,
    line: planned.line,
    destructive: planned.destructive,
    declared: planned.declared,
    reasons: planned.reasons,
    attempts: 0,
    ...emptyResults(),
  }
}

async function runStep(
  planned: PlannedStep,
  index: number,
  attempt: number,
  consent: Consent | undefined,
  settings: RunSettings,
  deps: RunDeps,
  env: Record<string, string>,
  record: () => RunRecord,
  emit: (e: RunEvent) => Promise<void>,
): Promise<FinishedStep> {
  const started = deps.now()
  await emit({ type: 'step-started', at: localIso(started), stepId: planned.id })
  const redactor = createStreamRedactor(deps.secrets)
  const capture = new OutputCapture()
  const rec: StepRecord = { ...blankStep(planned), attempts: attempt, started: localIso(started), consent }
  deps.recorder.appendLog(planned.id, `\n===== ${planned.id} (attempt ${attempt}) ${localIso(started)} =====\n`)
  const showOutput = (text: string) => {
    if (!text) return
    deps.view.output(text)
    capture.add(text)
    deps.recorder.appendLog(planned.id, text)
  }
  deps.view.stepStarted(`[${index + 1}] ${planned.id}`)
  const signal = deps.interrupts.stepSignal()

  const ask = async (question: Question): Promise<Answer> => {
    deps.view.stepEnded()
    const answer = await answerQuestion(question, planned, consent, settings, deps, record)
    if (answer.allow && answer.consent) rec.consent = answer.consent
    deps.view.stepStarted(`[${index + 1}] ${planned.id}`)
    return answer
  }

  let outcome: StepOutcome
  try {
    outcome = await deps.executors[planned.kind].run({
      planned,
      runbookId: record().runbook.id,
      runId: record().runId,
      target: settings.target,
      env: { ...env },
      inputs: settings.inputs,
      state: structuredClone(record().state),
      timeoutMs: planned.timeoutMs,
      signal,
      dryRun: settings.dryRun,
      cwd: planned.step.attrs.cwd ?? settings.cwd,
      tmpDir: settings.tmpDir,
      io: {
        output: (text) => showOutput(redactor.push(text)),
        check: (check) => rec.checks.push(check),
        note: (md) => rec.notes.push(md),
        table: (t) => rec.tables.push(t),
        command: (cmd) => rec.commands.push(cmd),
        statement: (s) => rec.statements.push(s),
        process: (pgid) => {
          emit({ type: 'step-process', stepId: planned.id, pgid }).catch(() => undefined)
        },
      },
      ask,
    })
  } catch (e) {
    outcome = { status: 'failed', reason: `내부 오류: ${(e as Error).message}` }
  }
  showOutput(redactor.flush())
  deps.view.stepEnded()

  let status = outcome.status
  if (signal.aborted && (status === 'failed' || status === 'passed')) status = 'interrupted'
  if (status === 'passed' && rec.checks.some((ch) => !ch.ok)) status = 'failed'
  const failedChecks = rec.checks.filter((ch) => !ch.ok).map((ch) => ch.name)
  const checksOnly = failedChecks.length > 0 && (!outcome.reason || outcome.reason.startsWith('check failed'))
  const reason = checksOnly ? `${CHECKS_FAILED}${failedChecks.join(', ')}` : outcome.reason
  const ended = deps.now()
  const step: StepRecord = {
    ...rec,
    status,
    exitCode: outcome.exitCode,
    reason: status === 'passed' ? undefined : reason,
    consent: outcome.consent ?? rec.consent,
    finished: localIso(ended),
    durationMs: ended.getTime() - started.getTime(),
    output: capture.text(settings.logName),
    outputBytes: capture.bytes,
    outputTruncated: capture.truncated,
  }
  if (outcome.state || outcome.outputs) {
    const state = { ...(outcome.state ?? record().state), ...(outcome.outputs ?? {}) }
    const outputs = { ...(record().outputs ?? {}), ...(outcome.outputs ?? {}) }
    await emit({ type: 'state-changed', state, outputs })
  }
  return { step, event: { type: 'step-finished', at: step.finished!, step }, outputs: outcome.outputs }
}

async function answerQuestion(
  question: Question,
  planned: PlannedStep,
  stepConsent: Consent | undefined,
  settings: RunSettings,
  deps: RunDeps,
  record: () => RunRecord,
): Promise<Answer> {
  const { prompts } = deps
  const now = () => localIso(deps.now())
  if (question.kind === 'confirm') {
    if (!prompts) return { allow: false, reason: 'TTY가 없어 확인할 수 없음', status: 'blocked' }
    await deps.recorder.render(record())
    const ok = await prompts.confirm(question.message).catch(() => false)
    return ok ? { allow: true, consent: { by: 'operator', who: settings.operator, at: now(), how: `"${question.message}"에 yes` } } : { allow: false, reason: '운영자가 거절함', status: 'declined' }
  }
  if (question.kind === 'commit') {
    if (settings.dryRun) return { allow: false, reason: 'dry run: 항상 롤백', status: 'previewed' }
    if (settings.yes) return { allow: true, consent: { by: 'flag', who: settings.operator, at: now(), how: '--yes (커밋)' } }
    if (!prompts) return { allow: false, reason: 'TTY가 없고 --yes도 없어 롤백함', status: 'blocked' }
    const summary = question.statements.map((s) => `  line ${s.line}: ${s.command} ${s.rowCount ?? ''}`.trimEnd()).join('\n')
    deps.view.write(`${deps.c.yellow('변경될 행 (아직 커밋되지 않음):')}\n${summary}\n`)
    await deps.recorder.render(record())
    const message = `대상 ${settings.target}: 이 변경을 커밋할까요?`
    const ok = question.critical
      ? await prompts.typeStepId(message, planned.id).catch(() => false)
      : await prompts.commit(message).catch(() => false)
    return ok
      ? { allow: true, consent: { by: 'operator', who: settings.operator, at: now(), how: question.critical ? '미리보기 후 단계 id를 입력해 커밋' : '미리보기 후 커밋' } }
      : { allow: false, reason: '운영자가 롤백을 선택함', status: 'declined' }
  }
  if (settings.sandboxDir) {
    const { sandboxViolations } = await import('../../sandbox/guard.js')
    const violations = await sandboxViolations(question.command, 'shell', settings.sandboxDir, { cwd: planned.step.attrs.cwd ?? settings.cwd, env: settings.env })
    if (violations.length > 0) return { allow: false, reason: `${SANDBOX_REFUSED}${question.command}: ${violations.join('; ')}`, status: 'blocked' }
  }
  // A command found destructive only at run time, inside a step that was not confirmed for it.
  if (stepConsent) return { allow: true, consent: stepConsent }
  if (settings.dryRun) return { allow: false, reason: `dry run: 위험 명령을 실행하지 않음: ${question.command}`, status: 'blocked' }
  if (settings.yes) return { allow: true, consent: { by: 'flag', who: settings.operator, at: now(), how: `--yes (${question.command})` } }
  if (!prompts) {
    return { allow: false, reason: `위험 명령이 선언되지 않은 단계에서 차단됨: ${question.command} (${question.reasons.join('; ')})`, status: 'blocked' }
  }
  deps.view.write(deps.c.red(`⚠ 위험 명령: ${question.command}\n${question.reasons.map((r) => `  · ${r}`).join('\n')}\n`))
  await deps.recorder.render(record())
  const ok = await prompts.confirmDestructive(`대상 ${settings.target}에서 이 명령을 실행할까요?`).catch(() => false)
  return ok
    ? { allow: true, consent: { by: 'operator', who: settings.operator, at: now(), how: `명령 확인: ${question.command}` } }
    : { allow: false, reason: `운영자가 명령을 거절함: ${question.command}`, status: 'declined' }
}

/** Redacts every string inside a value (events are plain JSON). */
export function redactDeep<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === 'string' ? redact(v, secrets) : v)) as T
}
