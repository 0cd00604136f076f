// The drills' state changes in-process, with a fixed clock: what `sandbox break` changes in the
// host state and the logs, what `heal` undoes, and which faults end by themselves.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { ballastFiles, breakFault, healFault, reconcileFaults } from '../../src/sandbox/faults.js'
import { diskFigures, memoryFigures, readHostState, writeHostState, defaultHostState } from '../../src/sandbox/host.js'
import { layout } from '../../src/sandbox/paths.js'
import type { SandboxState } from '../../src/sandbox/state.js'
import { hostStatus } from '../../src/sandbox/status.js'

/** Local time: the Rails log writes local times, as the real one does. */
const NOW = new Date('2026-11-28T09:30:00')
let root: string
let sandbox: SandboxState

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'rb-faults-'))
  const l = layout(root)
  mkdirSync(l.log, { recursive: true })
  mkdirSync(l.backups, { recursive: true })
  writeFileSync(l.productionLog, 'I, [2026-11-28T09:00:00.000000 #20121]  INFO -- : [x] Started GET "/up"\n')
  writeFileSync(l.formulaEngineLog, '')
  writeHostState(root, defaultHostState(NOW))
  sandbox = { version: 1, root, createdAt: NOW.toISOString() }
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const state = () => readHostState(root, NOW)

describe('break', () => {
  test('memory-pressure raises the simulated memory to 90 %; heal lowers it', async () => {
    expect(await breakFault(root, 'memory-pressure', sandbox, NOW)).toBe(msg.sandbox.drill('memory-pressure', msg.sandbox.drillMemoryPressure))
    expect(memoryFigures(state()).usedPercent).toBeGreaterThanOrEqual(90)
    expect(state().faults['memory-pressure']).toEqual({ since: NOW.toISOString() })
    expect(await breakFault(root, 'memory-pressure', sandbox, NOW)).toBe(msg.sandbox.drill('memory-pressure', msg.sandbox.drillAlreadyActive))
    expect(await healFault(root, 'memory-pressure', sandbox, NOW)).toBe(true)
    expect(memoryFigures(state()).usedPercent).toBeLessThan(50)
    expect(await healFault(root, 'memory-pressure', sandbox, NOW)).toBe(false)
    expect(readFileSync(path.join(root, 'host', 'history.log'), 'utf8')).toBe(
      `${NOW.toISOString()} sandbox break memory-pressure\n${NOW.toISOString()} sandbox heal memory-pressure\n`,
    )
  })

  test('disk-full: dated ballast files fill the disk to 92 %; deleting them ends the drill', async () => {
    await breakFault(root, 'disk-full', sandbox, NOW)
    expect(diskFigures(state()).usedPercent).toBe(92)
    const files = ballastFiles(root, NOW)
    const threeWeeksAgo = new Date(NOW.getTime() - 21 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')
    expect(files.map((f) => path.basename(f.path))).toContain(`excelapp_rails_production_full_${threeWeeksAgo}.sql.gz`)
    for (const f of files) expect(existsSync(f.path)).toBe(true)
    for (const f of files) rmSync(f.path)
    expect(reconcileFaults(root, NOW).faults['disk-full']).toBeUndefined()
    expect(diskFigures(state()).usedPercent).toBe(42)
  })

  test('error-burst appends 40 failing requests before now; heal removes exactly them, lines appended later stay', async () => {
    const l = layout(root)
    const before = readFileSync(l.productionLog, 'utf8')
    await breakFault(root, 'error-burst', sandbox, NOW)
    const burst = readFileSync(l.productionLog, 'utf8').slice(before.length)
    expect(burst.match(/Completed 500 /g)).toHaveLength(40)
    expect(burst).toMatch(/ at 2026-11-28 09:2\d:\d\d [+-]\d{4}$/m) // the last 160 s before 09:30, in the current Rails format
    const later = '[y] Completed 200 OK in 12ms\n'
    writeFileSync(l.productionLog, readFileSync(l.productionLog, 'utf8') + later)
    await healFault(root, 'error-burst', sandbox, NOW)
    expect(readFileSync(l.productionLog, 'utf8')).toBe(before + later)
  })

  test('formula-engine-down logs the outage; status lists the faults with their descriptions', async () => {
    await breakFault(root, 'formula-engine-down', sandbox, NOW)
    await breakFault(root, 'slow-app', sandbox, NOW)
    expect(readFileSync(layout(root).formulaEngineLog, 'utf8')).toContain('no healthy workers left; answering 503')
    const s = hostStatus(state())
    expect(s.faults).toEqual([
      { name: 'formula-engine-down', since: NOW.toISOString(), description: msg.sandbox.fault('formula-engine-down') },
      { name: 'slow-app', since: NOW.toISOString(), description: msg.sandbox.fault('slow-app') },
    ])
    expect(s.host.cpuPercent).toBeGreaterThan(85)
  })
})
