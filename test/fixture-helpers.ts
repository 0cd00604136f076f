// Shared by the document-model and CLI tests: fixture paths, line lookup and the parse → plan →
// lint pipeline on text.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { lint } from '../src/runner/plan/lint.js'
import { parseRunbook } from '../src/runner/parse/parse.js'
import { plan } from '../src/runner/plan/plan.js'
import type { Diagnostic, Runbook } from '../src/runner/model/runbook.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const FIXTURES = path.join(ROOT, 'test', 'fixtures')

/** Path of a fixture relative to the project root, as an operator would type it. */
export function fixture(name: string): string {
  return path.join('test', 'fixtures', name)
}

export function readFixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8')
}

export function parseFixture(name: string): Runbook {
  return parseRunbook(readFileSync(path.join(FIXTURES, name)), fixture(name))
}

/** 1-based line of the first line containing `needle` (after `from`, itself a needle). */
export function lineOf(text: string, needle: string, from?: string): number {
  const lines = text.split(/\r?\n/)
  const start = from === undefined ? 0 : lines.findIndex((l) => l.includes(from))
  const index = lines.findIndex((l, i) => i >= start && l.includes(needle))
  if (start === -1 || index === -1) throw new Error(`"${needle}" not found`)
  return index + 1
}

export async function lintText(text: string, file = 'test.md', today = '2025-06-01'): Promise<Diagnostic[]> {
  const runbook = parseRunbook(text, file)
  return lint(runbook, await plan(runbook), today)
}
