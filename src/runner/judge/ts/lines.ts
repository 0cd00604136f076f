// Source maps of the judge's transpiled code: a generated line and column → the step's own line.
import { decodeVlq } from '../sourcemap.js'

/** Per generated line (0-based): [generated column, original line (0-based)] pairs. */
function decodeMappings(mappings: string): [number, number][][] {
  const lines: [number, number][][] = []
  let srcLine = 0
  for (const line of mappings.split(';')) {
    const segments: [number, number][] = []
    let col = 0
    for (const seg of line.split(',')) {
      if (!seg) continue
      const f = decodeVlq(seg)
      col += f[0] ?? 0
      if (f.length >= 4) {
        srcLine += f[2] ?? 0
        segments.push([col, srcLine])
      }
    }
    lines.push(segments)
  }
  return lines
}

export class LineMap {
  private readonly lines: [number, number][][]
  constructor(
    map: string | undefined,
    private readonly shift: number,
  ) {
    let mappings = ''
    try {
      mappings = (JSON.parse(map ?? '{}') as { mappings?: string }).mappings ?? ''
    } catch {
      mappings = ''
    }
    this.lines = decodeMappings(mappings)
  }
  /** Original 1-based line of a generated position (line 1-based, column 0-based). */
  original(line: number, column: number): number {
    for (let l = line - 1; l >= 0; l--) {
      const segments = this.lines[l]
      if (!segments || segments.length === 0) continue
      let best = segments[0]!
      if (l === line - 1) for (const s of segments) if (s[0] <= column) best = s
      return Math.max(1, best[1] + 1 - this.shift)
    }
    return Math.max(1, line - this.shift)
  }
}
