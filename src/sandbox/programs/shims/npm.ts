// npm on the simulated host: `npm audit` (and `audit fix`) answers without a registry request;
// every other npm command is the real npm.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { did, out, passThrough, simulated, TOOL_EXIT, type ShimContext } from './context.js'

export function npm(ctx: ShimContext, args: string[]): number {
  if (args[0] !== 'audit') return passThrough(ctx, 'npm', args)
  if (args[1] === 'fix' && !args.includes('--dry-run')) {
    out(ctx, '\nup to date, audited 612 packages in 2s\n\nfound 0 vulnerabilities')
    did(ctx, 'npm audit fix (simulated)')
    return TOOL_EXIT.ok
  }
  if (args.includes('--json'))
    out(ctx, JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 }, dependencies: { prod: 188, dev: 424, total: 612 } } }, null, 2))
  else out(ctx, 'found 0 vulnerabilities')
  simulated(ctx, `simulated npm audit of ${existsSync('package-lock.json') ? path.resolve('package-lock.json') : 'the current folder'} (no registry request)`)
  return TOOL_EXIT.ok
}
