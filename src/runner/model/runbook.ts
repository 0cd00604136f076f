// The plain data that flows between the stages: parse → plan → execute → report.

/** A problem found in a runbook, located at a 1-based line of its file. */
export interface Diagnostic {
  file: string
  line: number
  severity: 'error' | 'warning'
  rule: string
  message: string
}

/** Languages the runner executes, normalised from the fence's info string. */
export type StepKind = 'ts' | 'js' | 'shell' | 'sql' | 'redis'

export type Schedule = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'on-demand' | 'incident'

export interface EnvSpec {
  name: string
  default?: string
  required: boolean
  secret: boolean
  description?: string
}

export interface InputSpec {
  name: string
  type: 'string' | 'number' | 'choice' | 'file'
  choices?: string[]
  default?: string
  description?: string
}

export interface RunbookMeta {
  id: string
  title: string
  owner?: string
  schedule?: Schedule
  cron?: string
  review?: { last?: string; next?: string }
  /** Where the runbook came from: a guide, its section, and the guide's own review dates. */
  source?: RunbookSource
  tags: string[]
  env: EnvSpec[]
  inputs: InputSpec[]
  requires: string[]
  defaults: { timeoutMs?: number }
  exclusive: boolean
  approvals: number
  /** Runme's document-wide `shell` and `cwd`: defaults for each step's interpreter and cwd. */
  runme?: { shell?: string; cwd?: string }
}

export interface RunbookSource {
  guide: string
  section?: string
  reviewed?: string
  next?: string
}

/** Attributes written after the language of a fence, e.g. `{id=x destructive timeout=30s}`. */
export interface StepAttributes {
  id?: string
  /** `true` for a bare `destructive`, the reason string for `destructive="why"`. */
  destructive?: true | string
  critical?: boolean
  safe?: string
  timeout?: string
  /** GitHub Actions' meaning: a failure is tolerated (a warning), the run does not fail. */
  continueOnError?: boolean
  /** The walk goes on after a failure without asking; the failure still fails the run. */
  keepGoing?: boolean
  /** The id of an earlier step this one verifies again: when this passes, that step's failure
   * is recorded as found and fixed. */
  rechecks?: string
  requires?: string[]
  probe?: string
  /** Paths a non-destructive step writes (`writes=$BACKUP_DIR,/srv/x`): writable in the OS guard's read-only view. */
  writes?: string[]
  /** Files a half-done attempt leaves behind (`leaves=$BACKUP_DIR/*.partial`): listed in the record after it. */
  leaves?: string[]
  db?: string
  redis?: string
  maxRows?: number
  maxDisplay?: number
  /** SQL: columns masked (besides password/token/secret/digest) in the recorded sample of changed rows. */
  redactColumns?: string[]
  autocommit?: boolean
  cwd?: string
  interactive?: boolean
  skip?: boolean
  /** Runs without a run/skip question (a step that only records); only when judged read-only. */
  quiet?: boolean
  /** Runme: the shell that runs a shell step, as written (only bash and sh are accepted). */
  interpreter?: string
  /** Runme: skipped unless selected with `--step`. */
  excludeFromRunAll?: boolean
  /** Runme: a background step; refused here (shown, never run). */
  background?: boolean
  /** Runme: asking for exported variables; accepted and ignored (a warning). */
  promptEnv?: string
}

export interface Step {
  /** 0-based position among the runbook's steps. */
  index: number
  id: string
  idExplicit: boolean
  /** Text of the nearest heading above the block ('' when none). */
  title: string
  /** The language exactly as written in the fence. */
  language: string
  kind: StepKind
  code: string
  /** 1-based line of the opening fence in the file. */
  line: number
  /** 1-based line of the first line of code in the file. */
  codeLine: number
  /** 1-based line just after the block (after the closing fence, or past the end when unclosed). */
  endLine: number
  attrs: StepAttributes
  /** Markdown prose between the previous block (or heading) and this step. */
  prose: string
}

export interface DisplayBlock {
  language: string
  code: string
  line: number
  endLine: number
}

export interface ChecklistItem {
  text: string
  line: number
  checked: boolean
}

export interface Heading {
  level: number
  text: string
  line: number
}

/** The body in document order, for renderers that walk the runbook as a reader does.
 * Checklist items stay inside prose; `Runbook.checklist` lists them with their lines. */
export type Segment =
  | { type: 'heading'; heading: Heading }
  | { type: 'prose'; markdown: string; line: number }
  | { type: 'step'; step: Step }
  | { type: 'display'; block: DisplayBlock }

export interface Runbook {
  path: string
  /** Text with BOM removed and line endings normalised to LF. */
  source: string
  /** sha256 (hex) of the file's bytes as read. */
  sha256: string
  meta: RunbookMeta
  /** 1-based file line of the first body line (after the front matter). */
  bodyLine: number
  headings: Heading[]
  steps: Step[]
  displays: DisplayBlock[]
  checklist: ChecklistItem[]
  segments: Segment[]
  /** Problems found while parsing (front matter, attributes, ids). */
  diagnostics: Diagnostic[]
}

/** What destructive detection found in one piece of code. */
export interface Detection {
  destructive: boolean
  reasons: string[]
  /** Syntax errors with 1-based lines relative to the code. */
  syntaxErrors: { line: number; message: string }[]
  /** Constructs refused regardless of declarations (SQL transaction control, COPY … PROGRAM). */
  refused: { line: number; message: string }[]
}

export type Declared = 'destructive' | 'critical' | 'safe' | null

export interface PlannedStep {
  id: string
  title: string
  language: string
  kind: StepKind
  line: number
  /** Effective: declared destructive/critical, or detected and not declared safe. */
  destructive: boolean
  /** Whether detection alone found something destructive. */
  detected: boolean
  declared: Declared
  reasons: string[]
  skip: boolean
  timeoutMs: number
  requires: string[]
  step: Step
  detection: Detection
  /** The judge's verdict on the step's `probe=` command, when it has one (probes are judged like shell steps). */
  probeDetection?: Detection
}

export interface Plan {
  runbook: { id: string; title: string; path: string }
  steps: PlannedStep[]
  env: EnvSpec[]
  inputs: InputSpec[]
  checklist: ChecklistItem[]
}
