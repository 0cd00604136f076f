import { EXIT } from '../../model/errors.js'
import { defineCommand } from 'citty'
import { verifyReport } from '../../sign/sign.js'
import { makeChalk } from '../../terminal/style.js'

export default defineCommand({
  meta: { name: 'verify', description: "Check a report's integrity and signatures" },
  args: {
    report: { type: 'positional', description: 'the report (.md)', required: true },
    'allowed-signers': { type: 'string', description: 'allowed signers file (default: .runbook/allowed_signers)' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ args }) {
    const result = await verifyReport(args.report, args['allowed-signers'] ?? '.runbook/allowed_signers')
    if (args.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n')
    else {
      const c = makeChalk()
      for (const s of result.signoffs) {
        const mark = s.valid ? c.green('✔') : c.red('✘')
        process.stdout.write(`${mark} ${s.signer} signed ${s.report} at ${s.signedAt} (run ${s.status}, checklist ${s.checklist})${s.comment ? `: ${s.comment}` : ''}\n`)
      }
      process.stdout.write(`approvals: ${result.approvals.principals.length}/${result.approvals.required}\n`)
      for (const p of result.problems) process.stdout.write(`${c.red('✘')} ${p}\n`)
      process.stdout.write(result.ok ? `${c.green('OK')}: every hash and signature holds\n` : `${c.red('FAILED')}\n`)
    }
    if (!result.ok) process.exitCode = EXIT.failed
  },
})
