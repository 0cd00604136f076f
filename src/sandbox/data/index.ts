// The sandbox's data, as SQL and Redis commands: schema, rows (phase by phase), indexes and the
// warm-up queries; generateSql is the whole script `up` and `reset` run in one transaction.
import { finishSql } from './indexes.js'
import { rowsSql, sqlTime } from './rows.js'
import type { DataScale } from './scale.js'

export { DEFAULT_SCALE, scaleFrom, type DataScale } from './scale.js'
export { DATA_VERSION, SCHEMA_SQL, TABLES } from './schema.js'
export { WARMUP_SQL } from './warmup.js'
export { REDIS_OWNER_KEY, seedRedis } from './redis.js'

/** The rows of every table and what follows them, for the data as of `now`. */
export function generateSql(scale: DataScale, now: Date): string {
  return rowsSql(scale, now) + finishSql(sqlTime(now))
}
