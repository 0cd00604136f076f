// Command-line options the way most tools read them: short clusters (`-rf`), long options with
// `=` or a separate value, `--`, and (for wrappers) everything after the first positional.
import { PLACEHOLDER, type Word } from './words.js'

export interface Parsed {
  /** Option name (one letter, or the long name without dashes) → its values (null when none). */
  opts: Map<string, (string | null)[]>
  positionals: Word[]
}

export interface OptionSpec {
  /** Short options that take a value, e.g. 'uUgh'. */
  short?: string
  /** Long options that take a value. */
  long?: string[]
  /** Everything from the first positional on is positional (wrappers, subcommand tools). */
  stopAtPositional?: boolean
}

export function parseOptions(args: Word[], spec: OptionSpec = {}): Parsed {
  const opts = new Map<string, (string | null)[]>()
  const positionals: Word[] = []
  const add = (k: string, v: string | null) => opts.set(k, [...(opts.get(k) ?? []), v])
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!
    const v = w.value
    // A word that starts with a literal `-` is an option even with an expansion in it
    // (`--file="$X"`, `-f"$X"`): its value is not known, and an expansion in its name is kept as
    // the name PLACEHOLDER, which no reader proves (see `unknownOption`).
    if (v === '-' || !v.startsWith('-')) {
      positionals.push(w)
      if (spec.stopAtPositional) {
        positionals.push(...args.slice(i + 1))
        break
      }
      continue
    }
    if (v === '--') {
      positionals.push(...args.slice(i + 1))
      break
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=')
      const name = eq === -1 ? v.slice(2) : v.slice(2, eq)
      if (name.includes(PLACEHOLDER)) {
        add(PLACEHOLDER, null)
        continue
      }
      if (eq !== -1) add(name, v.slice(eq + 1))
      else if (spec.long?.includes(name)) add(name, args[++i]?.value ?? null)
      else add(name, null)
      continue
    }
    for (let j = 1; j < v.length; j++) {
      const c = v[j]!
      if (c === PLACEHOLDER) {
        add(PLACEHOLDER, null)
        break
      }
      if (spec.short?.includes(c)) {
        const rest = v.slice(j + 1)
        add(c, rest !== '' ? rest : (args[++i]?.value ?? null))
        break
      }
      add(c, null)
    }
  }
  return { opts, positionals }
}

/**
 * The words that are the values of options `names` (every occurrence), parsed as `parseOptions`
 * does: a separate word as it is, an inline value (`--file=X`, `-fX`) cut from its word (with its
 * path template, when the word has one). undefined stands for a value that is missing.
 */
export function optionValueWords(args: Word[], spec: OptionSpec, names: string[]): (Word | undefined)[] {
  const found: (Word | undefined)[] = []
  const cut = (w: Word, at: number): Word => {
    const value = w.value.slice(at)
    const path = w.path !== undefined && w.path.slice(0, at) === w.value.slice(0, at) ? w.path.slice(at) : undefined
    return { value, literal: !value.includes(PLACEHOLDER), ...(path !== undefined ? { path } : {}) }
  }
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value
    if (v === '--') break
    if (v === '-' || !v.startsWith('-')) {
      if (spec.stopAtPositional) break
      continue
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=')
      const name = eq === -1 ? v.slice(2) : v.slice(2, eq)
      const takes = spec.long?.includes(name) === true
      if (eq !== -1) {
        if (names.includes(name)) found.push(cut(args[i]!, eq + 1))
      } else if (takes) {
        if (names.includes(name)) found.push(args[i + 1])
        i++
      }
      continue
    }
    for (let j = 1; j < v.length; j++) {
      const c = v[j]!
      if (!spec.short?.includes(c)) continue
      const inline = j + 1 < v.length
      if (names.includes(c)) found.push(inline ? cut(args[i]!, j + 1) : args[i + 1])
      if (!inline) i++
      break
    }
  }
  return found
}

/** An option whose name came from an expansion (`-$X`): it could be any option. */
export function unknownOption(p: Parsed): boolean {
  return p.opts.has(PLACEHOLDER)
}

export function has(p: Parsed, ...names: string[]): boolean {
  return names.some((n) => p.opts.has(n))
}

export function values(p: Parsed, ...names: string[]): (string | null)[] {
  return names.flatMap((n) => p.opts.get(n) ?? [])
}
