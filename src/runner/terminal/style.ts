// Terminal styling that honours NO_COLOR and FORCE_COLOR, and plain text when piped.
import { Chalk, type ChalkInstance } from 'chalk'
import stringWidth from 'string-width'

export function colorLevel(stream: NodeJS.WriteStream = process.stdout): 0 | 1 | 2 | 3 {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return 0
  const force = process.env.FORCE_COLOR
  if (force !== undefined) return force === '0' || force === 'false' ? 0 : 1
  return stream.isTTY ? 2 : 0
}

export function makeChalk(stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  return new Chalk({ level: colorLevel(stream) })
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
