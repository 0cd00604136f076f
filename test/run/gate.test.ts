// The safety gates as a table: declared (none / destructive / critical / safe) × detected or not ×
// flags (--yes, --auto, --dry-run) × a terminal (an operator answering yes / no / skip / quit) or
// none × a sandbox (refusing or allowing) or none. Each row walks a one-step runbook in-process
// with fake executors, prompts and clock, and checks whether the step ran, its status, the consent
// recorded and by whom, the run's status and its exit code.
import { describe, expect, test } from 'vitest'
import { EXIT, RUN_STATUS_EXIT, type ExitCode } from '../../src/runner/model/errors.js'
import { localIso } from '../../src/runner/report/time.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { Consent, Question, RunStatus, StepStatus } from '../../src/runner/model/run-record.js'
import { asking, FIXED, fakeGuard, OPERATOR, planOf, recordingExecutors, scriptedPrompts, walkInProcess, type Answering } from './fakes.js'

type Declared = 'none' | 'destructive' | 'critical' | 'safe'
type Flag = 'none' | 'yes' | 'auto' | 'dry-run'
type Terminal = 'no tty' | Answering
type Sandbox = 'none' | 'refuses' | 'allows'

interface Outcome {
  ran: boolean
  step: StepStatus
  consent?: Consent['by']
  run: RunStatus
  exit: ExitCode
  /** Prompts the operator saw, in order (only checked when given). */
  asked?: string[]
}

const ATTRS: Record<Declared, string> = { none: '', destructive: ' destructive', critical: ' critical', safe: ' safe="test"' }

function runbookText(declared: Declared, detected: boolean, language = 'bash'): string {
  const code = language === 'sql' ? 'DELETE FROM sessions;' : detected ? 'rm -rf /tmp/rb-gate-never-there' : 'echo hello'
  return `# 관문\n\n\`\`\`${language} {id=step${ATTRS[declared]}}\n${code}\n\`\`\`\n`
}

const passed = (consent?: Consent['by'], asked?: string[]): Outcome => ({ ran: true, step: 'passed', consent, run: 'passed', exit: EXIT.ok, asked })
const blocked: Outcome = { ran: false, step: 'blocked', run: 'blocked', exit: EXIT.blocked }
const skipped = (asked?: string[]): Outcome => ({ ran: false, step: 'skipped', run: 'passed', exit: EXIT.ok, asked })
const declined: Outcome = { ran: false, step: 'declined', run: 'incomplete', exit: EXIT.blocked }
const quit: Outcome = { ran: false, step: 'not-run', run: 'aborted', exit: EXIT.blocked, asked: ['stepAction'] }

