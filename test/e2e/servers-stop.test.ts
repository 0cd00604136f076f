// PostgreSQL and Redis stopping between two steps: clear step failures, never a hang or an
// unhandled rejection. Uses throwaway servers so this machine's own stay up.
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startThrowawayPostgres, startThrowawayRedis, type StartedServer } from '../../src/sandbox/servers.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'

let pg: StartedServer
let redis: StartedServer
const dir = tempDir('rb-stop-')

beforeAll(async () => {
  ;[pg, redis] = await Promise.all([startThrowawayPostgres(path.join(dir, 'pg')), startThrowawayRedis(path.join(dir, 'redis'))])
}, 120_000)

afterAll(async () => {
  await pg?.stop()
  await redis?.stop()
})

test('servers stopping between steps give clear failures within seconds', async () => {
  const ready = path.join(dir, 'ready')
  const stopped = path.join(dir, 'stopped')
  const file = writeRunbook(
    dir,
    'stop.md',
    `# 서버 중지

\`\`\`sql {id=sql-before}
SELECT 1 AS ok;
\`\`\`

\`\`\`redis {id=redis-before}
PING
\`\`\`

\`\`\`ts {id=ts-before}
const rows = await sql\`SELECT 2 AS two\`
check('sql works', rows[0]?.two === 2)
check('redis works', (await redis.ping()) === 'PONG')
\`\`\`

\`\`\`bash {id=wait timeout=60s destructive="writes a hand-shake file for the test"}
touch ${ready}
while [ ! -f ${stopped} ]; do sleep 0.1; done
\`\`\`

\`\`\`sql {id=sql-after keep-going timeout=20s}
SELECT 1 AS ok;
\`\`\`

\`\`\`redis {id=redis-after keep-going timeout=20s}
PING
\`\`\`

\`\`\`ts {id=ts-after keep-going timeout=20s}
await sql\`SELECT 3\`
\`\`\`

\`\`\`ts {id=ts-redis-after keep-going timeout=20s}
await redis.ping()
\`\`\`
`,
  )
  const reports = path.join(dir, 'reports')
  const started = Date.now()
  const run = runCli(['run', file, '--yes', '--reports', reports, '--set', `DATABASE_URL=${pg.url}`, '--set', `REDIS_URL=${redis.url}`], { timeoutMs: 90_000 })
  while (!existsSync(ready)) {
    if (Date.now() - started > 60_000) throw new Error('the run never reached the wait step')
    await new Promise((r) => setTimeout(r, 100))
  }
  await Promise.all([pg.stop(), redis.stop()])
  writeFileSync(stopped, '')
  const r = await run
  expect(Date.now() - started).toBeLessThan(60_000)
  expect(r.code).toBe(1)
  expect(r.stderr).not.toMatch(/unhandled|UnhandledPromiseRejection|internal error/i)
  const { json } = readReport(reportFiles(reports)[0]!)
  expect(stepStatus(json)).toEqual({
    'sql-before': 'passed',
    'redis-before': 'passed',
    'ts-before': 'passed',
    wait: 'passed',
    'sql-after': 'failed',
    'redis-after': 'failed',
    'ts-after': 'failed',
    'ts-redis-after': 'failed',
  })
  for (const id of ['sql-after', 'redis-after', 'ts-after', 'ts-redis-after']) {
    const step = json.steps.find((s) => s.id === id)!
    expect(step.reason ?? '').toMatch(/127\.0\.0\.1|connect|closed|terminat/i)
  }
}, 120_000)
