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
    renderReview(e.review, c),
    e.source ? renderSourceReview(e.source, c) : c.dim('—'),
    e.lastRun ? `${e.lastRun.started.slice(0, 16).replace('T', ' ')} ${msg.run.runStatus(e.lastRun.status as RunStatus) ?? e.lastRun.status}` : c.dim(msg.cli.never),
  ])
  return table([head, ...rows]) + '\n'
}

/** crontab fires in the machine's local time, so the table says the time there. */
export function localMinute(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

function renderReview(review: CatalogueEntry['review'], c: ChalkInstance): string {
  switch (review.status) {
    case 'none':
      return c.dim('—')
    case 'overdue':
      return c.red(msg.cli.reviewOverdue(review.next ?? ''))
    case 'due-soon':
      return c.yellow(msg.cli.reviewDueSoon(review.next ?? ''))
    case 'ok':
      return msg.cli.reviewNext(review.next ?? '')
  }
}

/** The source's review in its own column, so a freshly reviewed runbook cannot hide a late guide. */
function renderSourceReview(source: NonNullable<CatalogueEntry['source']>, c: ChalkInstance): string {
  switch (source.status) {
    case 'none':
      return c.dim('—')
    case 'overdue':
      return c.red(msg.cli.sourceOverdue(source.next ?? ''))
    case 'due-soon':
      return c.yellow(msg.cli.sourceDueSoon(source.next ?? ''))
    case 'ok':
      return msg.cli.sourceNext(source.next ?? '')
  }
}
