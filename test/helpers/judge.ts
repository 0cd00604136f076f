// The check every judge's case table makes of a Detection (test/judge/*.test.ts).
import { expect } from 'vitest'
import type { Detection } from '../../src/runner/model/runbook.js'

/** What a case says the reasons must mention: one reason exactly, all of them in order, or a pattern over them. */
export type Mention = string | string[] | RegExp

/**
 * The code parsed and nothing was refused; it is destructive or not as the case says. A string
 * `mention` is one of the reasons, an array is all of them, a pattern matches them (any reason
 * when none is given); a case that is not destructive has no reasons.
 */
export function expectJudged(d: Detection, destructive: boolean, mention?: Mention): void {
  expect(d.syntaxErrors).toEqual([])
  expect(d.refused).toEqual([])
  expect(d.destructive).toBe(destructive)
  if (typeof mention === 'string') expect(d.reasons).toContain(mention)
  else if (Array.isArray(mention)) expect(d.reasons).toEqual(mention)
  else if (destructive) expect(d.reasons.join('\n')).toMatch(mention ?? /./)
  else expect(d.reasons).toEqual([])
}
