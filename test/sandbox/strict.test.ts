// The sandbox is as strict as production: the shims print what the real tools print in the
// operator's locale (compared with the real procps and coreutils of this machine under
// ko_KR.UTF-8), a container without a HEALTHCHECK fails `{{.State.Health.Status}}`, /up answers
// Rails' HTML, failed Solid Queue jobs keep finished_at NULL, the app logs in the current Rails
// format (the old one on request), and the operator is not root (systemctl and journalctl need sudo).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { DEFAULT_SCALE, generateSql, SCHEMA_SQL } from '../../src/sandbox/data/index.js'
import { defaultHostState, readHostState, writeHostState } from '../../src/sandbox/host.js'
import { railsErrorBurst, railsHistory } from '../../src/sandbox/logs.js'
import type { ShimContext } from '../../src/sandbox/programs/shims/context.js'
import { shimFor } from '../../src/sandbox/programs/shims/index.js'
import { createStandinServer } from '../../src/sandbox/programs/standin/server.js'
import { randomSuffix, scratchDatabase } from '../helpers/servers.js'

const NOW = new Date('2026-11-28T09:30:00Z')
const KO = { LANG: 'ko_KR.UTF-8' }
let root: string

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'rb-strict-'))
  writeHostState(root, defaultHostState(NOW))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** Calls a shim as the operator would, with the env given (no sudo unless `asRoot`). */
async function call(env: Record<string, string>, command: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const ctx: ShimContext = { root, command, argv: args, env: { PATH: '/usr/bin:/bin', ...env }, now: () => NOW, io: { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) } }
  const code = await shimFor(command)!(ctx, args)
  return { code, stdout, stderr }
}
const asRoot = () => ({ SANDBOX_SUDO_ROOT: root })

