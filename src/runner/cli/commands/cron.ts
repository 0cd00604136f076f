// `runbook cron`: crontab lines for the runbooks that have a `cron` time (unattended runs with --yes).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { EXIT, RunbookError } from '../../model/errors.js'
import { findRunbookFiles, loadRunbook, strictly } from '../../parse/load.js'
import { cronProblem } from '../../parse/cron.js'
import { msg, recordLanguage } from '../../terminal/messages/index.js'
import { renderCrontab, type CronEntry } from '../render-cron.js'
import { done, type CommandIo, type CommandResult } from '../io.js'

export interface CronOptions {
  /** Folder of runbooks (default runbooks/). */
  dir?: string
  /** Target of the scheduled runs: environments/NAME.env (default production). */
  target?: string
  /** Schedule the runs against the sandbox instead of a target. */
  sandbox?: boolean
}

/** `cwd` is the runbook repository: each crontab line changes into it. */
export async function cronCommand(cwd: string, options: CronOptions, io: CommandIo): Promise<CommandResult> {
  if (options.target && options.sandbox) throw new RunbookError(msg.cli.targetOrSandbox, EXIT.usage)
  const target = options.sandbox ? undefined : (options.target ?? 'production')
  if (target !== undefined && !/^[\w.-]+$/.test(target)) throw new RunbookError(msg.cli.badTarget(target), EXIT.usage)
  const repo = path.resolve(cwd)
  // The scheduled runs read environments/NAME.env: without it every run would fail at night.
  if (target !== undefined) {
    const envFile = path.join('environments', `${target}.env`)
    if (!existsSync(path.join(repo, envFile))) throw new RunbookError(msg.cli.cronNoEnvFile(target, envFile), EXIT.usage)
  }
  const entries: CronEntry[] = []
  for (const file of await findRunbookFiles([options.dir ?? 'runbooks'], cwd)) {
    try {
      const runbook = await loadRunbook(file, cwd)
      // An invalid `cron` is dropped from the runbook's data; its error (which starts with the key)
      // still says the runbook meant to be scheduled, so it is refused aloud, not skipped in silence.
      // The runbooks/ folder is this project's: an unknown key there is an error, as lint says.
      const errors = strictly(runbook.diagnostics).filter((d) => d.severity === 'error')
      if (!runbook.meta.cron && !errors.some((d) => d.message.startsWith('cron: '))) continue
      if (errors.length > 0 || !runbook.meta.cron || cronProblem(runbook.meta.cron)) {
        io.stderr.write(`${file}: ${msg.cli.notScheduled}\n`)
        continue
      }
      const relative = path.relative(repo, path.resolve(repo, file))
      entries.push({
        id: runbook.meta.id,
        title: runbook.meta.title,
        path: relative.startsWith('..') ? path.resolve(repo, file) : relative,
        cron: runbook.meta.cron,
        schedule: runbook.meta.schedule ?? null,
        missingInputs: runbook.meta.inputs.filter((i) => i.default === undefined).map((i) => i.name),
      })
    } catch (e) {
      if (!(e instanceof RunbookError)) throw e
      io.stderr.write(`${e.located}\n`)
    }
  }
  // cron's PATH rarely holds node: the crontab names the folder of the node running this command.
  const nodeDir = path.dirname(process.execPath)
  const cronPath = [...new Set([nodeDir, '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'])].join(':')
  io.stdout.write(renderCrontab(entries, { repo, target, sandbox: options.sandbox, path: cronPath, lang: recordLanguage() }))
  return done()
}
