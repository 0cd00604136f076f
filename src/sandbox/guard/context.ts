// What the rule-5 analysis carries while it walks a step: the shell syntax, the sandbox folder
// and the folders a step may write to, the step's env, the findings, and the two entry points
// it recurses through (a command line, a script), so that the parts need not import each other.
import { knownEffects, type ShSyntax } from '../../runner/api.js'

export interface Scope {
  vars: Map<string, string>
  /** Names assigned somewhere in the script (loops, read, …): unknown values, not empty ones. */
  assigned: Set<string>
  cwd: string | undefined
}

export interface Ctx {
  syntax: ShSyntax
  root: string
  allowed: string[]
  env: Record<string, string>
  depth: number
  out: Set<string>
  /** Judges one command line (argv after expansion). */
  argv(argv: string[], scope: Scope, ctx: Ctx): Promise<void>
  /** Judges a script (bash -c, eval, a TS step's `$` template). */
  shell(code: string, cwd: string | undefined, ctx: Ctx): Promise<void>
}

/** The same walk one level deeper (a wrapped command, a nested script). */
export const deeper = (ctx: Ctx): Ctx => ({ ...ctx, depth: ctx.depth + 1 })

/**
 * What the runner's judge says a command changes. Its fail-closed "cannot prove this is
 * read-only" findings are left out: rule 5 refuses the commands the sandbox does not simulate by
 * what they do; the runner's own gate asks about the unproven ones.
 */
export async function effects(argv: string[]): Promise<{ reasons: string[] }> {
  return { reasons: await knownEffects(argv) }
}
