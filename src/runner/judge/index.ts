// Destructive-command detection, one module per step language; see DESIGN.md, safety rule 2.
import type { Detection, StepKind } from '../model/runbook.js'
import { detectRedis } from './redis.js'
import { detectShell } from './shell.js'
import { detectSql } from './sql.js'
import { detectTs } from './ts.js'

/** Judges a step's code by its language: what in it changes the world, and why. */
export async function detect(kind: StepKind, code: string): Promise<Detection> {
  switch (kind) {
    case 'shell':
      return detectShell(code)
    case 'sql':
      return detectSql(code)
    case 'redis':
      return detectRedis(code)
    case 'ts':
    case 'js':
      return detectTs(code, kind)
  }
}
