// `sandbox status` as text, from fixed data: the rows line up in either language (Korean labels
// are twice as wide per character), and what is missing says what to run.
import { Chalk } from 'chalk'
import stringWidth from 'string-width'
import { afterEach, expect, test } from 'vitest'
import { msg, setLanguage } from '../../src/runner/terminal/messages/index.js'
import { renderStatus } from '../../src/sandbox/status-text.js'
import type { SandboxStatus } from '../../src/sandbox/status.js'

const plain = new Chalk({ level: 0 })

const status: SandboxStatus = {
  root: '/srv/sb',
  up: true,
  envFile: '/srv/sb/env',
  postgres: { mode: 'local', url: 'postgres://postgres@127.0.0.1:5432/excelapp_sandbox', database: 'excelapp_sandbox', ok: true, detail: '1,234 rows', rows: 1234, pgStatStatements: true },
  redis: { mode: 'local', url: 'redis://127.0.0.1:6379/15', db: 15, ok: true, detail: '383 keys', keys: 383 },
  standins: { app: { url: 'http://127.0.0.1:3000', pid: 11, ok: true }, 'formula-engine': { url: null, pid: null, ok: false } },
  faults: [
    { name: 'slow-app', since: '2026-11-28T09:30:00.000Z', description: 'slow' },
    { name: 'disk-full', since: '2026-11-28T09:31:00.000Z', description: 'full' },
  ],
  host: { memoryPercent: 38.4, diskPercent: 92, cpuPercent: 15.6 },
  healthy: false,
}

afterEach(() => setLanguage('ko'))

test.each(['ko', 'en'] as const)('every row starts its text in the same column (%s)', (language) => {
  setLanguage(language)
  const lines = renderStatus(status, plain).trimEnd().split('\n')
  expect(lines[0]).toBe(`${msg.sandbox.statusTitle} /srv/sb — ${msg.sandbox.statusUp}`)
  const t = msg.sandbox
  const labels = [t.labelPostgres, t.labelRedis, t.labelApp, t.labelFormulaEngine, t.labelHost, t.labelFaults, '', t.labelEnv]
  expect(lines.slice(1)).toHaveLength(labels.length)
  for (const [i, label] of labels.entries()) {
    const line = lines[i + 1]!
    expect(line.startsWith(`  ${label}`), line).toBe(true)
    const gap = /^ +/.exec(line.slice(2 + label.length))![0]
    expect(stringWidth(`  ${label}${gap}`), line).toBe(17)
  }
  expect(lines).toContain(`  ${msg.sandbox.labelFaults}${' '.repeat(15 - stringWidth(msg.sandbox.labelFaults))}slow-app ${msg.sandbox.faultSince('2026-11-28T09:30:00.000Z', 'slow')}`)
  expect(lines).toContain(`${' '.repeat(17)}disk-full ${msg.sandbox.faultSince('2026-11-28T09:31:00.000Z', 'full')}`)
  expect(lines.join('\n')).toContain(`✘ ${msg.sandbox.notRunning}`)
})

test('a sandbox never brought up says what to run', () => {
  const none = renderStatus({ ...status, up: false, envFile: null, postgres: null, redis: null, faults: [] }, plain)
  expect(none).toContain(msg.sandbox.statusDown)
  expect(none).toContain(msg.sandbox.notSetUp)
  expect(none).toContain(msg.sandbox.envNone)
})
