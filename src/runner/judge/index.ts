// Destructive-command detection, one module per step language; see docs/SECURITY.md, safety rule 2.
import type { Detection, StepKind } from '../model/runbook.js'
import { detectRedis, type RedisCommandTable } from './redis.js'
import { detectShell } from './shell.js'
import { detectSql } from './sql.js'
import { detectTs } from './ts.js'

export interface JudgeOptions {
  /** The Redis command table for `redis` steps and `redis` calls (default: the built-in one). */
  redisTable?: RedisCommandTable
  /** The step's `writes=` entries: a shell step's writes into them are proven. */
  writes?: readonly string[]
}

/** Judges a step's code by its language: what in it changes the world, and why. */
export async function detect(kind: StepKind, code: string, options: JudgeOptions = {}): Promise<Detection> {
  switch (kind) {
    case 'shell':
      return detectShell(code, { writes: options.writes })
    case 'sql':
      return detectSql(code)
    case 'redis':
      return detectRedis(code, options.redisTable)
    case 'ts':
    case 'js':
      return detectTs(code, kind, options.redisTable)
  }
}
