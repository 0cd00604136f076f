// The data of a run: events as they happen, and the record folded from them. The console view,
// the journal and the report are all built from these.
import type { PlannedStep, StepKind } from './runbook.js'

/** An input as the run uses it: a `number` input is a number (in the JSON and the report), the rest strings. */
export type InputValue = string | number

export type StepStatus =
  | 'passed'
  /** Failed, then a later step that `rechecks` it passed: found and fixed. */
  | 'fixed'
  /** Failed with `continue-on-error`: a warning, the run does not fail. */
  | 'tolerated'
  | 'failed'
  | 'skipped'
  | 'blocked'
  | 'declined'
  | 'timed-out'
  | 'interrupted'
  | 'previewed'
  | 'not-run'

export type RunStatus = 'running' | 'passed' | 'failed' | 'blocked' | 'aborted' | 'interrupted' | 'incomplete'

export interface CheckResult {
  name: string
  ok: boolean
  detail?: string
}

/** Who or what allowed a destructive action. */
export interface Consent {
  by: 'operator' | 'flag' | 'dry-run'
  /** Operator identity (`Name <mail>`), or the flag for unattended runs. */
  who: string
  at: string
  /** How it was given: "answered yes", "typed the step id", "--yes", "committed after preview". */
  how: string
}

export interface CommandRecord {
  command: string
  exitCode: number | null
  durationMs: number
}

/** A result set or any table a step produced: cells already rendered as text. */
export interface TableBlock {
  title?: string
  columns: string[]
  rows: string[][]
  /** Rows in the whole result; `rows` may hold only the first ones. */
  totalRows: number
}

/** Rows one statement changed in one table, from the server's statistics of the transaction. */
export interface SqlTableCount {
  /** `schema.table`, quoted where needed. */
  table: string
  inserted: number
  updated: number
  deleted: number
  /** Rows the table held when a TRUNCATE emptied it (counted before it ran). */
  truncated?: number
}

export interface SqlStatementRecord {
  line: number
  /** The text that ran (for a sampled UPDATE/DELETE, the `WITH x AS (… RETURNING *)` text). */
  sql: string
  /** Command tag verb, e.g. SELECT, DELETE. */
  command: string
  rowCount: number | null
  durationMs: number
  /** Statements of a step that is not destructive: how the run-time server check held it —
   * its plan's functions and operators judged (`explained`), the static judge alone for
   * statements EXPLAIN cannot take (`static`), or not enforced because the step says `safe=`. */
  check?: 'explained' | 'static' | 'waived'
  /** Destructive steps in a transaction: rows changed per table (tables left unchanged omitted). */
  tables?: SqlTableCount[]
  /** Why `tables` could not be counted (track_counts off, data dropped without a count…). */
  uncounted?: string
  /** A sample of the changed rows was taken; these of its columns are masked in the record. */
  masked?: string[]
}

/** Everything a step's executor can report while it runs. */
export interface StepIO {
  output(text: string, stream: 'stdout' | 'stderr'): void
  check(check: CheckResult): void
  note(markdown: string): void
  table(table: TableBlock): void
  command(command: CommandRecord): void
  statement(statement: SqlStatementRecord): void
  /** The process group a step started, journaled so a run killed with -9 can stop it later. */
  process?(pgid: number): void
}

export interface StepOutcome {
  status: StepStatus
  exitCode?: number | null
  /** Why it failed, was skipped, blocked or declined. */
  reason?: string
  /** Names of the checks that failed, when they are the only reason the step failed (the walk
   * words the reason from them; `reason` is then left out). */
  failedChecks?: string[]
  /** KEY=value outputs published by the step (`$RUNBOOK_OUTPUT`), merged into state and env. */
  outputs?: Record<string, string>
  /** The state after a TS step. */
  state?: Record<string, unknown>
  consent?: Consent
}

/** A question the orchestrator answers for an executor (consent, commit after preview). */
export type Question =
  | { kind: 'command'; command: string; reasons: string[] }
  | {
      kind: 'commit'
      statements: SqlStatementRecord[]
      critical: boolean
      /** Rows the sampled UPDATE/DELETE statements changed, unmasked: for the operator's eyes, never recorded. */
      samples?: { line: number; table: TableBlock }[]
    }
  /** Destructive SQL with effects a rollback does not undo: it cannot be previewed, only run or not. */
  | { kind: 'irreversible'; statements: { line: number; reason: string }[]; critical: boolean }
  | { kind: 'confirm'; message: string }

export type Answer = { allow: true; consent?: Consent } | { allow: false; reason: string; status: 'declined' | 'blocked' | 'previewed' | 'skipped' }

