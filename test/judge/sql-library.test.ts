// Precision of the fail-closed SQL judge on the library: every step of runbooks/ that carries SQL
// (sql blocks, psql in shell steps, sql`` in TS steps) is judged, and the destructive ones are
// exactly those listed here — the verdicts main gave before functions were judged fail closed
// (compared step by step when the rule changed). A read-only step that becomes destructive, or a
// destructive one that becomes read-only, fails this test and must be looked at.
import { describe, expect, test } from 'vitest'
import { detect } from '../../src/runner/judge/index.js'
import { findRunbookFiles, loadRunbook } from '../../src/runner/parse/load.js'
import type { Step } from '../../src/runner/model/runbook.js'

const DESTRUCTIVE_SQL = [
  'capacity/database.md#cleanup-ai-usage-records',
  'capacity/database.md#cleanup-chat-messages',
  'capacity/database.md#vacuum-analyze',
  'incident/database.md#terminate-blockers',
]

/** Shell steps running psql and TS steps using sql``: destructive ones (for their other commands too). */
const DESTRUCTIVE_WITH_SQL = [
  'backup/restore-drill.md#create-scratch',
  'backup/restore-drill.md#restore-into-scratch',
  'backup/restore-drill.md#drop-scratch',
  'backup/restore.md#restore',
]

async function librarySteps(): Promise<{ key: string; step: Step }[]> {
  const out: { key: string; step: Step }[] = []
  for (const file of (await findRunbookFiles(['runbooks'])).sort()) {
    const runbook = await loadRunbook(file)
    for (const step of runbook.steps) out.push({ key: `${file.replace(/^.*?runbooks\//, '')}#${step.id}`, step })
  }
  return out
}

const carriesSql = (s: Step) => (s.kind === 'shell' && /\bpsql\b/.test(s.code)) || ((s.kind === 'ts' || s.kind === 'js') && /\bsql`/.test(s.code))

describe('the library under the fail-closed SQL judge', () => {
  test('every sql block is judged as before: the destructive ones are listed, none is refused', async () => {
    const steps = (await librarySteps()).filter((s) => s.step.kind === 'sql')
    expect(steps.length).toBeGreaterThanOrEqual(25)
    const destructive: string[] = []
    for (const { key, step } of steps) {
      const d = await detect('sql', step.code)
      expect({ key, syntaxErrors: d.syntaxErrors, refused: d.refused }).toEqual({ key, syntaxErrors: [], refused: [] })
      if (d.destructive) destructive.push(key)
    }
    expect(destructive.sort()).toEqual([...DESTRUCTIVE_SQL].sort())
  }, 60_000)

  test('steps with SQL in psql or sql`` are judged as before', async () => {
    const steps = (await librarySteps()).filter((s) => carriesSql(s.step))
    expect(steps.length).toBeGreaterThanOrEqual(10)
    const destructive: string[] = []
    for (const { key, step } of steps) if ((await detect(step.kind, step.code)).destructive) destructive.push(key)
    expect(destructive.sort()).toEqual([...DESTRUCTIVE_WITH_SQL].sort())
  }, 60_000)
})
