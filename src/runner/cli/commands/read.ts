import { defineCommand } from 'citty'
import { loadHighlighter } from '../../terminal/highlight.js'
import { assertValid, loadRunbook } from '../../parse/load.js'
import { plan } from '../../plan/plan.js'
import { renderRead } from '../render-read.js'
import { makeChalk } from '../../terminal/style.js'

export default defineCommand({
  meta: { name: 'read', description: 'Render a runbook for reading (onboarding); executes nothing' },
  args: { file: { type: 'positional', description: 'runbook file', required: true } },
  async run({ args }) {
    const runbook = assertValid(await loadRunbook(args.file))
    const c = makeChalk()
    const [planned, highlight] = await Promise.all([plan(runbook), loadHighlighter(c)])
    process.stdout.write(renderRead(runbook, planned, { c, highlight, width: process.stdout.columns ?? 100 }))
  },
})
