// What a stand-in answers and logs: the app's /up (slow during the slow-app drill) and the
// FormulaEngine's /health and /evaluate (503 during its outage). The simulated host's faults are
// read on every request, so `sandbox break`/`heal` and the shims take effect at once; every
// request is logged as the real service would, and the app also logs its own background traffic.
import { appendFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { readHostState } from '../../host.js'
import { formulaEngineLine, railsRequestLines, trafficGapMs, trafficRequestLines } from '../../logs.js'
import type { Role } from '../../standins.js'

export const SLOW_APP_MS = 6000

export interface StandinOptions {
  role: Role
  root: string
  now(): Date
  random(): number
}

function appendLog(root: string, file: string, lines: string[]): void {
  try {
    appendFileSync(path.join(root, 'log', file), lines.join('\n') + '\n')
  } catch {
    // the log folder may be gone during a reset
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/**
 * Rails::HealthController#show (Rails 7.1+, the `/up` route of a new app) answers HTML, not JSON:
 * a green page with 200 when the app booted, a red one with 500 when it raised while answering.
 */
export function railsUpPage(ok: boolean): string {
  return `<!DOCTYPE html><html><body style="background-color: ${ok ? 'green' : 'red'}"></body></html>`
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) })
  res.end(html)
}

function answerApp(o: StandinOptions, req: http.IncomingMessage, res: http.ServerResponse): void {
  const t0 = o.now().getTime()
  const slow = Boolean(readHostState(o.root, o.now()).faults['slow-app'])
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname
  setTimeout(
    () => {
      if (res.destroyed) return
      if (pathname === '/up') sendHtml(res, 200, railsUpPage(true))
      else send(res, 200, { ok: true, path: pathname })
      // It answered 200: its log line says so (never a random 500).
      const format = readHostState(o.root, o.now()).railsLogFormat
      appendLog(o.root, 'production.log', railsRequestLines(new Date(t0), o.random, { durationMs: o.now().getTime() - t0, path: pathname, error: false, format }))
    },
    slow ? SLOW_APP_MS : 2 + Math.floor(o.random() * 10),
  )
}

function answerFormulaEngine(o: StandinOptions, started: number, req: http.IncomingMessage, res: http.ServerResponse): void {
  const t0 = o.now().getTime()
  const down = Boolean(readHostState(o.root, o.now()).faults['formula-engine-down'])
  const elapsed = () => o.now().getTime() - t0
  if (new URL(req.url ?? '/', 'http://localhost').pathname === '/health') {
    if (down) send(res, 503, { status: 'unavailable', error: 'worker pool exhausted', workers: { healthy: 0, total: 4 } })
    else send(res, 200, { status: 'ok', version: '2.4.1', workers: { healthy: 4, total: 4 }, uptime_s: Math.round((t0 - started) / 1000) })
    appendLog(o.root, 'formula_engine.log', [`${new Date(t0).toISOString()} ${down ? 'ERROR' : 'INFO '} [formula-engine] GET /health ${down ? 503 : 200} ${elapsed()}ms`])
    return
  }
  if (down) send(res, 503, { error: 'worker pool exhausted' })
  else send(res, 200, { value: Math.round(o.random() * 100_000) / 100, formulas: 1 })
  appendLog(o.root, 'formula_engine.log', formulaEngineLine(new Date(t0), o.random, { status: down ? 503 : 200, durationMs: elapsed(), error: false }))
}

export function createStandinServer(o: StandinOptions): http.Server {
  const started = o.now().getTime()
  return http.createServer((req, res) => (o.role === 'app' ? answerApp(o, req, res) : answerFormulaEngine(o, started, req, res)))
}

/**
 * The app's own traffic while it runs: a request every ~20 s, logged as it completes. The seeded
 * history ends at `up`; this keeps every recent window of production.log (the triage's last 15
 * minutes) as full as on a real host, however long after `up` a runbook reads it.
 */
export function startAppTraffic(o: StandinOptions): () => void {
  let timer: NodeJS.Timeout | undefined
  const next = () => {
    timer = setTimeout(() => {
      const host = readHostState(o.root, o.now())
      appendLog(o.root, 'production.log', trafficRequestLines(o.now(), o.random, host.faults['slow-app'] ? SLOW_APP_MS : 0, host.railsLogFormat))
      next()
    }, trafficGapMs(o.random))
    timer.unref()
  }
  next()
  return () => clearTimeout(timer)
}
