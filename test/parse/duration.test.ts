// Durations as runbooks write them and as reports and the console show them.
import { describe, expect, test } from 'vitest'
import { formatDuration, parseDuration } from '../../src/runner/parse/duration.js'

describe('formatDuration', () => {
  test.each([
    [0, '0ms'],
    [999, '999ms'],
    [1_234, '1.2s'],
    [30_000, '30s'],
    [59_400, '59s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [119_600, '2m'],
    [59 * 60_000 + 59_600, '1h'],
    [3_600_000, '1h'],
    [3_900_000, '1h5m'],
    [3_929_000, '1h5m'],
    [7_200_000, '2h'],
    [26 * 3_600_000 + 60_000, '26h1m'],
  ])('%i ms is %s', (ms, shown) => {
    expect(formatDuration(ms)).toBe(shown)
  })

  test('what it shows parses back to the same duration (whole minutes and hours)', () => {
    for (const ms of [60_000, 3_600_000, 3_900_000, 7_200_000]) expect(parseDuration(formatDuration(ms))).toBe(ms)
  })
})
