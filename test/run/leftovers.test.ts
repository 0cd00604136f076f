// What an attempt that did not pass left behind, where the step declares it (`leaves=`), is in
// the record; here, how the patterns match (test/e2e/leftovers.test.ts: through the binary).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { findLeftovers } from '../../src/runner/run/leftovers.js'
import { tempDir } from '../helpers/cli.js'

describe('leftovers', () => {
  test('patterns: $VAR expanded, * and ? in the last segment, unset variables and missing folders match nothing', () => {
    const dir = tempDir('rb-left-')
    mkdirSync(path.join(dir, 'b'))
    writeFileSync(path.join(dir, 'b', 'db_1.sql.gz.partial'), 'x'.repeat(2048))
    writeFileSync(path.join(dir, 'b', 'db_1.sql.gz'), '')
    expect(findLeftovers(['$B/*.partial'], { B: path.join(dir, 'b') }, '/')).toEqual([`${path.join(dir, 'b', 'db_1.sql.gz.partial')} (2.0 KiB)`])
    expect(findLeftovers(['b/db_?.sql.gz'], {}, dir)).toEqual([`${path.join(dir, 'b', 'db_1.sql.gz')} (0 B)`])
    expect(findLeftovers(['$UNSET/*.partial', 'nowhere/*'], {}, dir)).toEqual([])
  })
})
