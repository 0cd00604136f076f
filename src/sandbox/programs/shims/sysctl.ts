// sysctl on the simulated host: kernel settings live in the host state; vm.drop_caches frees
// the simulated page cache (the memory drill's first aid). The real kernel is never changed.
import { readFileSync } from 'node:fs'
import { memoryFigures, readHostState, updateHostState } from '../../host.js'
import { did, err, out, simulated, TOOL_EXIT, type ShimContext } from './context.js'

/** sysctl's code for a key that does not exist. */
const NO_SUCH_KEY = 255

function write(ctx: ShimContext, p: string): number {
  const eq = p.indexOf('=')
  if (eq === -1) {
    err(ctx, `sysctl: "${p}" must be of the form name=value`)
    return TOOL_EXIT.failed
  }
  const key = p.slice(0, eq).trim().replace(/\//g, '.')
  const value = p.slice(eq + 1).trim()
  let effect = ''
  updateHostState(ctx.root, ctx.now(), (s) => {
    s.sysctl[key] = value
    if (key === 'vm.drop_caches' && ['1', '2', '3'].includes(value)) {
      const before = memoryFigures(s)
      if (value !== '2') s.memory.cacheMb = Math.min(s.memory.cacheMb, 180)
      if (value !== '1') s.memory.slabMb = Math.min(s.memory.slabMb, 90)
      const after = memoryFigures(s)
      effect = `; page cache dropped: buff/cache ${before.cacheMb} → ${after.cacheMb} MiB, used ${before.usedPercent}% → ${after.usedPercent}%`
    }
  })
  out(ctx, `${key} = ${value}`)
  did(ctx, `set ${key}=${value} on the simulated host${effect}`)
  return TOOL_EXIT.ok
}

function read(ctx: ShimContext, p: string, valueOnly: boolean): number {
  const key = p.replace(/\//g, '.')
  let value = readHostState(ctx.root, ctx.now()).sysctl[key]
  if (value === undefined) {
    try {
      value = readFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8').trim()
    } catch {
      err(ctx, `sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`)
      return NO_SUCH_KEY
    }
  }
  out(ctx, valueOnly ? value : `${key} = ${value}`)
  return TOOL_EXIT.ok
}

export function sysctl(ctx: ShimContext, args: string[]): number {
  const valueOnly = args.some((a) => /^-[a-zA-Z]*n/.test(a))
  const writing = args.some((a) => /^-[a-zA-Z]*w/.test(a) || a === '--write')
  const positional = args.filter((a) => !a.startsWith('-'))
  if (args.some((a) => /^-[a-zA-Z]*p/.test(a) || a === '--load' || a === '--system')) {
    did(ctx, 'loaded kernel settings (simulated; the real kernel is unchanged)')
    return TOOL_EXIT.ok
  }
  if (args.some((a) => /^-[a-zA-Z]*a/.test(a) || a === '--all')) {
    for (const [k, v] of Object.entries(readHostState(ctx.root, ctx.now()).sysctl).sort()) out(ctx, `${k} = ${v}`)
    simulated(ctx, 'simulated kernel settings')
    return TOOL_EXIT.ok
  }
  let code: number = TOOL_EXIT.ok
  for (const p of positional) {
    const result = p.includes('=') || writing ? write(ctx, p) : read(ctx, p, valueOnly)
    if (result !== TOOL_EXIT.ok) code = result
  }
  if (code === TOOL_EXIT.ok && !writing && positional.every((p) => !p.includes('='))) simulated(ctx, 'simulated kernel settings')
  return code
}
