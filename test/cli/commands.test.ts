// run, resume, sign, verify and sandbox as functions: how options reach the stage they call, what
// the operator reads, and the exit code, with the stages replaced by fakes (their own behaviour is
// tested where they live and end-to-end).
import { Chalk } from 'chalk'
import { describe, expect, test } from 'vitest'
import { resumeCommand } from '../../src/runner/cli/commands/resume.js'
import { runCommand, type RunDeps } from '../../src/runner/cli/commands/run.js'
import { sandboxBreakCommand, sandboxHealCommand } from '../../src/runner/cli/commands/sandbox.js'
import { signCommand } from '../../src/runner/cli/commands/sign.js'
import { renderVerify, verifyCommand } from '../../src/runner/cli/commands/verify.js'
import { EXIT, type ExitCode } from '../../src/runner/model/errors.js'
import type { RunRecord } from '../../src/runner/model/run-record.js'
import type { SignoffStatement } from '../../src/runner/report/signoff.js'
import type { VerifyResult } from '../../src/runner/sign/sign.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { PromptInterrupted } from '../../src/runner/terminal/prompts.js'
import { cli, NOW, outcome, ROOT } from './helpers.js'

const record = (status: RunRecord['status']) => ({ status, runId: 'run-1' }) as unknown as RunRecord

function fakeRun(status: RunRecord['status'], exitCode: ExitCode, answers: { sign?: boolean; fail?: string; noKey?: boolean; ctrlC?: boolean } = {}) {
  const calls: { run: Parameters<RunDeps['runRunbook']>[0][]; signed: unknown[]; asked: string[] } = { run: [], signed: [], asked: [] }
  const deps: RunDeps = {
    runRunbook: async (opts) => {
      calls.run.push(opts)
      return { record: record(status), exitCode, reportPath: 'reports/2025-06-01/x.md' }
    },
    signReport: async (opts) => {
      calls.signed.push(opts)
      if (answers.fail) throw new Error(answers.fail)
      return { statement: { principal: 'kim@example.com' } }
    },
    prompts: async () => ({
      confirm: async (m) => {
        calls.asked.push(m)
        return answers.sign === true
      },
      input: async (m) => {
        calls.asked.push(m)
        if (answers.ctrlC) throw new PromptInterrupted()
        return 'looks good'
      },
    }),
    findKey: async () => {
      if (answers.noKey) throw new Error(msg.sign.noSigningKey)
    },
  }
  return { deps, calls }
}

describe('run', () => {
  test('options reach the runner; its exit code is the command\'s; the clock is the io\'s', async () => {
    const { deps, calls } = fakeRun('failed', EXIT.failed)
    const r = await outcome('run', (io) => runCommand(ROOT, { file: 'runbooks/x.md', step: 's', inputs: { A: '1' }, sets: { B: '2' }, dryRun: true, sandbox: true }, io, deps))
    expect(r).toEqual({ code: EXIT.failed, stdout: '', stderr: '' })
    expect(calls.run[0]).toMatchObject({ file: 'runbooks/x.md', step: 's', inputs: { A: '1' }, sets: { B: '2' }, dryRun: true, sandbox: true })
    expect(calls.run[0]!.now!().getTime()).toBe(NOW.getTime())
    expect(calls.signed).toEqual([])
  })

  test('argv: repeated --input and --set are collected', async () => {
    // Through the real argv mapping, up to the runner: a missing file is the runner's one-line error.
    const r = await cli(['run', 'no-such.md', '--input', 'A=1', '--input=B=2', '--set', 'C=3'])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stderr).toContain('no-such.md')
  })

  test('--json prints the report path and the record on stdout', async () => {
    const { deps } = fakeRun('passed', EXIT.ok)
    const r = await outcome('run', (io) => runCommand(ROOT, { file: 'x.md', json: true }, io, deps), { interactive: true })
    expect(r.code).toBe(EXIT.ok)
    expect(JSON.parse(r.stdout)).toEqual({ report: 'reports/2025-06-01/x.md', status: 'passed', runId: 'run-1' })
  })

  test('at a terminal the operator is offered to sign right away', async () => {
    const yes = fakeRun('passed', EXIT.ok, { sign: true })
    const signed = await outcome('run', (io) => runCommand(ROOT, { file: 'x.md', operator: 'Kim <kim@example.com>' }, io, yes.deps), { interactive: true })
    expect(yes.calls.signed).toEqual([{ report: 'reports/2025-06-01/x.md', comment: 'looks good', operator: 'Kim <kim@example.com>' }])
    expect(signed.stderr).toBe(`${msg.cli.signedNow('kim@example.com', 'reports/2025-06-01/x.md')}\n`)

    const failing = fakeRun('passed', EXIT.ok, { sign: true, fail: 'no key' })
    const failed = await outcome('run', (io) => runCommand(ROOT, { file: 'x.md' }, io, failing.deps), { interactive: true })
    expect(failed.code).toBe(EXIT.ok)
    expect(failed.stderr).toBe(`${msg.cli.signFailed('no key', 'reports/2025-06-01/x.md')}\n`)
  })

  test('without a usable key nothing is asked: the reason is said, and how to sign later', async () => {
    const { deps, calls } = fakeRun('passed', EXIT.ok, { sign: true, noKey: true })
    const r = await outcome('run', (io) => runCommand(ROOT, { file: 'x.md' }, io, deps), { interactive: true })
    expect(calls.asked).toEqual([])
    expect(calls.signed).toEqual([])
    expect(r.code).toBe(EXIT.ok)
    expect(r.stderr).toBe(`${msg.cli.signFailed(msg.sign.noSigningKey, 'reports/2025-06-01/x.md')}\n`)
  })

  test('Ctrl-C at the signing comment signs nothing and exits 130', async () => {
    const { deps, calls } = fakeRun('passed', EXIT.ok, { sign: true, ctrlC: true })
    const r = await outcome('run', (io) => runCommand(ROOT, { file: 'x.md' }, io, deps), { interactive: true })
    expect(calls.asked).toEqual([msg.cli.signNow, msg.cli.signComment])
    expect(calls.signed).toEqual([])
    expect(r.code).toBe(EXIT.interrupted)
  })

  test('no offer without a terminal, after an interrupted or aborted run, or when declined', async () => {
    for (const [status, interactive, sign] of [['passed', false, true], ['interrupted', true, true], ['aborted', true, true], ['passed', true, false]] as const) {
      const { deps, calls } = fakeRun(status, EXIT.ok, { sign })
      const r = await outcome('run', (io) => runCommand(ROOT, { file: 'x.md' }, io, deps), { interactive })
      expect(calls.signed, status).toEqual([])
      expect(r.stderr).toBe('')
    }
  })
})

