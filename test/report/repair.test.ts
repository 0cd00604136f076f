// A runner that died between journaling the end of its run and rendering the report: `repair`
// (and `resume`) finish it from the journal, idempotently, removing the temp files of the write it
// never finished; a run that had not ended is rendered as incomplete and stays resumable.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repairCommand } from '../../src/runner/cli/commands/repair.js'
import { endedButNotRendered, repairReport } from '../../src/runner/report/repair.js'
import { loadReport, ReportWriter } from '../../src/runner/report/writer.js'
import { verifyReport } from '../../src/runner/sign/sign.js'
import type { RunRecord } from '../../src/runner/model/run-record.js'
import { demoRunbook, finishedStep, initialRecord } from './helpers.js'

const runbook = demoRunbook()
const started = new Date(2026, 10, 26, 9, 5, 7)

/** A writer left as a runner killed with -9 leaves it: events journaled, nothing rendered. */
async function killedRun(ended: boolean): Promise<{ md: string; record: RunRecord }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rb-repair-'))
  const writer = await ReportWriter.create({ dir, runbookId: 'demo-check', started, runbook })
  const record = initialRecord(runbook)
  await writer.append({ type: 'run-started', record })
  const first = runbook.steps[0]!.id
  await writer.append({ type: 'step-started', at: '2026-11-26T09:00:01+09:00', stepId: first })
  await writer.append({ type: 'step-finished', at: '2026-11-26T09:00:02+09:00', step: finishedStep(runbook, first, { output: 'first output\n' }) })
  if (ended) await writer.append({ type: 'run-finished', at: '2026-11-26T09:00:03+09:00', status: 'failed' })
  await writer.close()
  // The temp file of the render the runner never finished (its process is gone).
  writeFileSync(`${writer.paths.md}.tmp-2147483646-1`, 'half a report')
  return { md: writer.paths.md, record }
}

const io = () => {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => void out.push(t), colorLevel: 0 as const },
      stderr: { write: (t: string) => void err.push(t), colorLevel: 0 as const },
      env: {},
      now: () => started,
      interactive: false,
    },
  }
}

describe('repair', () => {
  it('a run killed after its end was journaled: rendered from the journal, final, stray temp files gone; twice changes nothing', async () => {
    const { md } = await killedRun(true)
    expect(await endedButNotRendered(md)).toBe(true)
    expect(readFileSync(md, 'utf8')).not.toContain('first output')
    const signers = path.join(path.dirname(md), 'allowed_signers')
    writeFileSync(signers, '')
    await expect(verifyReport(md, signers)).rejects.toThrow(/runbook repair/)

    const result = await repairReport(md, async () => runbook)
    expect(result).toMatchObject({ finished: true, rendered: true, status: 'failed' })
    expect(result.removed).toHaveLength(1)
    const base = md.replace(/\.md$/, '')
    expect(existsSync(`${base}.journal.jsonl`)).toBe(false)
    expect(readdirSync(path.dirname(md)).filter((f) => f.includes('.tmp-'))).toEqual([])
    const text = readFileSync(md, 'utf8')
    expect(text).toContain('first output')
    const json = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as RunRecord
    expect(json.status).toBe('failed')
    expect(json.steps.filter((s) => s.status === 'passed')).toHaveLength(1)

    const again = await repairReport(md, async () => runbook)
    expect(again).toMatchObject({ finished: true, rendered: false })
    expect(readFileSync(md, 'utf8')).toBe(text)
    expect((await loadReport(md)).fromJournal).toBe(false)
  })

  it('a run killed mid-way: rendered as incomplete, the journal kept for resume; the command exits 1 and says how to go on', async () => {
    const { md } = await killedRun(false)
    expect(await endedButNotRendered(md)).toBe(false)
    const { record } = await loadReport(md)
    expect(record.status).toBe('incomplete')
    const result = await repairReport(md, async () => runbook)
    expect(result).toMatchObject({ finished: false, rendered: true, status: 'incomplete' })
    expect(existsSync(md.replace(/\.md$/, '.journal.jsonl'))).toBe(true)
    expect(readFileSync(md, 'utf8')).toContain('first output')

    // Through the command, from the repository's folder (the record names the runbook relative to it).
    const repo = await mkdtemp(path.join(os.tmpdir(), 'rb-repair-repo-'))
    mkdirSync(path.join(repo, 'runbooks'))
    writeFileSync(path.join(repo, record.runbook.path), runbook.source)
    const { io: fake, out } = io()
    expect((await repairCommand(repo, { report: md }, fake)).exitCode).toBe(1)
    expect(out.join('')).toContain(`runbook resume ${md}`)
    // Elsewhere the runbook cannot be found: a usage error naming it.
    await expect(repairCommand(os.tmpdir(), { report: md }, io().io)).rejects.toThrow(/runbooks\/demo-check\.md/)
  })
})
