// Words as a command receives them: shell words with their quotes removed and the variables the
// step's env knows resolved (PLACEHOLDER for what is only known at run time), and the argv
// helpers (positionals, an option's value) the command rules share.
import os from 'node:os'
import { PLACEHOLDER, type ShNode } from '../../runner/api.js'
import type { Ctx, Scope } from './context.js'

const SPECIAL = /^([0-9]+|[@*#?$!-]|RANDOM|SECONDS|LINENO|BASHPID|PPID|UID|EUID|OLDPWD|BASH_.*|FUNCNAME|RUNBOOK_OUTPUT|REPLY|OPTARG|OPTIND)$/

const unescapeUnquoted = (s: string) => s.replace(/\\([\s\S])/g, (_m, c: string) => (c === '\n' ? '' : c))
const unescapeDouble = (s: string) => s.replace(/\\([\s\S])/g, (m, c: string) => (c === '\n' ? '' : '$`\\"'.includes(c) ? c : m))

function paramValue(pe: ShNode, scope: Scope, ctx: Ctx): string {
  const name = String(pe.Param?.Value ?? '')
  if (pe.Length || pe.Excl || pe.Index || pe.Slice || pe.Repl || pe.Names) return PLACEHOLDER
  let value: string | undefined
  if (name === 'PWD') value = scope.cwd
  else if (scope.vars.has(name)) value = scope.vars.get(name)
  else if (SPECIAL.test(name) || scope.assigned.has(name)) value = PLACEHOLDER
  else value = ''
  if (pe.Exp) {
    if (value !== undefined && value !== '') return value
    return pe.Exp.Word ? wordValue(pe.Exp.Word, scope, ctx) : PLACEHOLDER
  }
  return value ?? PLACEHOLDER
}

function partsValue(parts: ShNode[], scope: Scope, ctx: Ctx, quoted: boolean): string {
  let out = ''
  for (const [i, part] of parts.entries()) {
    const type = ctx.syntax.NodeType(part)
    if (type === 'Lit') {
      let v = String(part.Value)
      if (!quoted && i === 0 && (v === '~' || v.startsWith('~/'))) v = (ctx.env.HOME ?? os.homedir()) + v.slice(1)
      out += quoted ? unescapeDouble(v) : unescapeUnquoted(v)
    } else if (type === 'SglQuoted') out += String(part.Value)
    else if (type === 'DblQuoted') out += partsValue(part.Parts ?? [], scope, ctx, true)
    else if (type === 'ParamExp') out += paramValue(part, scope, ctx)
    else out += PLACEHOLDER
  }
  return out
}

export function wordValue(node: ShNode, scope: Scope, ctx: Ctx): string {
  return partsValue(node?.Parts ?? [], scope, ctx, false)
}

export const known = (v: string | undefined): v is string => v !== undefined && !v.includes(PLACEHOLDER)
export const base = (v: string) => v.slice(v.lastIndexOf('/') + 1)
export const show = (v: string) => v.replace(new RegExp(PLACEHOLDER, 'g'), '…')

/** Positionals after options; `withValue` options take the next word. */
export function positionals(args: string[], withValue = ''): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') {
      out.push(...args.slice(i + 1))
      break
    }
    if (a.startsWith('-') && a.length > 1) {
      if (!a.startsWith('--') && a.length === 2 && withValue.includes(a[1]!)) i++
      continue
    }
    out.push(a)
  }
  return out
}

/** Words from the first positional on (the wrapped command), skipping the wrapper's options. */
export function positionalsFromFirst(args: string[], withValue: string): string[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') return args.slice(i + 1)
    if (!a.startsWith('-') || a === '-') return args.slice(i)
    if (!a.startsWith('--') && a.length === 2 && withValue.includes(a[1]!)) i++
    else if (a.startsWith('--') && !a.includes('=') && ['--user', '--group', '--chdir', '--adjustment', '--signal', '--kill-after'].includes(a)) i++
  }
  return []
}

/** The value of `-x VALUE`, `-xVALUE`, `--long VALUE` or `--long=VALUE`. */
export function option(args: string[], short: string | null, long: string | null): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (short && a === short) return args[i + 1]
    if (short && a.startsWith(short) && !a.startsWith('--') && a.length > short.length) return a.slice(short.length)
    if (long && a === long) return args[i + 1]
    if (long && a.startsWith(`${long}=`)) return a.slice(long.length + 1)
  }
  return undefined
}
