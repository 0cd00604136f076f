import { afterEach, describe, expect, it } from 'vitest'
import { localIso, reportClock, reportDate } from '../../src/runner/report/time.js'

const savedTz = process.env.TZ
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

describe('report time', () => {
  it('is local time with its UTC offset', () => {
    process.env.TZ = 'Asia/Seoul'
    const d = new Date('2026-11-26T04:05:09.789Z')
    expect(localIso(d)).toBe('2026-11-26T13:05:09+09:00')
    expect(reportDate(d)).toBe('2026-11-26')
    expect(reportClock(d)).toBe('130509')
    // Just after midnight local time the folder is the local date.
    expect(reportDate(new Date('2026-11-25T15:30:00Z'))).toBe('2026-11-26')
  })

  it('handles negative and half-hour offsets and UTC', () => {
    process.env.TZ = 'America/St_Johns'
    expect(localIso(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15T08:30:00-03:30')
    process.env.TZ = 'UTC'
    expect(localIso(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15T12:00:00+00:00')
  })
})
