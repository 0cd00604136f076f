// What the operator sees while a run goes on. Pure render* functions build the text; the view
// object writes it, streams step output with a gutter, and shows elapsed time while a step is quiet.
import { inGutter } from './gutter.js'
import type { ChalkInstance } from 'chalk'
import { formatDuration } from '../parse/duration.js'
import { hasControlChars, showControlChars } from '../parse/control-chars.js'
import { redact } from '../run/redact.js'
import { systemClock, type Clock } from '../model/clock.js'
import { msg } from './messages/index.js'
import type { RunRecord, StepRecord, StepStatus } from '../model/run-record.js'
import type { PlannedStep } from '../model/runbook.js'

export const STATUS_MARK: Record<StepStatus, string> = {
  passed: '✔',
  fixed: '✔',
  tolerated: '⚠',
  failed: '✘',
  skipped: '↷',
  blocked: '⛔',
  declined: '✋',
  'timed-out': '⏱',
  interrupted: '⚡',
  previewed: '👁',
  'not-run': '·',
}

function statusColor(c: ChalkInstance, status: StepStatus): ChalkInstance {
  if (status === 'passed' || status === 'fixed' || status === 'previewed') return c.green
  if (status === 'skipped' || status === 'not-run') return c.dim
  if (status === 'declined' || status === 'blocked' || status === 'tolerated') return c.yellow
  return c.red
}

export function renderStepHeader(p: PlannedStep, n: number, total: number, target: string, c: ChalkInstance): string {
  // The title and the reasons quote the runbook: an escape in them must not act on the terminal.
  const visible = (text: string) => showControlChars(text, (shown) => c.inverse.yellow(shown))
  const where = c.dim(msg.run.stepWhere(visible(p.title), p.language, p.line))
  const head = `${c.bold(`▶ [${n}/${total}] ${p.id}`)} ${where}`
  if (!p.destructive) return head
  const label = p.declared === 'critical' ? msg.run.criticalStep : msg.run.destructiveStep
  return `${head}\n${c.red.bold(`  ${msg.run.stepWarning(label, target)}`)}${p.reasons.map((r) => `\n${c.red(`    · ${visible(r)}`)}`).join('')}`
}

/**
 * The step as the operator reads it before deciding. What is shown is what runs: control characters
 * (an escape that clears the line, a lone CR, a bidi override) are shown as visible marks, and code
 * that holds any is not highlighted, so no colour of the highlighter can pass for a mark.
 */
export function renderStepIntro(
  p: PlannedStep,
  highlight: (language: string, code: string) => string,
  c: ChalkInstance,
  fold?: { lines: number; more: (n: number) => string },
): string {
  const mark = (shown: string) => c.inverse.yellow(shown)
  const proseText = showControlChars(p.step.prose, mark)
  const prose = proseText ? `${proseText.split('\n').map((l) => `  ${l}`).join('\n')}\n` : ''
  const bar = p.destructive ? c.red('┃ ') : c.cyan('│ ')
  const shown = hasControlChars(p.step.code) ? showControlChars(p.step.code, mark) : highlight(p.language, p.step.code)
  const lines = shown.replace(/\n$/, '').split('\n')
  // Folded: the first lines and how many more, so the question after it stays on screen.
  const kept = fold && lines.length > fold.lines ? lines.slice(0, fold.lines) : lines
  // A colour of the highlighter left open by the cut ends with the cut.
  const more = kept.length < lines.length ? `${c.level > 0 ? '\x1b[0m' : ''}\n  ${bar}${c.dim(fold!.more(lines.length - kept.length))}` : ''
  const code = kept.map((l) => `  ${bar}${l}`).join('\n')
  return `${prose}${code}${more}\n`
}

export interface StepResultOptions {
  /** The reason only names the failed checks: they are listed already, so it is left out. */
  reasonIsChecks?: boolean
  /** The checks were shown as they were made: only the failed ones are repeated. */
  checksShown?: boolean
}

export function renderStepResult(r: StepRecord, c: ChalkInstance, options: StepResultOptions = {}): string {
  const color = statusColor(c, r.status)
  const parts = [color(`${STATUS_MARK[r.status]} ${msg.run.stepStatus(r.status)}`)]
  if (r.exitCode !== undefined && r.exitCode !== null && r.status !== 'passed') parts.push(msg.run.exitCode(r.exitCode))
  if (r.durationMs !== undefined) parts.push(formatDuration(r.durationMs))
  const lines = [`  ${parts.join(c.dim(' · '))}`]
  for (const check of options.checksShown ? r.checks.filter((ch) => !ch.ok) : r.checks) {
    lines.push(`    ${check.ok ? c.green('✔') : c.red('✘')} ${check.name}${check.detail ? c.dim(` — ${check.detail}`) : ''}`)
  }
  if (r.reason && r.status !== 'passed' && !options.reasonIsChecks) lines.push(`    ${color(r.reason)}`)
  if (r.status === 'tolerated') lines.push(c.dim(`    ${msg.run.toleratedHint}`))
  if (r.consent) lines.push(c.dim(`    ${msg.run.consentLine(r.consent.who, r.consent.how)}`))
  return lines.join('\n') + '\n'
}

