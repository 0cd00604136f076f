// Runme's `promptEnv`: a shell step's `export NAME=value` lines are asked like inputs. At a
// terminal the operator gives each value (the default: the variable's value in the run's env, else
// the one written in the step); without one the same default is used. The step then runs with each
// such line rewritten to `export NAME='the value'` (single-quoted: a value cannot run anything),
// and those lines are shown and recorded as they run, so what runs is what was shown.
import { shellQuote } from '../model/shell-quote.js'

/** Runme's spellings: `true`/`yes`/`auto` ask, `false`/`no`/`never` do not. */
export function promptEnvOn(value: string | undefined): boolean {
  return value !== undefined && /^(true|yes|auto|on|1)$/i.test(value.trim() || 'true')
}

export interface ExportLine {
  /** 0-based line of the step's code. */
  index: number
  name: string
  /** The value as written (quotes removed). */
  written: string
}

// `export NAME=value` whose value is literal: bare (no expansion or operator), '…', or "…" without $ ` \.
const EXPORT = /^(\s*)export\s+([A-Za-z_][A-Za-z0-9_]*)=('([^']*)'|"([^"$`\\]*)"|([^\s$`\\'";|&<>(){}]*))\s*$/

export function exportLines(code: string): ExportLine[] {
  const found: ExportLine[] = []
  code.split('\n').forEach((line, index) => {
    const m = EXPORT.exec(line)
    if (m) found.push({ index, name: m[2]!, written: m[4] ?? m[5] ?? m[6] ?? '' })
  })
  return found
}

/** The code with each asked line set to its value; and those lines as they now read. */
export function withValues(code: string, lines: ExportLine[], values: Record<string, string>): { code: string; shown: string[] } {
  const out = code.split('\n')
  const shown: string[] = []
  for (const l of lines) {
    const indent = /^\s*/.exec(out[l.index]!)![0]
    out[l.index] = `${indent}export ${l.name}=${shellQuote(values[l.name] ?? l.written)}`
    shown.push(out[l.index]!.trim())
  }
  return { code: out.join('\n'), shown }
}

/** What asking needs: the run's prompts (null without a terminal) and env. */
export interface PromptEnvContext {
  prompts: { askInput(spec: { name: string; type: 'string'; default?: string; description?: string }): Promise<string> } | null
  env: Record<string, string>
  description: (name: string) => string
}

/**
 * The step's code with its `export` lines asked (see the file comment), or undefined when the step
 * does not ask (`promptEnv` off, not a shell step, no such line).
 */
export async function askExports(code: string, attr: string | undefined, ctx: PromptEnvContext): Promise<{ code: string; shown: string[] } | undefined> {
  if (!promptEnvOn(attr)) return undefined
  const lines = exportLines(code)
  if (lines.length === 0) return undefined
  const values: Record<string, string> = {}
  for (const l of lines) {
    const fallback = ctx.env[l.name] ?? l.written
    values[l.name] = ctx.prompts ? await ctx.prompts.askInput({ name: l.name, type: 'string', default: fallback, description: ctx.description(l.name) }) : fallback
  }
  return withValues(code, lines, values)
}
