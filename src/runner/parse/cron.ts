// Cron expressions and calendar dates, checked by what they mean rather than by their shape.
//
// A `cron` time ends up in a crontab (`runbook cron`), so it must be a line crontab (Vixie cron,
// cronie) runs: five fields or an @alias. croner parses it (ranges, steps, names) and says when it
// next fires; croner's own extensions (L, W, #, ?, seconds, years) are refused because crontab
// would reject or misread them.
import { Cron } from 'croner'

const ALIASES = new Set(['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually'])
const NAMES = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)\b/gi
// A fixed reference: whether an expression ever fires must not depend on today.
const REFERENCE = new Date(Date.UTC(2000, 0, 1))

export type CronProblem =
  | { kind: 'shape' }
  | { kind: 'extension'; token: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'never' }

function toCroner(expression: string): string {
  const e = expression.trim()
  // croner has no @midnight; crontab reads it as @daily.
  return e === '@midnight' ? '@daily' : e
}

/** Why a cron expression cannot go into a crontab, or undefined when it can. */
export function cronProblem(expression: string): CronProblem | undefined {
  const e = expression.trim()
  if (e.startsWith('@')) {
    if (!ALIASES.has(e)) return { kind: 'shape' }
  } else {
    const fields = e.split(/\s+/)
    if (fields.length !== 5) return { kind: 'shape' }
    for (const field of fields) {
      const bad = /[?#]|[a-z]/i.exec(field.replace(NAMES, ''))
      if (bad) return { kind: 'extension', token: field }
    }
  }
  let job: Cron
  try {
    job = new Cron(toCroner(e), { mode: '5-part', paused: true, legacyMode: true })
  } catch (err) {
    return { kind: 'invalid', reason: (err as Error).message.replace(/^CronPattern:\s*/, '') }
  }
  // `0 0 30 2 *` parses but never fires: a schedule that never runs is a mistake, not a choice.
  if (job.nextRun(REFERENCE) === null) return { kind: 'never' }
  return undefined
}

/** When a valid cron expression next fires after `from`, in the machine's local time (crontab's). */
export function nextCronRun(expression: string, from: Date): Date | null {
  if (cronProblem(expression)) return null
  return new Cron(toCroner(expression), { mode: '5-part', paused: true, legacyMode: true }).nextRun(from)
}

/** A YYYY-MM-DD string that names a day of the calendar (not 2025-02-30, not 2099-99-99). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}
