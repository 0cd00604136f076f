// The sandbox's production.log, as the triage runbook reads it: on a healthy sandbox, the last 15
// minutes hold enough requests for the error-rate check and no server errors, whenever after
// `up` the runbook runs; with the error-burst drill the same check fails. The seeded history and
// the app stand-in's own traffic are generated here with a fixed clock, as `up` and the stand-in
// do with the real one.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { railsErrorBurst, railsHistory, rng, trafficGapMs, trafficRequestLines } from '../../src/sandbox/logs.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** The triage's own pattern of a completed request, read from the runbook. */
const COMPLETED = new RegExp(/const COMPLETED = \/(.+)\/\n/.exec(readFileSync(path.join(ROOT, 'runbooks', 'incident', 'triage.md'), 'utf8'))![1]!)

/** Every completed request of a log, as the triage reads it: when, and whether it was a 5xx. */
function requests(log: string): { t: number; failed: boolean }[] {
  const out: { t: number; failed: boolean }[] = []
  for (const line of log.split('\n')) {
    const m = COMPLETED.exec(line)
    if (m) out.push({ t: new Date(m[1]!).getTime(), failed: m[2]!.startsWith('5') })
  }
  return out
}

/** The triage's window: requests and 5xx since `since`. */
function triageWindow(log: string | ReturnType<typeof requests>, since: number): { total: number; failed: number } {
  const inWindow = (typeof log === 'string' ? requests(log) : log).filter((r) => r.t >= since)
  return { total: inWindow.length, failed: inWindow.filter((r) => r.failed).length }
}

const UP = new Date('2026-11-28T09:30:00')
const MINUTE = 60_000

/** The log `up` seeds (as files.ts does), then the app's traffic until `until`. */
function logUntil(until: number, quietHours = 1): string {
  let log = railsHistory(UP, 36, 20, 1, quietHours)
  const random = rng(99)
  let t = UP.getTime() + 2000 // the stand-in starts a moment after the seed is written
  for (;;) {
    t += trafficGapMs(random)
    if (t > until) break
    log += trafficRequestLines(new Date(t), random).join('\n') + '\n'
  }
  return log
}

describe('the triage window on a healthy sandbox', () => {
  const end = UP.getTime() + 3 * 60 * MINUTE
  const log = requests(logUntil(end))

  test('every minute of three hours after up: at least 20 requests in the last 15 minutes, none failed', () => {
    for (let at = UP.getTime(); at <= end; at += MINUTE) {
      const { total, failed } = triageWindow(log, at - 15 * MINUTE)
      expect(total, `${(at - UP.getTime()) / MINUTE} min after up`).toBeGreaterThanOrEqual(20)
      expect(failed, `${(at - UP.getTime()) / MINUTE} min after up`).toBe(0)
    }
  })

  test('the seeded history still has the errors of the day before its quiet hour', () => {
    const seeded = requests(railsHistory(UP, 36, 20, 1, 1))
    expect(triageWindow(seeded, UP.getTime() - 24 * 60 * MINUTE).failed).toBeGreaterThan(5)
    expect(triageWindow(seeded, UP.getTime() - 60 * MINUTE).failed).toBe(0)
  })

  test('without the quiet hour the seed would put errors into the first windows (the old flake)', () => {
    const loud = requests(railsHistory(UP, 36, 20, 1, 0))
    const windows = Array.from({ length: 15 }, (_, m) => triageWindow(loud, UP.getTime() + m * MINUTE - 15 * MINUTE))
    expect(windows.some((w) => w.failed > 0)).toBe(true)
  })
})

describe('the error-burst drill', () => {
  test('fails the triage check at any time of its first minutes', () => {
    const at = UP.getTime() + 47 * MINUTE
    const log = requests(logUntil(at) + railsErrorBurst(new Date(at), 40, 7))
    for (let after = 0; after <= 5 * MINUTE; after += MINUTE) {
      const { total, failed } = triageWindow(log, at + after - 15 * MINUTE)
      expect(total).toBeGreaterThanOrEqual(20)
      expect(failed / total).toBeGreaterThanOrEqual(0.05)
    }
  })
})

describe('the app traffic', () => {
  test('is healthy and completes at the time it is logged', () => {
    const random = rng(3)
    const now = new Date('2026-11-28T10:00:00')
    for (let i = 0; i < 200; i++) {
      const lines = trafficRequestLines(now, random)
      expect(lines.join('\n')).not.toMatch(/Completed 5\d\d|ERROR/)
      const completed = lines.find((l) => l.includes('Completed'))!
      expect(completed).toContain('2026-11-28T10:00:00.')
    }
  })

  test('a request every 20 s on average, never more than 40 s apart', () => {
    const random = rng(5)
    const gaps = Array.from({ length: 2000 }, () => trafficGapMs(random))
    expect(Math.max(...gaps)).toBeLessThan(40_000)
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length
    expect(mean).toBeGreaterThan(18_000)
    expect(mean).toBeLessThan(22_000)
  })
})
