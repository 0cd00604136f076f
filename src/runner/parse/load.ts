// Reading runbook files from disk: the bad inputs an operator really produces (a typo in the path,
// a folder, a binary, a huge file) become one-line errors that name the file.
import { readFile, stat, readdir } from 'node:fs/promises'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { msg } from '../terminal/messages/index.js'
import { parseRunbook } from './parse.js'
import type { Diagnostic, Runbook } from '../model/runbook.js'

/** Runbooks are prose and a few dozen steps; anything bigger is not one. */
export const MAX_RUNBOOK_BYTES = 5 * 1024 * 1024

/** Where to read a path the operator typed: relative to `cwd` when given (the path itself is kept for messages). */
const onDisk = (file: string, cwd?: string) => (cwd === undefined ? file : path.resolve(cwd, file))

export async function readRunbookFile(file: string, cwd?: string): Promise<Buffer> {
  let info
  try {
    info = await stat(onDisk(file, cwd))
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? msg.parse.noSuchFile : code === 'EACCES' ? msg.parse.permissionDenied : (e as Error).message
    throw new RunbookError(msg.parse.cannotRead(why), EXIT.usage, file)
  }
  if (info.isDirectory()) {
    throw new RunbookError(msg.parse.isDirectory, EXIT.usage, file)
  }
  if (info.size > MAX_RUNBOOK_BYTES) {
    const mb = (info.size / 1024 / 1024).toFixed(1)
    throw new RunbookError(msg.parse.fileTooBig(mb, MAX_RUNBOOK_BYTES / 1024 / 1024), EXIT.usage, file)
  }
  let bytes: Buffer
  try {
    bytes = await readFile(onDisk(file, cwd))
  } catch (e) {
    throw new RunbookError(msg.parse.cannotRead((e as Error).message), EXIT.usage, file)
  }
  const problem = binaryProblem(bytes)
  if (problem) throw new RunbookError(msg.parse.notText(problem.what, problem.line), EXIT.usage, file, problem.line)
  return bytes
}

function binaryProblem(bytes: Buffer): { what: string; line: number } | undefined {
  const nul = bytes.indexOf(0)
  const lineAt = (offset: number) => bytes.subarray(0, offset).toString('latin1').split('\n').length
  if (nul !== -1) return { what: msg.parse.nulByte, line: lineAt(nul) }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Valid UTF-8 survives a decode and re-encode byte for byte, so the first difference is the
    // first bad byte.
    const again = Buffer.from(bytes.toString('utf8'))
    let i = 0
    while (i < bytes.length && bytes[i] === again[i]) i++
    return { what: msg.parse.notUtf8, line: lineAt(i) }
  }
  return undefined
}

/** Reads and parses a runbook; its path stays as given, so messages name the file as the operator typed it. */
export async function loadRunbook(file: string, cwd?: string): Promise<Runbook> {
  return parseRunbook(await readRunbookFile(file, cwd), file)
}

/** Throws the first error diagnostic, for commands that cannot work on an invalid runbook. */
export function assertValid(runbook: Runbook): Runbook {
  const error = runbook.diagnostics.find((d) => d.severity === 'error')
  if (error) {
    const more = runbook.diagnostics.filter((d) => d.severity === 'error').length - 1
    const suffix = more > 0 ? ` ${msg.parse.moreProblems(more, runbook.path)}` : ''
    throw new RunbookError(error.message + suffix, EXIT.usage, error.file, error.line)
  }
  return runbook
}

/** The warnings of a valid runbook (unknown keys and attributes, Runme's names with no meaning
 * here) as `file:line: warning: message` lines: commands that go on still say what they ignored. */
export function warningLines(runbook: Runbook): string[] {
  return runbook.diagnostics
    .filter((d) => d.severity === 'warning')
    .map((d) => `${d.file}:${d.line}: ${msg.lint.warning}: ${d.message} [${d.rule}]\n`)
}

/** Rules that are warnings for a document written for another tool and errors for this
 * project's runbooks (`lint --strict`, anything under runbooks/, what `cron` schedules). */
const STRICT_RULES = new Set(['unknown-key', 'unknown-attribute'])

/** This project's runbooks (under `runbooks/`) are held strictly, as is any file with `--strict`. */
export function isStrictFor(cwd: string, file: string, strict?: boolean): boolean {
  if (strict) return true
  const relative = path.relative(cwd, path.resolve(cwd, file))
  return relative.split(path.sep)[0] === 'runbooks'
}

export function strictly(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => (d.severity === 'warning' && STRICT_RULES.has(d.rule) ? { ...d, severity: 'error' as const } : d))
}

/** Expands files and folders into the runbook files below them, in a stable order. */
export async function findRunbookFiles(paths: string[], cwd?: string): Promise<string[]> {
  const found: string[] = []
  for (const p of paths) {
    const dir = onDisk(p, cwd)
    let info
    try {
      info = await stat(dir)
    } catch {
      throw new RunbookError(msg.parse.noSuchFileOrFolder, EXIT.usage, p)
    }
    if (info.isDirectory()) {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true })
      for (const e of entries) {
        const parent = e.parentPath ?? (e as { path?: string }).path ?? dir
        const full = path.join(p, path.relative(dir, parent), e.name)
        if (e.isFile() && /\.md$/i.test(e.name) && !/^readme\.md$/i.test(e.name) && !full.split(path.sep).includes('node_modules')) {
          found.push(full)
        }
      }
    } else found.push(p)
  }
  return [...new Set(found)].sort()
}
