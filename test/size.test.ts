// The size limits of docs/architecture.md hold: no source file over 500 lines, no function over
// about 120 (data tables live in data files).
import { expect, test } from 'vitest'
// @ts-expect-error: a plain .mjs script without types
import { sizeProblems } from '../scripts/check-size.mjs'
import { readdirSync } from 'node:fs'
import path from 'node:path'

const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join('src', f))

test('no source file over 500 lines, no function over 120', () => {
  expect(files.flatMap((f) => sizeProblems(f) as string[])).toEqual([])
})
