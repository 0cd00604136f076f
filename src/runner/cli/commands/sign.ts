import { defineCommand } from 'citty'
import { signReport } from '../../sign/sign.js'
import { makeChalk } from '../../terminal/style.js'

export default defineCommand({
  meta: { name: 'sign', description: "Sign off a finished report with the operator's SSH key" },
  args: {
    report: { type: 'positional', description: 'the report (.md)', required: true },
    comment: { type: 'string', description: 'a comment recorded with the sign-off' },
    key: { type: 'string', description: "SSH key (default: git's user.signingkey, else ssh-agent)" },
    operator: { type: 'string', description: 'who signs: "Name <mail>" (default: git user)' },
  },
  async run({ args }) {
    const { mdPath, statement } = await signReport({ report: args.report, comment: args.comment, key: args.key, operator: args.operator })
    const c = makeChalk(process.stderr)
    const caveats = [statement.status !== 'passed' ? `run ${statement.status}` : '', statement.checklist.startsWith('unfinished') ? `checklist ${statement.checklist}` : '']
      .filter(Boolean)
      .join(', ')
    process.stderr.write(`${c.green('✔')} signed ${mdPath} as ${statement.principal}${caveats ? c.yellow(` (${caveats})`) : ''}\n`)
  },
})
