// What a reader is (the proof that one command only reads) and the helpers readers share. A
// reader returns true only when it has proven the command read-only; commands it runs (a
// wrapper's command, find -exec, bash -c) are handed back to the walk, which judges them in turn.
import { parseOptions, unknownOption, type OptionSpec, type Parsed } from '../options.js'
import type { H } from '../rule.js'
import type { Word } from '../words.js'

export type Reader = (h: H) => boolean | Promise<boolean>

/** Any arguments: the command has no option that writes, deletes or runs anything. */
export const anyArgs: Reader = () => true

/** Options parsed with `spec`; none of `forbidden` (short letters or long names) may appear. */
export function without(h: H, forbidden: string[], spec: OptionSpec = {}): Parsed | undefined {
  const p = parseOptions(h.args, spec)
  if (unknownOption(p)) return undefined
  for (const name of forbidden) if (p.opts.has(name)) return undefined
  // A long option given by a prefix (--out for --output) is the same option to getopt_long.
  for (const key of p.opts.keys()) if (key.length > 1 && forbidden.some((f) => f.length > 1 && f.startsWith(key))) return undefined
  return p
}

/**
 * A reader for a command whose only risky options are `forbidden`. Expansions ($VAR, $(…)) in
 * arguments are taken as arguments: their values come from the target's env, inputs and the
 * step's own reads, not from the code (brace expansion, which the code spells, is refused by the walk).
 */
export const withoutOptions =
  (forbidden: string[], spec: OptionSpec = {}): Reader =>
  (h) =>
    without(h, forbidden, spec) !== undefined

/** Every word literal. */
export const allLiteral = (ws: Word[]): boolean => ws.every((w) => w.literal)

/** `tool VERB …` where VERB is one of `verbs` (options before the verb parsed with `spec`). */
export function verbOf(h: H, spec: OptionSpec = {}): { verb: Word | undefined; rest: Word[]; parsed: Parsed } {
  const parsed = parseOptions(h.args, { ...spec, stopAtPositional: true })
  const [verb, ...rest] = parsed.positionals
  return { verb, rest, parsed }
}
