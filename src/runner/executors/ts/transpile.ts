// A TS/JS step's code as the JavaScript the worker runs, with the source map's mappings to point
// errors back at the step's own lines. Kept in the detection cache, so a warm run never starts
// esbuild's service.
import { transform } from 'esbuild'
import { decodeVlq } from '../../judge/sourcemap.js'
import type { DetectionCache } from '../../plan/judge-cache.js'
import { msg } from '../../terminal/messages/index.js'

export interface Transpiled {
  js: string
  mappings: string
}

/** The step's JavaScript, or its syntax error (with the step line when esbuild knows it). */
export async function transpileStep(
  code: string,
  loader: 'ts' | 'js',
  cache: DetectionCache | undefined,
): Promise<Transpiled | { error: string; errorLine?: number }> {
  try {
    const cached = cache?.peek<Transpiled>(`transpile-${loader}`, code)
    if (cached) return cached
    const out = await transform(code, { loader, sourcemap: 'external', sourcefile: `step.${loader}`, target: 'node20' })
    const transpiled = { js: out.code, mappings: (JSON.parse(out.map) as { mappings: string }).mappings }
    cache?.put(`transpile-${loader}`, code, transpiled)
    return transpiled
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { line: number } | null }[] }).errors?.[0]
    if (!first) return { error: String(err) }
    const line = first.location?.line
    return line ? { error: msg.executors.onLine(first.text, line), errorLine: line } : { error: first.text }
  }
}

/** Maps a 1-based generated position to the 1-based original line through a source map. */
export function originalLine(mappings: string, line: number, col: number): number | undefined {
  let srcLine = 0
  const lines = mappings.split(';')
  for (let l = 0; l < lines.length && l < line; l++) {
    let genCol = 0
    let best: number | undefined
    let first: number | undefined
    for (const segment of lines[l]!.split(',')) {
      if (!segment) continue
      const fields = decodeVlq(segment)
      genCol += fields[0] ?? 0
      if (fields.length < 4) continue
      srcLine += fields[2] ?? 0
      first ??= srcLine
      if (genCol <= col - 1) best = srcLine
    }
    if (l === line - 1) {
      const found = best ?? first
      return found === undefined ? undefined : found + 1
    }
  }
  return undefined
}
