// `runbook list`: the catalogue, as rows of plain data and a pure text renderer.
import type { ChalkInstance } from 'chalk'
import type { RunStatus } from '../model/run-record.js'
import { msg } from '../terminal/messages/index.js'
import { table } from '../terminal/style.js'

export interface CatalogueEntry {
  id: string
  title: string
  path: string
  schedule: string | null
  owner: string | null
  cron: string | null
  /** When the `cron` time next fires after the command's clock (UTC, ISO 8601); null without one. */
  nextRun: string | null
  steps: number
  destructive: number
  review: { next: string | null; status: 'ok' | 'due-soon' | 'overdue' | 'none' }
  lastRun: { started: string; status: string; report: string } | null
  problems: number
  /** The document the runbook was derived from and that document's own review state. */
  source: { guide: string; section: string | null } & CatalogueEntry['review'] | null
}

const DUE_SOON_DAYS = 14

export function reviewStatus(next: string | undefined, today: string): CatalogueEntry['review'] {
  if (!next) return { next: null, status: 'none' }
  if (next < today) return { next, status: 'overdue' }
  const days = (Date.parse(next) - Date.parse(today)) / 86_400_000
  return { next, status: days <= DUE_SOON_DAYS ? 'due-soon' : 'ok' }
}

export function renderList(entries: CatalogueEntry[], c: ChalkInstance): string {
  if (entries.length === 0) return c.dim(msg.cli.noRunbooks) + '\n'
  const h = msg.cli.listHead
  const head = [h.id, h.title, h.schedule, h.nextRun, h.owner, h.steps, h.destructive, h.review, msg.cli.listSourceHead, h.lastRun].map((text) => c.dim(text))
  const rows = entries.map((e) => [
    e.problems > 0 ? c.red(msg.cli.invalidEntry(e.id)) : e.id,
    e.title,
    e.schedule ?? '—',
    e.nextRun ? localMinute(new Date(e.nextRun)) : c.dim('—'),
    e.owner ?? '—',
    String(e.steps),
    e.destructive > 0 ? c.red(String(e.destructive)) : '0',
    renderDue(e.review, REVIEW_WORDS(), c),
    e.source ? renderDue(e.source, SOURCE_WORDS(), c) : c.dim('—'),
    e.lastRun ? `${e.lastRun.started.slice(0, 16).replace('T', ' ')} ${msg.run.runStatus(e.lastRun.status as RunStatus) ?? e.lastRun.status}` : c.dim(msg.cli.never),
  ])
  return table([head, ...rows]) + '\n'
}

/** crontab fires in the machine's local time, so the table says the time there. */
export function localMinute(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

/** How a review date is said: the runbook's own, or (in its own column, so a freshly reviewed
 * runbook cannot hide a late guide) its source's. */
interface DueWords {
  overdue(next: string): string
  dueSoon(next: string): string
  next(next: string): string
}

const REVIEW_WORDS = (): DueWords => ({ overdue: msg.cli.reviewOverdue, dueSoon: msg.cli.reviewDueSoon, next: msg.cli.reviewNext })
const SOURCE_WORDS = (): DueWords => ({ overdue: msg.cli.sourceOverdue, dueSoon: msg.cli.sourceDueSoon, next: msg.cli.sourceNext })

function renderDue(due: CatalogueEntry['review'], words: DueWords, c: ChalkInstance): string {
  switch (due.status) {
    case 'none':
      return c.dim('—')
    case 'overdue':
      return c.red(words.overdue(due.next ?? ''))
    case 'due-soon':
      return c.yellow(words.dueSoon(due.next ?? ''))
    case 'ok':
      return words.next(due.next ?? '')
  }
}
