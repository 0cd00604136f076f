// A StepContext built by hand for executor tests: a Step and PlannedStep as parse + plan would
// make them, an io that records everything, and a scripted `ask`.
import type { Answer, Question, SqlStatementRecord, StepContext, TableBlock, CheckResult, CommandRecord } from '../../src/runner/model/run-record.js'
import type { Declared, Detection, PlannedStep, Step, StepAttributes, StepKind } from '../../src/runner/model/runbook.js'

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

export function plannedStep(spec: StepSpec): PlannedStep {
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
  const declared: Declared = attrs.critical ? 'critical' : attrs.destructive !== undefined ? 'destructive' : attrs.safe !== undefined ? 'safe' : null
  return {
    id,
    title: step.title,
    language: step.language,
    kind: step.kind,
    line: step.line,
    destructive: declared === 'critical' || declared === 'destructive' || (detection.destructive && declared !== 'safe'),
    detected: detection.destructive,
    declared,
    reasons: detection.reasons,
    skip: false,
    timeoutMs: 60_000,
    requires: [],
    step,
    detection,
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
