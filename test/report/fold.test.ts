import { describe, expect, it } from 'vitest'
import { applyEvent, foldEvents, markIncomplete } from '../../src/runner/report/fold.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { RunEvent } from '../../src/runner/model/run-record.js'
import { demoRunbook, finishedStep, initialRecord } from './helpers.js'

const runbook = demoRunbook()

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

describe('foldEvents', () => {
  const initial = initialRecord(runbook)
  const appUp = finishedStep(runbook, 'app-up', { checks: [{ name: 'ok', ok: true }] })
  const events: RunEvent[] = [
    { type: 'run-started', record: initial },
    { type: 'step-started', at: '2026-11-26T09:00:01+09:00', stepId: 'app-up' },
    { type: 'step-finished', at: '2026-11-26T09:00:02+09:00', step: appUp },
    { type: 'state-changed', state: { backup: 'b-1' } },
    { type: 'checklist-ticked', tick: { text: '로그 확인', line: 15, checked: true, by: 'a', at: 't1' } },
    { type: 'checklist-ticked', tick: { text: '백업 상태 확인', line: 14, checked: false, by: 'a', at: 't1' } },
    { type: 'checklist-ticked', tick: { text: '백업 상태 확인', line: 14, checked: true, by: 'b', at: 't2' } },
    { type: 'step-started', at: '2026-11-26T09:00:03+09:00', stepId: 'db-ping' },
  ]

  it('replays events into the record', () => {
    deepFreeze(events)
    const record = foldEvents(events)
    expect(record.status).toBe('running')
    expect(record.steps[0]).toEqual(appUp)
    expect(record.state).toEqual({ backup: 'b-1' })
    expect(record.checklist).toEqual([
      { text: '백업 상태 확인', line: 14, checked: true, by: 'b', at: 't2' },
      { text: '로그 확인', line: 15, checked: true, by: 'a', at: 't1' },
    ])
    expect(record.steps[1]).toMatchObject({ id: 'db-ping', status: 'not-run', started: '2026-11-26T09:00:03+09:00' })
    expect(record.steps[1]!.finished).toBeUndefined()
    // The input is untouched (events were frozen) and the initial record still blank.
    expect(initial.steps[0]!.status).toBe('not-run')
  })

  it('a journal without run-finished stays running; markIncomplete marks it and the step it was in', () => {
    const record = markIncomplete(foldEvents(events))
    expect(record.status).toBe('incomplete')
    expect(record.steps.map((s) => s.status)).toEqual(['passed', 'interrupted', 'not-run', 'not-run', 'not-run'])
    expect(record.steps[1]!.reason).toBe(msg.report.interruptedReason)
    expect(record.finished).toBeNull()
    // Finished records are left alone.
    const done = foldEvents([...events.slice(0, 3), { type: 'run-finished', at: 'tf', status: 'passed' }])
    expect(markIncomplete(done)).toBe(done)
  })

  it('a resumed run goes back to running and records the resume; run-finished settles it', () => {
    const incomplete = markIncomplete(foldEvents(events))
    let record = applyEvent(incomplete, { type: 'run-resumed', at: 'tr', operator: 'c', fromStep: 'db-ping' })
    expect(record.status).toBe('running')
    expect(record.resumes).toEqual([{ at: 'tr', operator: 'c', fromStep: 'db-ping' }])
    record = applyEvent(record, { type: 'step-started', at: 't5', stepId: 'db-ping' })
    expect(record.steps[1]).toMatchObject({ status: 'not-run', started: 't5' })
    expect(record.steps[1]!.reason).toBeUndefined()
    const { finished: _drop, ...noFinish } = finishedStep(runbook, 'db-ping', { status: 'failed', reason: 'boom' })
    record = applyEvent(record, { type: 'step-finished', at: 't6', step: noFinish })
    expect(record.steps[1]).toMatchObject({ status: 'failed', finished: 't6', reason: 'boom' })
    record = applyEvent(record, { type: 'run-finished', at: 't7', status: 'failed' })
    expect(record).toMatchObject({ status: 'failed', finished: 't7' })
    expect(markIncomplete(record).status).toBe('failed')
  })

  it('refuses a journal that does not begin with run-started', () => {
    expect(() => foldEvents([])).toThrow(/run-started/)
    expect(() => foldEvents(events.slice(1))).toThrow(/run-started/)
  })
})
