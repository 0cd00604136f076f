// What the TS judge's walk collects: reasons, syntax errors and refusals with the step's lines,
// and the judgements of embedded shell and SQL still to run (they are async).
import type { RedisCommandTable } from '../redis.js'
import type { AnyNode } from './nodes.js'

export interface Out {
  reasons: Set<string>
  syntaxErrors: { line: number; message: string }[]
  refused: { line: number; message: string }[]
}

export interface Walk {
  out: Out
  tasks: (() => Promise<void>)[]
  js: string
  lineOf: (node: AnyNode) => number
  redisTable: RedisCommandTable
}
