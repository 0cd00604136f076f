// apt and apt-get on the simulated host: the pending updates live in the host state; update,
// list --upgradable, upgrade (and -s), install/remove. The real packages are never changed.
import { readHostState, updateHostState, type HostState } from '../../host.js'
import { did, notSimulated, out, simulated, TOOL_EXIT, type ShimContext } from './context.js'

function update(ctx: ShimContext, state: HostState): number {
  out(ctx, 'Hit:1 http://deb.debian.org/debian bookworm InRelease\nGet:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]\nGet:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]\nFetched 103 kB in 1s (98.2 kB/s)\nReading package lists... Done')
  const pending = state.packages.upgradable.length
  if (ctx.command === 'apt') out(ctx, pending > 0 ? `${pending} packages can be upgraded. Run 'apt list --upgradable' to see them.` : 'All packages are up to date.')
  updateHostState(ctx.root, ctx.now(), (s) => {
    s.packages.lastUpdate = ctx.now().toISOString()
  })
  did(ctx, 'package lists updated (simulated; the real host is unchanged)')
  return TOOL_EXIT.ok
}

function upgrade(ctx: ShimContext, state: HostState, simulate: boolean): number {
  const list = state.packages.upgradable
  out(ctx, 'Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\nCalculating upgrade... Done')
  if (list.length === 0) {
    out(ctx, '0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.')
    did(ctx, 'nothing to upgrade')
    return TOOL_EXIT.ok
  }
  out(ctx, `The following packages will be upgraded:\n  ${list.map((p) => p.name).join(' ')}\n${list.length} upgraded, 0 newly installed, 0 to remove and 0 not upgraded.`)
  if (simulate) {
    for (const p of list) out(ctx, `Inst ${p.name} [${p.from}] (${p.to} Debian:12/${p.suite} [amd64])`)
    simulated(ctx, 'apt -s: nothing changed')
    return TOOL_EXIT.ok
  }
  for (const p of list) out(ctx, `Unpacking ${p.name} (${p.to}) over (${p.from}) ...\nSetting up ${p.name} (${p.to}) ...`)
  updateHostState(ctx.root, ctx.now(), (s) => {
    s.packages.upgradable = []
    s.packages.lastUpgrade = ctx.now().toISOString()
  })
  did(ctx, `upgraded ${list.length} packages on the simulated host (the real host is unchanged)`)
  return TOOL_EXIT.ok
}

export function apt(ctx: ShimContext, args: string[]): number {
  const [verb, ...pkgs] = args.filter((a) => !a.startsWith('-'))
  const simulate = args.some((a) => ['-s', '--simulate', '--dry-run', '--just-print', '--no-act'].includes(a))
  const state = readHostState(ctx.root, ctx.now())
  switch (verb) {
    case 'update':
      return update(ctx, state)
    case 'list':
      if (args.includes('--upgradable')) {
        out(ctx, 'Listing... Done')
        for (const p of state.packages.upgradable) out(ctx, `${p.name}/${p.suite} ${p.to} amd64 [upgradable from: ${p.from}]`)
        simulated(ctx, 'simulated pending updates of the sandbox host')
        return TOOL_EXIT.ok
      }
      return notSimulated(ctx, `${ctx.command} list ${args.filter((a) => a !== 'list').join(' ')}`.trim())
    case 'upgrade':
    case 'dist-upgrade':
    case 'full-upgrade':
      return upgrade(ctx, state, simulate)
    case 'install':
    case 'reinstall':
    case 'remove':
    case 'purge':
    case 'autoremove':
      if (simulate) simulated(ctx, `${ctx.command} -s ${verb}: nothing changed`)
      else did(ctx, `${verb} ${pkgs.join(' ')} on the simulated host (the real host is unchanged)`)
      return TOOL_EXIT.ok
    default:
      return notSimulated(ctx, `${ctx.command} ${verb ?? ''}`.trim())
  }
}
