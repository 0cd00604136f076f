// lint(runbook, plan) → diagnostics. Each rule is a small function over plain data, so the list
// of rules reads as the documentation of what lint checks.
import { spawnSync } from 'node:child_process'
import { openDetectionCache, type DetectionCache } from './judge-cache.js'
import { probeRefusals } from './probe.js'
import { findControlChars, showControlChars, type ControlChar } from '../parse/control-chars.js'
import { findSlowRedisCommands } from '../judge/redis.js'
import { msg } from '../terminal/messages/index.js'
import type { Diagnostic, Plan, PlannedStep, Runbook } from '../model/runbook.js'

interface LintContext {
  runbook: Runbook
  plan: Plan
  today: string
  cache: DetectionCache
}

type StepRule = (step: PlannedStep, ctx: LintContext) => Omit<Diagnostic, 'file'>[]
type RunbookRule = (ctx: LintContext) => Omit<Diagnostic, 'file'>[]

const error = (line: number, rule: string, message: string) => ({ line, severity: 'error' as const, rule, message })
const warning = (line: number, rule: string, message: string) => ({ line, severity: 'warning' as const, rule, message })

/** Maps a 1-based line inside a step's code to its line in the file. */
const codeLine = (step: PlannedStep, line: number) => step.step.codeLine + Math.max(0, line - 1)

