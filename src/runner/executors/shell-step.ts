// A bash/sh step: the code runs as `bash -c` text (a temp script when large) with `-e` (bash
// also `-o pipefail`, and no profile or rc files), in its own process group. `KEY=value` lines the step writes to
// $RUNBOOK_OUTPUT come back as `outputs` (GitHub Actions' convention, `KEY<<DELIM` heredocs too).
import { randomUUID } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { msg } from '../terminal/messages/index.js'
import { runProcess, type OutputStream, type ProcessResult } from './process.js'
import { spawnerFor, spawnerMode } from './guard/spawner.js'

export interface ShellStepOptions {
  code: string
  shell: 'bash' | 'sh'
  env: Record<string, string>
  cwd?: string
  timeoutMs: number
  signal?: AbortSignal
  onOutput?: (text: string, stream: OutputStream) => void
  interactive?: boolean
  /** A folder for the step's script and output file (a fresh subfolder is made and removed). */
  tmpDir: string
  killGraceMs?: number
  onSpawn?: (pid: number) => void
  /** Wraps the shell's argv to run it under the OS guard (guard/bwrap.ts); the wrapper leads the group.
   * Non-interactive confined steps start through the view's long-lived spawner (guard/spawner.ts),
   * which forks the shell in the same view; this argv is the fallback when it is unavailable. */
  confine?: (argv: string[]) => string[]
}

export interface ShellStepResult extends ProcessResult {
  outputs: Record<string, string>
  /** Lines of $RUNBOOK_OUTPUT that follow neither form, or an unterminated heredoc. */
  outputErrors: string[]
}

/** Scripts up to this size go to bash as `-c` text (no temp file); larger ones as a file. */
const INLINE_SCRIPT_MAX = 64 * 1024

export async function runShellStep(opts: ShellStepOptions): Promise<ShellStepResult> {
  // Small synchronous file operations: cheaper per step than thread-pool round trips.
  // Unpredictable names, created exclusively: the scratch folder is writable by guarded steps, which
  // must not plant a symlink where the runner (unconfined) is about to write or read.
  const base = join(opts.tmpDir, `step-${randomUUID()}`)
  const outputFile = `${base}.output`
  const code = opts.code.endsWith('\n') ? opts.code : `${opts.code}\n`
  const scriptFile = Buffer.byteLength(code) > INLINE_SCRIPT_MAX ? `${base}.${opts.shell}` : undefined
  try {
    writeFileSync(outputFile, '', { mode: 0o600, flag: 'wx' })
    if (scriptFile) writeFileSync(scriptFile, code, { mode: 0o600, flag: 'wx' })
    const source = scriptFile ? [scriptFile] : ['-c', code, `runbook-step`]
    const args = opts.shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', ...source] : ['-e', ...source]
    const [file, ...wrappedArgs] = opts.confine ? opts.confine([opts.shell, ...args]) : [opts.shell, ...args]
    const mode = spawnerMode()
    const launch = opts.confine && opts.interactive !== true && mode !== 'off' ? spawnerFor(opts.confine, mode) : undefined
    const result = await runProcess({
      file: file!,
      args: wrappedArgs,
      cwd: opts.cwd,
      env: { ...opts.env, RUNBOOK_OUTPUT: outputFile },
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      onOutput: opts.onOutput,
      interactive: opts.interactive,
      killGraceMs: opts.killGraceMs,
      onSpawn: opts.onSpawn,
      ...(launch ? { spawner: { launch, file: opts.shell, args } } : {}),
    })
    const read = readOutputFile(outputFile)
    const parsed = parseOutputFile(read.text)
    return { ...result, outputs: parsed.outputs, outputErrors: [...read.errors, ...parsed.outputErrors] }
  } finally {
    rmSync(outputFile, { force: true })
    if (scriptFile) rmSync(scriptFile, { force: true })
  }
}

/**
 * The step's output file, never through a symlink the step put in its place (that would let a
 * confined step read any file through the runner): O_NOFOLLOW, and a regular file only.
 */
function readOutputFile(file: string): { text: string; errors: string[] } {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return { text: '', errors: code === 'ENOENT' ? [] : [msg.executors.outputNotAFile] } // ENOENT: the step removed it
  }
  try {
    if (!fstatSync(fd).isFile()) return { text: '', errors: [msg.executors.outputNotAFile] }
    return { text: readFileSync(fd, 'utf8'), errors: [] }
  } finally {
    closeSync(fd)
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/**
 * Parses an output file: `KEY=value` (value = rest of the line) and `KEY<<DELIM` … `DELIM`
 * (the lines between, joined with \n). Like GitHub's runner, the form is chosen by whichever of
 * `=` and `<<` comes first in the line. Blank lines are skipped; the last write of a key wins.
 */
export function parseOutputFile(text: string): { outputs: Record<string, string>; outputErrors: string[] } {
  const outputs: Record<string, string> = {}
  const outputErrors: string[] = []
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  if (lines[lines.length - 1] === '') lines.pop()
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === '') continue
    const eq = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (eq !== -1 && (heredoc === -1 || eq < heredoc)) {
      const key = line.slice(0, eq)
      if (KEY.test(key)) outputs[key] = line.slice(eq + 1)
      else outputErrors.push(`${msg.executors.atLine(i + 1)}${msg.executors.outputInvalidName(JSON.stringify(key))}`)
      continue
    }
    if (heredoc !== -1) {
      const key = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      if (!KEY.test(key) || delimiter === '') {
        outputErrors.push(`${msg.executors.atLine(i + 1)}${msg.executors.outputInvalidHeredoc(JSON.stringify(line))}`)
        continue
      }
      const end = lines.indexOf(delimiter, i + 1)
      if (end === -1) {
        outputErrors.push(`${msg.executors.atLine(i + 1)}${msg.executors.outputHeredocUnclosed(key, delimiter)}`)
        break
      }
      outputs[key] = lines.slice(i + 1, end).join('\n')
      i = end
      continue
    }
    outputErrors.push(`${msg.executors.atLine(i + 1)}${msg.executors.outputUnexpected(JSON.stringify(line))}`)
  }
  return { outputs, outputErrors }
}
