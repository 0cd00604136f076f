// TS steps under the OS guard, for real, as root: the worker runs inside bubblewrap's read-only view
// (one per distinct view, reused by the steps that share it), so a step that writes with `fs`, that
// remounts `/` first, or whose `$` / `$.sync` commands write, changes nothing and fails naming the
// path; `writes=` opens exactly its folder; the `$` gate still asks across the boundary; a timeout
// still stops the guarded worker and every command it started.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseStepGuard, type GuardChoice } from '../../src/runner/executors/guard/choose.js'
import { detectOsGuard, type OsGuard } from '../../src/runner/executors/guard/detect.js'
import { TsHost } from '../../src/runner/executors/ts/host.js'
import type { CommandDecision, TsHooks, TsStepRequest } from '../../src/runner/executors/ts/protocol.js'
import type { PlannedStep, StepAttributes } from '../../src/runner/model/runbook.js'
import { buildWorker } from './build-worker.js'
import { baseEnv, gone } from './helpers.js'

const root = mkdtempSync(join(tmpdir(), 'rb-guard-ts-'))
const scratch = join(root, 'scratch')
const outside = join(root, 'outside')
const declared = join(root, 'backups')
const canary = join(outside, 'canary')
let os: OsGuard
let host: TsHost

beforeAll(async () => {
  for (const d of [scratch, outside, declared]) mkdirSync(d)
  os = await detectOsGuard()
  await buildWorker()
  host = new TsHost()
})
afterAll(async () => {
  await host.close()
  rmSync(root, { recursive: true, force: true })
})

function choose(code: string, attrs: StepAttributes = {}, destructive = false): GuardChoice {
  const planned = { id: 's', kind: 'ts', language: 'ts', destructive, step: { code, attrs } } as unknown as PlannedStep
  return chooseStepGuard(planned, baseEnv({ BACKUP_DIR: declared }), root, { os, scratch, reportsDir: join(root, 'reports') })
}

function hooks(decide: (cmd: string) => CommandDecision = () => 'allow') {
  const seen = { out: '', asked: [] as string[] }
  const h: TsHooks = {
    onOutput: (t) => void (seen.out += t),
    onCommand: async (cmd) => {
      seen.asked.push(cmd)
      return decide(cmd)
    },
    confirm: async () => true,
  }
  return { h, seen }
}

