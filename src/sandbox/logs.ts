// Rails-style production.log and FormulaEngine log lines: the seed history written by `up`, the
// lines the stand-ins append for each request and for the app's own traffic, and the error burst
// of the drill. Rails writes them in one of two formats (RailsLogFormat): the current default
// and the older Logger::Formatter one, which parsers of the library must both read. Every function takes the time it writes for (no clock of its own). Node built-ins
// only: bundled into the stand-in program too.

/** A small seeded PRNG (mulberry32): the same seed gives the same log. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

function offset(d: Date): string {
  const m = -d.getTimezoneOffset()
  const sign = m >= 0 ? '+' : '-'
  return `${sign}${pad(Math.floor(Math.abs(m) / 60))}${pad(Math.abs(m) % 60)}`
}

/** `2026-11-25T09:12:01.123456` in local time, as Ruby's Logger writes it. */
function loggerTime(d: Date, micro: number): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${pad(micro % 1000, 3)}`
}

function plainTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${offset(d)}`
}

function uuid(r: () => number): string {
  const h = () => Math.floor(r() * 16).toString(16)
  const s = (n: number) => Array.from({ length: n }, h).join('')
  return `${s(8)}-${s(4)}-4${s(3)}-a${s(3)}-${s(12)}`
}

const PID = 20121

/**
 * `current`: what a new Rails 7.2+/8 app logs in production (`ActiveSupport::TaggedLogging.logger`
 * with `config.log_tags = [:request_id]`: the request id tag, then the message, no prefix).
 * `tagged`: the Rails ≤ 7.1 production default (`::Logger::Formatter`), which prefixes
 * `I, [2026-11-25T09:12:01.123456 #20121]  INFO -- : ` before the tags.
 */
export type RailsLogFormat = 'current' | 'tagged'

export const RAILS_LOG_FORMATS: readonly RailsLogFormat[] = ['current', 'tagged']

/** The format a sandbox setting names (SANDBOX_RAILS_LOG_FORMAT); the current one by default. */
export function railsLogFormatFrom(value: string | undefined): RailsLogFormat | undefined {
  return RAILS_LOG_FORMATS.find((f) => f === value)
}

function railsLine(level: 'I' | 'W' | 'E', d: Date, rid: string, text: string, r: () => number, format: RailsLogFormat): string {
  const name = level === 'I' ? ' INFO' : level === 'W' ? ' WARN' : 'ERROR'
  // Both formats draw the same random numbers, so one seed gives the same requests in either.
  const micro = Math.floor(r() * 1000)
  const pid = PID + Math.floor(r() * 4)
  if (format === 'current') return `[${rid}] ${text}`
  return `${level}, [${loggerTime(d, micro)} #${pid}] ${name} -- : [${rid}] ${text}`
}

interface Endpoint {
  method: string
  path: (r: () => number) => string
  controller: string
  format: string
  status?: number
  weight: number
}

const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: () => '/up', controller: 'Rails::HealthController#show', format: 'HTML', weight: 14 },
  { method: 'GET', path: () => '/dashboard', controller: 'DashboardController#index', format: 'HTML', weight: 10 },
  { method: 'GET', path: () => '/api/v1/excel_files', controller: 'Api::V1::ExcelFilesController#index', format: 'JSON', weight: 16 },
  { method: 'GET', path: (r) => `/api/v1/excel_files/${1 + Math.floor(r() * 120000)}`, controller: 'Api::V1::ExcelFilesController#show', format: 'JSON', weight: 14 },
  { method: 'POST', path: () => '/api/v1/excel_files', controller: 'Api::V1::ExcelFilesController#create', format: 'JSON', status: 201, weight: 6 },
  { method: 'POST', path: (r) => `/api/v1/excel_files/${1 + Math.floor(r() * 120000)}/analyses`, controller: 'Api::V1::AiAnalysesController#create', format: 'JSON', status: 202, weight: 7 },
  { method: 'GET', path: (r) => `/api/v1/ai_analyses/${1 + Math.floor(r() * 150000)}`, controller: 'Api::V1::AiAnalysesController#show', format: 'JSON', weight: 9 },
  { method: 'POST', path: () => '/api/v1/chat_messages', controller: 'Api::V1::ChatMessagesController#create', format: 'JSON', status: 201, weight: 10 },
  { method: 'POST', path: () => '/api/v1/formulas/evaluate', controller: 'Api::V1::FormulasController#evaluate', format: 'JSON', weight: 8 },
  { method: 'POST', path: () => '/webhooks/toss', controller: 'Webhooks::TossController#create', format: 'JSON', weight: 3 },
]

interface ErrorKind {
  exception: string
  message: string
  trace: string[]
}