/** Which guard held a step while it ran: the operating system's read-only view of the filesystem
 * (with the paths it could write), or none and why (the judge alone then holds it). */
export type StepGuard = { held: 'os-readonly'; writable: string[] } | { held: 'none'; why: string }

export interface StepContext {
  planned: PlannedStep
  runbookId: string
  runId: string
  target: string
  env: Record<string, string>
  inputs: Record<string, InputValue>
  state: Record<string, unknown>
  timeoutMs: number
  signal: AbortSignal
  dryRun: boolean
  cwd: string
  tmpDir: string
  io: StepIO
  ask(question: Question): Promise<Answer>
  /** Wraps a step process's argv so that it runs under the OS guard (absent: runs as it is). */
  confine?: (argv: string[]) => string[]
}

export interface StepExecutor {
  run(ctx: StepContext): Promise<StepOutcome>
  /** Called once at the end of the run (close connections, workers). */
  close?(): Promise<void>
}

export type ExecutorRegistry = Record<StepKind, StepExecutor>

/** A step's result: what the plan said of it, then what happened. */
export interface StepRecord extends Pick<PlannedStep, 'id' | 'title' | 'language' | 'kind' | 'line' | 'destructive' | 'declared' | 'reasons'> {
  status: StepStatus
  exitCode?: number | null
  started?: string
  finished?: string
  durationMs?: number
  attempts: number
  reason?: string
  consent?: Consent
  checks: CheckResult[]
  notes: string[]
  tables: TableBlock[]
  commands: CommandRecord[]
  statements: SqlStatementRecord[]
  /** Output as recorded inline (redacted, ANSI stripped, capped). */
  output: string
  /** Bytes of output the step produced in all. */
  outputBytes: number
  /** True when `output` is cut; the full output is in the .log. */
  outputTruncated: boolean
  /** Process group of the running attempt (while it runs; kept when the runner died). */
  pgid?: number
  /** Which guard held the last attempt. */
  guard?: StepGuard
  /** Earlier attempts of the step (a retry, a run interrupted and resumed), oldest first: the
   * fields above describe the last one. */
  earlier?: EarlierAttempt[]
  /** What the attempt left behind, when it did not pass and the step declares `leaves=`. */
  leftovers?: string[]
}

/** What an earlier attempt of a step ended as. */
export interface EarlierAttempt {
  status: StepStatus
  started?: string
  finished?: string
  durationMs?: number
  exitCode?: number | null
  reason?: string
  /** The end of its recorded output (the whole of it is in the .log). */
  outputTail: string
  leftovers?: string[]
}

export interface ChecklistTick {
  text: string
  line: number
  checked: boolean
  by: string
  at: string
}

export interface RunRecord {
  schemaVersion: 1
  runId: string
  runbook: {
    id: string
    title: string
    path: string
    sha256: string
    gitCommit: string | null
    gitDirty: boolean | null
    /** Signatures from different people needed to complete the report (front matter `approvals`). */
    approvals?: number
    /** Checklist items in the runbook, to tell a finished checklist from an unfinished one. */
    checklistItems?: number
    /** The runbook's folder relative to the report's (`../../runbooks/incident`): the report
     * rewrites the runbook's relative links with it. Absent in older records: links kept as written. */
    linkBase?: string
  }
  target: string
  operator: string
  host: string
  started: string
  finished: string | null
  status: RunStatus
  options: { dryRun: boolean; yes: boolean; auto: boolean; step?: string; from?: string }
  inputs: Record<string, InputValue>
  state: Record<string, unknown>
  /** KEY=value outputs of shell steps, given to the env of later steps (and after resume). */
  outputs?: Record<string, string>
  steps: StepRecord[]
  checklist: ChecklistTick[]
  /** Each resume: when, by whom, from which step, and its own consent options. */
  resumes: { at: string; operator: string; fromStep: string; options?: { yes: boolean; auto: boolean } }[]
  /** What happened to the run itself, beside its steps (its terminal output was closed, …). */
  notes?: string[]
}

export type RunEvent =
  | { type: 'run-started'; record: RunRecord }
  | { type: 'run-resumed'; at: string; operator: string; fromStep: string; options?: { yes: boolean; auto: boolean } }
  | { type: 'step-started'; at: string; stepId: string }
  | { type: 'step-process'; stepId: string; pgid: number }
  | { type: 'step-finished'; at: string; step: StepRecord }
  | { type: 'state-changed'; state: Record<string, unknown>; outputs?: Record<string, string> }
  | { type: 'checklist-ticked'; tick: ChecklistTick }
  | { type: 'run-finished'; at: string; status: RunStatus; notes?: string[] }
