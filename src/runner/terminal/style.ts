// Terminal styling that honours NO_COLOR and FORCE_COLOR, and plain text when piped.
import { Chalk, type ChalkInstance } from 'chalk'
import stringWidth from 'string-width'

/** The colour level for an output: none with NO_COLOR or when not a terminal, one with FORCE_COLOR. */
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0
  const force = env.FORCE_COLOR
  if (force !== undefined) return force === '0' || force === 'false' ? 0 : 1
  return isTTY ? 2 : 0
}

export function makeChalk(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  return new Chalk({ level: colorLevel(env, Boolean(stream.isTTY)) })
}

/** Pads to a display width, so Korean (double-width) text lines up in columns. */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)))
}

export function table(rows: string[][], gap = '  '): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, stringWidth(cell))))
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : padEnd(cell, widths[i] ?? 0))).join(gap).trimEnd())
    .join('\n')
}
