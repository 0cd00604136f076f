// What a command needs from the world: where its text goes, the environment, the clock and
// whether an operator sits at a terminal. The entry builds it from the process (process-io.ts);
// tests build fakes. Commands return their exit code instead of setting process.exitCode.
import path from 'node:path'
import { EXIT, type ExitCode } from '../model/errors.js'

export interface Output {
  write(text: string): void
  /** Colour level for this output: 0 is plain text (a pipe, NO_COLOR). */
  readonly colorLevel: 0 | 1 | 2 | 3
  /** Width of the terminal, when the output is one. */
  readonly columns?: number
  /** The process's own stream, for the runner's live view; absent in tests. */
  readonly stream?: NodeJS.WriteStream
}

export interface CommandIo {
  /** Data: what a command is asked for (tables, JSON, crontab text). */
  stdout: Output
  /** Messages: progress, summaries, problems. */
  stderr: Output
  env: Readonly<Record<string, string | undefined>>
  now(): Date
  /** stdin and stdout are terminals: the operator can answer questions. */
  interactive: boolean
}

export interface CommandResult {
  exitCode: ExitCode
}

export const done = (exitCode: ExitCode = EXIT.ok): CommandResult => ({ exitCode })

/**
 * A path the operator typed, for functions of other stages that resolve paths against the
 * process's own directory: unchanged when `cwd` is that directory (so records and messages name it
 * as typed), else made absolute.
 */
export function fromCwd(cwd: string, file: string): string {
  return path.isAbsolute(file) || path.resolve(cwd) === process.cwd() ? file : path.resolve(cwd, file)
}
