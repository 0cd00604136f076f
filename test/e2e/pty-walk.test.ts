// An operator's walk at a real terminal (a pseudo-terminal) through the library against the
// sandbox: triage shows its introduction first, the notes and tables its steps say as they say
// them, and asks its checklist items where they stand in the document; an incident drill found and
// fixed ends passed (exit 0); signing is offered only when a key can sign.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { BIN, readReport, reportFiles, ROOT, runCli } from '../helpers/cli.js'
import { inPty, shellQuote, type PtyAnswer } from '../helpers/pty.js'
import { sandboxTestEnv } from '../helpers/sandbox-env.js'

const { reports, env } = sandboxTestEnv('rb-pty-walk-', { RUNBOOK_LANG: 'ko' })

beforeAll(async () => {
  const up = await runCli(['sandbox', 'up'], { env, timeoutMs: 180_000 })
  expect(up.code, up.stderr).toBe(0)
}, 200_000)
afterAll(async () => {
  await runCli(['sandbox', 'down', '--purge'], { env, timeoutMs: 60_000 })
}, 70_000)

/** `runbook run runbooks/FILE --sandbox ARGS` at a terminal, answered as `answers` say. */
async function walk(file: string, args: string[], answers: PtyAnswer[]) {
  const before = new Set(reportFiles(reports))
  const command = ['cd', shellQuote(ROOT), '&&', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`), ...[process.execPath, BIN, 'run', path.join('runbooks', file), '--sandbox', '--reports', reports, '--operator', 'Han Pty <han@example.com>', ...args].map(shellQuote)].join(' ')
  const r = await inPty(command, answers, { timeoutMs: 240_000 })
  const report = reportFiles(reports).find((f) => !before.has(f))
  return { ...r, report: report ? readReport(report) : undefined }
}

/** Where `text` is on the screen (it must be there). */
function at(screen: string, text: string): number {
  const i = screen.indexOf(text)
  expect(i, `not on screen: ${text}`).toBeGreaterThan(-1)
  return i
}

describe('at a terminal, against the sandbox', () => {
  test('triage: the introduction first, notes and tables as they are said, checklist items where they stand', async () => {
    // Seven checklist groups, each confirmed as it comes (waited for by its first unticked item:
    // the answered prompt re-renders its question, which must not count as the next one).
    const groups = ['알림 확인', '영향 범위 파악', '임시 조치 실행', '로그 분석', '수정 사항 적용', '테스트 실행', '근본 원인 분석']
    const answers: PtyAnswer[] = groups.map((first) => ({ waitFor: `◯ ${first}`, keys: '\r' }))
    const r = await walk('incident/triage.md', ['--auto', '--input', 'severity=P1', '--input', 'summary=pty drill'], answers)
    expect(r.code, r.screen.slice(-3000)).toBe(0)
    const s = r.screen
    // The introduction (the P0–P3 table) before the first step.
    expect(at(s, 'P0 (Critical)')).toBeLessThan(at(s, '[1/'))
    // open-incident's note (deadline and contacts) and its table, on screen before its result.
    const deadline = at(s, '대응 시한 60분')
    expect(at(s, 'Slack #ops-emergency, 1차 대응')).toBeGreaterThan(deadline)
    expect(at(s, '1. 상황 인지')).toBeGreaterThan(-1)
    // Checklist items where they stand: "영향 범위 파악 (위 점검 결과…)" after impact ran.
    expect(at(s, '영향 범위 파악')).toBeGreaterThan(at(s, 'impact'))
    expect(at(s, '알림 확인')).toBeLessThan(at(s, '영향 범위 파악'))
    expect(at(s, '근본 원인 분석')).toBeGreaterThan(at(s, '테스트 실행'))
    // No key in this HOME: no sign offer that would ask for a comment first.
    expect(s).not.toContain(msg.cli.signNow)
    expect(r.report!.json.status).toBe('passed')
  }, 300_000)

  test('an incident drill at a terminal: found, repaired, rechecked → passed, exit 0, "found and fixed"', async () => {
    expect((await runCli(['sandbox', 'break', 'formula-engine-down'], { env, timeoutMs: 60_000 })).code).toBe(0)
    const r = await walk('incident/formula-engine.md', ['--auto', '--yes'], [{ waitFor: '◯ 로그에서 찾은 원인', keys: '\r' }])
    expect(r.code, r.screen.slice(-3000)).toBe(0)
    const fixed = r.report!.json.steps.find((st) => st.status === 'fixed')
    expect(fixed, JSON.stringify(r.report!.json.steps.map((st) => [st.id, st.status]))).toBeDefined()
    expect(r.screen).toMatch(/발견 후 조치됨/)
    expect(r.report!.json.status).toBe('passed')
  }, 300_000)
})
