// Syntax highlighting for the terminal. emphasize (highlight.js) costs ~80 ms to load, so it is
// loaded only by commands that show code, and only when colours are on.
import type { ChalkInstance } from 'chalk'

type Highlighter = (language: string, code: string) => string

const ALIASES: Record<string, string> = { ts: 'typescript', js: 'javascript', sh: 'bash', shell: 'bash', console: 'bash', yml: 'yaml', rb: 'ruby' }

export async function loadHighlighter(c: ChalkInstance): Promise<Highlighter> {
  if (c.level === 0) return (_language, code) => code
  const { createEmphasize, common } = await import('emphasize')
  const emphasize = createEmphasize(common)
  return (language, code) => {
    const name = ALIASES[language] ?? language
    if (!emphasize.registered(name)) return code
    try {
      return emphasize.highlight(name, code).value
    } catch {
      return code
    }
  }
}
