// A stand-in HTTP service of the sandbox: `node standin.mjs app|formula-engine PORT SANDBOX_DIR`.
// It reads the simulated host's faults on every request, so `sandbox break`/`heal` and the
// shims take effect at once, and it appends a log line per request as the real service would.
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { readHostState } from '../host.js'
import { formulaEngineLine, railsRequestLines, rng } from '../logs.js'

const [role, portText, root] = process.argv.slice(2)
if ((role !== 'app' && role !== 'formula-engine') || !portText || !root) {
  process.stderr.write('usage: standin.mjs app|formula-engine PORT SANDBOX_DIR\n')
  process.exit(2)
}
const port = Number(portText)
const started = Date.now()
const random = rng(Date.now() % 100_000)
const SLOW_APP_MS = 6000

function log(file: string, lines: string[]): void {
  try {
    appendFileSync(path.join(root!, 'log', file), lines.join('\n') + '\n')
  } catch {
    // the log folder may be gone during a reset
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

const server = http.createServer((req, res) => {
  const t0 = Date.now()
  const state = readHostState(root!)
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (role === 'app') {
    const slow = Boolean(state.faults['slow-app'])
    const delay = slow ? SLOW_APP_MS : 2 + Math.floor(random() * 10)
    setTimeout(() => {
      if (res.destroyed) return
      if (url.pathname === '/up') send(res, 200, { status: 'ok', version: '1.3.0', environment: 'production' })
      else send(res, 200, { ok: true, path: url.pathname })
      log('production.log', railsRequestLines(new Date(t0), random, { durationMs: Date.now() - t0, path: url.pathname }))
    }, delay)
    return
  }
  const down = Boolean(state.faults['formula-engine-down'])
  if (url.pathname === '/health') {
    if (down) send(res, 503, { status: 'unavailable', error: 'worker pool exhausted', workers: { healthy: 0, total: 4 } })
    else send(res, 200, { status: 'ok', version: '2.4.1', workers: { healthy: 4, total: 4 }, uptime_s: Math.round((Date.now() - started) / 1000) })
    log('formula_engine.log', [`${new Date(t0).toISOString()} ${down ? 'ERROR' : 'INFO '} [formula-engine] GET /health ${down ? 503 : 200} ${Date.now() - t0}ms`])
    return
  }
  if (down) send(res, 503, { error: 'worker pool exhausted' })
  else send(res, 200, { value: Math.round(random() * 100_000) / 100, formulas: 1 })
  log('formula_engine.log', formulaEngineLine(new Date(t0), random, { status: down ? 503 : 200, durationMs: Date.now() - t0, error: false }))
})

server.keepAliveTimeout = 1000
server.listen(port, '127.0.0.1')
server.on('error', (e) => {
  process.stderr.write(`${role} stand-in: ${e.message}\n`)
  process.exit(1)
})
// If the sandbox folder is deleted under us (a temp folder cleaned up), nothing can `down` this
// sandbox any more: stop, and (the app stand-in) stop the throwaway servers the folder recorded.
interface Owned {
  pgData?: string
  redisPid?: number
}
let owned: Owned = {}
let watchdog: NodeJS.Timeout | undefined
function watch(): void {
  if (existsSync(root!)) {
    try {
      const state = JSON.parse(readFileSync(path.join(root!, 'state.json'), 'utf8')) as { pg?: { mode?: string; dataDir?: string }; redis?: { mode?: string; pid?: number } }
      owned = {
        pgData: state.pg?.mode === 'throwaway' ? state.pg.dataDir : undefined,
        redisPid: state.redis?.mode === 'throwaway' ? state.redis.pid : undefined,
      }
    } catch {
      // keep what we knew
    }
    return
  }
  if (role === 'app') {
    const signal = (pid: number | undefined, sig: NodeJS.Signals, marker: string) => {
      if (!pid) return
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) process.kill(pid, sig)
      } catch {
        // gone
      }
    }
    if (owned.pgData) {
      try {
        signal(Number(readFileSync(path.join(owned.pgData, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGINT', 'postgres')
      } catch {
        // not running
      }
      if (path.basename(owned.pgData).startsWith('runbook-sandbox-pg-')) setTimeout(() => rmSync(owned.pgData!, { recursive: true, force: true }), 3000).unref()
    }
    signal(owned.redisPid, 'SIGTERM', 'redis-server')
  }
  setTimeout(() => process.exit(0), role === 'app' ? 3500 : 0)
  clearInterval(watchdog)
}
watch()
watchdog = setInterval(watch, 3000)

const stop = () => {
  server.close()
  server.closeAllConnections()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
