// `runbook cron`: crontab lines for the runbooks that carry a `cron` time, as a pure renderer over
// plain entries (the command loads the runbooks and prints the text).
//
// Each line changes into the runbook repository and runs the runbook unattended:
//   0 2 * * * cd '/srv/runbooks' && mkdir -p reports && ./bin/runbook run runbooks/backup/daily-database.md --yes --auto --target production --lang ko >> reports/cron.log 2>&1
// `--yes` because cron has no terminal (a destructive step would otherwise stop the run as
// blocked), `--auto` for symmetry with an operator's unattended run. The dated report of each run
// lands in reports/ as usual; cron.log keeps the runner's own output. A runbook whose inputs have
// no default cannot run unattended: it is listed as a comment with the reason.

import { shellWord as shellQuote } from '../model/shell-quote.js'
import { msg } from '../terminal/messages/index.js'

export interface CronEntry {
  id: string
  title: string
  /** Path of the runbook relative to the repository (as the command line will name it). */
  path: string
  cron: string
  schedule?: string | null
  /** Inputs without a default: the runbook cannot run unattended. */
  missingInputs?: string[]
}

export interface CrontabOptions {
  /** Absolute path of the runbook repository (the folder `bin/runbook` is in). */
  repo: string
  /** `--target NAME` in each line (ignored when `sandbox` is set). */
  target?: string
  /** Run against the sandbox (`--sandbox`) instead of a target. */
  sandbox?: boolean
  /** PATH for the crontab (cron's default PATH rarely holds node). */
  path?: string
  /** The runner, relative to the repository (default ./bin/runbook). */
  runner?: string
  /** Where the runner's own output goes, relative to the repository (default reports/cron.log). */
  log?: string
  /** `--lang` of each run: the repository's record language, so cron's runs (and the reasons they
   * record) read like an operator's, whatever cron's locale. */
  lang?: string
}

/** Quotes a word for sh when it needs it. */
export { shellQuote }

/** In a crontab command, an unescaped % ends the command (the rest becomes stdin): escape it. */
function cronEscape(command: string): string {
  return command.replace(/%/g, '\\%')
}

/** The shell command a cron entry runs. */
export function cronCommand(entry: Pick<CronEntry, 'path'>, options: CrontabOptions): string {
  const runner = options.runner ?? './bin/runbook'
  const log = options.log ?? 'reports/cron.log'
  const where = options.sandbox ? ['--sandbox'] : options.target ? ['--target', options.target] : []
  const lang = options.lang ? ['--lang', options.lang] : []
  const run = [runner, 'run', entry.path, '--yes', '--auto', ...where, ...lang].map(shellQuote).join(' ')
  const logDir = log.includes('/') ? log.slice(0, log.lastIndexOf('/')) : ''
  const mkdir = logDir ? `mkdir -p ${shellQuote(logDir)} && ` : ''
  return cronEscape(`cd ${shellQuote(options.repo)} && ${mkdir}${run} >> ${shellQuote(log)} 2>&1`)
}

export function renderCrontab(entries: CronEntry[], options: CrontabOptions): string {
  const scheduled = entries.filter((e) => e.cron.trim() !== '')
  const where = options.sandbox ? msg.cli.cronWhereSandbox : options.target ? msg.cli.cronWhereTarget(options.target) : msg.cli.cronWhereNone
  const lines = [`# ${msg.cli.cronTitle(where)}`, `# ${msg.cli.cronInstallNote}`, `# ${msg.cli.cronReportsNote}`, 'SHELL=/bin/bash']
  if (options.path) lines.push(`PATH=${options.path}`)
  if (scheduled.length === 0) {
    lines.push('', `# ${msg.cli.cronNothing}`)
    return lines.join('\n') + '\n'
  }
  for (const entry of scheduled) {
    const cron = entry.cron.trim().replace(/\s+/g, ' ')
    lines.push('', `# ${entry.id} — ${entry.title}${entry.schedule ? ` (${entry.schedule})` : ''}`)
    const line = `${cron} ${cronCommand(entry, options)}`
    if (entry.missingInputs && entry.missingInputs.length > 0) {
      lines.push(`# ${msg.cli.cronUnattended(entry.missingInputs.join(', '))}`, `# ${line}`)
    } else lines.push(line)
  }
  return lines.join('\n') + '\n'
}
