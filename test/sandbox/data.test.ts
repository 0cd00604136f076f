// The sandbox's generated data as SQL, without a server: the script is a function of the scale
// and the clock (the same clock, the same script), every age is measured from that clock, and a
// smaller scale shrinks every table.
import { expect, test } from 'vitest'
import { DEFAULT_SCALE, generateSql, scaleFrom } from '../../src/sandbox/data/index.js'

const NOW = new Date('2026-11-28T09:30:00Z')

test('the same scale and clock give the same script; ages are measured from the clock given', () => {
  const sql = generateSql(DEFAULT_SCALE, NOW)
  expect(generateSql(DEFAULT_SCALE, NOW)).toBe(sql)
  expect(sql).toContain(`'2026-11-28T09:30:00.000Z'::timestamptz - (730 * power(random(), 1.3))`)
  // now() only where it must be the time of the query: the background_jobs view
  expect(sql.match(/now\(\)/g)).toEqual(['now()'])
  expect(sql).toMatch(/WHEN j\.scheduled_at > now\(\) THEN 'scheduled'/)
  expect(sql).toContain(`('generated_at', '2026-11-28T09:30:00.000Z'::timestamptz::text)`)
})

test('every table is filled in the order its foreign keys need, then keys, indexes and the view', () => {
  const sql = generateSql(DEFAULT_SCALE, NOW)
  const order = ['INSERT INTO users', 'INSERT INTO excel_files', 'INSERT INTO ai_analyses', 'INSERT INTO payments', 'INSERT INTO solid_queue_jobs', 'INSERT INTO solid_queue_failed_executions', 'ADD CONSTRAINT', 'CREATE INDEX', 'CREATE VIEW background_jobs', 'INSERT INTO sandbox_meta']
  const at = order.map((s) => sql.indexOf(s))
  expect(at.every((i) => i >= 0)).toBe(true)
  expect([...at].sort((a, b) => a - b)).toEqual(at)
})

test('SANDBOX_DATA_SCALE shrinks every table (at least 200 rows each); other values keep the default', () => {
  const small = scaleFrom({ SANDBOX_DATA_SCALE: '0.01' })
  expect(small.users).toBe(200)
  expect(small.aiUsageRecords).toBe(4000)
  expect(generateSql(small, NOW)).toContain('generate_series(1, 4000)')
  for (const v of [undefined, '1', '0', '-1', 'x', '2']) expect(scaleFrom({ SANDBOX_DATA_SCALE: v })).toEqual(DEFAULT_SCALE)
})
