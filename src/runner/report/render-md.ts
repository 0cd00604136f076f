// render(record, runbook) → the dated report's Markdown: YAML front matter, a status line, a
// summary table, then the runbook itself with each step's result inserted after its code block.
// Pure. It is the record an auditor opens, on GitHub or in any Markdown viewer, so nothing a step
// produced (output, notes, check names, table cells, reasons) can fake the report's structure:
// plain text is escaped, output is fenced with a fence longer than any backtick run inside it,
// and a note that is not plain prose, lists, tables and inline formatting is shown fenced too.
import markdownIt, { type MarkdownIt } from 'markdown-it'
import { stringify } from 'yaml'
import { formatDuration } from '../parse/duration.js'
import type { Consent, RunRecord, RunStatus, StepRecord, StepStatus, TableBlock } from '../model/run-record.js'
import type { Runbook, Step } from '../model/runbook.js'
import { isInFlight } from './fold.js'


/** Terminal escape sequences: CSI, OSC, DCS/SOS/PM/APC strings, and the short ESC forms. */
const ANSI = new RegExp(
  [
    '\\u001b\\[[0-?]*[ -/]*[@-~]', // CSI … final byte
    '\\u009b[0-?]*[ -/]*[@-~]', // 8-bit CSI
    '\\u001b\\][\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c)', // OSC … BEL or ST
    '\\u009d[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c)', // 8-bit OSC
    '\\u001b[PX^_][\\s\\S]*?(?:\\u001b\\\\|\\u009c)', // DCS, SOS, PM, APC … ST
    '\\u001b[ -/]*[0-~]', // two-byte and charset-designation forms
  ].join('|'),
  'g',
)
/** C0 and C1 controls except \t and \n (\r and \b are handled before, as a terminal would). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
/** Bidirectional overrides and isolates: they can make text read differently than it is. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Output as a terminal would have shown it, as plain text: ANSI codes removed, `\r` progress
 * bars reduced to their last state, backspaces applied, other control characters, bidi overrides
 * and runs of U+FFFD (bytes that were not UTF-8) dropped or collapsed; a line that is mostly
 * such noise becomes a short marker. Idempotent. */
export function cleanOutput(text: string): string {
  if (!text) return ''
  const stripped = text.replace(ANSI, '').replace(/\r\n/g, '\n').replace(LONE_SURROGATE, '\uFFFD')
  return stripped
    .split('\n')
    .map((line) => {
      let l = /[\r\b]/.test(line) ? overlay(line) : line
      l = l.replace(CONTROLS, '').replace(BIDI, '')
      if (!l.includes('\uFFFD')) return l
      const noise = (l.match(/\uFFFD/g) ?? []).length
      if (noise >= 8 && noise / l.length > 0.3) return `[이진 데이터 ${l.length}자 생략]`
      return l.replace(/\uFFFD+/g, '\uFFFD')
    })
    .join('\n')
}

/** What a terminal shows for one line with carriage returns and backspaces in it. */
function overlay(line: string): string {
  const cells: string[] = []
  let cursor = 0
  for (const ch of line) {
    if (ch === '\r') cursor = 0
    else if (ch === '\b') cursor = Math.max(0, cursor - 1)
    else cells[cursor++] = ch
  }
  return Array.from(cells, (c) => c ?? ' ').join('')
}

/** One line of plain text (newlines and tabs become spaces), cut to `max` characters. */
export function oneLine(text: string, max = Number.POSITIVE_INFINITY): string {
  const flat = cleanOutput(text).replace(/\s+/g, ' ').trim()
  return cut(flat, max)
}

export function cut(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join('')}…` : text
}

/** Inline Markdown that renders as exactly the given text, on one line: every character that
 * could start emphasis, code, links, HTML, entities, table cells, strikethrough or math is
 * backslash-escaped. Safe inside table cells and list items. */
export function escapeText(text: string, max?: number): string {
  return oneLine(text, max).replace(/[\\`*_[\]<>|~&$]/g, '\\$&')
}

