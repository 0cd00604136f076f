// Where a PostgreSQL or Redis connection goes, described for messages with the password never
// shown: host, port, database and the URL with `***` for its password.
import { maskUrlSecrets } from '../run/redact.js'
import { msg } from '../terminal/messages/index.js'

export interface PgTarget {
  host: string
  port: string
  database: string
  /** The URL with its password replaced by `***`. */
  safeUrl: string
  password: string
}

export interface RedisTarget {
  host: string
  port: string
  db: string
  safeUrl: string
  password: string
}

export function describePgTarget(url: string): PgTarget {
  try {
    const u = new URL(url)
    const password = decodeURIComponent(u.password)
    if (u.password) u.password = '***'
    const hostParam = u.searchParams.get('host')
    const user = decodeURIComponent(u.username) || 'postgres'
    return {
      host: decodeURIComponent(u.hostname) || hostParam || 'localhost',
      port: u.port || u.searchParams.get('port') || '5432',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
      safeUrl: u.toString(),
      password,
    }
  } catch {
    // A libpq keyword string: `host=… port=… dbname=… password=…`.
    const password = /password=(\S+)/.exec(url)?.[1] ?? ''
    return {
      host: /host=(\S+)/.exec(url)?.[1] ?? 'localhost',
      port: /port=(\S+)/.exec(url)?.[1] ?? '5432',
      database: /dbname=(\S+)/.exec(url)?.[1] ?? '?',
      safeUrl: url.replace(/password=\S+/, 'password=***'),
      password,
    }
  }
}

export function describeRedisTarget(url: string): RedisTarget {
  try {
    const u = new URL(url)
    const password = decodeURIComponent(u.password)
    if (u.password) u.password = '***'
    return {
      host: decodeURIComponent(u.hostname) || 'localhost',
      port: u.port || '6379',
      db: u.pathname.replace(/^\//, '') || u.searchParams.get('db') || '0',
      safeUrl: u.toString(),
      password,
    }
  } catch {
    return { host: url, port: '6379', db: '0', safeUrl: url.replace(/:[^:@/]*@/, ':***@'), password: '' }
  }
}

/** `host … port … database …` of a PostgreSQL target, for messages. */
export function pgWhere(t: PgTarget): string {
  return msg.executors.pgWhere(t.host, t.port, t.database)
}

/** `host … port … db …` of a Redis target, for messages. */
export function redisWhere(t: RedisTarget): string {
  return msg.executors.redisWhere(t.host, t.port, t.db)
}

/** The text with every occurrence of the password replaced by `***` (a server may echo it), and
 * any URL's password (user-info or `?password=`) too: a driver's error may quote the URL. */
export function hidePassword(text: string, password: string): string {
  return maskUrlSecrets(password.length > 0 ? text.split(password).join('***') : text)
}

/** application_name: printable ASCII (the server replaces the rest anyway), at most 63 bytes. */
export function applicationName(runbookId: string, stepId: string): string {
  return `runbook:${runbookId}/${stepId}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 63)
}
