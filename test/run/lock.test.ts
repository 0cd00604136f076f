// Exclusive runs in-process: the lock file (a second taker is refused, naming who and since
// when; a file left by a dead process is taken over) and the PostgreSQL advisory lock. The real
// binary refusing a second run is the end-to-end tier's (test/e2e/concurrency.test.ts).
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXIT, RunbookError } from '../../src/runner/model/errors.js'
import { acquireRunLock } from '../../src/runner/run/lock.js'
import { localIso } from '../../src/runner/report/time.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { tempDir } from '../helpers/cli.js'
import { FIXED, fixedClock } from './fakes.js'

const PG = process.env.RB_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

async function refused(promise: Promise<unknown>): Promise<RunbookError> {
  const e = await promise.then(() => undefined, (err: unknown) => err)
  expect(e).toBeInstanceOf(RunbookError)
  expect((e as RunbookError).exitCode).toBe(EXIT.blocked)
  return e as RunbookError
}

describe('the run lock', () => {
  test('a lock file: a second taker is refused, naming who and since when; released, it is free again', async () => {
    const lockDir = tempDir('rb-lock-')
    const first = await acquireRunLock({ runbookId: 'nightly', operator: 'First <first@example.com>', lockDir, now: fixedClock })
    const second = await refused(acquireRunLock({ runbookId: 'nightly', operator: 'Second <second@example.com>', lockDir, now: fixedClock }))
    expect(second.message).toBe(msg.run.lockHeldFile('nightly', 'First <first@example.com>', os.hostname(), process.pid, localIso(FIXED), path.join(lockDir, 'nightly.lock')))
    await first.release()
    const third = await acquireRunLock({ runbookId: 'nightly', operator: 'Third <third@example.com>', lockDir, now: fixedClock })
    await third.release()
  })

  test('a lock file left by a dead process is taken over', async () => {
    const lockDir = tempDir('rb-lock-')
    mkdirSync(lockDir, { recursive: true })
    const dead = Number(spawnSync('bash', ['-c', 'echo $$']).stdout.toString().trim())
    writeFileSync(path.join(lockDir, 'nightly.lock'), JSON.stringify({ pid: dead, host: os.hostname(), operator: 'Gone <gone@example.com>', since: '2026-01-01T00:00:00+00:00' }))
    const lock = await acquireRunLock({ runbookId: 'nightly', operator: 'Next <next@example.com>', lockDir, now: fixedClock })
    expect(lock.kind).toBe('file')
    await lock.release()
  })

  test('with a database: a PostgreSQL advisory lock, refused to a second session', async () => {
    const runbookId = `lock-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    const first = await acquireRunLock({ runbookId, operator: 'First <first@example.com>', databaseUrl: PG, now: fixedClock })
    try {
      expect(first.kind).toBe('postgres')
      const second = await refused(acquireRunLock({ runbookId, operator: 'Second <second@example.com>', databaseUrl: PG, now: fixedClock }))
      expect(second.message).toContain('first@example.com')
      expect(second.message).toContain('PostgreSQL advisory lock')
    } finally {
      await first.release()
    }
    const again = await acquireRunLock({ runbookId, operator: 'Third <third@example.com>', databaseUrl: PG, now: fixedClock })
    await again.release()
  })
})