/** A code span around one line of text, with a backtick run longer than any inside it. */
export function codeSpan(text: string, max?: number): string {
  const flat = oneLine(text, max)
  if (!flat) return '` `'
  const ticks = '`'.repeat(longestRun(flat, '`') + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ')) ? ' ' : ''
  return `${ticks}${pad}${flat}${pad}${ticks}`
}

export function longestRun(text: string, ch: string): number {
  let best = 0
  let run = 0
  for (const c of text) {
    run = c === ch ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}

/** A fenced block that nothing inside can close: backticks, longer than any run in the text. */
export function fenced(text: string, info = 'text'): string[] {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1))
  return [`${fence}${info}`, ...body.split('\n'), fence]
}

export interface CappedOutput {
  text: string
  /** Lines left out in the middle (0 when nothing was cut by lines). */
  cutLines: number
  /** Characters left out in the middle (0 when nothing was cut by size). */
  cutChars: number
}

export const INLINE_MAX_LINES = { head: 50, tail: 200 }
export const INLINE_MAX_CHARS = { head: 4 * 1024, tail: 28 * 1024 }

/** The start and the end of a long output, with a marker line where the middle was left out. */
export function capOutput(text: string): CappedOutput {
  let out = text
  let cutLines = 0
  let cutChars = 0
  const lines = out.split('\n')
  const { head, tail } = INLINE_MAX_LINES
  if (lines.length > head + tail) {
    cutLines = lines.length - head - tail
    out = [...lines.slice(0, head), `[… ${cutLines}줄 생략 …]`, ...lines.slice(-tail)].join('\n')
  }
  const max = INLINE_MAX_CHARS.head + INLINE_MAX_CHARS.tail
  if (out.length > max) {
    let start = out.slice(0, INLINE_MAX_CHARS.head)
    let end = out.slice(-INLINE_MAX_CHARS.tail)
    const lastNl = start.lastIndexOf('\n')
    if (lastNl > INLINE_MAX_CHARS.head / 2) start = start.slice(0, lastNl)
    const firstNl = end.indexOf('\n')
    if (firstNl !== -1 && firstNl < 1024) end = end.slice(firstNl + 1)
    cutChars = out.length - start.length - end.length
    out = `${start}\n[… ${cutChars}자 생략 …]\n${end}`
  }
  return { text: out, cutLines, cutChars }
}

// ---------------------------------------------------------------------------------------------
// The report

export const STEP_MARK: Record<StepStatus, string> = {
  passed: '✅',
  failed: '❌',
  skipped: '⏭',
  blocked: '⛔',
  declined: '🙅',
  'timed-out': '⏱',
  interrupted: '⚡',
  previewed: '👁',
  'not-run': '◻',
}

export const RUN_MARK: Record<RunStatus, string> = {
  running: '⏳',
  passed: '✅',
  failed: '❌',
  blocked: '⛔',
  aborted: '🛑',
  interrupted: '⚡',
  incomplete: '⚠️',
}

/** Order of step statuses in counts and the status line. */
export const STEP_STATUSES: StepStatus[] = [
  'passed',
  'failed',
  'timed-out',
  'interrupted',
  'blocked',
  'declined',
  'skipped',
  'previewed',
  'not-run',
]

/** Every step's result begins with a paragraph `**결과 · <step id>: <mark> <status>** · …`. */
export const RESULT_LABEL = '결과'

export interface ReportRenderOptions {
  /** File name of the run's .log, named where inline output was cut. */
  logName?: string
}

// Every string double-quoted and JSON-escaped on one line: no value can span lines, so none can
// close the front matter or be read as another type by a YAML 1.1 reader (`yes`, `0123`).
const YAML_OPTIONS = { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0, doubleQuotedAsJSON: true } as const

