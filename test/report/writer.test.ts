import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { foldEvents } from '../../src/runner/report/fold.js'
import { reportClock, reportDate } from '../../src/runner/report/time.js'
import { loadReport, ReportWriter, stepLogHeader } from '../../src/runner/report/writer.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { RunEvent } from '../../src/runner/model/run-record.js'
import { demoRunbook, finishedStep, initialRecord } from './helpers.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const writerModule = path.resolve(here, '../../src/runner/report/writer.ts')
const runbook = demoRunbook()
const started = new Date(2026, 10, 26, 9, 5, 7)
const stem = `demo-check-${reportClock(started)}`
let tmp: string

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'report-writer-'))
})
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true })
})

/** Runs a script in a fresh Node (TypeScript through tsx); resolves with its stdout lines. */
function child(script: string, args: string[], onLine?: (line: string, stdin: NodeJS.WritableStream) => void) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[]; stderr: string }>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    const lines: string[] = []
    let stderr = ''
    let pending = ''
    proc.stdout.on('data', (d: Buffer) => {
      pending += d.toString()
      let nl: number
      while ((nl = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, nl)
        pending = pending.slice(nl + 1)
        lines.push(line)
        onLine?.(line, proc.stdin)
      }
    })
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    proc.on('error', reject)
    proc.on('close', (code, signal) => resolve({ code, signal, lines, stderr }))
  })
}

