// df on the simulated host: the root disk's size and use come from the host state (the
// disk-full drill's ballast counts while its files exist).
import { formatDf } from '../../host-format.js'
import { readHostState } from '../../host.js'
import { toolLocale } from '../../locale.js'
import { out, simulated, TOOL_EXIT, type ShimContext } from './context.js'

export function df(ctx: ShimContext, args: string[]): number {
  out(ctx, formatDf(readHostState(ctx.root, ctx.now()), args, toolLocale(ctx.env)).trimEnd())
  simulated(ctx, 'simulated disks of the sandbox host')
  return TOOL_EXIT.ok
}
