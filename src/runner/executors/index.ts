// One executor per step language.
import type { ExecutorRegistry } from '../run-types.js'
import { createRedisExecutor } from './redis.js'
import { createShellExecutor } from './shell.js'
import { createSqlExecutor } from './sql.js'
import { createTsExecutor } from './ts.js'

export function createExecutors(): ExecutorRegistry {
  const ts = createTsExecutor()
  return { ts, js: ts, shell: createShellExecutor(), sql: createSqlExecutor(), redis: createRedisExecutor() }
}
