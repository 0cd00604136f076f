// `runbook lint [PATH…]`: every problem of every runbook as file:line; exit 1 when one is an error.
import { EXIT, RunbookError } from '../../model/errors.js'
import { openDetectionCache } from '../../plan/judge-cache.js'
import { lint, localDate } from '../../plan/lint.js'
import { findRunbookFiles, isStrictFor, loadRunbook, strictly } from '../../parse/load.js'
import { plan } from '../../plan/plan.js'
import { msg } from '../../terminal/messages/index.js'
import { chalkFor } from '../colour.js'
import { runbookFile } from '../runbook-name.js'
import { done, type CommandIo, type CommandResult } from '../io.js'
import type { Diagnostic } from '../../model/runbook.js'

export interface LintOptions {
  /** Files or folders (default runbooks/). */
  paths?: string[]
  json?: boolean
  /** Unknown keys and attributes are errors (they always are for files under runbooks/). */
  strict?: boolean
}

/** This project's runbooks live under runbooks/: there an unknown name is a typo to fix, not
 * another tool's vocabulary. */
export async function lintCommand(cwd: string, options: LintOptions, io: CommandIo): Promise<CommandResult> {
  const paths = options.paths?.length ? options.paths : ['runbooks']
  const today = localDate(io.now())
  const diagnostics: Diagnostic[] = []
  // One cache for all files: read once, written once.
  const cache = openDetectionCache()
  const unreadable = (e: unknown, file: string) => {
    if (!(e instanceof RunbookError)) throw e
    diagnostics.push({ file: e.file ?? file, line: e.line ?? 1, severity: 'error', rule: 'unreadable', message: e.message })
  }
  // A path that does not exist is a problem to report like any other, not a reason to stop.
  const found: string[] = []
  for (const p of paths) {
    try {
      found.push(...(await findRunbookFiles([await runbookFile(cwd, p)], cwd)))
    } catch (e) {
      unreadable(e, p)
    }
  }
  const files = [...new Set(found)]
  for (const file of files) {
    try {
      const runbook = await loadRunbook(file, cwd)
      const found = lint(runbook, await plan(runbook, cache), today, cache)
      diagnostics.push(...(isStrictFor(cwd, file, options.strict) ? strictly(found) : found))
    } catch (e) {
      unreadable(e, file)
    }
  }
  cache.save()
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  if (options.json) io.stdout.write(JSON.stringify({ files: files.length, errors, diagnostics }, null, 2) + '\n')
  else {
    const c = chalkFor(io.stdout)
    for (const d of diagnostics) {
      const tag = d.severity === 'error' ? c.red(msg.lint.error) : c.yellow(msg.lint.warning)
      io.stdout.write(`${d.file}:${d.line}: ${tag}: ${d.message} ${c.dim(`[${d.rule}]`)}\n`)
    }
    io.stderr.write(msg.lint.summary(files.length, errors, diagnostics.length - errors) + '\n')
  }
  return done(errors > 0 ? EXIT.failed : EXIT.ok)
}
