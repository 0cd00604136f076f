// procps on the simulated host: free, top, uptime and ps print the host state's memory, CPU and
// processes in the real tools' formats (ps with other options is the real ps).
import { formatFree, formatPs, formatTop, formatUptime } from '../../host-format.js'
import { activeFaults, readHostState } from '../../host.js'
import { toolLocale } from '../../locale.js'
import { out, passThrough, simulated, TOOL_EXIT, type ShimContext } from './context.js'

export function free(ctx: ShimContext, args: string[]): number {
  const state = readHostState(ctx.root, ctx.now())
  out(ctx, formatFree(state, args, toolLocale(ctx.env)).trimEnd())
  simulated(ctx, `simulated memory of the sandbox host${activeFaults(state).includes('memory-pressure') ? ' (memory-pressure drill active)' : ''}`)
  return TOOL_EXIT.ok
}

/** How many frames `top -b` prints: `-n N`, `-nN` or within a group (`-bn2`); one by default. */
export function topFrames(args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    const m = /^-[a-zA-Z]*n(\d*)$/.exec(args[i]!)
    if (m) return Math.min(10, Math.max(1, Number(m[1] || args[i + 1]) || 1))
  }
  return 1
}

export function top(ctx: ShimContext, args: string[]): number {
  out(ctx, formatTop(readHostState(ctx.root, ctx.now()), ctx.now(), toolLocale(ctx.env), topFrames(args)).trimEnd())
  simulated(ctx, 'simulated CPU and processes of the sandbox host')
  return TOOL_EXIT.ok
}

export function uptime(ctx: ShimContext): number {
  out(ctx, formatUptime(readHostState(ctx.root, ctx.now()), ctx.now()).trimEnd())
  simulated(ctx, 'simulated host')
  return TOOL_EXIT.ok
}

/** `ps aux`, `ps -ef` and the like (with --sort): the simulated processes. */
export function isSimplePs(args: string[]): boolean {
  return args.length > 0 && args.every((a) => /^-?(aux|ef|ax|e|A|elf|axu)$/.test(a) || a.startsWith('--sort') || args[args.indexOf('--sort') + 1] === a || a === 'ww' || a === '-ww')
}

export function ps(ctx: ShimContext, args: string[]): number {
  if (!isSimplePs(args)) return passThrough(ctx, 'ps', args)
  out(ctx, formatPs(readHostState(ctx.root, ctx.now()), args).trimEnd())
  simulated(ctx, 'simulated processes of the sandbox host')
  return TOOL_EXIT.ok
}
