// One executor per step language, each loaded on first use: a bash-only runbook never pays for
// pg, ioredis, esbuild or the TS worker.
import type { ExecutorRegistry, StepExecutor } from '../model/run-record.js'

function lazyExecutor(load: () => Promise<StepExecutor>): StepExecutor {
  let loaded: Promise<StepExecutor> | undefined
  return {
    run: async (ctx) => (await (loaded ??= load())).run(ctx),
    close: async () => {
      if (loaded) await (await loaded).close?.()
    },
  }
}

export function createExecutors(): ExecutorRegistry {
  const ts = lazyExecutor(() => import('./ts.js').then((m) => m.createTsExecutor()))
  return {
    ts,
    js: ts,
    shell: lazyExecutor(() => import('./shell.js').then((m) => m.createShellExecutor())),
    sql: lazyExecutor(() => import('./sql.js').then((m) => m.createSqlExecutor())),
    redis: lazyExecutor(() => import('./redis.js').then((m) => m.createRedisExecutor())),
  }
}
