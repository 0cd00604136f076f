// The TS host's contract: what a TS step asks for (TsStepRequest), the hooks through which it
// reaches the operator and the report (TsHooks), what comes back (TsStepResult), and the messages
// between the host and its worker thread (also imported by worker.ts).
import type { Language } from '../../terminal/messages/index.js'
import type { OutputStream } from '../process.js'

export interface TsStepRequest {
  code: string
  loader: 'ts' | 'js'
  env: Record<string, string>
  inputs: Record<string, unknown>
  state: Record<string, unknown>
  /** 0 (or less, or Infinity) for no limit. */
  timeoutMs: number
  /** Working directory of `$` commands (relative paths resolve against process.cwd()). */
  cwd?: string
  stepId: string
  /** Abort = interrupt the step (Ctrl-C). */
  signal?: AbortSignal
  /** How the step's `sql` and `redis` behave (default: not destructive, DATABASE_URL, REDIS_URL). */
  db?: StepDbOptions
  /**
   * The OS guard's view (guard/choose.ts): wraps the argv of the worker that runs the step (one
   * worker per distinct wrapped argv, kept for the host's life) and of its `$.sync` commands.
   * Absent: the unguarded worker.
   */
  confine?: (argv: string[]) => string[]
}

export interface StepDbOptions {
  /** The step is destructive (confirmed as a whole): sql autocommits, redis commands are not asked. */
  destructive: boolean
  /** Declared `safe`: sql that detection finds destructive still runs (read-only). */
  safe: boolean
  dbVar: string
  redisVar: string
  runbookId: string
  stepId: string
}

/** A `sql` call of a step, for the report. */
export interface TsStatement {
  sql: string
  command: string
  rowCount: number | null
  durationMs: number
  /** 1-based line in the step's code, when known. */
  line?: number
}

export interface TsCheck {
  name: string
  ok: boolean
  detail?: string
}

export interface TsCommand {
  command: string
  exitCode: number | null
  durationMs: number
}

export type CommandDecision = 'allow' | { deny: string }

/** A `$` command as zx will spawn it: the whole line (prefix, postfix, quoted values) and its shell. */
export interface ExactCommand {
  line: string
  shell: string
}

export interface TsHooks {
  onOutput(text: string, stream: OutputStream): void
  /**
   * Called before every `$` command starts (with `exact`: what will run, to be judged), and
   * before a `redis` command that was judged destructive (then with `reasons`); the command
   * waits for the answer. `command` is what the operator is shown.
   */
  onCommand(command: string, reasons?: string[], exact?: ExactCommand): Promise<CommandDecision>
  onStatement?(statement: TsStatement): void
  onCommandEnd?(command: TsCommand): void
  onCheck?(check: TsCheck): void
  onNote?(markdown: string): void
  onTable?(rows: unknown): void
  confirm(question: string): Promise<boolean>
}

export interface TsStepResult {
  ok: boolean
  /** Message, with ` (line N)` (step-relative) when known. */
  error?: string
  /** 1-based line in the step's code where the error was raised, when known. */
  errorLine?: number
  timedOut: boolean
  interrupted: boolean
  durationMs: number
  /** The state after the step (JSON round-tripped). Unchanged when the worker had to be killed. */
  state: Record<string, unknown>
  checks: TsCheck[]
  commands: TsCommand[]
  /** The command that was denied; the step failed because of it (record it as blocked). */
  blockedCommand?: { command: string; reason: string }
  /** Names of the failed checks, when they are the only reason the step failed (then no `error`). */
  failedChecks?: string[]
}

// ---------------------------------------------------------------------------------------------
// Messages between the host and the worker thread

export interface RunMessage {
  t: 'run'
  runId: number
  js: string
  env: Record<string, string>
  inputs: Record<string, unknown>
  state: Record<string, unknown>
  cwd: string
  timeoutMs?: number
  db?: StepDbOptions
  /** The interface language, for the texts the worker writes (errors of `$`, `sql`, `redis`). */
  language: Language
}

export type HostToWorker = RunMessage | { t: 'confirmed'; id: number; value?: boolean; error?: string } | { t: 'close' }

export type Pos = { line: number; col: number }

export type WorkerToHost =
  | { t: 'ready' }
  | { t: 'output'; runId: number; stream: OutputStream; text: string }
  | { t: 'check'; runId: number; check: TsCheck }
  | { t: 'note'; runId: number; markdown: string }
  | { t: 'table'; runId: number; rows: unknown }
  | { t: 'confirm'; runId: number; id: number; question: string }
  | { t: 'spawned'; runId: number; pid: number }
  | { t: 'reaped'; pid: number }
  | { t: 'commandEnd'; runId: number; command: string; exitCode: number | null; durationMs: number }
  | { t: 'uncaught'; runId: number; error: string; pos?: Pos }
  | { t: 'done'; runId: number; state?: Record<string, unknown>; error?: string; pos?: Pos }
  | { t: 'statement'; runId: number; sql: string; command: string; rowCount: number | null; durationMs: number; pos?: Pos }
  | { t: 'pgBackend'; host: string; port: number; processID: number; secretKey: number }
  | { t: 'closed' }
  // answered through the sync port while the worker blocks:
  | { t: 'gate'; runId: number; command: string; reasons?: string[]; exact?: ExactCommand }
  | {
      t: 'exec'
      runId: number
      command: string
      file: string
      args: string[]
      cwd?: string
      env: Record<string, string>
      input?: string | Uint8Array
    }

export type GateReply = { allow: true } | { deny: string }
export interface ExecReply {
  pid: number
  status: number | null
  signal: string | null
  stdout: Uint8Array
  stderr: Uint8Array
  error?: string
}
