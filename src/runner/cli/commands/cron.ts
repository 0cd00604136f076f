import path from 'node:path'
import { defineCommand } from 'citty'
import { EXIT, RunbookError } from '../../model/errors.js'
import { findRunbookFiles, loadRunbook } from '../../parse/load.js'
import { renderCrontab, type CronEntry } from '../render-cron.js'

export default defineCommand({
  meta: { name: 'cron', description: 'Crontab lines for the runbooks that have a `cron` time (unattended runs with --yes, reports as usual)' },
  args: {
    dir: { type: 'string', description: 'folder of runbooks (default: runbooks/)' },
    target: { type: 'string', description: 'target of the scheduled runs: environments/NAME.env (default: production)' },
    sandbox: { type: 'boolean', description: 'schedule the runs against the sandbox instead of a target' },
  },
  async run({ args }) {
    if (args.target && args.sandbox) throw new RunbookError('use either --target NAME or --sandbox, not both', EXIT.usage)
    const target = args.sandbox ? undefined : (args.target ?? 'production')
    if (target !== undefined && !/^[\w.-]+$/.test(target)) throw new RunbookError(`bad target name "${target}": use letters, digits, ".", "_" or "-"`, EXIT.usage)
    const repo = process.cwd()
    const files = await findRunbookFiles([args.dir ?? 'runbooks'])
    const entries: CronEntry[] = []
    for (const file of files) {
      try {
        const runbook = await loadRunbook(file)
        if (!runbook.meta.cron) continue
        if (runbook.diagnostics.some((d) => d.severity === 'error')) {
          process.stderr.write(`${file}: invalid runbook (see \`runbook lint\`); not scheduled\n`)
          continue
        }
        const relative = path.relative(repo, path.resolve(file))
        entries.push({
          id: runbook.meta.id,
          title: runbook.meta.title,
          path: relative.startsWith('..') ? path.resolve(file) : relative,
          cron: runbook.meta.cron,
          schedule: runbook.meta.schedule ?? null,
          missingInputs: runbook.meta.inputs.filter((i) => i.default === undefined).map((i) => i.name),
        })
      } catch (e) {
        if (!(e instanceof RunbookError)) throw e
        process.stderr.write(`${e.located}\n`)
      }
    }
    const nodeDir = path.dirname(process.execPath)
    const cronPath = [...new Set([nodeDir, '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'])].join(':')
    process.stdout.write(renderCrontab(entries, { repo, target, sandbox: args.sandbox, path: cronPath }))
  },
})
