// Parser fuzzing: generated and mutated Markdown through parse, plan and lint. Nothing may throw
// except a RunbookError, nothing may hang. RUNBOOK_FUZZ_RUNS raises the count for a longer run
// on demand (`RUNBOOK_FUZZ_RUNS=200000 RUNBOOK_FC_SEED=random npx vitest run test/fuzz.test.ts`).
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { RunbookError } from '../../src/runner/model/errors.js'
import { lint } from '../../src/runner/plan/lint.js'
import { parseRunbook } from '../../src/runner/parse/parse.js'
import { plan } from '../../src/runner/plan/plan.js'

const RUNS = Number(process.env.RUNBOOK_FUZZ_RUNS ?? 20_000)
// plan and lint load parsers and spawn `bash -n`; run them on a share of the documents.
const DEEP_EVERY = Number(process.env.RUNBOOK_FUZZ_DEEP_EVERY ?? 40)

const pieces = [
  '---\n',
  '---\nid: x\n---\n',
  '---\nenv:\n  A: { required: true }\n---\n',
  '---\n[1, 2]\n---\n',
  '---\n: :\n---\n',
  '# 제목\n',
  '## 애플리케이션 상태 확인\n',
  '```ts {id=a}\n',
  '```bash {id=a destructive}\n',
  '```sql {"name":"q"}\n',
  '```redis\n',
  '~~~sh {timeout=bogus}\n',
  '````\n',
  '```\n',
  '~~~\n',
  '> ```bash\n',
  '- ```bash\n',
  '  - [ ] 확인\n',
  '- [x] 완료\n',
  'rm -rf /tmp/x\n',
  'SELECT 1;\n',
  "DELETE FROM t WHERE a = 'x';\n",
  'await $`ls`\n',
  'FLUSHALL\n',
  '{id="unclosed\n',
  '\t    indented\n',
  '\uFEFF',
  '\r\n',
  '\u0000',
  '👩‍💻 한글 \u202E',
  '<details>\n',
  '>'.repeat(40) + ' deep\n',
  '- '.repeat(40) + 'deep\n',
]

const documentArb = fc.oneof(
  fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 20 })), { maxLength: 40 }).map((p) => p.join('')),
)

async function survive(text: string, deep: boolean): Promise<void> {
  try {
    const runbook = parseRunbook(text, 'fuzz.md')
    for (const d of runbook.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1)
    if (!deep) return
    const planned = await plan(runbook)
    for (const d of lint(runbook, planned, '2025-06-01')) {
      expect(typeof d.message).toBe('string')
      expect(d.line).toBeGreaterThanOrEqual(1)
    }
  } catch (e) {
    if (!(e instanceof RunbookError)) throw e
  }
}

describe('parser fuzzing', () => {
  test(`${RUNS} generated documents through parse (and every ${DEEP_EVERY}th through plan and lint)`, async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(documentArb, async (text) => {
        await survive(text, n++ % DEEP_EVERY === 0)
      }),
      { numRuns: RUNS },
    )
  }, 240_000)

  test('mutations of the real runbook', async () => {
    const original = readFileSync('runbooks/daily/health-check.md', 'utf8')
    await fc.assert(
      fc.asyncProperty(fc.nat(original.length), fc.nat(200), fc.string({ maxLength: 8 }), async (at, cut, insert) => {
        await survive(original.slice(0, at) + insert + original.slice(at + cut), at % 5 === 0)
      }),
      { numRuns: Math.max(500, RUNS / 10) },
    )
  }, 240_000)
})