const CASES: [Declared, boolean, Flag, Terminal, Sandbox, Outcome][] = [
  // Without a terminal (cron): only safe steps run, unless --yes.
  ['none', false, 'none', 'no tty', 'none', passed()],
  ['none', true, 'none', 'no tty', 'none', blocked],
  ['none', true, 'yes', 'no tty', 'none', passed('flag')],
  ['destructive', false, 'none', 'no tty', 'none', blocked],
  ['destructive', true, 'yes', 'no tty', 'none', passed('flag')],
  ['destructive', false, 'auto', 'no tty', 'none', blocked],
  ['critical', false, 'none', 'no tty', 'none', blocked],
  ['critical', false, 'yes', 'no tty', 'none', passed('flag')],
  ['safe', true, 'none', 'no tty', 'none', passed()],
  ['safe', false, 'auto', 'no tty', 'none', passed()],
  ['none', false, 'auto', 'no tty', 'none', passed()],
  // --dry-run: destructive shell steps are skipped, never asked about; safe ones run.
  ['destructive', false, 'dry-run', 'no tty', 'none', skipped()],
  ['none', true, 'dry-run', 'no tty', 'none', skipped()],
  ['critical', true, 'dry-run', 'yes', 'none', skipped([])],
  ['safe', true, 'dry-run', 'no tty', 'none', passed()],
  ['none', false, 'dry-run', 'no tty', 'none', passed()],
  // At a terminal: every step pauses (unless --auto and safe); destructive steps are confirmed.
  ['none', false, 'none', 'yes', 'none', passed(undefined, ['stepAction'])],
  ['none', false, 'none', 'skip', 'none', skipped(['stepAction'])],
  ['none', false, 'none', 'quit', 'none', quit],
  ['none', false, 'auto', 'yes', 'none', passed(undefined, [])],
  ['safe', true, 'none', 'yes', 'none', passed(undefined, ['stepAction'])],
  ['none', true, 'none', 'yes', 'none', passed('operator', ['stepAction', 'confirmDestructive'])],
  ['none', true, 'none', 'no', 'none', { ...declined, asked: ['stepAction', 'confirmDestructive'] }],
  ['destructive', false, 'none', 'yes', 'none', passed('operator', ['stepAction', 'confirmDestructive'])],
  ['destructive', false, 'none', 'no', 'none', declined],
  // Skipping a destructive step declines it: the run is incomplete (issue 16).
  ['destructive', false, 'none', 'skip', 'none', { ...declined, asked: ['stepAction'] }],
  ['destructive', false, 'none', 'quit', 'none', quit],
  ['destructive', false, 'auto', 'yes', 'none', passed('operator', ['stepAction', 'confirmDestructive'])],
  ['destructive', false, 'yes', 'yes', 'none', passed('flag', [])],
  ['critical', false, 'none', 'yes', 'none', passed('operator', ['stepAction', 'typeStepId'])],
  ['critical', false, 'none', 'no', 'none', { ...declined, asked: ['stepAction', 'typeStepId'] }],
  ['critical', false, 'auto', 'no', 'none', declined],
  // --sandbox: a step that would change the host outside the sandbox is refused, whatever the flags.
  ['none', false, 'none', 'no tty', 'refuses', blocked],
  ['destructive', false, 'yes', 'no tty', 'refuses', blocked],
  ['critical', false, 'none', 'yes', 'refuses', { ...blocked, asked: [] }],
  ['none', false, 'none', 'no tty', 'allows', passed()],
  ['destructive', false, 'yes', 'no tty', 'allows', passed('flag')],
  ['destructive', false, 'dry-run', 'no tty', 'refuses', skipped()],
]

