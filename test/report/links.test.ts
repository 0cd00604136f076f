// The runbook's relative links work from the report's folder; links with a scheme, absolute
// paths, anchors and code are kept as written.
import { describe, expect, test } from 'vitest'
import { rewriteLinks } from '../../src/runner/report/links.js'

const BASE = '../../runbooks/incident'

describe('links in the report', () => {
  test('relative inline links, images and reference definitions are seen from the report', () => {
    expect(rewriteLinks(['[분류](triage.md)와 [쿼리](../performance/queries.md#slow "제목")', '![그림](img/a.png)', '[ref]: ./x.md'], BASE)).toEqual([
      '[분류](../../runbooks/incident/triage.md)와 [쿼리](../../runbooks/performance/queries.md#slow "제목")',
      '![그림](../../runbooks/incident/img/a.png)',
      '[ref]: ../../runbooks/incident/x.md',
    ])
  })

  test('schemes, absolute paths, anchors and fenced code are kept', () => {
    const lines = ['[a](https://x.example/y) [b](/abs.md) [c](#here) [d](mailto:o@x)', '```bash', 'echo "[e](f.md)"', '```']
    expect(rewriteLinks(lines, BASE)).toEqual(lines)
  })

  test('an older record without a base keeps every link', () => {
    expect(rewriteLinks(['[분류](triage.md)'], undefined)).toEqual(['[분류](triage.md)'])
  })
})
