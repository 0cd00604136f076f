#!/usr/bin/env node
// Bench: a `sql` step selecting 1,000,000 rows through the real CLI
// (`node bin/runbook run FILE --reports TMP`), against `psql -c … > /dev/null` as the baseline,
// in alternating rounds within one invocation. Measures each process's wall time and peak RSS
// (GNU `/usr/bin/time -v` when present, else polling VmHWM in /proc/<pid>/status) and prints
// the medians and the runner/psql ratios. A third series runs the same runbook selecting one row,
// so the runner's fixed cost (Node, the SQL parser, pg) can be told from what the rows add.
//
// PostgreSQL: RB_BENCH_PG_URL, else RB_TEST_PG_ADMIN_URL, else postgres://postgres@127.0.0.1:5432/postgres;
// when none answers, a throwaway server is started from the installed binaries (as the tests do).
// Env: RB_BENCH_ROUNDS (default 3), RB_BENCH_ROWS (default 1000000). Needs `npm run build` first
// (done here when dist/ is missing).
import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ROUNDS = Number(process.env.RB_BENCH_ROUNDS ?? 3)
const ROWS = Number(process.env.RB_BENCH_ROWS ?? 1_000_000)
const SQL = `SELECT g, md5(g::text) FROM generate_series(1,${ROWS}) g`
const TIME = '/usr/bin/time'

function canConnect(url) {
  let host = '127.0.0.1'
  let port = 5432
  try {
    const u = new URL(url)
    host = u.hostname || host
    port = Number(u.port || 5432)
  } catch {
    // keyword/value URL: try the default
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1500, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

async function postgres() {
  const url = process.env.RB_BENCH_PG_URL ?? process.env.RB_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  if (await canConnect(url)) return { url, stop: async () => {} }
  const { tsImport } = await import('tsx/esm/api')
  const servers = await tsImport('../src/sandbox/servers.ts', import.meta.url)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rb-bench-pg-'))
  const server = await servers.startThrowawayPostgres(dir)
  console.log(`(no PostgreSQL at ${url}: started a throwaway one on port ${server.port})`)
  return {
    url: server.url,
    stop: async () => {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function hasGnuTime() {
  try {
    accessSync(TIME, constants.X_OK)
    return spawnSync(TIME, ['-v', 'true'], { encoding: 'utf8' }).stderr.includes('Maximum resident set size')
  } catch {
    return false
  }
}

/** Runs a command with stdout to /dev/null; resolves wall ms, peak RSS (KiB), exit code and stderr. */
function measure(cmd, args, useTime) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(os.tmpdir(), `rb-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`)
    const [file, argv] = useTime ? [TIME, ['-v', '-o', timeFile, cmd, ...args]] : [cmd, args]
    const started = performance.now()
    const child = spawn(file, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    let peak = 0
    let poll
    if (!useTime) {
      const read = () => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
          if (m) peak = Math.max(peak, Number(m[1]))
        } catch {
          // exited
        }
      }
      poll = setInterval(read, 10)
      read()
    }
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - started
      clearInterval(poll)
      if (useTime) {
        const text = existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : ''
        rmSync(timeFile, { force: true })
        peak = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? 0)
      }
      resolve({ wallMs, rssKiB: peak, code, stderr })
    })
  })
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}
const mb = (kib) => `${(kib / 1024).toFixed(1)} MiB`
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`

async function main() {
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
  const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' })
  if (psql.status !== 0) throw new Error('psql is not installed (the baseline needs it)')
  const pg = await postgres()
  const work = mkdtempSync(path.join(os.tmpdir(), 'rb-bench-sql-'))
  const runbookFor = (name, sql) => {
    const file = path.join(work, `${name}.md`)
    writeFileSync(file, `---\nid: bench-${name}\n---\n# Bench\n\n\`\`\`sql {id=big timeout=10m}\n${sql};\n\`\`\`\n`)
    return file
  }
  const runbooks = { runner: runbookFor('large-result', SQL), 'one-row': runbookFor('one-row', 'SELECT 1 AS g, md5(1::text)') }
  const expectedRows = { runner: ROWS, 'one-row': 1 }
  const useTime = hasGnuTime()
  console.log(`sql step selecting ${ROWS.toLocaleString('en')} rows · ${ROUNDS} rounds · ${useTime ? '/usr/bin/time -v' : 'VmHWM polling'} · ${os.cpus().length} CPUs · Node ${process.version}`)
  console.log(`baseline: ${psql.stdout.trim()} -c "${SQL}" > /dev/null`)

  const results = { runner: [], psql: [], 'one-row': [] }
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which goes first, so warm caches favour neither.
      const order = round % 2 ? ['runner', 'psql', 'one-row'] : ['psql', 'runner', 'one-row']
      for (const which of order) {
        let r
        if (which !== 'psql') {
          const reports = path.join(work, `reports-${which}-${round}`)
          r = await measure(process.execPath, [path.join(root, 'bin', 'runbook'), 'run', runbooks[which], '--reports', reports, '--set', `DATABASE_URL=${pg.url}`], useTime)
          if (r.code !== 0) throw new Error(`the runner failed (exit ${r.code}):\n${r.stderr}`)
          const json = readdirSync(reports, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.json'))
          const record = JSON.parse(readFileSync(path.join(reports, json), 'utf8'))
          const step = record.steps[0]
          const total = step.tables?.[0]?.totalRows
          if (step.status !== 'passed' || total !== expectedRows[which]) throw new Error(`unexpected result: status ${step.status}, ${total} rows`)
          r.stepMs = step.durationMs
        } else {
          r = await measure('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', pg.url, '-c', SQL], useTime)
          if (r.code !== 0) throw new Error(`psql failed (exit ${r.code}):\n${r.stderr}`)
        }
        results[which].push(r)
        console.log(`  round ${round} ${which.padEnd(7)} wall ${secs(r.wallMs).padStart(8)}  peak RSS ${mb(r.rssKiB).padStart(10)}${r.stepMs !== undefined ? `  (step ${secs(r.stepMs)})` : ''}`)
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
    await pg.stop()
  }

  const m = (which, key) => median(results[which].map((r) => r[key]))
  const rw = m('runner', 'wallMs')
  const pw = m('psql', 'wallMs')
  const rr = m('runner', 'rssKiB')
  const pr = m('psql', 'rssKiB')
  console.log('\nmedians')
  console.log(`  runner  wall ${secs(rw).padStart(8)}  peak RSS ${mb(rr).padStart(10)}  (step itself ${secs(m('runner', 'stepMs'))})`)
  console.log(`  psql    wall ${secs(pw).padStart(8)}  peak RSS ${mb(pr).padStart(10)}`)
  console.log(`  runner selecting one row: wall ${secs(m('one-row', 'wallMs'))}, peak RSS ${mb(m('one-row', 'rssKiB'))} (fixed cost)`)
  console.log(`  ratio runner/psql: wall ×${(rw / pw).toFixed(2)}, peak RSS ×${(rr / pr).toFixed(2)}`)
  const signed = (n, fmt) => `${n < 0 ? '−' : '+'}${fmt(Math.abs(n))}`
  console.log(`  what the ${ROWS.toLocaleString('en')} rows add to the runner: wall ${signed(rw - m('one-row', 'wallMs'), secs)}, peak RSS ${signed(rr - m('one-row', 'rssKiB'), mb)} (RSS noise between runs is ~±10 MiB)`)
}

main().catch((e) => {
  console.error(`sql-large-result: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