/** The real tool on this machine (procps-ng, coreutils) under that locale. */
const real = (env: Record<string, string>, cmd: string, ...args: string[]) => execFileSync(cmd, args, { env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' })

describe('procps and coreutils in the operator locale', () => {
  test('the ko_KR.UTF-8 locale exists on this machine (.ci/run generates it)', () => {
    expect(execFileSync('locale', ['-a'], { encoding: 'utf8' })).toMatch(/^ko_KR\.utf8$/im)
  })

  test('free under LANG=ko_KR.UTF-8 prints 메모리 and 스  왑 with the real header and column layout', async () => {
    for (const flag of ['-h', '-m', '']) {
      const args = flag ? [flag] : []
      const sim = (await call(KO, 'free', ...args)).stdout.split('\n')
      const actual = real(KO, 'free', ...args).split('\n')
      expect(sim[0]).toBe(actual[0])
      expect(sim[1]).toMatch(/^메모리: {2}/)
      expect(sim[2]).toMatch(/^스 {2}왑: {2}/)
      // Labels padded to the same columns as the real free: the first number ends where it does.
      for (const i of [1, 2]) expect(sim[i]!.split(/\s+/).length).toBe(actual[i]!.split(/\s+/).length)
      expect(sim[1]!.indexOf(sim[1]!.split(/\s+/)[1]!) + sim[1]!.split(/\s+/)[1]!.length).toBe(actual[1]!.indexOf(actual[1]!.split(/\s+/)[1]!) + actual[1]!.split(/\s+/)[1]!.length)
    }
    const c = (await call({ LANG: 'ko_KR.UTF-8', LC_ALL: 'C' }, 'free', '-h')).stdout
    expect(c).toMatch(/^Mem: +16Gi/m)
    expect(c.split('\n')[0]).toBe(real({ LC_ALL: 'C' }, 'free', '-h').split('\n')[0])
  })

  test('top -bn2 under ko_KR prints %Cpu: and 작  업: twice, the first frame the since-boot average; C prints %Cpu(s):', async () => {
    const state = readHostState(root, NOW)
    state.faults['slow-app'] = { since: NOW.toISOString() }
    writeHostState(root, state)
    const ko = (await call(KO, 'top', '-bn2', '-d0.5')).stdout
    expect(ko.match(/^%Cpu: /gm)).toHaveLength(2)
    expect(ko.match(/^작 {2}업: /gm)).toHaveLength(2)
    expect(ko).toMatch(/^MiB 메모리 : +16384\.0 총계,/m)
    expect(ko).not.toContain('Cpu(s)')
    const idles = [...ko.matchAll(/([\d.]+) id,/g)].map((m) => Number(m[1]))
    expect(idles[0]).toBeGreaterThan(90)
    expect(idles[1]).toBeLessThan(20)
    const realKo = real(KO, 'top', '-bn1').split('\n')
    expect(realKo[1]).toMatch(/^작 {2}업: /)
    expect(realKo[2]).toMatch(/^%Cpu:[ \d]/)
    expect((await call({ LANG: 'C.UTF-8' }, 'top', '-b', '-n', '2')).stdout.split(/^top - /m).at(-1)).toMatch(/^%Cpu\(s\): 86\.4 us, +3\.2 sy,/m)
  })

  test('df -h under ko_KR has the real Korean header', async () => {
    const header = (await call(KO, 'df', '-h')).stdout.split('\n')[0]!
    expect(header.split(/\s+/)).toEqual(real(KO, 'df', '-h').split('\n')[0]!.split(/\s+/))
    expect((await call(KO, 'df', '-P')).stdout.split('\n')[0]!.split(/\s+/)).toEqual(real(KO, 'df', '-P').split('\n')[0]!.split(/\s+/))
    expect((await call({}, 'df', '-h', '/')).stdout).toMatch(/^Filesystem +Size +Used Avail Use% Mounted on\n\/dev\/nvme0n1p1 +99G/)
  })
})

describe('docker: the formula-engine container has no HEALTHCHECK', () => {
  test('{{.State.Health.Status}} fails as docker does; the guarded and json forms work', async () => {
    const bare = await call({}, 'docker', 'inspect', '--format', 'health={{.State.Health.Status}}', 'formula-engine')
    expect(bare.code).toBe(1)
    expect(bare.stdout).toBe('')
    expect(bare.stderr).toContain('executing "" at <.State.Health.Status>: map has no entry for key "Health"')
    const guarded = await call({}, 'docker', 'inspect', '--format', 'status={{.State.Status}} health={{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', 'formula-engine')
    expect(guarded).toMatchObject({ code: 0, stdout: 'status=exited health=none\n' })
    const json = await call({}, 'docker', 'inspect', '--format', '{{json .State}}', 'formula-engine')
    expect(Object.keys(JSON.parse(json.stdout))).not.toContain('Health')
    expect((await call({}, 'docker', 'ps', '-a')).stdout).not.toMatch(/healthy\)/)
  })
})

describe('the operator is not root', () => {
  test('systemctl restart is refused without sudo and changes nothing; with sudo it restarts', async () => {
    const refused = await call({}, 'systemctl', 'restart', 'nginx')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('Failed to restart nginx.service: Interactive authentication required.')
    expect(readHostState(root, NOW).services.nginx!.since).not.toBe(NOW.toISOString())
    expect((await call({}, 'systemctl', 'stop', 'nginx')).code).toBe(1)
    expect((await call({}, 'service', 'nginx', 'stop')).code).toBe(1)
    expect(readHostState(root, NOW).services.nginx!.active).toBe(true)
    expect((await call({}, 'systemctl', 'status', 'nginx')).code).toBe(0)
    const allowed = await call(asRoot(), 'systemctl', 'restart', 'nginx')
    expect(allowed.code).toBe(0)
    expect(readHostState(root, NOW).services.nginx!.since).toBe(NOW.toISOString())
    // A mark for another sandbox folder is not this sandbox's sudo.
    expect((await call({ SANDBOX_SUDO_ROOT: '/tmp/other' }, 'systemctl', 'restart', 'nginx')).code).toBe(1)
  })

  test('the sudo shim marks its child as real sudo does, so the shims it runs act as root', async () => {
    const file = path.join(root, 'env.out')
    const r = await call({ USER: 'deploy' }, 'sudo', 'sh', '-c', `printenv SANDBOX_SUDO_ROOT SUDO_USER SUDO_COMMAND > ${file}`)
    expect(r.code).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(`${root}\ndeploy\nsh -c printenv SANDBOX_SUDO_ROOT SUDO_USER SUDO_COMMAND > ${file}\n`)
  })

  test('journalctl without sudo sees no system journal; with sudo it reads the unit journal', async () => {
    mkdirSync(path.join(root, 'log'), { recursive: true })
    writeFileSync(path.join(root, 'log', 'production.log'), '[abc] Started GET "/up" for 127.0.0.1 at 2026-11-28 09:29:00 +0000\n')
    const plain = await call({}, 'journalctl', '-u', 'excelapp-rails', '--no-pager')
    expect(plain).toMatchObject({ code: 0, stdout: '-- No entries --\n' })
    expect(plain.stderr).toContain("Users in groups 'adm', 'systemd-journal' can see all messages.")
    const sudo = await call(asRoot(), 'journalctl', '-u', 'excelapp-rails', '--no-pager')
    expect(sudo.stdout).toContain('Started GET "/up"')
  })
})

describe('the app as Rails 8 runs it', () => {
  let server: http.Server
  let appRoot: string
  beforeAll(async () => {
    appRoot = mkdtempSync(path.join(os.tmpdir(), 'rb-strict-app-'))
    mkdirSync(path.join(appRoot, 'log'))
    writeHostState(appRoot, defaultHostState(new Date()))
    server = createStandinServer({ role: 'app', root: appRoot, now: () => new Date(), random: Math.random })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    rmSync(appRoot, { recursive: true, force: true })
  })

  test('/up answers the HTML page of Rails::HealthController (200, green), not JSON', async () => {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/up`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const body = await res.text()
    expect(body).toBe('<!DOCTYPE html><html><body style="background-color: green"></body></html>')
    expect(() => JSON.parse(body)).toThrow()
    await new Promise((r) => setTimeout(r, 50))
    const log = readFileSync(path.join(appRoot, 'log', 'production.log'), 'utf8')
    expect(log).toMatch(/^\[[0-9a-f-]{36}\] Started GET "\/up" for [\d.]+ at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}$/m)
  })

  test('logs: the current Rails format by default (no Logger prefix), the old tagged one on request', () => {
    const current = railsHistory(NOW, 1, 20, 7)
    expect(current).not.toMatch(/^[IWE], \[/m)
    expect(current).toMatch(/^\[[0-9a-f-]{36}\] Completed 200 OK in \d+ms \(/m)
    const tagged = railsHistory(NOW, 1, 20, 7, 0, 'tagged')
    expect(tagged).toMatch(/^I, \[\d{4}-\d\d-\d\dT[\d:.]+ #\d+\] {2}INFO -- : \[[0-9a-f-]{36}\] Started GET /m)
    // Same seed, same requests: only the prefix differs.
    expect(tagged.replace(/^[IWE], \[[^\]]+\] +\w+ -- : /gm, '')).toBe(current)
    const burst = railsErrorBurst(NOW, 5, 1)
    expect(burst.match(/^\[[0-9a-f-]{36}\] Completed 500 Internal Server Error in \d+ms/gm)).toHaveLength(5)
  })
})

describe('Solid Queue in the sandbox database', () => {
  const db = scratchDatabase(`rb_strict_${randomSuffix()}`)
  afterAll(() => db.drop())

  test('a failed job keeps finished_at NULL and has a failed execution; nothing unfinished is overdue', async () => {
    const c = await db.create()
    try {
      await c.query('SET client_min_messages = warning')
      await c.query(SCHEMA_SQL)
      await c.query(generateSql({ ...DEFAULT_SCALE, users: 200, excelFiles: 400, aiAnalyses: 400, aiUsageRecords: 400, chatMessages: 400, payments: 400, jobs: 20_000 }, new Date()))
      const { rows } = await c.query(`SELECT
          (SELECT count(*)::int FROM solid_queue_failed_executions) AS failed,
          (SELECT count(*)::int FROM solid_queue_jobs j JOIN solid_queue_failed_executions f ON f.job_id = j.id WHERE j.finished_at IS NOT NULL) AS failed_with_finished_at,
          (SELECT count(*)::int FROM solid_queue_jobs j WHERE finished_at IS NULL AND NOT EXISTS (SELECT 1 FROM solid_queue_failed_executions f WHERE f.job_id = j.id) AND scheduled_at < now()) AS overdue,
          (SELECT count(*)::int FROM background_jobs WHERE status = 'failed' AND finished_at IS NULL) AS view_failed`)
      expect(rows[0].failed).toBeGreaterThan(100)
      expect(rows[0].failed_with_finished_at).toBe(0)
      expect(rows[0].overdue).toBe(0)
      expect(rows[0].view_failed).toBe(rows[0].failed)
    } finally {
      await c.end()
    }
  }, 60_000)
})
