// What a rule (the judge of one command) sees and may do, and the helpers rules share. A rule
// gets the command's name and arguments and flags what it changes; wrappers hand the command
// they run (or a script) back to the walk through `run` and `script`.
import type { ko } from '../../terminal/messages/judge/shell.js'
import { msg } from '../../terminal/messages/index.js'
import type { DeclaredWrites } from './declared.js'
import { parseOptions, type OptionSpec } from './options.js'
import type { ShSyntax } from './syntax.js'
import { PLACEHOLDER, type Word } from './words.js'

/** A phrase of the catalogue: what a command does (`deletesFiles`). */
export type ShellPhrase = { [K in keyof typeof ko]: (typeof ko)[K] extends string ? K : never }[keyof typeof ko]

/** What a command reads on standard input. */
export interface Stdin {
  /** Text fed by a heredoc or here-string (PLACEHOLDER for expansions). */
  text?: string
  /** Fed by a pipe. */
  piped?: boolean
  /** Redirected from a file. */
  file?: string
}

/** What the judgement found: reasons, and the script's syntax errors. */
export interface Out {
  reasons: Set<string>
  /** How many times something was flagged (a repeated reason counts again). */
  flags: number
  /** The reasons that only say "cannot prove this is read-only" (no effect named). */
  unproven: Set<string>
  syntaxErrors: { line: number; message: string }[]
}

/** Where in the walk a command stands. */
export interface Ctx {
  out: Out
  syntax: ShSyntax
  depth: number
  /** Prepended to reasons, e.g. "ssh web1: ". */
  prefix: string
  stdin: Stdin
  /** Functions the script defines (their bodies are judged where they are defined). */
  functions: Set<string>
  /** The step's `writes=` paths, as far as the judge may use them for proofs (declared.ts). */
  writes?: DeclaredWrites
}

/** How deep scripts may nest (bash -c "ssh h 'sudo sh -c …'") before the judge gives up. */
export const MAX_DEPTH = 8

export function flag(ctx: Ctx, reason: string): void {
  ctx.out.flags++
  ctx.out.reasons.add((ctx.prefix + reason).replace(new RegExp(PLACEHOLDER, 'g'), '…'))
}

/** One command as a rule sees it. */
export interface H {
  /** The command's name as judged (basename). */
  name: string
  args: Word[]
  ctx: Ctx
  flag(reason: string): void
  /** Flags `command` as doing what the catalogue's phrase says: `rm deletes files`. */
  says(command: string, phrase: ShellPhrase): void
  /** Judge another argv (a wrapped command) with this command's stdin, or the given one. */
  run(argv: Word[], stdin?: Stdin, prefix?: string): Promise<void>
  script(text: string, label: string, prefix?: string, stdin?: Stdin): Promise<void>
}

export type Rule = (h: H) => void | Promise<void>

/** The literal values of words, null for those with expansions. */
export const lits = (ws: Word[]): (string | null)[] => ws.map((w) => (w.literal ? w.value : null))

export const isHelp = (h: H): boolean => h.args.some((a) => a.value === '--help' || a.value === '--version')

/** Flags the command unless it only asks for help. */
export const always =
  (phrase: ShellPhrase): Rule =>
  (h) => {
    if (!isHelp(h)) h.says(h.name, phrase)
  }

/** `tool VERB …`: every verb but the read-only ones does what the phrase says. */
export const verbFlag =
  (tool: string, read: Set<string>, phrase: ShellPhrase, spec: OptionSpec = {}): Rule =>
  (h) => {
    const p = parseOptions(h.args, { ...spec, stopAtPositional: true })
    const v = p.positionals[0]
    if (!v?.literal || read.has(v.value)) return
    h.says(`${tool} ${v.value}`, phrase)
  }

/** The shell judge's words (read when used, so the active language applies). */
export const says = () => msg.judge.shell
