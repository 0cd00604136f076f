// The front-matter formats besides YAML that Runme reads: JSON inside `---` and TOML inside `+++`.
// Both keep positions: a parse error names its file line, and a TOML key is found by its line.
import { parse as parseToml, TomlError } from 'smol-toml'

export type TomlFrontMatter =
  | { data: Record<string, unknown>; keyLine: (path: string[]) => number }
  | { problem: { line: number; message: string } }

/** Parses TOML front matter whose first line is file line `firstLine`. */
export function readTomlFrontMatter(text: string, firstLine: number): TomlFrontMatter {
  let data: Record<string, unknown>
  try {
    data = parseToml(text) as Record<string, unknown>
  } catch (e) {
    const line = e instanceof TomlError ? e.line : 1
    const message = ((e as Error).message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '')
    return { problem: { line: firstLine + line - 1, message } }
  }
  // TOML dates are Date objects; the schema (like YAML's core schema) expects their text.
  return { data: datesAsText(data) as Record<string, unknown>, keyLine: (path) => firstLine + tomlKeyIndex(text, path) }
}

function datesAsText(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (Array.isArray(value)) return value.map(datesAsText)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, datesAsText(v)]))
  return value
}

/** 0-based line of the deepest part of `path` found as `key =`, `a.key =` or `[table]`; 0 when none. */
function tomlKeyIndex(text: string, path: string[]): number {
  const lines = text.split('\n')
  for (let depth = path.length; depth > 0; depth--) {
    const key = escape(path[depth - 1]!)
    const table = escape(path.slice(0, depth).join('.'))
    const at = lines.findIndex((l) => new RegExp(`^\\s*(\\[+\\s*${table}\\s*\\]+|([\\w.-]+\\.)?"?${key}"?\\s*=)`).test(l))
    if (at !== -1) return at
  }
  return 0
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** JSON's own verdict (stricter than YAML's: no comments, no trailing commas), with the offset of
 * the problem when the engine names one. */
export function jsonProblem(text: string): { offset: number; message: string } | undefined {
  try {
    JSON.parse(text)
    return undefined
  } catch (e) {
    const message = (e as Error).message
    const position = /position (\d+)/.exec(message)
    return { offset: position ? Number(position[1]) : 0, message: message.replace(/ in JSON at position \d+.*$/, '') }
  }
}
