// The sandbox's production.log, as the triage runbook reads it: on a healthy sandbox, the last 15
// minutes hold enough requests for the error-rate check and no server errors, whenever after
// `up` the runbook runs; with the error-burst drill the same check fails. The seeded history and
// the app stand-in's own traffic are generated here with a fixed clock, as `up` and the stand-in
// do with the real one.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { transformSync } from 'esbuild'
import { describe, expect, test } from 'vitest'
import { railsErrorBurst, railsHistory, rng, trafficGapMs, trafficRequestLines } from '../../src/sandbox/logs.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

interface RailsLine {
  time: number
  id?: string
  text: string
}

/**
 * The triage's own Rails log line reader, taken from the runbook's step (from `const PREFIX` to
 * the file reader) and compiled: the test reads the log exactly as the runbook does.
 */
function triageReader(): (line: string) => RailsLine {
  const md = readFileSync(path.join(ROOT, 'runbooks', 'incident', 'triage.md'), 'utf8')
  const start = md.indexOf('const PREFIX = ')
  const end = md.indexOf('const readRailsLog = ', start)
  if (start < 0 || end < 0) throw new Error('triage.md: the Rails log reader was not found')
  const js = transformSync(md.slice(start, end), { loader: 'ts' }).code
  return new Function(`${js}\nreturn railsLine`)() as (line: string) => RailsLine
}

/** Every completed request of a log, as the triage reads it: when, and whether it was a 5xx. */
function requests(log: string): { t: number; failed: boolean }[] {
  const railsLine = triageReader()
  const out: { t: number; failed: boolean }[] = []
  for (const line of log.split('\n')) {
    const l = railsLine(line)
    const m = /^Completed (\d{3}) /.exec(l.text)
    if (m) out.push({ t: l.time, failed: m[1]!.startsWith('5') })
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
      // The current format: the request started its duration before now (to the second).
      const ms = Number(/Completed \d{3} .* in (\d+)ms/.exec(lines.join('\n'))![1])
      const at = / at (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)$/.exec(lines[0]!)!
      expect(Math.abs(Date.parse(`${at[1]}T${at[2]}${at[3]}:${at[4]}`) + ms - now.getTime())).toBeLessThan(1000)
      // The older format stamps the Completed line itself.
      const tagged = trafficRequestLines(now, random, 0, 'tagged')
      expect(tagged.find((l) => l.includes('Completed'))).toContain('2026-11-28T10:00:00.')
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