export const STEP_RULES: Record<string, StepRule> = {
  'undeclared-destructive': (s) =>
    s.detected && s.declared === null
      ? [
          error(s.line, 'undeclared-destructive', msg.lint.undeclaredDestructive(s.id, s.detection.reasons.join('; '))),
        ]
      : [],
  'syntax': (s, ctx) =>
    // For shell, `bash -n` is the authority: when it rejects the step, its message says it once.
    (s.kind === 'shell' && shellSyntax(s, ctx.cache).length > 0 ? [] : s.detection.syntaxErrors).map((e) =>
      error(codeLine(s, e.line), 'syntax', msg.lint.doesNotParse(languageName(s), s.id, e.message)),
    ),
  'bash-n': (s, ctx) => (s.kind === 'shell' ? shellSyntax(s, ctx.cache) : []),
  'refused-sql': (s) =>
    s.detection.refused.map((r) => error(codeLine(s, r.line), 'refused-sql', msg.lint.refused(s.id, r.message))),
  'autocommit-needs-destructive': (s) => {
    if (!s.step.attrs.autocommit) return []
    if (s.kind !== 'sql') return [error(s.line, 'autocommit-needs-destructive', msg.lint.autocommitSqlOnly(s.id))]
    return s.declared === 'destructive' || s.declared === 'critical'
      ? []
      : [error(s.line, 'autocommit-needs-destructive', msg.lint.autocommitNeedsDestructive(s.id))]
  },
  'safe-and-destructive': (s) =>
    s.step.attrs.safe !== undefined && (s.step.attrs.destructive !== undefined || s.step.attrs.critical)
      ? [error(s.line, 'safe-and-destructive', msg.lint.safeAndDestructive(s.id))]
      : [],
  'ts-import': (s) => {
    if (s.kind !== 'ts' && s.kind !== 'js') return []
    // Steps run inside a function in a worker: imports cannot work there (see docs/runbook-format.md).
    const lines = s.step.code.split('\n')
    const at = lines.findIndex((l) => /^\s*import\s+[\w{*'"]|(^|[^.\w])import\s*\(/.test(l) && !/^\s*\/\//.test(l))
    return at === -1
      ? []
      : [error(codeLine(s, at + 1), 'ts-import', msg.lint.tsImport(s.id))]
  },
  'probe-not-read-only': (s) => {
    if (s.step.attrs.probe === undefined || !s.probeDetection) return []
    const reasons = probeRefusals(s.probeDetection)
    return reasons.length === 0 ? [] : [error(s.line, 'probe-not-read-only', msg.lint.probeNotReadOnly(s.id, showControlChars(s.step.attrs.probe, (shown) => shown), reasons.join('; ')))]
  },
  'control-characters': (s) => {
    // What the screen shows must be what runs: an escape, a lone CR or a bidi override can hide code.
    const byLine = new Map<number, ControlChar[]>()
    for (const ch of findControlChars(s.step.code)) byLine.set(ch.line, [...(byLine.get(ch.line) ?? []), ch])
    const inProbe = findControlChars(s.step.attrs.probe ?? '')
    return [
      ...[...byLine].map(([line, chars]) =>
        error(codeLine(s, line), 'control-characters', msg.lint.controlChars(s.id, chars.map((ch) => ch.shown).join(' '), chars.map((ch) => ch.column).join(', '))),
      ),
      ...(inProbe.length > 0 ? [error(s.line, 'control-characters', msg.lint.controlCharsInProbe(s.id, inProbe.map((ch) => ch.shown).join(' ')))] : []),
    ]
  },
  'redis-slow-command': (s) =>
    // Advice, not a question: KEYS reads like a harmless read but can stall a big server.
    findSlowRedisCommands(s.kind, s.step.code).map((c) =>
      warning(codeLine(s, c.line), 'redis-slow-command', msg.judge.redis.slowCommand(s.id, c.command, c.better)),
    ),
  'rechecks-earlier-step': (s, ctx) => {
    const target = s.step.attrs.rechecks
    if (target === undefined) return []
    // A recheck verifies what an earlier step found: a later step (or itself) has not failed yet.
    const earlier = ctx.plan.steps.slice(0, ctx.plan.steps.indexOf(s))
    return earlier.some((e) => e.id === target) ? [] : [error(s.line, 'rechecks-earlier-step', msg.lint.rechecksUnknown(s.id, target))]
  },
  'keep-going-or-continue': (s) =>
    s.step.attrs.keepGoing && s.step.attrs.continueOnError ? [error(s.line, 'keep-going-or-continue', msg.lint.keepGoingAndContinue(s.id))] : [],
  'sql-only-attributes': (s) =>
    s.kind !== 'sql' && (s.step.attrs.maxRows !== undefined || s.step.attrs.maxDisplay !== undefined || s.step.attrs.redactColumns !== undefined)
      ? [warning(s.line, 'sql-only-attributes', msg.lint.sqlOnlyAttributes(s.id))]
      : [],
  // `quiet` runs a step without its question: only for what the judge proves read-only.
  'quiet-needs-read-only': (s) => (s.step.attrs.quiet && s.destructive ? [error(s.line, 'quiet-needs-read-only', msg.lint.quietDestructive(s.id))] : []),
}

export const RUNBOOK_RULES: Record<string, RunbookRule> = {
  'env-description': ({ runbook }) =>
    runbook.meta.env
      .filter((e) => e.required && !e.description)
      .map((e) => error(frontMatterLine(runbook, e.name), 'env-description', msg.lint.envDescription(e.name))),
  'choice-input': ({ runbook }) =>
    runbook.meta.inputs
      .filter((i) => i.type === 'choice' && !(i.choices && i.choices.length > 0))
      .map((i) => error(frontMatterLine(runbook, i.name), 'choice-input', msg.lint.choiceWithoutChoices(i.name))),
  'review-overdue': ({ runbook, today }) => {
    const next = runbook.meta.review?.next
    return next && next < today
      ? [warning(frontMatterLine(runbook, 'next', 'review'), 'review-overdue', msg.lint.reviewOverdue(next))]
      : []
  },
  'source-overdue': ({ runbook, today }) => {
    // A warning, not an error: the runbook is fine, the document it was derived from is late.
    const source = runbook.meta.source
    return source?.next && source.next < today
      ? [warning(frontMatterLine(runbook, 'source'), 'source-overdue', msg.lint.sourceOverdue(source.guide, source.next))]
      : []
  },
  'no-steps': ({ runbook }) =>
    runbook.steps.length === 0 && runbook.checklist.length === 0
      ? [warning(1, 'no-steps', msg.lint.noSteps)]
      : [],
}

/** `today` is the operator's local date (YYYY-MM-DD), from the clock the caller was given. */
export function lint(runbook: Runbook, plan: Plan, today: string, cache: DetectionCache = openDetectionCache()): Diagnostic[] {
  const ctx: LintContext = { runbook, plan, today, cache }
  const found = [
    ...Object.values(RUNBOOK_RULES).flatMap((rule) => rule(ctx)),
    ...plan.steps.flatMap((s) => Object.values(STEP_RULES).flatMap((rule) => rule(s, ctx))),
  ].map((d) => ({ file: runbook.path, ...d }))
  return [...runbook.diagnostics, ...dedupe(found)].sort((a, b) => a.line - b.line)
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.rule}:${d.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function languageName(s: PlannedStep): string {
  return { ts: 'TypeScript', js: 'JavaScript', shell: 'Shell', sql: 'SQL', redis: 'Redis' }[s.kind]
}

const shellSyntaxSeen = new WeakMap<PlannedStep, Omit<Diagnostic, 'file'>[]>()

/** `bash -n` is the authority on what bash accepts; detection's parser may be stricter or looser.
 * Run once per step: two rules ask. */
function shellSyntax(s: PlannedStep, cache: DetectionCache): Omit<Diagnostic, 'file'>[] {
  let found = shellSyntaxSeen.get(s)
  if (!found) shellSyntaxSeen.set(s, (found = runBashN(s, cache)))
  return found
}

function runBashN(s: PlannedStep, cache: DetectionCache): Omit<Diagnostic, 'file'>[] {
  const shell = s.language === 'sh' ? 'sh' : 'bash'
  const first = cache.memo(`${shell} -n`, s.step.code, () => {
    const result = spawnSync(shell, ['-n'], { input: s.step.code, encoding: 'utf8', timeout: 5000 })
    if (result.status === 0 || result.error) return null
    return result.stderr.split('\n').find((l) => l.trim()) ?? msg.lint.syntaxError
  })
  if (first === null) return []
  // bash says `bash: line 2: message`, dash (Debian's sh) says `sh: 2: message`.
  const located = /^[^:]*: (?:line )?(\d+): (.*)$/.exec(first)
  const line = Number(located?.[1] ?? 1)
  const message = located?.[2] ?? first.replace(/^(bash|sh): /, '')
  return [error(codeLine(s, line), 'bash-n', msg.lint.shellRejects(shell, s.id, message))]
}

/** The line of a front-matter key, found textually: good enough to point an editor at it. The key
 * may sit in a flow mapping (`review: { next: … }`), so the first key found on any line wins. */
function frontMatterLine(runbook: Runbook, ...keys: string[]): number {
  const lines = runbook.source.split('\n').slice(0, Math.max(1, runbook.bodyLine - 1))
  for (const key of keys) {
    const index = lines.findIndex((l) => new RegExp(`(^\\s*|[{,]\\s*)${key}\\s*:`).test(l))
    if (index !== -1) return index + 1
  }
  return 1
}

/** A date as YYYY-MM-DD in local time. */
export function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