export const RAILS_ERRORS: ErrorKind[] = [
  {
    exception: 'ActiveRecord::StatementInvalid',
    message: 'PG::QueryCanceled: ERROR:  canceling statement due to statement timeout',
    trace: ["app/models/excel_file.rb:87:in `recalculate_summary!'", "app/controllers/api/v1/excel_files_controller.rb:42:in `show'"],
  },
  {
    exception: 'FormulaEngineClient::Unavailable',
    message: '503 Service Unavailable from http://127.0.0.1:3002/evaluate',
    trace: ["app/services/formula_engine_client.rb:41:in `evaluate'", "app/controllers/api/v1/formulas_controller.rb:18:in `evaluate'"],
  },
  {
    exception: 'Net::ReadTimeout',
    message: 'Net::ReadTimeout with #<TCPSocket:(closed)>',
    trace: ["app/services/ai_client.rb:88:in `post!'", "app/services/ai_analysis_service.rb:31:in `call'", "app/controllers/api/v1/ai_analyses_controller.rb:25:in `create'"],
  },
  {
    exception: 'ActiveStorage::IntegrityError',
    message: 'ActiveStorage::IntegrityError',
    trace: ["app/controllers/api/v1/excel_files_controller.rb:61:in `create'"],
  },
  {
    exception: 'NoMethodError',
    message: "undefined method `sheets' for nil:NilClass",
    trace: ["app/services/excel_parser.rb:23:in `parse'", "app/jobs/excel_file_process_job.rb:12:in `perform'"],
  },
]

export interface RequestOptions {
  durationMs?: number
  /** The error to log; `false`: a healthy request (no 5xx); unset: the usual 0.6 % of errors. */
  error?: ErrorKind | false
  path?: string
  /** The log format (the current Rails default unless given). */
  format?: RailsLogFormat
}

/** How long a request of the traffic takes: mostly under 400 ms, some slow, a few over a second. */
export function requestDuration(r: () => number): number {
  const roll = r()
  return roll < 0.012 ? 1000 + Math.floor(r() * 5200) : roll < 0.045 ? 500 + Math.floor(r() * 499) : 8 + Math.floor(Math.pow(r(), 2) * 380)
}

/** One request as Rails logs it: Started, Processing, Completed (and an error with its backtrace). */
export function railsRequestLines(d: Date, r: () => number, opts: RequestOptions = {}): string[] {
  let total = 0
  for (const e of ENDPOINTS) total += e.weight
  let pickN = r() * total
  let ep = ENDPOINTS[0]!
  for (const e of ENDPOINTS) {
    pickN -= e.weight
    if (pickN <= 0) {
      ep = e
      break
    }
  }
  const path = opts.path ?? ep.path(r)
  if (opts.path === '/up') ep = ENDPOINTS[0]!
  const rid = uuid(r)
  const ip = `10.0.${Math.floor(r() * 4)}.${10 + Math.floor(r() * 200)}`
  const duration = opts.durationMs ?? requestDuration(r)
  const error = opts.error === false ? undefined : (opts.error ?? (r() < 0.006 ? RAILS_ERRORS[Math.floor(r() * RAILS_ERRORS.length)] : undefined))
  const f = opts.format ?? 'current'
  const lines = [
    railsLine('I', d, rid, `Started ${ep.method} "${path}" for ${ip} at ${plainTime(d)}`, r, f),
    railsLine('I', d, rid, `Processing by ${ep.controller} as ${ep.format}`, r, f),
  ]
  const end = new Date(d.getTime() + duration)
  if (error) {
    lines.push(railsLine('I', end, rid, `Completed 500 Internal Server Error in ${duration}ms (ActiveRecord: ${(duration * 0.4).toFixed(1)}ms | Allocations: ${1000 + Math.floor(r() * 90000)})`, r, f))
    lines.push(railsLine('E', end, rid, '', r, f).trimEnd())
    lines.push(railsLine('E', end, rid, `${error.exception} (${error.message}):`, r, f))
    lines.push(railsLine('E', end, rid, '', r, f).trimEnd())
    for (const t of error.trace) lines.push(railsLine('E', end, rid, t, r, f))
  } else {
    const status = ep.status ?? 200
    const text = status === 200 ? 'OK' : status === 201 ? 'Created' : 'Accepted'
    const views = ep.format === 'HTML' ? `Views: ${(duration * 0.3).toFixed(1)}ms | ` : ''
    lines.push(railsLine('I', end, rid, `Completed ${status} ${text} in ${duration}ms (${views}ActiveRecord: ${(duration * 0.35).toFixed(1)}ms | Allocations: ${500 + Math.floor(r() * 60000)})`, r, f))
  }
  if (duration >= 1000 && !error && r() < 0.5) lines.push(railsLine('W', end, rid, `Slow request: ${ep.method} ${path} took ${duration}ms`, r, f))
  return lines
}

/**
 * `hours` of history up to `now`, about one request every `everySec` seconds. The last
 * `quietHours` have no server errors: a healthy host's recent past, so that every alert window of
 * the runbooks (the triage's 15 minutes, the log review's hour) starts healthy, whenever after
 * `up` it is read. The drills add the errors.
 */
export function railsHistory(now: Date, hours: number, everySec: number, seed: number, quietHours = 0, format: RailsLogFormat = 'current'): string {
  const r = rng(seed)
  const out: string[] = []
  const quietFrom = now.getTime() - quietHours * 3_600_000
  let t = now.getTime() - hours * 3_600_000
  while (t < now.getTime() - 60_000) {
    out.push(...railsRequestLines(new Date(t), r, t >= quietFrom ? { error: false, format } : { format }))
    t += Math.floor(r() * everySec * 2000)
  }
  return out.join('\n') + '\n'
}