describe('the gate table', () => {
  test.each(CASES)('declared %s, detected %s, flag %s, terminal %s, sandbox %s', async (declared, detected, flag, terminal, sandbox, want) => {
    const { runbook, plan } = await planOf(runbookText(declared, detected))
    const prompts = terminal === 'no tty' ? null : scriptedPrompts(terminal)
    const { executors, runs } = recordingExecutors()
    const guard = fakeGuard(sandbox === 'refuses' ? 'refuses' : 'allows')
    const { record } = await walkInProcess(runbook, plan, {
      prompts,
      executors,
      guard,
      settings: {
        yes: flag === 'yes',
        auto: flag === 'auto',
        dryRun: flag === 'dry-run',
        sandboxDir: sandbox === 'none' ? undefined : '/tmp/rb-gate-sandbox',
      },
    })
    const step = record.steps[0]!
    expect(runs.length > 0, 'ran').toBe(want.ran)
    expect(step.status).toBe(want.step)
    expect(step.consent?.by).toBe(want.consent)
    if (want.consent) expect(step.consent).toMatchObject({ who: OPERATOR, at: localIso(FIXED) })
    expect(record.status).toBe(want.run)
    expect(RUN_STATUS_EXIT[record.status]).toBe(want.exit)
    if (want.asked) expect(prompts?.asked ?? []).toEqual(want.asked)
    if (sandbox === 'none') expect(guard.calls).toBe(0)
  })

  test('the reasons recorded come from the catalogue', async () => {
    const reasonOf = async (declared: Declared, flag: Flag, terminal: Terminal, sandbox: Sandbox = 'none') => {
      const { runbook, plan } = await planOf(runbookText(declared, false))
      const { record } = await walkInProcess(runbook, plan, {
        prompts: terminal === 'no tty' ? null : scriptedPrompts(terminal),
        guard: fakeGuard(sandbox === 'refuses' ? 'refuses' : 'allows'),
        settings: { yes: flag === 'yes', dryRun: flag === 'dry-run', sandboxDir: sandbox === 'none' ? undefined : '/tmp/rb-gate-sandbox' },
      })
      return record.steps[0]!.reason
    }
    expect(await reasonOf('destructive', 'none', 'no tty')).toBe(msg.run.noTtyNoYes)
    expect(await reasonOf('destructive', 'dry-run', 'no tty')).toBe(msg.run.dryRunSkipped)
    expect(await reasonOf('destructive', 'none', 'no')).toBe(msg.run.operatorDeclinedStep)
    expect(await reasonOf('none', 'none', 'skip')).toBe(msg.run.operatorSkipped)
    expect(await reasonOf('none', 'none', 'no tty', 'refuses')).toBe(msg.run.sandboxRefused(['writes /etc/motd']))
  })

  test('destructive SQL in a dry run runs as a preview (rolled back by its executor), without asking', async () => {
    const { runbook, plan } = await planOf(runbookText('destructive', true, 'sql'))
    const prompts = scriptedPrompts('yes')
    const { executors, runs } = recordingExecutors()
    const { record } = await walkInProcess(runbook, plan, { prompts, executors, settings: { dryRun: true } })
    expect(runs).toHaveLength(1)
    expect(runs[0]!.dryRun).toBe(true)
    expect(prompts.asked).toEqual([])
    expect(record.status).toBe('passed')
  })

  test('--step and --from skip the steps not selected, saying which flag', async () => {
    const text = `# 선택\n\n\`\`\`bash {id=a}\necho a\n\`\`\`\n\n\`\`\`bash {id=b}\necho b\n\`\`\`\n`
    const { runbook, plan } = await planOf(text)
    const only = await walkInProcess(runbook, plan, { settings: { only: 'b' } })
    expect(only.record.steps.map((s) => [s.status, s.reason])).toEqual([
      ['skipped', msg.run.notSelected('--step b')],
      ['passed', undefined],
    ])
    const from = await walkInProcess(runbook, plan, { settings: { from: 'b' } })
    expect(from.record.steps[0]!.reason).toBe(msg.run.notSelected('--from b'))
  })
})

/** Questions an executor asks while its step runs: a command found destructive at run time, a
 * commit after an SQL preview, the step's own confirm. */
describe('the answers to a running step', () => {
  const COMMAND: Question = { kind: 'command', command: 'rm -rf /srv/x', reasons: ['rm -rf deletes files'] }
  const COMMIT: Question = { kind: 'commit', statements: [{ line: 3, sql: 'DELETE FROM t', command: 'DELETE', rowCount: 2, durationMs: 1 }], critical: false }
  const CONFIRM: Question = { kind: 'confirm', message: '캐시를 비울까요?' }

  const QUESTIONS: [string, Question, Declared, Flag, Terminal, Sandbox, Outcome][] = [
    ['command', COMMAND, 'none', 'none', 'no tty', 'none', { ...blocked, ran: true }],
    ['command', COMMAND, 'none', 'yes', 'no tty', 'none', passed('flag')],
    ['command', COMMAND, 'none', 'dry-run', 'no tty', 'none', { ...blocked, ran: true }],
    ['command', COMMAND, 'none', 'none', 'yes', 'none', passed('operator', ['stepAction', 'confirmDestructive'])],
    ['command', COMMAND, 'none', 'none', 'no', 'none', { ...declined, ran: true }],
    // A step confirmed as destructive covers the commands it runs.
    ['command', COMMAND, 'destructive', 'yes', 'no tty', 'none', passed('flag')],
    ['command', COMMAND, 'destructive', 'none', 'yes', 'none', passed('operator', ['stepAction', 'confirmDestructive'])],
    ['command', COMMAND, 'destructive', 'yes', 'no tty', 'refuses', blocked],
    ['commit', COMMIT, 'none', 'dry-run', 'no tty', 'none', { ran: true, step: 'previewed', run: 'passed', exit: EXIT.ok }],
    ['commit', COMMIT, 'none', 'yes', 'no tty', 'none', passed('flag')],
    ['commit', COMMIT, 'none', 'none', 'no tty', 'none', { ...blocked, ran: true }],
    ['commit', COMMIT, 'none', 'none', 'yes', 'none', passed('operator', ['stepAction', 'commit'])],
    ['commit', COMMIT, 'none', 'none', 'no', 'none', { ...declined, ran: true }],
    ['confirm', CONFIRM, 'none', 'none', 'no tty', 'none', { ...blocked, ran: true }],
    ['confirm', CONFIRM, 'none', 'none', 'yes', 'none', passed('operator', ['stepAction', 'confirm'])],
    ['confirm', CONFIRM, 'none', 'none', 'no', 'none', { ...declined, ran: true }],
  ]

  test.each(QUESTIONS)('%s: declared %s, flag %s, terminal %s, sandbox %s', async (_kind, question, declared, flag, terminal, sandbox, want) => {
    const { runbook, plan } = await planOf(runbookText(declared, false))
    const prompts = terminal === 'no tty' ? null : scriptedPrompts(terminal)
    const { executors, runs } = recordingExecutors(asking(question))
    const { record } = await walkInProcess(runbook, plan, {
      prompts,
      executors,
      guard: fakeGuard(sandbox === 'refuses' ? 'refuses' : 'allows'),
      settings: { yes: flag === 'yes', dryRun: flag === 'dry-run', sandboxDir: sandbox === 'none' ? undefined : '/tmp/rb-gate-sandbox' },
    })
    // `ran`: the executor started (a refusal by rule 5 stops the step before it starts).
    expect(runs.length > 0).toBe(want.ran)
    const step = record.steps[0]!
    expect(step.status).toBe(want.step)
    expect(step.consent?.by).toBe(want.consent)
    expect(record.status).toBe(want.run)
    expect(RUN_STATUS_EXIT[record.status]).toBe(want.exit)
    if (want.asked) expect(prompts?.asked ?? []).toEqual(want.asked)
  })
})

