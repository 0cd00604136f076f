// The status table of docs/runbook-format.md, row by row: each case walks a small runbook in-process
// (fake executors, prompts and clock) and checks every step's status, the run's status, its exit
// code, which steps ran and what the operator was asked. Then keep-going vs continue-on-error vs
// rechecks side by side, and the daily health check with the app down.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXIT, RUN_STATUS_EXIT, type ExitCode } from '../../src/runner/model/errors.js'
import { parseRunbook } from '../../src/runner/parse/parse.js'
import { plan as planRunbook } from '../../src/runner/plan/plan.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { Question, RunStatus, StepContext, StepOutcome, StepStatus } from '../../src/runner/model/run-record.js'
import { planOf, recordingExecutors, scriptedPrompts, walkInProcess, type Answering } from './fakes.js'

/** How each step's fake executor ends, by id: passed unless named here. */
type Behaviour = Record<string, StepOutcome | Question>

function behave(by: Behaviour) {
  return async (ctx: StepContext): Promise<StepOutcome> => {
    const b = by[ctx.planned.id]
    if (!b) return { status: 'passed' }
    if ('kind' in b) {
      const answer = await ctx.ask(b)
      return answer.allow ? { status: 'passed', consent: answer.consent } : { status: answer.status, reason: answer.reason }
    }
    return b
  }
}

const fence = (info: string, code = 'echo hi') => `\`\`\`bash {${info}}\n${code}\n\`\`\`\n\n`
const doc = (...fences: string[]) => `# 상태\n\n${fences.join('')}`
const FAIL: StepOutcome = { status: 'failed', exitCode: 1, reason: 'exit 1' }
const TIMEOUT: StepOutcome = { status: 'timed-out', reason: 'timeout' }
const COMMIT: Question = { kind: 'commit', statements: [{ line: 3, sql: 'DELETE FROM t', command: 'DELETE', rowCount: 2, durationMs: 1 }], critical: false }

interface Row {
  name: string
  text: string
  by?: Behaviour
  terminal?: Answering
  flags?: { yes?: boolean; only?: string }
  probeFails?: boolean
  steps: Record<string, StepStatus>
  run: RunStatus
  exit: ExitCode
  ran: string[]
  asked?: string[]
}

