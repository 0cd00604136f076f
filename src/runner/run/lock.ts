// One run at a time for `exclusive: true` runbooks. With a target database the lock is a
// PostgreSQL advisory lock held by a dedicated session for the whole run, so operators on
// different hosts exclude each other and a dead runner's lock goes with its connection. Without a
// database it is a lock file on this host; a file left by a dead process is taken over.
import { mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, closeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { systemClock, type Clock } from '../model/clock.js'
import { localIso } from '../report/time.js'
import { msg } from '../terminal/messages/index.js'

export interface RunLock {
  kind: 'postgres' | 'file'
  describe: string
  release(): Promise<void>
}

export interface LockRequest {
  runbookId: string
  operator: string
  databaseUrl?: string
  lockDir?: string
  /** The clock for `since` (who holds the lock since when); default: the system clock. */
  now?: Clock
}

export function lockDir(): string {
  return process.env.RUNBOOK_LOCK_DIR ?? path.join(os.tmpdir(), 'runbook-locks')
}

export async function acquireRunLock(req: LockRequest): Promise<RunLock> {
  if (req.databaseUrl) {
    const lock = await postgresLock(req, req.databaseUrl).catch((e: unknown) => {
      if (e instanceof RunbookError) throw e
      return undefined // the database is unreachable: fall back to this host's lock
    })
    if (lock) return lock
  }
  return fileLock(req, req.lockDir ?? lockDir())
}

function principal(operator: string): string {
  return /<([^>]+)>/.exec(operator)?.[1] ?? operator
}

async function postgresLock(req: LockRequest, url: string): Promise<RunLock> {
  const tag = `rb-lock:${req.runbookId}`.slice(0, 40)
  const { default: pg } = await import('pg') // only exclusive runbooks with a database pay for pg
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5000,
    application_name: `${tag}:${principal(req.operator)}@${os.hostname()}`.slice(0, 63),
  })
  client.on('error', () => undefined)
  await client.connect()
  const key = `runbook:${req.runbookId}`
  const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key])
  if (!got.rows[0]?.ok) {
    const holder = await client
      .query<{ application_name: string; backend_start: Date; client_addr: string | null }>(
        `SELECT a.application_name, a.backend_start, host(a.client_addr) AS client_addr
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE $1
          ORDER BY a.backend_start LIMIT 1`,
        [`${tag}:%`],
      )
      .catch(() => ({ rows: [] }))
    await client.end().catch(() => undefined)
    const h = holder.rows[0]
    const who = h ? h.application_name.slice(tag.length + 1) : msg.run.lockOtherSession
    const since = h ? localIso(new Date(h.backend_start)) : msg.run.lockSinceUnknown
    throw new RunbookError(msg.run.lockHeldPostgres(req.runbookId, who, h?.client_addr ?? null, since), EXIT.blocked)
  }
  return {
    kind: 'postgres',
    describe: `PostgreSQL advisory lock "${key}"`,
    release: async () => {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined)
      await client.end().catch(() => undefined)
    },
  }
}

interface LockFile {
  pid: number
  host: string
  operator: string
  since: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function fileLock(req: LockRequest, dir: string): RunLock {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${req.runbookId.replace(/[^\p{L}\p{N}._-]/gu, '_')}.lock`)
  const now = req.now ?? systemClock
  const mine: LockFile = { pid: process.pid, host: os.hostname(), operator: req.operator, since: localIso(now()) }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644)
      writeSync(fd, JSON.stringify(mine))
      closeSync(fd)
      return {
        kind: 'file',
        describe: `lock file ${file}`,
        release: async () => {
          const current = readLock(file)
          if (current?.pid === process.pid && current.host === mine.host) rmSync(file, { force: true })
        },
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new RunbookError(msg.run.lockUnavailable((e as Error).message), EXIT.usage, file)
    }
    const holder = readLock(file)
    if (holder && (holder.host !== os.hostname() || alive(holder.pid))) {
      throw new RunbookError(msg.run.lockHeldFile(req.runbookId, holder.operator, holder.host, holder.pid, holder.since, file), EXIT.blocked)
    }
    // Left by a dead process (or unreadable): move it aside atomically, so two runners taking
    // over at once cannot both succeed, then try again.
    try {
      const aside = `${file}.stale-${process.pid}-${now().getTime()}`
      renameSync(file, aside)
      rmSync(aside, { force: true })
    } catch {
      // someone else moved it first
    }
  }
  throw new RunbookError(msg.run.lockRetry(req.runbookId), EXIT.blocked, file)
}

function readLock(file: string): LockFile | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockFile
  } catch {
    return undefined
  }
}
