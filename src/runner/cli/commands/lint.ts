import { defineCommand } from 'citty'
import { EXIT, RunbookError } from '../../model/errors.js'
import { openDetectionCache } from '../../plan/judge-cache.js'
import { lint } from '../../plan/lint.js'
import { findRunbookFiles, loadRunbook } from '../../parse/load.js'
import { plan } from '../../plan/plan.js'
import { makeChalk } from '../../terminal/style.js'
import type { Diagnostic } from '../../model/runbook.js'

export default defineCommand({
  meta: { name: 'lint', description: 'Validate runbooks; exit 1 when any problem is an error' },
  args: {
    paths: { type: 'positional', description: 'files or folders (default: runbooks/)', required: false },
    json: { type: 'boolean', description: 'print the problems as JSON' },
  },
  async run({ args }) {
    const paths = args._.length > 0 ? args._.map(String) : ['runbooks']
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
        found.push(...(await findRunbookFiles([p])))
      } catch (e) {
        unreadable(e, p)
      }
    }
    const files = [...new Set(found)]
    for (const file of files) {
      try {
        const runbook = await loadRunbook(file)
        diagnostics.push(...lint(runbook, await plan(runbook, cache), undefined, cache))
      } catch (e) {
        unreadable(e, file)
      }
    }
    cache.save()
    const errors = diagnostics.filter((d) => d.severity === 'error').length
    const c = makeChalk()
    if (args.json) process.stdout.write(JSON.stringify({ files: files.length, errors, diagnostics }, null, 2) + '\n')
    else {
      for (const d of diagnostics) {
        const tag = d.severity === 'error' ? c.red('error') : c.yellow('warning')
        process.stdout.write(`${d.file}:${d.line}: ${tag}: ${d.message} ${c.dim(`[${d.rule}]`)}\n`)
      }
      const warnings = diagnostics.length - errors
      process.stderr.write(`${files.length} runbook${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`)
    }
    if (errors > 0) process.exitCode = EXIT.failed
  },
})