/** Runs `code` as a TS step held by the guard `chooseStepGuard` picks for it. */
async function runTs(code: string, opts: { attrs?: StepAttributes; destructive?: boolean; decide?: (cmd: string) => CommandDecision; timeoutMs?: number; signal?: AbortSignal } = {}) {
  writeFileSync(canary, 'intact\n')
  const choice = choose(code, opts.attrs, opts.destructive)
  if ('refused' in choice) throw new Error(choice.refused)
  const { h, seen } = hooks(opts.decide)
  const req: TsStepRequest = {
    code,
    loader: 'ts',
    env: baseEnv({ CANARY: canary, BACKUP_DIR: declared, RUNBOOK_TMP: scratch }),
    inputs: {},
    state: {},
    timeoutMs: opts.timeoutMs ?? 20_000,
    stepId: 's',
    cwd: root,
    ...(choice.confine ? { confine: choice.confine } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  }
  const r = await host.run(req, h)
  return { ...r, guard: choice.guard, seen }
}

describe('TS steps in the read-only view', () => {
  it('is available here (bubblewrap works)', () => {
    expect(os).toMatchObject({ available: true })
  })

  it('fs.writeFileSync outside the view fails with EROFS naming the path; the canary is intact; os-readonly', async () => {
    const r = await runTs('fs.writeFileSync(env.CANARY, "changed\\n")')
    expect(r.ok).toBe(false)
    expect(r.error).toMatch(/EROFS/)
    expect(r.error).toContain(canary)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect(r.guard).toEqual({ held: 'os-readonly', writable: [scratch] })
  })

  it('a remount of / first does not help: the canary is intact, the step fails naming the path', async () => {
    const r = await runTs('await $`mount -o remount,rw /`.nothrow()\nawait $`unshare -m true`.nothrow()\nfs.writeFileSync(env.CANARY, "changed\\n")')
    expect(r.ok).toBe(false)
    expect(r.error).toContain(canary)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect(r.seen.out).toMatch(/mount|permission|Operation not permitted/i)
  })

  it('$ and $.sync commands run inside the view too: a write by either fails and changes nothing', async () => {
    const a = await runTs('await $`echo changed > ${env.CANARY}`')
    expect(a.ok).toBe(false)
    expect(a.error).toMatch(/Read-only file system/)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    // $.sync is run by the host for the worker: the host wraps it in the step's view
    const b = await runTs('$.sync`rm -f ${env.CANARY}`')
    expect(b.commands).toEqual([expect.objectContaining({ command: `rm -f ${canary}`, exitCode: 1 })])
    expect(b.seen.out).toMatch(/Read-only file system/)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
  })

  it('the scratch folder and a writes= folder are writable, and nothing else', async () => {
    const r = await runTs(
      'fs.writeFileSync(path.join(env.RUNBOOK_TMP, "t"), "t")\nfs.writeFileSync(path.join(env.BACKUP_DIR, "dump.sql"), "dump")\nawait $`echo more >> ${env.BACKUP_DIR}/dump.sql`\nfs.writeFileSync(env.CANARY, "changed")',
      { attrs: { writes: ['$BACKUP_DIR'] } },
    )
    expect(r.guard).toEqual({ held: 'os-readonly', writable: [scratch, declared] })
    expect(readFileSync(join(declared, 'dump.sql'), 'utf8')).toBe('dumpmore\n')
    expect(existsSync(join(scratch, 't'))).toBe(true)
    expect(r.ok).toBe(false)
    expect(r.error).toContain(canary)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
  })

  it('one worker per view, started once and reused; a destructive step runs in the unguarded worker', async () => {
    const pid = 'state.pid = fs.readlinkSync("/proc/self")'
    const first = await runTs(pid)
    const again = await runTs(pid)
    const other = await runTs(pid, { attrs: { writes: ['$BACKUP_DIR'] } })
    const otherAgain = await runTs(pid, { attrs: { writes: ['$BACKUP_DIR'] } })
    const unguarded = await runTs(`${pid}\nfs.writeFileSync(env.CANARY, "changed\\n")`, { destructive: true })
    expect(first.state.pid).toBe(again.state.pid)
    expect(other.state.pid).toBe(otherAgain.state.pid)
    expect(other.state.pid).not.toBe(first.state.pid)
    expect(unguarded.guard).toMatchObject({ held: 'none' })
    expect(unguarded.ok).toBe(true)
    expect([first.state.pid, other.state.pid]).not.toContain(unguarded.state.pid)
    expect(readFileSync(canary, 'utf8')).toBe('changed\n')
  })

  it('the $ gate still asks across the boundary: a denied command never runs', async () => {
    const r = await runTs('await $`echo asked > ${env.RUNBOOK_TMP}/asked`', { decide: () => ({ deny: 'no' }) })
    expect(r.seen.asked).toEqual([`echo asked > ${scratch}/asked`])
    expect(r.ok).toBe(false)
    expect(r.blockedCommand?.reason).toBe('no')
    expect(existsSync(join(scratch, 'asked'))).toBe(false)
  })

  it('a timeout kills the guarded worker and every command it started; the next step gets a fresh one', async () => {
    const marker = `rb-guard-ts-timeout-${process.pid}`
    const r = await runTs(`$\`exec -a ${marker} sleep 30\`.nothrow()\nwhile (true) {}`, { timeoutMs: 800 })
    expect(r.timedOut).toBe(true)
    expect(await gone(marker)).toBe(true)
    const next = await runTs('state.ok = 1')
    expect(next.ok).toBe(true)
  })

  it("Ctrl-C (the step's signal) stops a guarded step stuck in a loop, its worker and its commands", async () => {
    const marker = `rb-guard-ts-abort-${process.pid}`
    const stop = new AbortController()
    setTimeout(() => stop.abort(), 600)
    const r = await runTs(`$\`exec -a ${marker} sleep 30\`.nothrow()\nwhile (true) {}`, { signal: stop.signal })
    expect(r.interrupted).toBe(true)
    expect(r.guard).toMatchObject({ held: 'os-readonly' })
    expect(await gone(marker)).toBe(true)
    expect((await runTs('state.after = 1')).ok).toBe(true)
  })
})