/** Destructive SQL that cannot be previewed (effects a rollback does not undo): asked before it runs. */
describe('the answer to SQL that cannot be previewed', () => {
  const irreversible = (critical: boolean): Question => ({ kind: 'irreversible', statements: [{ line: 3, reason: 'setval() advances a sequence' }], critical })
  const ROWS: [Declared, Flag, Terminal, Outcome][] = [
    // A dry run never runs it: recorded skipped, with the reason.
    ['none', 'dry-run', 'no tty', { ran: true, step: 'skipped', run: 'passed', exit: EXIT.ok }],
    ['critical', 'dry-run', 'yes', { ran: true, step: 'skipped', run: 'passed', exit: EXIT.ok, asked: [] }],
    ['none', 'yes', 'no tty', passed('flag')],
    ['none', 'none', 'no tty', blocked],
    // At a terminal: asked like a destructive command, once (no commit question follows).
    ['none', 'none', 'yes', passed('operator', ['stepAction', 'confirmDestructive'])],
    ['none', 'none', 'no', { ...declined, ran: true }],
    ['critical', 'none', 'yes', passed('operator', ['stepAction', 'typeStepId'])],
  ]
  test.each(ROWS)('declared %s, flag %s, terminal %s', async (declared, flag, terminal, want) => {
    const { runbook, plan } = await planOf(runbookText(declared, true, 'sql'))
    const prompts = terminal === 'no tty' ? null : scriptedPrompts(terminal)
    const { executors, runs } = recordingExecutors(asking(irreversible(declared === 'critical')))
    const { record } = await walkInProcess(runbook, plan, { prompts, executors, settings: { yes: flag === 'yes', dryRun: flag === 'dry-run' } })
    expect(runs.length > 0).toBe(want.ran)
    const step = record.steps[0]!
    expect(step.status).toBe(want.step)
    expect(step.consent?.by).toBe(want.consent)
    expect(record.status).toBe(want.run)
    expect(RUN_STATUS_EXIT[record.status]).toBe(want.exit)
    if (want.asked) expect(prompts?.asked ?? []).toEqual(want.asked)
    if (flag === 'dry-run') expect(step.reason).toBe(msg.run.dryRunNotPreviewable([msg.run.notPreviewableStatement(3, 'setval() advances a sequence')]))
  })
})