const ROWS: Row[] = [
  // passed / fixed
  { name: 'passed: ran and held', text: doc(fence('id=a'), fence('id=b')), steps: { a: 'passed', b: 'passed' }, run: 'passed', exit: EXIT.ok, ran: ['a', 'b'] },
  {
    name: 'fixed: failed (keep-going), then its recheck passed',
    text: doc(fence('id=detect keep-going'), fence('id=repair'), fence('id=recheck rechecks=detect')),
    by: { detect: FAIL },
    steps: { detect: 'fixed', repair: 'passed', recheck: 'passed' },
    run: 'passed',
    exit: EXIT.ok,
    ran: ['detect', 'repair', 'recheck'],
  },
  {
    name: 'fixed: a timed-out step, then its recheck passed',
    text: doc(fence('id=detect keep-going'), fence('id=recheck rechecks=detect')),
    by: { detect: TIMEOUT },
    steps: { detect: 'fixed', recheck: 'passed' },
    run: 'passed',
    exit: EXIT.ok,
    ran: ['detect', 'recheck'],
  },
  // skipped
  {
    name: 'skipped: a safe step the operator skipped',
    text: doc(fence('id=a'), fence('id=b')),
    terminal: 'skip',
    steps: { a: 'skipped', b: 'skipped' },
    run: 'passed',
    exit: EXIT.ok,
    ran: [],
    asked: ['stepAction', 'stepAction'],
  },
  { name: 'skipped: probe unmet', text: doc(fence('id=a probe="test -e /nope"'), fence('id=b')), probeFails: true, steps: { a: 'skipped', b: 'passed' }, run: 'passed', exit: EXIT.ok, ran: ['b'] },
  { name: 'skipped: not selected', text: doc(fence('id=a'), fence('id=b')), flags: { only: 'b' }, steps: { a: 'skipped', b: 'passed' }, run: 'passed', exit: EXIT.ok, ran: ['b'] },
  // tolerated
  {
    name: 'tolerated: failed with continue-on-error, no question, the walk goes on',
    text: doc(fence('id=a continue-on-error'), fence('id=b')),
    by: { a: FAIL },
    terminal: 'yes',
    steps: { a: 'tolerated', b: 'passed' },
    run: 'passed',
    exit: EXIT.ok,
    ran: ['a', 'b'],
    asked: ['stepAction', 'stepAction'],
  },
  { name: 'tolerated: timed out with continue-on-error', text: doc(fence('id=a continue-on-error'), fence('id=b')), by: { a: TIMEOUT }, steps: { a: 'tolerated', b: 'passed' }, run: 'passed', exit: EXIT.ok, ran: ['a', 'b'] },
  // failed / timed-out
  { name: 'failed: the run stops (no terminal)', text: doc(fence('id=a'), fence('id=b')), by: { a: FAIL }, steps: { a: 'failed', b: 'not-run' }, run: 'failed', exit: EXIT.failed, ran: ['a'] },
  {
    name: 'failed with keep-going: the walk goes on without asking, the run still fails',
    text: doc(fence('id=a keep-going'), fence('id=b')),
    by: { a: FAIL },
    terminal: 'yes',
    steps: { a: 'failed', b: 'passed' },
    run: 'failed',
    exit: EXIT.failed,
    ran: ['a', 'b'],
    asked: ['stepAction', 'stepAction'],
  },
  { name: 'timed-out with keep-going', text: doc(fence('id=a keep-going'), fence('id=b')), by: { a: TIMEOUT }, steps: { a: 'timed-out', b: 'passed' }, run: 'failed', exit: EXIT.failed, ran: ['a', 'b'] },
  {
    name: 'failed: a recheck that fails fixes nothing',
    text: doc(fence('id=detect keep-going'), fence('id=recheck rechecks=detect')),
    by: { detect: FAIL, recheck: FAIL },
    steps: { detect: 'failed', recheck: 'failed' },
    run: 'failed',
    exit: EXIT.failed,
    ran: ['detect', 'recheck'],
  },
  {
    name: 'failed: a recheck of another step fixes nothing',
    text: doc(fence('id=detect keep-going'), fence('id=other'), fence('id=recheck rechecks=other')),
    by: { detect: FAIL },
    steps: { detect: 'failed', other: 'passed', recheck: 'passed' },
    run: 'failed',
    exit: EXIT.failed,
    ran: ['detect', 'other', 'recheck'],
  },
  // declined
  {
    name: 'declined: the operator said No to a destructive step; the walk goes on',
    text: doc(fence('id=wipe destructive'), fence('id=after')),
    terminal: 'no',
    steps: { wipe: 'declined', after: 'passed' },
    run: 'incomplete',
    exit: EXIT.blocked,
    ran: ['after'],
  },
  {
    name: 'declined: the operator skipped a destructive step',
    text: doc(fence('id=wipe destructive'), fence('id=after')),
    terminal: 'skip',
    steps: { wipe: 'declined', after: 'skipped' },
    run: 'incomplete',
    exit: EXIT.blocked,
    ran: [],
  },
  {
    name: 'declined: the operator rolled back at the commit question',
    text: doc(fence('id=purge'), fence('id=after')),
    by: { purge: COMMIT },
    terminal: 'no',
    steps: { purge: 'declined', after: 'passed' },
    run: 'incomplete',
    exit: EXIT.blocked,
    ran: ['purge', 'after'],
  },
  {
    name: 'declined beats nothing, a failure beats declined',
    text: doc(fence('id=wipe destructive'), fence('id=check keep-going')),
    by: { check: FAIL },
    terminal: 'no',
    steps: { wipe: 'declined', check: 'failed' },
    run: 'failed',
    exit: EXIT.failed,
    ran: ['check'],
  },
  // blocked
  { name: 'blocked: no terminal, no --yes', text: doc(fence('id=a'), fence('id=wipe destructive'), fence('id=c')), steps: { a: 'passed', wipe: 'blocked', c: 'not-run' }, run: 'blocked', exit: EXIT.blocked, ran: ['a'] },
  { name: 'passed: --yes consents without a terminal', text: doc(fence('id=wipe destructive')), flags: { yes: true }, steps: { wipe: 'passed' }, run: 'passed', exit: EXIT.ok, ran: ['wipe'] },
  // interrupted
  {
    name: 'interrupted: the run stops, later steps not run',
    text: doc(fence('id=a'), fence('id=b')),
    by: { a: { status: 'interrupted', reason: 'Ctrl-C' } },
    steps: { a: 'interrupted', b: 'not-run' },
    run: 'interrupted',
    exit: EXIT.interrupted,
    ran: ['a'],
  },
]

