// The runbook's relative links, rewritten to work from the report's folder: `[분류](triage.md)` in
// runbooks/incident/database.md becomes `(../../runbooks/incident/triage.md)` in
// reports/2026-11-28/…md. Inline links and images and reference definitions, outside code; links
// with a scheme, absolute paths and in-page anchors are kept. Pure: the base comes from the record.
import path from 'node:path'

const INLINE = /(!?\[[^\]\n]*\]\()(<[^>\n]*>|[^)\s]+)((?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\))/g
const DEFINITION = /^(\s{0,3}\[[^\]\n]+\]:\s*)(<[^>\n]*>|\S+)(.*)$/
const FENCE = /^\s{0,3}(`{3,}|~{3,})/

function rewrite(target: string, base: string): string {
  const bracketed = target.startsWith('<') && target.endsWith('>')
  const bare = bracketed ? target.slice(1, -1) : target
  if (bare === '' || bare.startsWith('#') || bare.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(bare)) return target
  const joined = path.posix.normalize(`${base}/${bare}`)
  return bracketed ? `<${joined}>` : joined
}

/** The lines with their relative link targets seen from `base` (the runbook's folder from the report's). */
export function rewriteLinks(lines: string[], base: string | undefined): string[] {
  if (base === undefined || base === '' || base === '.') return lines
  let fence: string | undefined
  return lines.map((line) => {
    const f = FENCE.exec(line)
    if (f) {
      if (fence === undefined) fence = f[1]![0]!
      else if (f[1]![0] === fence) fence = undefined
      return line
    }
    if (fence !== undefined) return line
    const definition = DEFINITION.exec(line)
    if (definition) return `${definition[1]}${rewrite(definition[2]!, base)}${definition[3]}`
    return line.replace(INLINE, (_m, open: string, target: string, close: string) => `${open}${rewrite(target, base)}${close}`)
  })
}
