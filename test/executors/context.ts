// A StepContext built by hand for executor tests: a Step and PlannedStep as parse + plan would
// make them, an io that records everything, and a scripted `ask`.
import type { Answer, Question, SqlStatementRecord, StepContext, TableBlock, CheckResult, CommandRecord } from '../../src/runner/model/run-record.js'
import type { Detection, PlannedStep, Runbook, Step, StepAttributes, StepKind } from '../../src/runner/model/runbook.js'
import type { DetectionCache } from '../../src/runner/plan/judge-cache.js'
import { planStep } from '../../src/runner/plan/plan.js'

export interface Recorded {
  stdout: string
  stderr: string
  notes: string[]
  tables: TableBlock[]
  statements: SqlStatementRecord[]
  checks: CheckResult[]
  commands: CommandRecord[]
  questions: Question[]
}

export interface StepSpec {
  kind: StepKind
  code: string
  attrs?: StepAttributes
  id?: string
  /** Detection as the planner found it (destructive detection of the code). */
  detection?: Detection
  /** 1-based file line of the first code line (default 10). */
  codeLine?: number
}

/**
 * The step planned by the real planner (`planStep` of plan.ts), with `spec.detection` (default: nothing
 * destructive) standing in for the judge's verdict on the code, in a runbook whose default timeout is
 * 60 s.
 */
export async function plannedStep(spec: StepSpec): Promise<PlannedStep> {
  const attrs = spec.attrs ?? {}
  const id = spec.id ?? attrs.id ?? 'step'
  const codeLine = spec.codeLine ?? 10
  const step: Step = {
    index: 0,
    id,
    idExplicit: true,
    title: 'test',
    language: spec.kind,
    kind: spec.kind,
    code: spec.code,
    line: codeLine - 1,
    codeLine,
    endLine: codeLine + spec.code.split('\n').length,
    attrs,
    prose: '',
  }
  const detection = spec.detection ?? { destructive: false, reasons: [], syntaxErrors: [], refused: [] }
  const runbook: Runbook = {
    path: 'runbooks/exec-test.md',
    source: '',
    sha256: '',
    meta: { id: 'exec-test', title: 'test', tags: [], env: [], inputs: [], requires: [], defaults: { timeoutMs: 60_000 }, exclusive: false, approvals: 0 },
    bodyLine: 1,
    headings: [],
    steps: [step],
    displays: [],
    checklist: [],
    segments: [],
    diagnostics: [],
  }
  return planStep(step, runbook, givenDetection(spec.kind, spec.code, detection))
}

/** A detection cache that answers `detection` for the step's own code; anything else (a probe) is judged. */
function givenDetection(kind: StepKind, code: string, detection: Detection): DetectionCache {
  return {
    get: (k, c) => (k === kind && c === code ? detection : undefined),
    set: () => undefined,
    memo: (_namespace, _code, compute) => compute(),
    peek: () => undefined,
    put: () => undefined,
    save: () => undefined,
  }
}

export interface ContextOptions {
  env?: Record<string, string>
  timeoutMs?: number
  signal?: AbortSignal
  dryRun?: boolean
  answer?: (q: Question) => Answer | Promise<Answer>
}

export function makeContext(planned: PlannedStep, options: ContextOptions = {}): { ctx: StepContext; rec: Recorded } {
  const rec: Recorded = { stdout: '', stderr: '', notes: [], tables: [], statements: [], checks: [], commands: [], questions: [] }
  const ctx: StepContext = {
    planned,
    runbookId: 'exec-test',
    runId: 'run-1',
    target: 'test',
    env: options.env ?? {},
    inputs: {},
    state: {},
    timeoutMs: options.timeoutMs ?? planned.timeoutMs,
    signal: options.signal ?? new AbortController().signal,
    dryRun: options.dryRun ?? false,
    cwd: process.cwd(),
    tmpDir: '/tmp',
    io: {
      output: (text, stream) => {
        rec[stream] += text
      },
      check: (c) => rec.checks.push(c),
      note: (md) => rec.notes.push(md),
      table: (t) => rec.tables.push(t),
      command: (c) => rec.commands.push(c),
      statement: (s) => rec.statements.push(s),
    },
    ask: async (q) => {
      rec.questions.push(q)
      if (!options.answer) return { allow: false, status: 'blocked', reason: 'no answer scripted' }
      return options.answer(q)
    },
  }
  return { ctx, rec }
}

export const consent = { by: 'operator' as const, who: 'Tester <t@example.com>', at: '2025-01-01T00:00:00+09:00', how: 'answered yes' }
