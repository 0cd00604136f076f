// Resolving a run's environment. Precedence, highest first: --set, the target's env file
// (--target NAME or --sandbox), --env-file, the process env, front-matter defaults. So a
// --sandbox run can never pick up a production URL exported in the operator's shell.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { EXIT, RunbookError } from '../model/errors.js'
import { msg } from '../terminal/messages/index.js'
import type { EnvSpec } from '../model/runbook.js'

export interface EnvSources {
  sets: Record<string, string>
  targetFile?: string
  envFile?: string
  processEnv: Record<string, string | undefined>
}

export interface ResolvedEnv {
  /** The full environment given to steps. */
  values: Record<string, string>
  /** Where each runbook-declared variable came from, for the report. */
  origin: Record<string, 'set' | 'target' | 'env-file' | 'process' | 'default'>
  /** Declared as required, with no value from any source. */
  missing: EnvSpec[]
}

export function readEnvFile(file: string, what: string): Record<string, string> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new RunbookError(msg.run.envFileUnreadable(what, code === 'ENOENT' ? msg.run.noSuchFile : (e as Error).message), EXIT.usage, file)
  }
  try {
    return parseEnv(text.replace(/^\uFEFF/, '')) as Record<string, string>
  } catch (e) {
    throw new RunbookError(msg.run.envFileInvalid(what, (e as Error).message), EXIT.usage, file)
  }
}

export function targetEnvFile(target: string, root = process.cwd()): string {
  if (!/^[\w.-]+$/.test(target)) throw new RunbookError(msg.run.badTargetName(target), EXIT.usage)
  return path.join(root, 'environments', `${target}.env`)
}

export function resolveEnv(specs: EnvSpec[], sources: EnvSources): ResolvedEnv {
  const layers: [ResolvedEnv['origin'][string], Record<string, string | undefined>][] = [
    ['set', sources.sets],
    ['target', sources.targetFile ? readEnvFile(sources.targetFile, msg.run.envFileKindTarget) : {}],
    ['env-file', sources.envFile ? readEnvFile(sources.envFile, msg.run.envFileKindOption) : {}],
    ['process', sources.processEnv],
  ]
  const values: Record<string, string> = {}
  for (const spec of specs) if (spec.default !== undefined) values[spec.name] = spec.default
  for (const [, layer] of [...layers].reverse()) {
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) values[k] = v
  }
  const origin: ResolvedEnv['origin'] = {}
  for (const spec of specs) {
    const from = layers.find(([, layer]) => layer[spec.name] !== undefined)
    if (from) origin[spec.name] = from[0]
    else if (spec.default !== undefined) origin[spec.name] = 'default'
  }
  const missing = specs.filter((s) => s.required && (values[s.name] === undefined || values[s.name] === ''))
  return { values, origin, missing }
}
