// Reading runbook files from disk: the bad inputs an operator really produces (a typo in the path,
// a folder, a binary, a huge file) become one-line errors that name the file.
import { readFile, stat, readdir } from 'node:fs/promises'
import path from 'node:path'
import { RunbookError } from '../model/errors.js'
import { parseRunbook } from './parse.js'
import type { Runbook } from '../model/runbook.js'

/** Runbooks are prose and a few dozen steps; anything bigger is not one. */
export const MAX_RUNBOOK_BYTES = 5 * 1024 * 1024

export async function readRunbookFile(file: string): Promise<Buffer> {
  let info
  try {
    info = await stat(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message
    throw new RunbookError(`cannot read runbook: ${why}`, 2, file)
  }
  if (info.isDirectory()) {
    throw new RunbookError('is a directory; give a runbook file (.md), or use `runbook list`/`lint` for folders', 2, file)
  }
  if (info.size > MAX_RUNBOOK_BYTES) {
    const mb = (info.size / 1024 / 1024).toFixed(1)
    throw new RunbookError(`is ${mb} MB; a runbook may be at most ${MAX_RUNBOOK_BYTES / 1024 / 1024} MB`, 2, file)
  }
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (e) {
    throw new RunbookError(`cannot read runbook: ${(e as Error).message}`, 2, file)
  }
  const problem = binaryProblem(bytes)
  if (problem) throw new RunbookError(`is not a Markdown text file (${problem.what} at line ${problem.line})`, 2, file, problem.line)
  return bytes
}

function binaryProblem(bytes: Buffer): { what: string; line: number } | undefined {
  const nul = bytes.indexOf(0)
  const lineAt = (offset: number) => bytes.subarray(0, offset).toString('latin1').split('\n').length
  if (nul !== -1) return { what: 'a NUL byte', line: lineAt(nul) }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Valid UTF-8 survives a decode and re-encode byte for byte, so the first difference is the
    // first bad byte.
    const again = Buffer.from(bytes.toString('utf8'))
    let i = 0
    while (i < bytes.length && bytes[i] === again[i]) i++
    return { what: 'bytes that are not UTF-8', line: lineAt(i) }
  }
  return undefined
}

export async function loadRunbook(file: string): Promise<Runbook> {
  return parseRunbook(await readRunbookFile(file), file)
}

/** Throws the first error diagnostic, for commands that cannot work on an invalid runbook. */
export function assertValid(runbook: Runbook): Runbook {
  const error = runbook.diagnostics.find((d) => d.severity === 'error')
  if (error) {
    const more = runbook.diagnostics.filter((d) => d.severity === 'error').length - 1
    const suffix = more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''}: run \`runbook lint ${runbook.path}\`)` : ''
    throw new RunbookError(error.message + suffix, 2, error.file, error.line)
  }
  return runbook
}

/** Expands files and folders into the runbook files below them, in a stable order. */
export async function findRunbookFiles(paths: string[]): Promise<string[]> {
  const found: string[] = []
  for (const p of paths) {
    let info
    try {
      info = await stat(p)
    } catch {
      throw new RunbookError('no such file or folder', 2, p)
    }
    if (info.isDirectory()) {
      const entries = await readdir(p, { recursive: true, withFileTypes: true })
      for (const e of entries) {
        const full = path.join(e.parentPath ?? (e as { path?: string }).path ?? p, e.name)
        if (e.isFile() && /\.md$/i.test(e.name) && !/^readme\.md$/i.test(e.name) && !full.split(path.sep).includes('node_modules')) {
          found.push(full)
        }
      }
    } else found.push(p)
  }
  return [...new Set(found)].sort()
}
