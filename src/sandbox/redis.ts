// The sandbox's Redis: the server of $SANDBOX_REDIS_URL, else a local one
// ($SANDBOX_LOCAL_REDIS_URL, default redis://127.0.0.1:6379), else a throwaway redis-server.
// REDIS_URL is never read. On a shared server the sandbox claims one database number of its own
// (marked with its folder) and only ever flushes that one.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Redis } from 'ioredis'
import { msg } from '../runner/api.js'
import { REDIS_OWNER_KEY, seedRedis } from './data/index.js'
import { sandboxId } from './paths.js'
import { canConnect, serverProblem, startThrowawayRedis } from './servers.js'
import { alive, waitGone } from './standins.js'
import { maskUrl, type RedisState } from './state.js'

export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379'

type Env = Record<string, string | undefined>
type Log = (message: string) => void

async function redisClient(url: string): Promise<Redis> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000, retryStrategy: () => null })
  r.on('error', () => undefined)
  await r.connect()
  return r
}

async function redisWorks(url: string): Promise<string | undefined> {
  const nobody = await serverProblem(url, 6379)
  if (nobody) return nobody
  try {
    const r = await redisClient(url)
    await r.ping()
    r.disconnect()
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

function redisDbOf(url: string): number | undefined {
  const p = new URL(url).pathname.replace(/^\//, '')
  return p === '' ? undefined : Number(p)
}

function withRedisDb(url: string, db: number): string {
  const u = new URL(url)
  u.pathname = `/${db}`
  return u.toString()
}

/** Database numbers a sandbox may claim on a shared Redis (0 is the app's, 13 the test suite's). */
const CLAIMABLE = [15, 14, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]

/** Claims a database number of its own on a shared server: one that is ours already, or an empty one. */
async function claimRedisDb(url: string, root: string, preferred: number | undefined): Promise<number> {
  const r = await redisClient(url)
  try {
    const order = preferred !== undefined ? [preferred, ...CLAIMABLE.filter((n) => n !== preferred)] : CLAIMABLE
    let databases = 16
    try {
      const conf = (await r.call('CONFIG', 'GET', 'databases')) as string[]
      databases = Number(conf[1] ?? 16)
    } catch {
      // CONFIG may be disabled: assume the default
    }
    const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname)
    if (loopback) {
      // Sandboxes on this machine whose folder is gone (deleted without `down --purge`): free their numbers.
      for (const db of order.filter((n) => n < databases)) {
        await r.select(db)
        const owner = await r.get(REDIS_OWNER_KEY)
        if (!owner || owner === root || !path.isAbsolute(owner) || existsSync(owner)) continue
        await r.watch(REDIS_OWNER_KEY)
        if ((await r.get(REDIS_OWNER_KEY)) === owner) await r.multi().flushdb().exec()
        else await r.unwatch()
      }
    }
    for (const db of order.filter((n) => n < databases)) {
      await r.select(db)
      const owner = await r.get(REDIS_OWNER_KEY)
      if (owner === root) return db
      if (owner === null && (await r.dbsize()) === 0) {
        if ((await r.set(REDIS_OWNER_KEY, root, 'NX')) === 'OK') return db
      }
    }
    throw new Error(msg.sandbox.noRedisDb)
  } finally {
    r.disconnect()
  }
}

export async function ensureRedis(root: string, previous: RedisState | undefined, env: Env, defaultSandbox: boolean, log: Log): Promise<{ redis: RedisState; started: boolean }> {
  let started = false
  if (env.SANDBOX_REDIS_URL) {
    const given = env.SANDBOX_REDIS_URL
    const problem = await redisWorks(given)
    if (problem) throw new Error(msg.sandbox.givenServerDown('SANDBOX_REDIS_URL', maskUrl(given), problem))
    const db = redisDbOf(given) ?? (await claimRedisDb(given, root, previous?.mode === 'given' ? previous.db : undefined))
    return { redis: { mode: 'given', url: withRedisDb(given, db), db }, started }
  }
  if (previous?.mode === 'throwaway' && previous.dataDir) {
    if (previous.port && !(await redisWorks(previous.url))) return { redis: { ...previous, pid: alive(previous.pid) ? previous.pid : await redisPid(previous.dataDir) }, started }
    log(msg.sandbox.redisStartingAgain)
    const server = await startThrowawayRedis(previous.dataDir)
    return { redis: { mode: 'throwaway', url: `${server.url}/0`, db: 0, dataDir: previous.dataDir, port: server.port, pid: await redisPid(previous.dataDir) }, started: true }
  }
  const local = env.SANDBOX_LOCAL_REDIS_URL || LOCAL_REDIS_URL
  const problem = await redisWorks(local)
  if (!problem) {
    const preferred = previous?.mode === 'local' ? previous.db : defaultSandbox ? 15 : CLAIMABLE[1 + (parseInt(sandboxId(root).slice(0, 6), 16) % (CLAIMABLE.length - 1))]
    const db = await claimRedisDb(local, root, preferred)
    return { redis: { mode: 'local', url: withRedisDb(local, db), db }, started }
  }
  const dataDir = path.join(root, 'servers', 'redis')
  log(msg.sandbox.redisThrowaway(maskUrl(local), problem))
  const server = await startThrowawayRedis(dataDir)
  started = true
  return { redis: { mode: 'throwaway', url: `${server.url}/0`, db: 0, dataDir, port: server.port, pid: await redisPid(dataDir) }, started }
}

function readRedisPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dataDir, 'redis.pid'), 'utf8').trim()) || undefined
  } catch {
    return undefined
  }
}

/** The daemonized redis-server writes its pid file a moment after it answers: wait for it. */
async function redisPid(dataDir: string): Promise<number | undefined> {
  for (let i = 0; i < 60; i++) {
    const pid = readRedisPid(dataDir)
    if (pid && alive(pid)) return pid
    await new Promise((r) => setTimeout(r, 50))
  }
  return readRedisPid(dataDir)
}

export async function stopThrowawayRedis(state: RedisState): Promise<boolean> {
  if (state.mode !== 'throwaway' || !state.dataDir) return false
  const pid = readRedisPid(state.dataDir) ?? state.pid
  if (!alive(pid)) {
    // No pid to go by: ask the server on its port to shut down.
    if (state.port && (await canConnect('127.0.0.1', state.port, 300))) {
      try {
        const r = await redisClient(`redis://127.0.0.1:${state.port}`)
        await r.call('SHUTDOWN', 'NOSAVE').catch(() => undefined)
        r.disconnect()
        return true
      } catch {
        return false
      }
    }
    return false
  }
  // Only a redis-server: the pid file may be stale and the number reused.
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    if (!cmd.includes('redis-server')) return false
  } catch {
    // no /proc: trust the pid file
  }
  process.kill(pid!, 'SIGTERM')
  if (!(await waitGone(pid!, 5000))) process.kill(pid!, 'SIGKILL')
  return true
}

/** Seeds the sandbox's Redis database unless it is seeded already (or `force`, after a flush). */
export async function seedRedisDb(state: RedisState, root: string, force: boolean, now: Date): Promise<number> {
  const r = await redisClient(state.url)
  try {
    if (!force && (await r.exists('excelapp:feature_flags'))) return 0
    if (force) await r.flushdb()
    return await seedRedis(r, root, now)
  } finally {
    r.disconnect()
  }
}

/** Empties the sandbox's Redis database (its own number only). */
export async function flushRedisDb(state: RedisState): Promise<void> {
  const r = await redisClient(state.url)
  try {
    await r.flushdb()
  } finally {
    r.disconnect()
  }
}
