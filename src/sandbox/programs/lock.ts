// The db-lock drill: `node lock.mjs DATABASE_URL OUT_FILE`. One connection opens a transaction,
// takes an ACCESS EXCLUSIVE lock on excel_files and stays idle in transaction (a forgotten manual
// fix in a console); a second one runs an app query that waits behind it. The pids go to
// OUT_FILE. When the blocking backend is terminated (pg_terminate_backend), the waiting query
// completes and this process exits.
import { writeFileSync } from 'node:fs'
import pg from 'pg'
import { EXIT } from '../../runner/api.js'

const [url, outFile] = process.argv.slice(2)
if (!url || !outFile) {
  process.stderr.write('usage: lock.mjs DATABASE_URL OUT_FILE\n')
  process.exit(EXIT.usage)
}

const blocker = new pg.Client({ connectionString: url, application_name: 'rails console (deploy@excelapp-prod-1)' })
const waiter = new pg.Client({ connectionString: url, application_name: 'puma: cluster worker 2: 20114 [excelapp-rails]' })
let ending = false
const end = (code: number) => {
  if (ending) return
  ending = true
  void Promise.allSettled([blocker.end(), waiter.end()]).then(() => process.exit(code))
  setTimeout(() => process.exit(code), 2000).unref()
}
blocker.on('error', () => end(EXIT.ok))
blocker.on('end', () => end(EXIT.ok))
waiter.on('error', () => undefined)
process.on('SIGTERM', () => end(EXIT.ok))
process.on('SIGINT', () => end(EXIT.ok))

await blocker.connect()
await waiter.connect()
const pidOf = async (c: pg.Client) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
const blockingPid = await pidOf(blocker)
const blockedPid = await pidOf(waiter)
await blocker.query('BEGIN')
await blocker.query('LOCK TABLE excel_files IN ACCESS EXCLUSIVE MODE')
await blocker.query(`UPDATE excel_files SET upload_status = 'failed', error_message = 'manually failed (stuck in processing)' WHERE upload_status = 'processing' AND created_at < now() - interval '1 day'`)
void waiter
  .query(`SELECT id, filename, upload_status FROM excel_files WHERE user_id = 4242 ORDER BY created_at DESC LIMIT 20`)
  .catch(() => undefined)
  .then(() => undefined)

// Wait until the app query is really waiting for the lock, then tell the parent.
const probe = new pg.Client({ connectionString: url, application_name: 'runbook sandbox' })
await probe.connect()
for (let i = 0; i < 200; i++) {
  const r = await probe.query('SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted', [blockedPid])
  if ((r.rowCount ?? 0) > 0) break
  await new Promise((res) => setTimeout(res, 50))
}
await probe.end()
writeFileSync(outFile, JSON.stringify({ helperPid: process.pid, blockingPid, blockedPid }) + '\n')
