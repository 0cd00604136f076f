// One command line, judged by its command: wrappers (sudo, env, timeout, xargs, nice…) and
// shells (bash -c, eval) are looked through; cd moves the step's folder; the sandbox's shims
// are fine by their bare name; the writers and remote commands have rules of their own; any
// other destructive command is one the sandbox does not simulate.
import path from 'node:path'
import { msg, PLACEHOLDER } from '../../runner/api.js'
import { SHIMMED } from '../shims.js'
import { deeper, effects, type Ctx, type Scope } from './context.js'
import { checkPath, inside } from './paths.js'
import { checkRedisClient, REMOTE } from './remote.js'
import { WRITERS } from './writers.js'
import { base, known, option, positionals, positionalsFromFirst } from './words.js'

/** Commands whose argv[0] we look through, with their options that take a value. */
const WRAPPER_OPTS: Record<string, string> = { sudo: 'ugUhpCDrtTR', doas: 'u', nice: 'n', ionice: 'cnp', stdbuf: 'ioe', nohup: '', time: '', setsid: '', command: '', exec: 'a', caffeinate: '', unbuffer: '' }
const SHELLS = ['bash', 'sh', 'dash', 'zsh', 'ksh', 'su', 'runuser']
const SHIMS = new Set<string>(SHIMMED)
const MAX_DEPTH = 12

/** Wrappers, shells, chroot and cd: true when the command was handled here. */
async function lookThrough(name: string, args: string[], scope: Scope, ctx: Ctx): Promise<boolean> {
  const nested = (next: string[], s = scope) => ctx.argv(next, s, deeper(ctx))
  if (Object.hasOwn(WRAPPER_OPTS, name)) {
    if (!(name === 'command' && args.some((a) => a === '-v' || a === '-V'))) await nested(positionalsFromFirst(args, WRAPPER_OPTS[name]!))
  } else if (name === 'env') {
    const chdir = option(args, '-C', '--chdir')
    let j = 0
    while (j < args.length && (args[j]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[j]!))) j += ['-u', '-C', '-S', '--unset', '--chdir'].includes(args[j]!) ? 2 : 1
    await nested(args.slice(j), chdir && known(chdir) ? { ...scope, cwd: path.resolve(scope.cwd ?? '/', chdir) } : scope)
  } else if (name === 'timeout') await nested(positionalsFromFirst(args, 'sk').slice(1))
  else if (name === 'xargs') await nested([...positionalsFromFirst(args, 'InPLdEsa'), PLACEHOLDER])
  else if (SHELLS.includes(name)) {
    const script = option(args, '-c', '--command')
    if (script !== undefined) await ctx.shell(script, scope.cwd, ctx)
  } else if (name === 'eval') await ctx.shell(args.join(' '), scope.cwd, ctx)
  else if (name === 'chroot') ctx.out.add(msg.sandbox.chroot)
  else if (name === 'cd' || name === 'pushd') {
    const dir = positionals(args)[0]
    scope.cwd = dir === undefined ? ctx.env.HOME : known(dir) ? path.resolve(scope.cwd ?? '/', dir) : undefined
  } else return false
  return true
}

/** The sandbox's shims: fine by their bare name; a real binary called by absolute path is not. */
async function shim(first: string, name: string, args: string[], argv: string[], scope: Scope, ctx: Ctx): Promise<void> {
  if (first.includes('/') && !inside(path.resolve(first), path.join(ctx.root, 'bin'))) {
    const d = await effects(argv)
    if (d.reasons.length > 0) ctx.out.add(msg.sandbox.realBinary(first, name, d.reasons.join('; ')))
    return
  }
  if (name === 'aws') {
    // The shim writes the local side of an S3 copy: it must be in the sandbox too.
    const pos = positionals(args)
    if (pos[0] === 's3' && ['cp', 'mv', 'sync'].includes(pos[1] ?? '')) {
      const [src, dst] = pos.slice(2)
      if (dst !== undefined && !dst.startsWith('s3://')) checkPath(dst, `aws s3 ${pos[1]} →`, scope, ctx)
      if (pos[1] === 'mv' && src !== undefined && !src.startsWith('s3://')) checkPath(src, 'aws s3 mv', scope, ctx)
    }
  }
  if (name === 'redis-cli') await checkRedisClient(argv, ctx)
}

export async function analyzeArgv(words: string[], scope: Scope, ctx: Ctx): Promise<void> {
  let i = 0
  while (i < words.length && known(words[i]) && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++
  const argv = words.slice(i)
  const first = argv[0]
  if (!first || !known(first) || ctx.depth > MAX_DEPTH) return
  const name = base(first)
  const args = argv.slice(1)
  if (await lookThrough(name, args, scope, ctx)) return
  // npm is a shim for `npm audit` only; the rest of npm is the real one.
  if (SHIMS.has(name) && !(name === 'npm' && args[0] !== 'audit')) return shim(first, name, args, argv, scope, ctx)
  if (Object.hasOwn(WRITERS, name)) return WRITERS[name]!(name, args, scope, ctx)
  if (Object.hasOwn(REMOTE, name)) return REMOTE[name]!(name, args, argv, scope, ctx)
  const d = await effects(argv)
  if (d.reasons.length > 0) ctx.out.add(msg.sandbox.notSimulated(name, d.reasons.join('; ')))
}
