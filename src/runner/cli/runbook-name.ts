// A runbook as the operator names it: a file, or the id of a runbook under runbooks/ (the id that
// `history` lists and reports carry). Every command that takes one runbook accepts both.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { findRunbookFiles, loadRunbook } from '../parse/load.js'
import { msg } from '../terminal/messages/index.js'

export const RUNBOOKS_DIR = 'runbooks'

/** The file that `name` means: itself when it exists, else the runbook whose id it is. */
export async function runbookFile(cwd: string, name: string): Promise<string> {
  if (existsSync(path.resolve(cwd, name))) return name
  // A path (a slash, an extension) that does not exist stays as typed: the loader says why.
  if (name.includes('/') || /\.md$/i.test(name) || !existsSync(path.resolve(cwd, RUNBOOKS_DIR))) return name
  const files = await findRunbookFiles([RUNBOOKS_DIR], cwd)
  // The file name first (cheap), then the id written in the front matter.
  const byName = files.find((f) => path.basename(f, path.extname(f)) === name)
  for (const file of byName ? [byName, ...files] : files) {
    const runbook = await loadRunbook(file, cwd).catch(() => undefined)
    if (runbook?.meta.id === name) return file
  }
  throw new RunbookError(msg.cli.noSuchRunbook(name, `${RUNBOOKS_DIR}/`), EXIT.usage)
}