describe('the status table', () => {
  test.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const { runbook, plan } = await planOf(row.text)
    const { executors, runs } = recordingExecutors(behave(row.by ?? {}))
    const prompts = row.terminal ? scriptedPrompts(row.terminal) : null
    const { record } = await walkInProcess(runbook, plan, {
      executors,
      prompts,
      settings: { yes: row.flags?.yes ?? false, only: row.flags?.only },
      probe: async () => (row.probeFails ? { ok: false, output: 'no' } : { ok: true, output: '' }),
    })
    expect(Object.fromEntries(record.steps.map((s) => [s.id, s.status]))).toEqual(row.steps)
    expect(record.status).toBe(row.run)
    expect(RUN_STATUS_EXIT[record.status]).toBe(row.exit)
    expect(runs.map((r) => r.planned.id)).toEqual(row.ran)
    if (row.asked) expect(prompts?.asked).toEqual(row.asked)
  })

  test('a fixed step keeps what it found, says which recheck fixed it, and the screen says so', async () => {
    const { runbook, plan } = await planOf(doc(fence('id=detect keep-going'), fence('id=recheck rechecks=detect')))
    const { executors } = recordingExecutors(behave({ detect: { status: 'failed', exitCode: 1, reason: 'app down' } }))
    const { record, events, screen } = await walkInProcess(runbook, plan, { executors })
    const detect = record.steps.find((s) => s.id === 'detect')!
    expect(detect).toMatchObject({ status: 'fixed', exitCode: 1, reason: msg.run.foundAndFixed('recheck', 'app down') })
    // The journal holds both: the failure as it happened, then the fix.
    const finished = events.filter((e) => e.type === 'step-finished' && e.step.id === 'detect').map((e) => (e.type === 'step-finished' ? e.step.status : ''))
    expect(finished).toEqual(['failed', 'fixed'])
    expect(screen()).toContain(msg.run.fixedLine('detect', 'recheck'))
    expect(screen()).toContain(msg.run.keptGoing)
  })

  test('a tolerated step is shown as a warning, with its reason', async () => {
    const { runbook, plan } = await planOf(doc(fence('id=a continue-on-error')))
    const { executors } = recordingExecutors(behave({ a: { status: 'failed', exitCode: 3, reason: 'exit 3' } }))
    const { record, screen } = await walkInProcess(runbook, plan, { executors })
    expect(record.steps[0]).toMatchObject({ status: 'tolerated', reason: 'exit 3' })
    expect(screen()).toContain(`⚠ ${msg.run.stepStatus('tolerated')}`)
    expect(screen()).toContain(msg.run.toleratedHint)
  })

  test('at a terminal a failure without keep-going asks retry / skip / abort', async () => {
    const { runbook, plan } = await planOf(doc(fence('id=a'), fence('id=b')))
    const prompts = scriptedPrompts('yes')
    const { executors } = recordingExecutors(behave({ a: FAIL }))
    const { record } = await walkInProcess(runbook, plan, { executors, prompts })
    expect(prompts.asked).toEqual(['stepAction', 'afterFailure'])
    expect(record.status).toBe('aborted')
  })

  test('a resumed run does not run fixed or tolerated steps again', async () => {
    const { runbook, plan } = await planOf(doc(fence('id=detect keep-going'), fence('id=recheck rechecks=detect'), fence('id=warn continue-on-error'), fence('id=last')))
    const first = await walkInProcess(runbook, plan, { executors: recordingExecutors(behave({ detect: FAIL, warn: FAIL, last: FAIL })).executors })
    expect(first.record.steps.map((s) => s.status)).toEqual(['fixed', 'passed', 'tolerated', 'failed'])
    const { executors, runs } = recordingExecutors()
    // The walk skips settled steps of the record it is given: the same plan from that record.
    const again = await walkInProcess(runbook, plan, { executors, initial: first.record })
    expect(runs.map((r) => r.planned.id)).toEqual(['last'])
    expect(again.record.status).toBe('passed')
  })
})

describe('the daily health check', () => {
  test('with the app down, without a terminal: every check runs and the run fails (exit 1)', async () => {
    const file = path.join(import.meta.dirname, '../../runbooks/daily/health-check.md')
    const runbook = parseRunbook(readFileSync(file, 'utf8'), 'runbooks/daily/health-check.md')
    const plan = await planRunbook(runbook)
    const { executors, runs } = recordingExecutors(behave({ 'app-up': FAIL }))
    const { record } = await walkInProcess(runbook, plan, { executors })
    expect(runs.map((r) => r.planned.id)).toEqual(plan.steps.map((s) => s.id))
    expect(record.steps.find((s) => s.id === 'app-up')!.status).toBe('failed')
    expect(record.status).toBe('failed')
    expect(RUN_STATUS_EXIT[record.status]).toBe(EXIT.failed)
  })
})
