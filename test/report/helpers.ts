// Fixtures for the report stage: a runbook with steps in every awkward place, and records.
import { parseRunbook } from '../../src/runner/parse/parse.js'
import { stepIdentity } from '../../src/runner/plan/plan.js'
import type { RunRecord, StepRecord } from '../../src/runner/model/run-record.js'
import type { Runbook, Step } from '../../src/runner/model/runbook.js'

export const FENCE = '```'

export const SOURCE = [
  '---',
  'id: demo-check',
  'title: 데모 점검',
  '---',
  '',
  '# 데모 점검',
  '',
  '## 앱 확인',
  '',
  `${FENCE}ts {id=app-up}`,
  "check('앱 /up 응답 200', true)",
  FENCE,
  '',
  '- [ ] 백업 상태 확인',
  '- [ ] 로그 확인',
  '',
  '## 데이터베이스',
  '',
  `${FENCE}sql {id=db-ping}`,
  'SELECT 1 AS ok;',
  FENCE,
  '',
  `> ${FENCE}sh {id=quoted}`,
  '> echo quoted',
  `> ${FENCE}`,
  '',
  '1. 목록 안의 단계',
  `   ${FENCE}bash {id=listed}`,
  '   echo listed',
  `   ${FENCE}`,
  '',
  '## 마지막',
  '',
  `${FENCE}sh {id=unclosed}`,
  'echo never closed',
  '',
].join('\n')

export function demoRunbook(source = SOURCE): Runbook {
  const runbook = parseRunbook(source, 'runbooks/demo-check.md')
  const errors = runbook.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length) throw new Error(errors.map((d) => `${d.line}: ${d.message}`).join('\n'))
  return runbook
}

export function blankStepRecord(step: Step): StepRecord {
  return {
    ...stepIdentity(step),
    destructive: false,
    declared: null,
    reasons: [],
    status: 'not-run',
    attempts: 0,
    checks: [],
    notes: [],
    tables: [],
    commands: [],
    statements: [],
    output: '',
    outputBytes: 0,
    outputTruncated: false,
  }
}

export function initialRecord(runbook: Runbook, patch: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: 1,
    runId: '0c4f2d7e-1111-4222-8333-944455556666',
    runbook: {
      id: runbook.meta.id,
      title: runbook.meta.title,
      path: runbook.path,
      sha256: runbook.sha256,
      gitCommit: 'abc1234',
      gitDirty: false,
    },
    target: 'sandbox',
    operator: '김운영 <ops@example.com>',
    host: 'bastion-1',
    started: '2026-11-26T09:00:00+09:00',
    finished: null,
    status: 'running',
    options: { dryRun: false, yes: false, auto: true },
    inputs: { severity: 'P2' },
    state: {},
    steps: runbook.steps.map(blankStepRecord),
    checklist: [],
    resumes: [],
    ...patch,
  }
}

export function finishedStep(runbook: Runbook, id: string, patch: Partial<StepRecord>): StepRecord {
  const step = runbook.steps.find((s) => s.id === id)
  if (!step) throw new Error(`no step ${id}`)
  return {
    ...blankStepRecord(step),
    status: 'passed',
    exitCode: 0,
    started: '2026-11-26T09:00:01+09:00',
    finished: '2026-11-26T09:00:02+09:00',
    durationMs: 1200,
    attempts: 1,
    ...patch,
  }
}

/** The report's YAML front matter and the Markdown after it (what GitHub renders). */
export function splitFrontMatter(text: string): { yaml: string; body: string } {
  if (!text.startsWith('---\n')) throw new Error('the report does not start with front matter')
  const end = text.indexOf('\n---\n', 4)
  if (end === -1) throw new Error('the front matter is not closed')
  return { yaml: text.slice(4, end + 1), body: text.slice(end + 5) }
}
