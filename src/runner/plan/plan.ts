// plan(runbook) → Plan: each step's effective safety classification and limits, the env and
// inputs it needs. Pure apart from the lazily loaded parsers detection uses.
import { openDetectionCache, type DetectionCache } from './judge-cache.js'
import { parseDuration } from '../parse/duration.js'
import { msg } from '../terminal/messages/index.js'
import type { Declared, Plan, PlannedStep, Runbook, Step, StepKind } from '../model/runbook.js'

export const DEFAULT_TIMEOUT_MS = 10 * 60_000

export function declaredOf(step: Step): Declared {
  if (step.attrs.critical) return 'critical'
  if (step.attrs.destructive !== undefined) return 'destructive'
  if (step.attrs.safe !== undefined) return 'safe'
  return null
}

export function effectiveTimeoutMs(step: Step, runbook: Runbook): number {
  const own = step.attrs.timeout === undefined ? undefined : parseDuration(step.attrs.timeout)
  return own ?? runbook.meta.defaults.timeoutMs ?? DEFAULT_TIMEOUT_MS
}

async function detectCached(kind: StepKind, code: string, cache: DetectionCache, writes?: readonly string[]) {
  // The declared writes= paths are part of what is judged (a write into them is proven): part of
  // the cache's key too, so a verdict given with them never answers for the code without them.
  const key = writes?.length ? `${code}\0writes=${JSON.stringify(writes)}` : code
  const hit = cache.get(kind, key)
  if (hit) return hit
  // Loaded only on a cache miss: the parsers behind it are the slowest imports of the runner.
  const { detect } = await import('../judge/index.js')
  const detection = await detect(kind, code, writes?.length ? { writes } : {})
  cache.set(kind, key, detection)
  return detection
}

/** What names a step wherever it goes (plan, record, report): its id, title, language, kind, line. */
export function stepIdentity(step: Step): Pick<PlannedStep, 'id' | 'title' | 'language' | 'kind' | 'line'> {
  return { id: step.id, title: step.title, language: step.language, kind: step.kind, line: step.line }
}

export async function planStep(step: Step, runbook: Runbook, cache: DetectionCache = openDetectionCache()): Promise<PlannedStep> {
  const detection = await detectCached(step.kind, step.code, cache, step.attrs.writes)
  // A probe is judged as a shell step of its own: the gate refuses one not proven read-only.
  const probeDetection = step.attrs.probe === undefined ? undefined : await detectCached('shell', step.attrs.probe, cache)
  const declared = declaredOf(step)
  const reasons: string[] = []
  if (declared === 'critical') reasons.push(msg.lint.declaredCritical)
  else if (declared === 'destructive') {
    reasons.push(typeof step.attrs.destructive === 'string' ? msg.lint.declaredDestructiveBecause(step.attrs.destructive) : msg.lint.declaredDestructive)
  }
  if (detection.destructive) {
    reasons.push(...detection.reasons)
    if (declared === 'safe') reasons.push(msg.lint.declaredSafe(step.attrs.safe ?? ''))
  }
  return {
    ...stepIdentity(step),
    destructive: declared === 'critical' || declared === 'destructive' || (detection.destructive && declared !== 'safe'),
    detected: detection.destructive,
    declared,
    reasons,
    skip: step.attrs.skip === true,
    timeoutMs: effectiveTimeoutMs(step, runbook),
    requires: step.attrs.requires ?? [],
    step,
    detection,
    ...(probeDetection ? { probeDetection } : {}),
  }
}

export async function plan(runbook: Runbook, cache: DetectionCache = openDetectionCache()): Promise<Plan> {
  const steps = await Promise.all(runbook.steps.map((s) => planStep(s, runbook, cache)))
  cache.save()
  return {
    runbook: { id: runbook.meta.id, title: runbook.meta.title, path: runbook.path },
    steps,
    env: runbook.meta.env,
    inputs: runbook.meta.inputs,
    checklist: runbook.checklist,
  }
}
