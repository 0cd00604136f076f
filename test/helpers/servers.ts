// The test PostgreSQL and Redis (found or started by test/global-setup.ts): a scratch database a
// file, a Redis connection to the test db, keys under a prefix, and the `items` table and keys
// the sql/redis client tests (in-process and through the CLI) read and write.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'
import { expect } from 'vitest'

export const PG_ADMIN_URL = process.env.RB_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const REDIS_URL = process.env.RB_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/13'

/** Ten hex characters that keep one file's database and keys apart from another's. */
export function randomSuffix(): string {
  return randomBytes(5).toString('hex')
}

async function asAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  try {
    await admin.query(sql)
  } finally {
    await admin.end()
  }
}

export interface ScratchDatabase {
  name: string
  /** The admin URL with this database in place of the admin's. */
  url: string
  /** Creates the database and returns a client connected to it. */
  create(): Promise<pg.Client>
  /** Drops the database, forcing out any session still in it. */
  drop(): Promise<void>
}

export function scratchDatabase(name: string): ScratchDatabase {
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
  return {
    name,
    url,
    async create() {
      await asAdmin(`CREATE DATABASE ${name}`)
      const db = new pg.Client({ connectionString: url })
      await db.connect()
      return db
    },
    drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}

/** A connection to the test Redis db (RB_TEST_REDIS_URL). */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true })
  await redis.connect()
  return redis
}

/** Deletes every key under `prefix:` (nothing when the connection was never made). */
export async function clearKeys(redis: Redis | undefined, prefix: string): Promise<void> {
  const keys = (await redis?.keys(`${prefix}:*`)) ?? []
  if (keys.length) await redis!.del(...keys)
}

/** The table `items` (id, v) the sql/redis client tests read and write. */
export async function createItems(db: pg.Client): Promise<void> {
  await db.query('CREATE TABLE items (id int PRIMARY KEY, v text)')
}

/** Back to ten rows, 'item 1' … 'item 10'. */
export async function resetItems(db: pg.Client): Promise<void> {
  await db.query('TRUNCATE items')
  await db.query(`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 10) g`)
}

export async function itemCount(db: pg.Client): Promise<number> {
  const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM items')
  return Number(r.rows[0]!.n)
}

/** Back to exactly `prefix:a` = one and `prefix:b` = two under the prefix. */
export async function resetKeys(redis: Redis, prefix: string): Promise<void> {
  await clearKeys(redis, prefix)
  await redis.set(`${prefix}:a`, 'one')
  await redis.set(`${prefix}:b`, 'two')
}

/**
 * A TS step that writes through both helpers: deletes items 9 and 10, changes `prefix:a`, and in
 * one sql.begin renames item 1 and inserts item 100.
 */
export function writesStepCode(prefix: string): string {
  return [
    'const gone = await sql`DELETE FROM items WHERE id > ${8}`',
    `await redis.set('${prefix}:a', 'changed')`,
    "await sql.begin(async () => {\n  await sql`UPDATE items SET v = ${'renamed'} WHERE id = 1`\n  await sql`INSERT INTO items VALUES (100, 'new')`\n})",
    "check('deleted two', gone.count === 2 && gone.command === 'DELETE')",
  ].join('\n')
}

/** Every write of writesStepCode landed, and the step recorded its three statements. */
export async function expectWritesCommitted(db: pg.Client, redis: Redis, prefix: string, statements: { command: string; rowCount: number | null }[]): Promise<void> {
  expect(await itemCount(db)).toBe(9)
  expect((await db.query('SELECT v FROM items WHERE id = 1')).rows[0]).toEqual({ v: 'renamed' })
  expect(await redis.get(`${prefix}:a`)).toBe('changed')
  expect(statements.map((s) => [s.command, s.rowCount])).toEqual([
    ['DELETE', 2],
    ['UPDATE', 1],
    ['INSERT', 1],
  ])
}
