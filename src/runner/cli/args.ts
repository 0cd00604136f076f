// Small helpers over citty's parsed arguments: repeated options and strict flag checking, so a
// typo such as `--dryrun` is a usage error rather than a silently ignored flag.
import type { ArgsDef } from 'citty'
import { EXIT, RunbookError } from '../model/errors.js'
import { msg } from '../terminal/messages/index.js'

/** Every value of a repeatable option (`--set A=1 --set B=2`, `--set=A=1`); citty keeps only the last. */
export function repeated(rawArgs: string[], name: string): string[] {
  const values: string[] = []
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!
    if (arg === '--') break
    if (arg === `--${name}`) {
      const next = rawArgs[i + 1]
      if (next === undefined) throw new RunbookError(msg.cli.optionNeedsValue(`--${name}`), EXIT.usage)
      values.push(next)
      i++
    } else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3))
  }
  return values
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)

export function rejectUnknownFlags(rawArgs: string[], def: ArgsDef, command: string): void {
  const known = new Set<string>(['help', 'h'])
  for (const [name, arg] of Object.entries(def)) {
    if (arg.type === 'positional') continue
    known.add(name).add(kebab(name))
    const aliases = 'alias' in arg && arg.alias ? (Array.isArray(arg.alias) ? arg.alias : [arg.alias]) : []
    for (const a of aliases) known.add(a)
    if (arg.type === 'boolean') known.add(`no-${name}`)
  }
  for (const raw of rawArgs) {
    if (raw === '--') break
    const m = /^--?([^=]+)/.exec(raw)
    if (!m || /^-\d/.test(raw)) continue
    const names = raw.startsWith('--') ? [m[1]!] : [...m[1]!]
    for (const name of names) {
      if (!known.has(name)) {
        throw new RunbookError(msg.cli.unknownOption(`${raw.startsWith('--') ? '--' : '-'}${name}`, command), EXIT.usage)
      }
    }
  }
}

/** Parses repeated `K=V` options into an object. */
export function keyValues(values: string[], option: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values) {
    const eq = v.indexOf('=')
    if (eq <= 0) throw new RunbookError(msg.cli.expectsKeyValue(option, v), EXIT.usage)
    out[v.slice(0, eq)] = v.slice(eq + 1)
  }
  return out
}