export function renderRunSummary(record: RunRecord, reportPath: string, c: ChalkInstance): string {
  const counts = new Map<StepStatus, number>()
  for (const s of record.steps) counts.set(s.status, (counts.get(s.status) ?? 0) + 1)
  const parts = [...counts].map(([status, n]) => statusColor(c, status)(`${n} ${msg.run.stepStatus(status)}`))
  const color = record.status === 'passed' ? c.green.bold : record.status === 'failed' ? c.red.bold : c.yellow.bold
  return `\n${color(`■ ${msg.run.runStatus(record.status)}`)} ${c.dim('—')} ${parts.join(', ')}\n  ${msg.run.summaryReport(reportPath)}\n`
}

export interface ConsoleView {
  write(text: string): void
  stepStarted(label: string): void
  output(text: string): void
  stepEnded(): void
  /** What a step says besides its output (a note, a table, a check), already rendered and
   * redacted: shown on a line of its own inside the gutter. Absent: shown through `output`. */
  said?(text: string): void
  /** The terminal's width, when it has one. */
  columns?(): number | undefined
  /** The reader went away (`runbook run … | head`): nothing more is shown, the run goes on. */
  closed(): boolean
}

/** Errors of a stream whose reader has gone: the run must go on without it. */
export function isClosedStreamError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET'
}

/** `write` redacts what it prints; `output` expects text already through a stream redactor.
 * `now` times the quiet-step ticker. */
export function createConsoleView(stream: NodeJS.WriteStream, c: ChalkInstance, secrets: string[] = [], now: Clock = systemClock): ConsoleView {
  const ms = () => now().getTime()
  const tty = Boolean(stream.isTTY)
  let atLineStart = true
  /** Columns used on the current output line after the gutter (terminal only). */
  let column = 0
  let ticker: NodeJS.Timeout | undefined
  let started = 0
  let lastOutput = 0
  let statusShown = false
  const gutter = c.dim('  │ ')
  // A closed pipe must not end the run (an unhandled EPIPE would): it is noted, and nothing more
  // is written to it. The report and the log go on recording everything.
  let closed = Boolean(stream.destroyed)
  stream.on?.('error', (e) => {
    if (!isClosedStreamError(e)) throw e
    closed = true
  })
  const put = (text: string) => {
    if (!closed && !stream.destroyed) stream.write(text)
    else closed = true
  }

  const clearStatus = () => {
    if (statusShown) put('\r\x1b[2K')
    statusShown = false
  }
  const view: ConsoleView = {
    closed: () => closed,
    columns: () => (tty && stream.columns ? stream.columns : undefined),
    said(text) {
      clearStatus()
      if (!atLineStart) put('\n')
      atLineStart = true
      column = 0
      view.output(text)
    },
    write(text) {
      clearStatus()
      if (!atLineStart) put('\n')
      atLineStart = true
      column = 0
      put(redact(text, secrets))
    },
    stepStarted(label) {
      started = lastOutput = ms()
      if (!tty) return
      ticker = setInterval(() => {
        if (ms() - lastOutput < 2000 || !atLineStart) return
        put(`\r\x1b[2K${c.dim(`  ⏳ ${label} · ${formatDuration(ms() - started)}`)}`)
        statusShown = true
      }, 1000)
      ticker.unref()
    },
    output(text) {
      clearStatus()
      lastOutput = ms()
      // One write per chunk, the gutter put in by a native replace: a step printing millions of
      // short lines must cost neither a syscall nor a JS loop turn per line.
      if (text === '') return
      if (tty && stream.columns) {
        // At a terminal: wrapped inside the gutter (a long line or a wide table would start the
        // continuation at column 0), and a `\r` keeps the gutter. What a terminal shows is worth a
        // loop; a pipe gets the fast path below.
        const wrapped = inGutter(text, gutter, { atLineStart, column }, stream.columns - 4)
        atLineStart = wrapped.state.atLineStart
        column = wrapped.state.column
        put(wrapped.out)
        return
      }
      const out = (atLineStart && text[0] !== '\n' ? gutter : '') + text.replace(/\n(?=[^\n])/g, `\n${gutter}`).replace(/\r(?=[^\n])/g, `\r${gutter}`)
      atLineStart = text.endsWith('\n')
      put(out)
    },
    stepEnded() {
      if (ticker) clearInterval(ticker)
      ticker = undefined
      clearStatus()
      if (!atLineStart) put('\n')
      atLineStart = true
      column = 0
    },
  }
  return view
}