describe('resume', () => {
  test('options reach resumeRun; its exit code is the command\'s', async () => {
    const seen: unknown[] = []
    const r = await outcome('resume', (io) =>
      resumeCommand(ROOT, { report: 'reports/x.md', force: true, yes: true, sets: { A: '1' } }, io, async (opts) => {
        seen.push(opts)
        return { record: record('blocked'), exitCode: EXIT.blocked, reportPath: 'reports/x.md' }
      }),
    )
    expect(r.code).toBe(EXIT.blocked)
    expect(seen[0]).toMatchObject({ report: 'reports/x.md', force: true, yes: true, sets: { A: '1' } })
  })
})

const statement = (patch: Partial<SignoffStatement> = {}): SignoffStatement => ({
  report: 'x.md',
  runId: 'run-1',
  runbook: 'x',
  status: 'passed',
  checklist: 'complete 2/2',
  signer: 'Kim <kim@example.com>',
  principal: 'kim@example.com',
  signedAt: '2025-06-01T10:00:00+09:00',
  comment: '',
  mdBytes: 1,
  mdSha256: 'a',
  jsonSha256: 'b',
  logSha256: 'c',
  ...patch,
})

describe('sign', () => {
  test('says who signed what on stderr, with the caveats of a failed run or an unfinished checklist', async () => {
    const ok = await outcome('sign', (io) => signCommand(ROOT, { report: 'x.md' }, io, async () => ({ mdPath: 'reports/x.md', statement: statement() })))
    expect(ok).toEqual({ code: EXIT.ok, stdout: '', stderr: `✔ ${msg.cli.signed('reports/x.md', 'kim@example.com')}\n` })
    const caveats = await outcome('sign', (io) =>
      signCommand(ROOT, { report: 'x.md' }, io, async () => ({ mdPath: 'reports/x.md', statement: statement({ status: 'failed', checklist: 'unfinished 1/2' }) })),
    )
    expect(caveats.stderr).toBe(`✔ ${msg.cli.signed('reports/x.md', 'kim@example.com')} (${msg.cli.caveatRun('failed')}, ${msg.cli.caveatChecklist('unfinished 1/2')})\n`)
  })
})

describe('verify', () => {
  const result = (ok: boolean): VerifyResult => ({
    ok,
    signoffs: [{ ...statement({ comment: 'fine' }), valid: ok, message: '' }],
    problems: ok ? [] : ['something does not verify'],
    approvals: { required: 2, principals: ok ? ['kim@example.com'] : [] },
  })

  test('each sign-off, the approvals, the problems and the verdict; exit 1 when it fails', async () => {
    const good = await outcome('verify', (io) => verifyCommand(ROOT, { report: 'x.md' }, io, async () => result(true)))
    expect(good.code).toBe(EXIT.ok)
    expect(good.stdout).toBe(
      [
        `✔ ${msg.cli.signoffLine('Kim <kim@example.com>', 'x.md', '2025-06-01T10:00:00+09:00', 'passed', 'complete 2/2')}: fine`,
        msg.cli.approvals(1, 2),
        `${msg.cli.verified}: ${msg.cli.verifiedDetail}`,
        '',
      ].join('\n'),
    )
    const bad = await outcome('verify', (io) => verifyCommand(ROOT, { report: 'x.md', json: true }, io, async () => result(false)))
    expect(bad.code).toBe(EXIT.failed)
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false })
    expect(renderVerify(result(false), new Chalk({ level: 0 }))).toContain(`✘ something does not verify\n${msg.cli.verifyFailed}\n`)
  })

  test('the allowed signers file defaults to .runbook/allowed_signers', async () => {
    const seen: string[] = []
    await outcome('verify', (io) => verifyCommand(ROOT, { report: 'x.md' }, io, async (_report, signers) => (seen.push(signers), result(true))))
    expect(seen).toEqual(['.runbook/allowed_signers'])
  })
})

describe('sandbox', () => {
  test('an unknown fault is a usage error that lists the faults', async () => {
    const broken = await outcome('sandbox', (io) => sandboxBreakCommand(ROOT, { fault: 'frob' }, io))
    expect(broken.code).toBe(EXIT.usage)
    expect(broken.stderr).toMatch(/^runbook: [^\n]*"frob"[^\n]*\n/)
    expect(broken.stderr).toMatch(/^\s+disk-full\s+\S/m)
    const healed = await outcome('sandbox', (io) => sandboxHealCommand(ROOT, { fault: 'frob' }, io))
    expect(healed.code).toBe(EXIT.usage)
    expect(healed.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(healed.stderr).toContain('disk-full')
  })
})
