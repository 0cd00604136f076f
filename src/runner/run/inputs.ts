// What a run starts from besides the runbook: its env (flags, target or sandbox file, env file,
// process env; asked at a terminal when required and missing) and its inputs (given, asked or
// defaulted, then checked against their declared type).
import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { msg } from '../terminal/messages/index.js'
import { resolveEnv, targetEnvFile, type ResolvedEnv } from './env.js'
import type { InputSpec, Runbook } from '../model/runbook.js'
import type { InputValue } from '../model/run-record.js'
import type { Prompts } from '../terminal/prompts.js'

export interface EnvChoice {
  sets?: Record<string, string>
  target?: string
  sandbox?: boolean
  envFile?: string
}

/** The run's env; `sandboxEnvFile` is read for --sandbox runs and must exist (the sandbox is up). */
export async function resolveRunEnv(runbook: Runbook, opts: EnvChoice, prompts: Prompts | null, sandboxEnvFile: string): Promise<ResolvedEnv> {
  const targetFile = opts.sandbox ? sandboxEnvFile : opts.target ? targetEnvFile(opts.target) : undefined
  if (opts.sandbox) {
    try {
      accessSync(sandboxEnvFile, constants.R_OK)
    } catch {
      throw new RunbookError(msg.run.sandboxNotUp(path.relative(process.cwd(), sandboxEnvFile) || sandboxEnvFile), EXIT.usage)
    }
  }
  const env = resolveEnv(runbook.meta.env, { sets: opts.sets ?? {}, targetFile, envFile: opts.envFile, processEnv: process.env })
  if (env.missing.length === 0) return env
  if (!prompts) {
    const names = env.missing.map((m) => `${m.name}${m.description ? ` (${m.description})` : ''}`).join(', ')
    throw new RunbookError(msg.run.envMissing(names), EXIT.usage, runbook.path)
  }
  for (const spec of env.missing) {
    env.values[spec.name] = await prompts.askEnv(spec)
    env.origin[spec.name] = 'set'
  }
  return { ...env, missing: [] }
}

export async function resolveInputs(
  specs: InputSpec[],
  given: Record<string, string>,
  prompts: Prompts | null,
  file: string,
): Promise<Record<string, InputValue>> {
  const unknown = Object.keys(given).filter((k) => !specs.some((s) => s.name === k))
  if (unknown.length > 0) throw new RunbookError(msg.run.unknownInput(unknown, specs.map((s) => s.name)), EXIT.usage, file)
  const values: Record<string, InputValue> = {}
  for (const spec of specs) {
    let value = given[spec.name]
    if (value === undefined && prompts) value = await prompts.askInput(spec)
    value ??= spec.default
    if (value === undefined) throw new RunbookError(msg.run.inputMissing(spec.name, spec.description), EXIT.usage, file)
    const problem = inputProblem(spec, value)
    if (problem) throw new RunbookError(msg.run.inputInvalid(spec.name, problem), EXIT.usage, file)
    // Checked above: a number input is finite, so it is recorded as the number it is.
    values[spec.name] = spec.type === 'number' ? Number(value) : value
  }
  return values
}

function inputProblem(spec: InputSpec, value: string): string | undefined {
  if (spec.type === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) return msg.run.expectedNumber(value)
  if (spec.type === 'choice' && spec.choices && !spec.choices.includes(value)) return msg.run.expectedChoice(spec.choices, value)
  if (spec.type === 'file') {
    try {
      accessSync(value, constants.R_OK)
    } catch {
      return msg.run.noReadableFile(value)
    }
  }
  return undefined
}

/** Inputs reach shell steps as INPUT_<NAME>, GitHub Actions' convention. */
export function inputsAsEnv(inputs: Record<string, InputValue>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, String(v)]))
}
