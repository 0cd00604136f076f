// The Redis executor's connections: one per URL, reused across the steps of a run, except after a
// command that changes the connection's state (SELECT, MULTI, SUBSCRIBE, CLIENT …), a timeout or
// an interruption: those are closed. Each connection remembers what the server's command table
// (`COMMAND INFO`) said about the commands it was asked about.
import { Redis } from 'ioredis'
import { redisTableFromCommandInfo, type RedisCommand, type RedisCommandSpec, type RedisCommandTable } from '../../judge/redis.js'

/** Commands after which a connection is not handed to the next step (also used by TS steps' `redis`). */
export const STATEFUL = new Set([
  'select',
  'multi',
  'watch',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'monitor',
  'quit',
  'reset',
  'hello',
  'auth',
  'client',
  'readonly',
  'readwrite',
])

export interface Connection {
  client: Redis
  /** What the server's COMMAND INFO said, by command name; null: the table could not be read. */
  tables: RedisCommandTable[] | null
  fetched: Set<string>
  lastError?: Error
}

function unionTable(tables: RedisCommandTable[]): RedisCommandTable {
  return {
    get(name: string): RedisCommandSpec | undefined {
      for (const t of tables) {
        const spec = t.get(name)
        if (spec) return spec
      }
      return undefined
    },
  }
}

export class RedisConnections {
  readonly #connections = new Map<string, Connection>()

  constructor(private readonly connectTimeoutMs: number) {}

  /** The connection for `url`: the ready one of an earlier step, or a new one. */
  async connect(url: string, runbookId: string): Promise<Connection> {
    const existing = this.#connections.get(url)
    if (existing && existing.client.status === 'ready') return existing
    if (existing) {
      this.#connections.delete(url)
      existing.client.disconnect()
    }
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: this.connectTimeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      protocol: 2,
      connectionName: `runbook:${runbookId}`.replace(/[^\x21-\x7e]/g, '_').slice(0, 100),
    })
    const conn: Connection = { client, tables: [], fetched: new Set() }
    // Without a listener ioredis reports errors as unhandled; the command that failed reports it.
    client.on('error', (e: Error) => {
      conn.lastError = e
    })
    try {
      await client.connect()
    } catch (e) {
      client.disconnect()
      throw e
    }
    this.#connections.set(url, conn)
    return conn
  }

  /** Closes a connection and forgets it (the next step gets a new one). */
  drop(url: string, conn: Connection): void {
    if (this.#connections.get(url) === conn) this.#connections.delete(url)
    conn.client.disconnect()
  }

  async closeAll(): Promise<void> {
    const all = [...this.#connections.values()]
    this.#connections.clear()
    await Promise.all(
      all.map(async (c) => {
        try {
          await c.client.quit()
        } catch {
          c.client.disconnect()
        }
      }),
    )
  }
}

/** The server's table for these commands (fetched once per command per connection); null when unreadable. */
export async function serverTable(conn: Connection, commands: RedisCommand[]): Promise<RedisCommandTable | null> {
  if (conn.tables === null) return null
  const names = [...new Set(commands.map((c) => c.argv[0]!.toLowerCase()))].filter((n) => !conn.fetched.has(n))
  if (names.length > 0) {
    try {
      const reply = await conn.client.call('COMMAND', 'INFO', ...names)
      conn.tables.push(redisTableFromCommandInfo(Array.isArray(reply) ? reply : []))
      for (const n of names) conn.fetched.add(n)
    } catch {
      conn.tables = null
      return null
    }
  }
  return unionTable(conn.tables)
}
