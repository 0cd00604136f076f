// A sandbox of a test's own, in a temp folder: the env `runbook sandbox …` and `runbook run
// --sandbox` are given. PostgreSQL: a throwaway of the sandbox's own (nothing listens on port 1,
// so it starts one with pg_stat_statements preloaded when the contrib package is there); Redis:
// one database of the test server.
import path from 'node:path'
import { tempDir } from './cli.js'

export function sandboxTestEnv(prefix: string, extra: Record<string, string> = {}): { dir: string; reports: string; env: Record<string, string> } {
  const u = new URL(process.env.RB_TEST_REDIS_URL!)
  u.pathname = ''
  const dir = path.join(tempDir(prefix), 'sb')
  return {
    dir,
    reports: path.join(path.dirname(dir), 'reports'),
    env: {
      RUNBOOK_SANDBOX_DIR: dir,
      SANDBOX_FORMULA_ENGINE_PORT: '0',
      SANDBOX_LOCAL_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
      SANDBOX_REDIS_URL: u.toString().replace(/\/$/, ''),
      ...extra,
    },
  }
}
