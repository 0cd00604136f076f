// Exit codes and the error the CLI turns into a one-line message and an exit code, never a stack
// trace. This is the only table of exit codes: every command and every error takes its code here.
import type { RunStatus } from './run-record.js'

export const EXIT = {
  /** The run passed (skipped and previewed steps allowed); a command did its work. */
  ok: 0,
  /** A step or check failed; lint found an error; verify failed. */
  failed: 1,
  /** Usage error, unreadable or invalid runbook, missing input or env. */
  usage: 2,
  /** Blocked, declined (the run is incomplete) or quit by the operator. */
  blocked: 3,
  /** A bug in the runner (an error nobody anticipated); sysexits' EX_SOFTWARE. */
  internal: 70,
  /** Interrupted (Ctrl-C, SIGTERM) and stopped. */
  interrupted: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** The exit code of a finished run, by its status. */
export const RUN_STATUS_EXIT: Record<RunStatus, ExitCode> = {
  passed: EXIT.ok,
  failed: EXIT.failed,
  blocked: EXIT.blocked,
  aborted: EXIT.blocked,
  interrupted: EXIT.interrupted,
  // A destructive step the operator declined (or a run that died before its end): not all of it
  // was done, which is neither a pass nor a failure of what ran.
  incomplete: EXIT.blocked,
  running: EXIT.failed,
}

export class RunbookError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message)
    this.name = 'RunbookError'
  }

  /** `file:line: message`, the form editors and CI logs link to. */
  get located(): string {
    if (!this.file) return this.message
    return this.line ? `${this.file}:${this.line}: ${this.message}` : `${this.file}: ${this.message}`
  }
}