export function renderReportMarkdown(record: RunRecord, runbook: Runbook, options: ReportRenderOptions = {}): string {
  const logName = options.logName ?? '이 보고서 옆의 .log 파일'
  const out: string[] = []
  out.push('---', stringify(frontMatter(record), YAML_OPTIONS).trimEnd(), '---', '')
  out.push(`# ${escapeText(record.runbook.title || record.runbook.id)} — 실행 보고서`, '')
  out.push(statusLine(record), '')
  out.push(...runInfoTable(record), '')
  if (runbook.sha256 !== record.runbook.sha256) {
    out.push(
      `**⚠️ 주의** · 아래 본문은 실행한 런북(sha256 ${escapeText(record.runbook.sha256)})과 다른 파일` +
        `(sha256 ${escapeText(runbook.sha256)})로 그렸습니다.`,
      '',
    )
  }
  if (record.resumes.length) {
    out.push('**재개 기록**', '')
    for (const r of record.resumes) out.push(`- ${escapeText(r.at)} · ${escapeText(r.operator)} · ${codeSpan(r.fromStep)} 단계부터`)
    out.push('')
  }
  out.push('## 요약', '', ...summaryTable(record), '')
  out.push('## 런북과 단계별 결과', '')
  const { lines, orphans, unplacedTicks } = bodyWithResults(record, runbook, logName)
  out.push(...lines)
  if (orphans.length || unplacedTicks.length) {
    out.push('', '## 본문에 없는 기록', '')
    out.push('실행 기록에는 있지만 지금의 런북 본문에서 자리를 찾지 못한 결과입니다.', '')
    for (const step of orphans) out.push(...resultBlock(step, record, logName), '')
    if (unplacedTicks.length) {
      out.push('**체크리스트**', '')
      for (const t of unplacedTicks) out.push(`- [${t.checked ? 'x' : ' '}] ${escapeText(t.text)} — ${tickNote(t)}`)
      out.push('')
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`
}

function frontMatter(record: RunRecord): Record<string, unknown> {
  return {
    run_id: record.runId,
    runbook: record.runbook.id,
    title: record.runbook.title,
    source: record.runbook.path,
    source_sha256: record.runbook.sha256,
    git_commit: record.runbook.gitCommit,
    git_dirty: record.runbook.gitDirty,
    target: record.target,
    operator: record.operator,
    host: record.host,
    started: record.started,
    finished: record.finished,
    status: record.status,
    dry_run: record.options.dryRun,
    counts: countSteps(record.steps),
    inputs: record.inputs,
    schema_version: record.schemaVersion,
  }
}

/** Steps per status, only the statuses that occur, in `STEP_STATUSES` order. */
export function countSteps(steps: StepRecord[]): Partial<Record<StepStatus, number>> {
  const counts: Partial<Record<StepStatus, number>> = {}
  for (const status of STEP_STATUSES) {
    const n = steps.filter((s) => s.status === status).length
    if (n) counts[status] = n
  }
  return counts
}

function statusLine(record: RunRecord): string {
  const counts = countSteps(record.steps)
  const parts = STEP_STATUSES.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`)
  return [
    `${RUN_MARK[record.status]} **${record.status}** — ${parts.join(', ') || '단계 없음'}`,
    `대상 ${codeSpan(record.target)}`,
    `실행자 ${escapeText(record.operator)}`,
    ...(record.options.dryRun ? ['**dry run**'] : []),
  ].join(' · ')
}

function runInfoTable(record: RunRecord): string[] {
  const { runbook, options } = record
  const git = runbook.gitCommit
    ? `${runbook.gitCommit}${runbook.gitDirty ? ' (커밋되지 않은 변경 있음)' : runbook.gitDirty === false ? '' : ' (변경 여부 알 수 없음)'}`
    : '알 수 없음 (git 저장소 밖)'
  const flags = [
    options.dryRun && '--dry-run',
    options.yes && '--yes',
    options.auto && '--auto',
    options.step !== undefined && `--step ${options.step}`,
    options.from !== undefined && `--from ${options.from}`,
  ].filter((f): f is string => typeof f === 'string')
  const inputs = Object.entries(record.inputs).map(([k, v]) => `${k}=${v}`)
  const rows: [string, string][] = [
    ['실행 ID', record.runId],
    ['런북', `${runbook.id} (${runbook.path})`],
    ['런북 sha256', runbook.sha256],
    ['git 커밋', git],
    ['대상', record.target],
    ['실행자', record.operator],
    ['호스트', record.host],
    ['시작', record.started],
    ['종료', record.finished ?? '—'],
    ['옵션', flags.join(' ') || '없음'],
    ['입력값', inputs.join(', ') || '없음'],
  ]
  return ['| 항목 | 값 |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${escapeText(v, 500) || ' '} |`)]
}

function stepState(step: StepRecord, record: RunRecord): { mark: string; label: string } {
  if (record.status === 'running' && isInFlight(step)) return { mark: '⏳', label: 'running' }
  return { mark: STEP_MARK[step.status], label: step.status }
}

function summaryTable(record: RunRecord): string[] {
  if (!record.steps.length) return ['_(실행할 단계가 없는 런북입니다)_']
  const rows = record.steps.map((step, i) => {
    const { mark, label } = stepState(step, record)
    const name = `${escapeText(step.id)}${step.title ? ` · ${escapeText(step.title, 120)}` : ''}`
    const duration = step.durationMs !== undefined ? formatDuration(step.durationMs) : '—'
    return `| ${i + 1} | ${name} | ${mark} ${label} | ${duration} |`
  })
  return ['| # | 단계 | 상태 | 소요 시간 |', '| ---: | --- | --- | ---: |', ...rows]
}

// ---------------------------------------------------------------------------------------------
// The body with results

interface Fence {
  /** Container prefix (blockquote markers kept, list markers turned into spaces) and indent. */
  prefix: string
  char: string
  length: number
}

function openingFence(line: string | undefined): Fence | null {
  const m = /^((?:[ \t]*(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+))*)([ \t]*)(`{3,}|~{3,})/.exec(line ?? '')
  if (!m) return null
  const containers = m[1]!.replace(/[-*+]|\d{1,9}[.)]/g, (x) => ' '.repeat(x.length))
  return { prefix: containers + m[2]!, char: m[3]![0]!, length: m[3]!.length }
}

const stripQuotes = (line: string) => line.replace(/^(?:[ \t]*>[ \t]?)*/, '')

function closesFence(line: string | undefined, open: Fence): boolean {
  if (line === undefined) return false
  const m = /^([ \t]*)(`+|~+)[ \t]*$/.exec(stripQuotes(line))
  if (!m || m[2]![0] !== open.char || m[2]!.length < open.length) return false
  return m[1]!.length <= stripQuotes(open.prefix).length + 3
}

const TASK = /^([ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[([ xX])\]([ \t]+)(.*)$/

function tickNote(t: { checked: boolean; by: string; at: string }): string {
  return `${t.checked ? '확인함' : '확인하지 않음'}: ${escapeText(t.by)} · ${escapeText(t.at)}`
}

function bodyWithResults(
  record: RunRecord,
  runbook: Runbook,
  logName: string,
): { lines: string[]; orphans: StepRecord[]; unplacedTicks: RunRecord['checklist'] } {
  const source = runbook.source.split('\n')
  const start = Math.max(0, runbook.bodyLine - 1)
  const byId = new Map(record.steps.map((s) => [s.id, s]))
  const placed = new Set<string>()
  const after = new Map<number, string[]>()
  const replaced = new Map<number, string>()
  const insert = (index: number, lines: string[]) => after.set(index, [...(after.get(index) ?? []), ...lines])

  for (const step of runbook.steps) {
    const rec = byId.get(step.id)
    if (!rec) continue
    placed.add(step.id)
    const last = Math.min(source.length - 1, Math.max(start, step.endLine - 2))
    const gapAfter = (source[last + 1] ?? '').trim() === '' ? [] : ['']
    insert(last, [...closeIfOpen(source, step, last), '', ...resultBlock(rec, record, logName), ...gapAfter])
  }

  const unplacedTicks: RunRecord['checklist'] = []
  for (const tick of record.checklist) {
    const index = tick.line - 1
    const m = index >= start ? TASK.exec(source[index] ?? '') : null
    if (!m) {
      unplacedTicks.push(tick)
      continue
    }
    replaced.set(index, `${m[1]}[${tick.checked ? 'x' : ' '}]${m[3]}${m[4]} — ${tickNote(tick)}`)
  }

  const lines: string[] = []
  let first = start
  while (first < source.length - 1 && source[first]!.trim() === '' && !after.has(first)) first++
  for (let i = first; i < source.length; i++) {
    lines.push(replaced.get(i) ?? source[i]!)
    const extra = after.get(i)
    if (extra) lines.push(...extra)
  }
  const orphans = record.steps.filter((s) => !placed.has(s.id))
  return { lines, orphans, unplacedTicks }
}

/** The closing fence an unclosed block lacks (CommonMark runs it to the end of its container),
 * so the result inserted after it is not swallowed. */
function closeIfOpen(source: string[], step: Step, last: number): string[] {
  const open = openingFence(source[step.line - 1])
  if (!open) return []
  if (last > step.line - 1 && closesFence(source[last], open)) return []
  return [`${open.prefix}${open.char.repeat(open.length)}`]
}

/** One step's result: a bold result line, then its facts as paragraphs, lists, tables and a
 * fenced output, ending with a thematic break. */
export function resultBlock(step: StepRecord, record: RunRecord, logName: string): string[] {
  const { mark, label } = stepState(step, record)
  const facts: string[] = []
  if (step.exitCode !== undefined && step.exitCode !== null) facts.push(`exit ${step.exitCode}`)
  if (step.durationMs !== undefined) facts.push(formatDuration(step.durationMs))
  const when = step.finished ?? step.started
  if (when) facts.push(escapeText(when))
  if (step.attempts > 1) facts.push(`시도 ${step.attempts}회`)
  const sections: string[][] = [[`**${RESULT_LABEL} · ${escapeText(step.id)}: ${mark} ${label}**${facts.map((f) => ` · ${f}`).join('')}`]]

  if (step.destructive) {
    const how = step.declared ? `${step.declared}로 선언됨` : '자동 감지'
    const why = step.reasons.length ? ` — ${step.reasons.map((r) => escapeText(r, 300)).join('; ')}` : ''
    sections.push([`**위험 단계** · ${how}${why}`])
  }
  if (step.consent) sections.push([`**동의** · ${consentText(step.consent)}`])
  if (step.reason) {
    const reason = cleanOutput(step.reason).trim()
    sections.push(
      !reason.includes('\n') && reason.length <= 300
        ? [`**사유** · ${escapeText(reason)}`]
        : ['**사유**', '', ...fenced(capOutput(reason).text)],
    )
  }
  if (step.checks.length) {
    sections.push([
      '**점검**',
      '',
      ...step.checks.map(
        (c) => `- ${c.ok ? '✅' : '❌'} ${escapeText(c.name, 300) || '(이름 없음)'}${c.detail ? ` — ${escapeText(c.detail, 500)}` : ''}`,
      ),
    ])
  }
  for (const note of step.notes) {
    const lines = renderNote(note)
    if (lines.length) sections.push(['**메모**', '', ...lines])
  }
  for (const table of step.tables) sections.push([`**표**${table.title ? ` · ${escapeText(table.title, 200)}` : ''}`, '', ...renderTable(table)])
  if (step.commands.length) {
    sections.push([
      '**실행한 명령**',
      '',
      ...step.commands.map(
        (c) => `- ${codeSpan(c.command, 500)} → ${c.exitCode === null ? '종료 코드 없음' : `exit ${c.exitCode}`} · ${formatDuration(c.durationMs)}`,
      ),
    ])
  }
  if (step.statements.length) {
    sections.push([
      '**SQL 문**',
      '',
      ...step.statements.map(
        (s) =>
          `- 줄 ${s.line} · ${codeSpan(s.sql, 300)} → ${escapeText(s.command) || '?'}` +
          `${s.rowCount !== null ? ` ${s.rowCount}행` : ''} · ${formatDuration(s.durationMs)}`,
      ),
    ])
  }
  sections.push(...outputSection(step, logName))
  sections.push(['***'])
  return sections.flatMap((s, i) => (i ? ['', ...s] : s))
}

function consentText(c: Consent): string {
  const by = c.by === 'operator' ? '운영자' : c.by === 'flag' ? '플래그' : 'dry run'
  return `${by} ${escapeText(c.who)} · ${escapeText(c.how)} · ${escapeText(c.at)}`
}

const RAN: StepStatus[] = ['passed', 'failed', 'timed-out', 'interrupted', 'previewed']

function outputSection(step: StepRecord, logName: string): string[][] {
  const clean = cleanOutput(step.output).replace(/\n+$/, '')
  if (!clean.trim()) return RAN.includes(step.status) ? [['**출력** · 없음']] : []
  const capped = capOutput(clean)
  const cut = step.outputTruncated || capped.cutLines > 0 || capped.cutChars > 0
  const size = step.outputBytes > 0 ? ` (${step.outputBytes.toLocaleString('en-US')}바이트)` : ''
  const head = cut ? `**출력** · 길어서 일부만 보입니다. 전체 출력은 ${codeSpan(logName)}에 있습니다${size}.` : '**출력**'
  return [[head, '', ...fenced(capped.text)]]
}

/** A note is Markdown from the step. Plain prose, lists, tables and inline formatting are kept;
 * anything that could be structure (headings, fences, code blocks, HTML, rules, quotes, link
 * definitions, images, something that looks like a result line) is shown fenced instead. */
export function renderNote(note: string): string[] {
  const clean = cleanOutput(note).replace(/^\n+|\s+$/g, '')
  if (!clean.trim()) return []
  if (isPlainMarkdown(clean)) return clean.split('\n')
  return ['_(보고서 구조처럼 보일 수 있는 내용이라 원문 그대로 보입니다)_', '', ...fenced(clean, 'markdown')]
}

let noteParser: MarkdownIt | undefined
const BLOCK_TOKENS = new Set([
  'paragraph_open',
  'paragraph_close',
  'inline',
  'bullet_list_open',
  'bullet_list_close',
  'ordered_list_open',
  'ordered_list_close',
  'list_item_open',
  'list_item_close',
  'table_open',
  'table_close',
  'thead_open',
  'thead_close',
  'tbody_open',
  'tbody_close',
  'tr_open',
  'tr_close',
  'th_open',
  'th_close',
  'td_open',
  'td_close',
])
const INLINE_TOKENS = new Set([
  'text',
  'text_special',
  'softbreak',
  'hardbreak',
  'code_inline',
  'strong_open',
  'strong_close',
  'em_open',
  'em_close',
  's_open',
  's_close',
  'link_open',
  'link_close',
])

function isPlainMarkdown(md: string): boolean {
  if (new RegExp(`${RESULT_LABEL}\\s*[·•∙・]`).test(md)) return false
  if (/^[ \t]{0,3}\[[^\]]*\]:/m.test(md)) return false
  noteParser ??= markdownIt('default', { html: true })
  for (const token of noteParser.parse(md, {})) {
    if (!BLOCK_TOKENS.has(token.type)) return false
    if (token.type !== 'inline') continue
    const children = token.children ?? []
    if (children.some((c) => !INLINE_TOKENS.has(c.type))) return false
    const text = children.map((c) => c.content).join('')
    if (text.includes(RESULT_LABEL) && children[0]?.type === 'strong_open') return false
  }
  return true
}

export const TABLE_CELL_MAX = 200

/** A result set as a Markdown table: cells escaped and capped, "… N행 더" when rows were left out. */
export function renderTable(table: TableBlock): string[] {
  const width = Math.max(table.columns.length, ...table.rows.map((r) => r.length))
  if (width === 0) return [`_(열 없음, ${table.totalRows}행)_`]
  const columns = Array.from({ length: width }, (_, i) => table.columns[i] ?? `${i + 1}`)
  const cell = (text: string | undefined) => escapeText(text ?? '', TABLE_CELL_MAX) || ' '
  const lines = [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${columns.map((_, i) => cell(row[i])).join(' | ')} |`),
  ]
  const more = table.totalRows - table.rows.length
  if (table.rows.length === 0) lines.push('', '_(0행)_')
  else if (more > 0) lines.push('', `_… ${more}행 더 (전체 ${table.totalRows}행)_`)
  return lines
}