/** The app's own traffic while the sandbox is up: about one request every 20 s, as in the history. */
export const TRAFFIC_EVERY_SEC = 20

/** Milliseconds until the next request of the app's traffic. */
export function trafficGapMs(r: () => number): number {
  return Math.floor(r() * TRAFFIC_EVERY_SEC * 2000)
}

/**
 * One request of the app's traffic, completed at `now`: healthy (the drills add the errors), and
 * slow while the slow-app drill is active, as the app's answers are then.
 */
export function trafficRequestLines(now: Date, r: () => number, extraMs = 0, format: RailsLogFormat = 'current'): string[] {
  const durationMs = requestDuration(r) + extraMs
  return railsRequestLines(new Date(now.getTime() - durationMs), r, { durationMs, error: false, format })
}

/** The error-burst drill: many failing requests in the last minutes. */
export function railsErrorBurst(now: Date, count: number, seed: number, format: RailsLogFormat = 'current'): string {
  const r = rng(seed)
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const d = new Date(now.getTime() - (count - i) * 4000)
    const error = RAILS_ERRORS[i % 2 === 0 ? 0 : 1 + Math.floor(r() * (RAILS_ERRORS.length - 1))]
    out.push(...railsRequestLines(d, r, { durationMs: 2000 + Math.floor(r() * 3000), error, format }))
  }
  return out.join('\n') + '\n'
}

// ---------------------------------------------------------------------------------------------
// FormulaEngine (a Node service: ISO timestamps, level, message; errors with stack traces)

const FE_ERRORS = [
  ['CircularReferenceError', 'Circular reference detected at Sheet1!C12'],
  ['EvaluationTimeoutError', 'Evaluation exceeded 5000ms (workbook 88213, 14211 formulas)'],
  ['ParseError', "Unexpected token ')' in formula =SUMIF(A:A,\">0\",))"],
  ['RangeError', 'Maximum call stack size exceeded'],
] as const

export function formulaEngineLine(d: Date, r: () => number, opts: { status?: number; durationMs?: number; error?: boolean } = {}): string[] {
  const ts = d.toISOString()
  if (opts.error ?? r() < 0.008) {
    const [name, message] = FE_ERRORS[Math.floor(r() * FE_ERRORS.length)]!
    return [
      `${ts} ERROR [formula-engine] POST /evaluate 500 ${opts.durationMs ?? 40 + Math.floor(r() * 4900)}ms error=${name}`,
      `${name}: ${message}`,
      '    at Evaluator.visit (/app/dist/evaluator.js:214:13)',
      '    at Evaluator.evaluateCell (/app/dist/evaluator.js:131:21)',
      '    at Workbook.recalculate (/app/dist/workbook.js:77:18)',
      '    at async handleEvaluate (/app/dist/server.js:58:20)',
    ]
  }
  const status = opts.status ?? 200
  const ms = opts.durationMs ?? (r() < 0.03 ? 500 + Math.floor(r() * 3000) : 3 + Math.floor(Math.pow(r(), 2) * 200))
  const level = status >= 500 ? 'ERROR' : ms >= 1000 ? 'WARN ' : 'INFO '
  const route = r() < 0.15 ? 'GET /health' : 'POST /evaluate'
  return [`${ts} ${level} [formula-engine] ${route} ${status} ${ms}ms formulas=${1 + Math.floor(r() * 3000)} sheets=${1 + Math.floor(r() * 6)}`]
}

export function formulaEngineHistory(now: Date, hours: number, everySec: number, seed: number): string {
  const r = rng(seed)
  const out: string[] = [`${new Date(now.getTime() - hours * 3_600_000 - 5000).toISOString()} INFO  [formula-engine] listening on :3002 (workers=4, version=2.4.1)`]
  let t = now.getTime() - hours * 3_600_000
  while (t < now.getTime() - 60_000) {
    out.push(...formulaEngineLine(new Date(t), r))
    t += Math.floor(r() * everySec * 2000)
  }
  return out.join('\n') + '\n'
}

export function formulaEngineOutage(now: Date): string {
  const ts = (s: number) => new Date(now.getTime() - s * 1000).toISOString()
  return [
    `${ts(95)} WARN  [formula-engine] worker 3 heap used 1962MB of 2048MB`,
    `${ts(80)} ERROR [formula-engine] worker 3 exited (code 134): FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`,
    `${ts(61)} ERROR [formula-engine] worker 1 exited (code 134): FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`,
    `${ts(40)} ERROR [formula-engine] no healthy workers left; answering 503`,
    'Error: worker pool exhausted',
    '    at WorkerPool.acquire (/app/dist/pool.js:88:15)',
    '    at async handleEvaluate (/app/dist/server.js:52:18)',
    `${ts(5)} ERROR [formula-engine] GET /health 503 1ms status=unavailable`,
  ].join('\n') + '\n'
}