describe('ReportWriter.create', () => {
  it('names reports <date>/<id>-<HHMMSS>.md, then -2, -3 in the same second', async () => {
    const dir = path.join(tmp, 'same-second')
    const writers = [
      await ReportWriter.create({ dir, runbookId: 'demo-check', started }),
      await ReportWriter.create({ dir, runbookId: 'demo-check', started }),
      await ReportWriter.create({ dir, runbookId: 'demo-check', started }),
    ]
    const folder = path.join(dir, reportDate(started))
    expect(writers.map((w) => path.relative(folder, w.mdPath))).toEqual([`${stem}.md`, `${stem}-2.md`, `${stem}-3.md`])
    const w = writers[1]!
    expect(w.jsonPath).toBe(path.join(folder, `${stem}-2.json`))
    expect(w.logPath).toBe(path.join(folder, `${stem}-2.log`))
    expect(w.journalPath).toBe(path.join(folder, `${stem}-2.journal.jsonl`))
    for (const writer of writers) await writer.close()
  })

  it('gives distinct names to two processes racing in the same second', async () => {
    const dir = path.join(tmp, 'race')
    const script = path.join(tmp, 'race-child.mts')
    await writeFile(
      script,
      [
        `import { ReportWriter } from ${JSON.stringify(writerModule)}`,
        `import { createInterface } from 'node:readline'`,
        `const [dir, iso] = process.argv.slice(2)`,
        `console.log('ready')`,
        `for await (const _ of createInterface({ input: process.stdin })) break`,
        `const made = await Promise.all(Array.from({ length: 5 }, () => ReportWriter.create({ dir: dir!, runbookId: 'demo-check', started: new Date(iso!) })))`,
        `for (const w of made) { console.log(w.mdPath); await w.close() }`,
        `process.exit(0)`,
      ].join('\n'),
    )
    let ready = 0
    const stdins: NodeJS.WritableStream[] = []
    const go = (line: string, stdin: NodeJS.WritableStream) => {
      if (line !== 'ready') return
      stdins.push(stdin)
      if (++ready === 2) for (const s of stdins) s.write('go\n')
    }
    const results = await Promise.all([child(script, [dir, started.toISOString()], go), child(script, [dir, started.toISOString()], go)])
    for (const r of results) expect(r.stderr).toBe('')
    const names = results.flatMap((r) => r.lines.filter((l) => l !== 'ready'))
    expect(names).toHaveLength(10)
    expect(new Set(names).size).toBe(10)
    const files = (await readdir(path.join(dir, reportDate(started)))).filter((f) => f.endsWith('.md'))
    expect(files.sort()).toEqual([`${stem}.md`, ...Array.from({ length: 9 }, (_, i) => `${stem}-${i + 2}.md`)].sort())
  })

  it('fails before anything runs, naming the folder, when it cannot be created', async () => {
    const file = path.join(tmp, 'file.txt')
    await writeFile(file, 'not a folder')
    const dir = path.join(file, 'reports')
    const error = await ReportWriter.create({ dir, runbookId: 'demo-check', started }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain(path.join(dir, reportDate(started)))
    expect((error as Error).message).toMatch(/--reports DIR/)
  })

  it('makes a runbook id safe as a file name', async () => {
    const w = await ReportWriter.create({ dir: path.join(tmp, 'ids'), runbookId: '../../etc/passwd 점검', started })
    expect(path.basename(w.mdPath)).toBe(`etc-passwd-점검-${reportClock(started)}.md`)
    expect(path.dirname(w.mdPath)).toBe(path.join(tmp, 'ids', reportDate(started)))
    await w.close()
  })
})

describe('journal, finish, crash and reopen', () => {
  const t = (s: number) => `2026-11-26T09:05:${String(s).padStart(2, '0')}+09:00`

  async function startRun(dir: string) {
    const writer = await ReportWriter.create({ dir, runbookId: 'demo-check', started, runbook })
    const record = initialRecord(runbook)
    const events: RunEvent[] = [{ type: 'run-started', record }]
    for (const e of events) await writer.append(e)
    return { writer, events }
  }

  it('appends one fsynced line per event; finish renders .md/.json and removes the journal', async () => {
    const { writer, events } = await startRun(path.join(tmp, 'finish'))
    const more: RunEvent[] = [
      { type: 'step-started', at: t(8), stepId: 'app-up' },
      { type: 'step-finished', at: t(9), step: finishedStep(runbook, 'app-up', { output: 'ok\n', outputBytes: 3 }) },
      { type: 'run-finished', at: t(10), status: 'passed' },
    ]
    writer.appendLog('app-up', 'ok\n')
    for (const e of more) await writer.append(e)
    events.push(...more)
    const journal = await readFile(writer.journalPath, 'utf8')
    expect(journal.split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual(events)
    const placeholder = await readFile(writer.mdPath, 'utf8')
    expect(placeholder).toContain('journal.jsonl')

    const record = foldEvents(events)
    await writer.finish(record, runbook)
    expect(existsSync(writer.journalPath)).toBe(false)
    // No step's output was cut, so the .md holds all of it and the .log is not kept.
    expect(existsSync(writer.logPath)).toBe(false)
    expect(await readFile(writer.mdPath, 'utf8')).toContain(`**${msg.report.resultLabel} · app-up: ✅ ${msg.run.stepStatus('passed')}**`)
    const loaded = await loadReport(writer.mdPath)
    expect(loaded.fromJournal).toBe(false)
    expect(loaded.record).toEqual(record)
    expect((await loadReport(writer.jsonPath)).record).toEqual(record)
    expect((await loadReport(writer.paths.base)).record).toEqual(record)
    expect((await readdir(path.dirname(writer.mdPath))).filter((f) => f.includes('.tmp-'))).toEqual([])
  })

  it('keeps the .log when some step output was cut, with a header per attempt (the writer is the only one to write it)', async () => {
    const { writer, events } = await startRun(path.join(tmp, 'log'))
    const append = async (e: RunEvent) => {
      events.push(e)
      await writer.append(e)
    }
    for (const attempt of [1, 2]) {
      await append({ type: 'step-started', at: t(attempt), stepId: 'app-up' })
      writer.appendLog('app-up', `output of attempt ${attempt}\n`)
      await append({
        type: 'step-finished',
        at: t(attempt),
        step: finishedStep(runbook, 'app-up', { attempts: attempt, outputTruncated: true }),
      })
      // flushed before the step-finished line was journaled
      expect(await readFile(writer.logPath, 'utf8')).toContain(`output of attempt ${attempt}\n`)
    }
    await append({ type: 'step-started', at: t(3), stepId: 'db-ping' })
    writer.appendLog('db-ping', 'rows\n')
    await append({ type: 'run-finished', at: t(4), status: 'passed' })
    await writer.finish(foldEvents(events), runbook)
    const log = await readFile(writer.logPath, 'utf8')
    expect(log).toBe(
      `${stepLogHeader('app-up', 1, t(1))}output of attempt 1\n\n${stepLogHeader('app-up', 2, t(2))}output of attempt 2\n\n${stepLogHeader('db-ping', 1, t(3))}rows\n`,
    )
  })

  it('after a crash the journal gives an incomplete record; reopen continues the same files', async () => {
    const { writer } = await startRun(path.join(tmp, 'crash'))
    const more: RunEvent[] = [
      { type: 'step-started', at: t(8), stepId: 'app-up' },
      { type: 'step-finished', at: t(9), step: finishedStep(runbook, 'app-up', {}) },
      { type: 'step-started', at: t(10), stepId: 'db-ping' },
    ]
    for (const e of more) await writer.append(e)
    writer.appendLog('db-ping', 'partial')
    await writer.close() // the process dies here: no finish
    // A write cut short by the crash.
    await writeFile(writer.journalPath, `${await readFile(writer.journalPath, 'utf8')}{"type":"step-fin`)

    const loaded = await loadReport(writer.mdPath)
    expect(loaded.fromJournal).toBe(true)
    expect(loaded.record.status).toBe('incomplete')
    expect(loaded.record.steps.map((s) => s.status)).toEqual(['passed', 'interrupted', 'not-run', 'not-run', 'not-run'])

    const again = await ReportWriter.reopen(writer.mdPath, runbook)
    expect(again.mdPath).toBe(writer.mdPath)
    expect(again.loaded?.fromJournal).toBe(true)
    expect(again.loaded?.record).toEqual(loaded.record)
    const seeded = (await readFile(again.journalPath, 'utf8')).trim().split('\n')
    expect(seeded.map((l) => JSON.parse(l))).toEqual([{ type: 'run-started', record: loaded.record }])

    const resumed: RunEvent[] = [
      { type: 'run-started', record: loaded.record },
      { type: 'run-resumed', at: t(20), operator: '박야간', fromStep: 'db-ping' },
      { type: 'step-started', at: t(21), stepId: 'db-ping' },
      { type: 'step-finished', at: t(22), step: finishedStep(runbook, 'db-ping', {}) },
      { type: 'run-finished', at: t(23), status: 'passed' },
    ]
    for (const e of resumed.slice(1)) await again.append(e)
    const record = foldEvents(resumed)
    await again.finish(record, runbook)
    const final = await loadReport(writer.mdPath)
    expect(final.fromJournal).toBe(false)
    expect(final.record.status).toBe('passed')
    expect(final.record.resumes).toEqual([{ at: t(20), operator: '박야간', fromStep: 'db-ping' }])
    expect(final.record.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'not-run', 'not-run', 'not-run'])
    expect(await readFile(writer.mdPath, 'utf8')).toContain('- 2026-11-26T09:05:20+09:00 · 박야간 · `db-ping` 단계부터')
    expect(existsSync(writer.journalPath)).toBe(false)
  })

  it('a process killed with -9 mid-run leaves a report that loads as incomplete', async () => {
    const dir = path.join(tmp, 'kill9')
    const script = path.join(tmp, 'kill-child.mts')
    const helpers = path.resolve(here, 'helpers.ts')
    await writeFile(
      script,
      [
        `import { ReportWriter } from ${JSON.stringify(writerModule)}`,
        `import { demoRunbook, finishedStep, initialRecord } from ${JSON.stringify(helpers)}`,
        `const runbook = demoRunbook()`,
        `const w = await ReportWriter.create({ dir: process.argv[2]!, runbookId: 'demo-check', started: new Date() })`,
        `await w.append({ type: 'run-started', record: initialRecord(runbook) })`,
        `await w.append({ type: 'step-started', at: 't1', stepId: 'app-up' })`,
        `await w.append({ type: 'step-finished', at: 't2', step: finishedStep(runbook, 'app-up', {}) })`,
        `await w.append({ type: 'step-started', at: 't3', stepId: 'db-ping' })`,
        `console.log(w.mdPath)`,
        `process.kill(process.pid, 'SIGKILL')`,
      ].join('\n'),
    )
    const result = await child(script, [dir])
    expect(result.signal).toBe('SIGKILL')
    const mdPath = result.lines[0]!
    const loaded = await loadReport(mdPath)
    expect(loaded).toMatchObject({ fromJournal: true, record: { status: 'incomplete' } })
    expect(loaded.record.steps.slice(0, 2).map((s) => s.status)).toEqual(['passed', 'interrupted'])
  })

  it('explains a report path with nothing behind it', async () => {
    await expect(loadReport(path.join(tmp, 'nope', 'x-090000.md'))).rejects.toThrow(msg.report.noData(path.join(tmp, 'nope', 'x-090000.md'), msg.report.noDataNeither(path.join(tmp, 'nope', 'x-090000.json'), path.join(tmp, 'nope', 'x-090000.journal.jsonl'))))
  })

  it('refuses to append after finish', async () => {
    const { writer, events } = await startRun(path.join(tmp, 'closed'))
    await writer.finish(foldEvents(events), runbook)
    await expect(writer.append({ type: 'run-finished', at: 'x', status: 'passed' })).rejects.toThrow(/already finished/)
  })
})
