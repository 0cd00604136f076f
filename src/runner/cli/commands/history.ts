import { defineCommand } from 'citty'
import { readHistory, reportsDir } from '../../report/history.js'
import { makeChalk, table } from '../../terminal/style.js'

export default defineCommand({
  meta: { name: 'history', description: 'Past runs from the reports folder, with status, operator and sign-off state' },
  args: {
    runbook: { type: 'positional', description: 'only this runbook (id or file)', required: false },
    reports: { type: 'string', description: 'reports folder (default: reports/ or $RUNBOOK_REPORTS)' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run({ args }) {
    const wanted = args.runbook?.replace(/^.*\//, '').replace(/\.md$/, '')
    const entries = (await readHistory(reportsDir(args.reports))).filter((e) => !wanted || e.runbook === wanted || e.report.includes(`/${wanted}-`))
    if (args.json) {
      process.stdout.write(JSON.stringify(entries, null, 2) + '\n')
      return
    }
    const c = makeChalk()
    if (entries.length === 0) {
      process.stdout.write(c.dim('No runs recorded.') + '\n')
      return
    }
    const rows = entries.map((e) => [
      e.started.replace('T', ' ').slice(0, 19),
      e.runbook,
      e.status === 'passed' ? c.green(e.status) : e.status === 'failed' || e.status === 'incomplete' ? c.red(e.status) : c.yellow(e.status),
      e.operator,
      e.signedBy.length === 0 ? c.dim('unsigned') : `${e.signedBy.join(', ')}${e.signedBy.length < e.approvals ? c.yellow(` (${e.signedBy.length}/${e.approvals})`) : ''}`,
      e.report,
    ])
    process.stdout.write(table([['started', 'runbook', 'status', 'operator', 'sign-off', 'report'].map((h) => c.dim(h)), ...rows]) + '\n')
  },
})
