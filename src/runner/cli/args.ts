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

// A word after a bare boolean flag that reads as its value (`--yes no`): citty would take the flag
// as given and the word as a positional, so `--yes no` would mean yes.
const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'y', 'n', 'on', 'off', '0', '1'])

/**
 * A boolean option means what it says: `--yes`, `--yes=true`, `--yes=false` and `--no-yes`, and
 * nothing else. citty reads `--yes=no`, `--yes=0` and `--yes=` as true, so anything but those
 * forms is a usage error, before citty sees it; so is giving one option both ways.
 */
export function rejectBadBooleans(rawArgs: string[], def: ArgsDef, command: string): void {
  const booleans = new Map<string, string>()
  for (const [name, arg] of Object.entries(def)) if (arg.type === 'boolean') booleans.set(name, name).set(kebab(name), name)
  const given = new Map<string, boolean>()
  const note = (name: string, value: boolean) => {
    if (given.get(name) === !value) throw new RunbookError(msg.cli.booleanBothWays(`--${name}`, command), EXIT.usage)
    given.set(name, value)
  }
  for (let i = 0; i < rawArgs.length; i++) {
    const raw = rawArgs[i]!
    if (raw === '--') break
    const m = /^--([^=]+)(=(.*))?$/s.exec(raw)
    if (!m) continue
    const flag = m[1]!
    const hasValue = m[2]
    const value = m[3]
    const negated = flag.startsWith('no-') ? booleans.get(flag.slice(3)) : undefined
    const name = booleans.get(flag) ?? negated
    if (name === undefined) continue
    const option = `--${name}`
    if (negated !== undefined && booleans.get(flag) === undefined) {
      if (hasValue !== undefined) throw new RunbookError(msg.cli.badBoolean(raw.slice(0, 200), option, command), EXIT.usage)
      note(name, false)
      continue
    }
    if (hasValue !== undefined) {
      if (value !== 'true' && value !== 'false') throw new RunbookError(msg.cli.badBoolean(raw.slice(0, 200), option, command), EXIT.usage)
      note(name, value === 'true')
      continue
    }
    const next = rawArgs[i + 1]
    if (next !== undefined && BOOLEAN_WORDS.has(next.toLowerCase())) {
      throw new RunbookError(msg.cli.badBoolean(`${raw} ${next}`, option, command), EXIT.usage)
    }
    note(name, true)
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
