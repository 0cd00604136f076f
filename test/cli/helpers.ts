// Commands in-process: a fake world (outputs that record, an env, a fixed clock) and the outcome
// of a command as the operator sees it: exit code, stdout, stderr.
import { main, reportError } from '../../src/runner/cli/main.js'
import type { CommandIo, CommandResult } from '../../src/runner/cli/io.js'
import type { ExitCode } from '../../src/runner/model/errors.js'
import { expect } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { ROOT } from '../fixture-helpers.js'

export { ROOT }

export interface Outcome {
  code: ExitCode
  stdout: string
  stderr: string
}

export interface FakeWorld {
  env?: Record<string, string | undefined>
  /** The clock: a fixed time, so nothing depends on the day the tests run. */
  now?: Date
  colorLevel?: 0 | 1 | 2 | 3
  interactive?: boolean
  columns?: number
}

/** 2025-06-01 10:00 local time. */
export const NOW = new Date(2025, 5, 1, 10, 0, 0)

export function fakeIo(world: FakeWorld = {}): CommandIo & { captured(): { stdout: string; stderr: string } } {
  let stdout = ''
  let stderr = ''
  const level = world.colorLevel ?? 0
  return {
    stdout: { write: (text) => void (stdout += text), colorLevel: level, columns: world.columns },
    stderr: { write: (text) => void (stderr += text), colorLevel: level },
    // The interface in Korean unless a test chooses (main() picks the language from the env).
    env: { RUNBOOK_LANG: 'ko', ...world.env },
    now: () => new Date((world.now ?? NOW).getTime()),
    interactive: world.interactive ?? false,
    captured: () => ({ stdout, stderr }),
  }
}

/** Runs one command function and maps a thrown error the way the entry does. */
export async function outcome(command: string, work: (io: CommandIo) => Promise<CommandResult>, world: FakeWorld = {}): Promise<Outcome> {
  const io = fakeIo(world)
  let code: ExitCode
  try {
    code = (await work(io)).exitCode
  } catch (error) {
    code = reportError(error, command, io)
  }
  return { code, ...io.captured() }
}

/** `runbook ARGV` in-process: argv parsing, dispatch and error mapping, in `cwd` (default the project). */
export async function cli(argv: string[], world: FakeWorld & { cwd?: string } = {}): Promise<Outcome> {
  const io = fakeIo(world)
  const code = await main(argv, world.cwd ?? ROOT, io)
  return { code, ...io.captured() }
}

/** A usage or input error: exit 2, nothing on stdout, one line naming the file (and line). */
export function expectOneLineError(r: Outcome, file: string, line?: number): void {
  const context = JSON.stringify(r)
  expect(r.code, context).toBe(EXIT.usage)
  expect(r.stdout, context).toBe('')
  expect(r.stderr.endsWith('\n'), context).toBe(true)
  expect(r.stderr.trimEnd().split('\n'), context).toHaveLength(1)
  expect(r.stderr, context).not.toMatch(/^\s+at /m)
  expect(r.stderr.startsWith(`runbook: ${file}${line === undefined ? ':' : `:${line}:`} `), context).toBe(true)
}
