// Runme's vocabulary (https://runme.dev): documents written for Runme run here unchanged. Each
// Runme key and cell attribute either has its meaning here or is accepted and reported as having
// none (docs/runbook-format.md keeps the table). An unknown name is a warning, so a document
// written for another tool still plans — unless it is a likely misspelling of a name of ours: then
// ignoring it could drop a safety rule (`critcal`, `aprovals`), and it stays an error.

/** Runme cell attributes that have no meaning here: accepted, lint warns. */
export const RUNME_NO_MEANING_ATTRIBUTES = ['closeTerminalOnSuccess', 'mimeType', 'tag', 'category', 'terminalRows'] as const

/** Runme front-matter keys that have no meaning here: accepted, lint warns. */
export const RUNME_NO_MEANING_KEYS = ['category', 'terminalRows'] as const

/** Interpreters the judge can judge, as the shell step kinds name them. */
const JUDGED_SHELLS = new Set(['bash', 'sh'])

/**
 * The shell a Runme `interpreter` (or front-matter `shell`) names, or undefined when it is not one
 * the judge knows: `bash`, `/bin/bash`, `/usr/bin/env bash`, `bash -e` all name bash.
 */
export function judgedShell(interpreter: string): 'bash' | 'sh' | undefined {
  const words = interpreter.trim().split(/\s+/)
  const program = words[0] !== undefined && /(^|\/)env$/.test(words[0]) ? words[1] : words[0]
  const name = program?.split('/').pop() ?? ''
  // Options after the program (`bash -e`) are Runme's business; only the program decides the judge.
  return JUDGED_SHELLS.has(name) ? (name as 'bash' | 'sh') : undefined
}

/** The known name an unknown one is within two edits of (a likely misspelling), if any. */
export function misspeltOf(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase()
  let best: { name: string; distance: number } | undefined
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase())
    if (d <= 2 && d < Math.max(lower.length, k.length) / 2 && (!best || d < best.distance)) best = { name: k, distance: d }
  }
  return best?.name
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]!
}
