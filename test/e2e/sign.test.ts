// Sign-off and verification with throwaway SSH keys, through the real CLI: exit codes, the key
// from --key or ssh-agent, history and list. The logic (tampering, approvals, fake blocks, a
// signed report never resumed) is tested in-process (test/sign/sign.test.ts).
import { spawnSync } from 'node:child_process'
import { cpSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { reportFiles, ROOT, runCli, tempDir, writeRunbook } from '../helpers/cli.js'
import { commitFiles, makeSigners, signmeRunbook } from '../helpers/sign.js'

const { allowed, kim, lee, stranger } = makeSigners()
// Keep the machine's git config (user.signingkey) out of these tests.
const gitless = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }

async function finishedReport(approvals = 1, extraStep = ''): Promise<string> {
  const dir = tempDir('rb-sign-')
  const file = writeRunbook(dir, 'signme.md', signmeRunbook(approvals, extraStep))
  commitFiles(dir, ['signme.md']) // verify reads approvals from the runbook as committed
  const reports = path.join(dir, 'reports')
  const r = await runCli(['run', file, '--reports', reports, '--operator', 'Kim <kim@example.com>'])
  expect(r.code).toBe(0)
  return reportFiles(reports)[0]!
}

const sign = (report: string, key: string, operator: string, extra: string[] = []) =>
  runCli(['sign', report, '--key', key, '--operator', operator, ...extra], { env: gitless })
const verify = (report: string, extra: string[] = [], cwd?: string) => runCli(['verify', report, '--allowed-signers', allowed, ...extra], { cwd })

describe('sign and verify', () => {
  test('sign then verify passes; the sign-off names signer, time, comment and hashes', async () => {
    const report = await finishedReport()
    const signed = await sign(report, kim, 'Kim <kim@example.com>', ['--comment', '점검 결과 확인'])
    expect(signed.code).toBe(0)
    const md = readFileSync(report, 'utf8')
    expect(md).toContain('principal: kim@example.com')
    expect(md).toContain('comment: 점검 결과 확인')
    expect(md).toMatch(/md_sha256: [0-9a-f]{64}/)
    expect(md).toMatch(/json_sha256: [0-9a-f]{64}/)
    expect(md).toMatch(/log_sha256: [0-9a-f]{64}/) // the noisy step's output went to the .log
    expect(md).toContain(msg.sign.checklistUnfinished('unfinished 0/1'))
    const v = await verify(report)
    expect(v.stdout).toContain('kim@example.com')
    expect(v.code).toBe(0)
  })

  test('a key that is not in allowed_signers fails', async () => {
    const report = await finishedReport()
    expect((await sign(report, stranger, 'Mallory <kim@example.com>')).code).toBe(0)
    const v = await verify(report)
    expect(v.code).toBe(1)
    // The real cause, with fingerprints as ssh-keygen prints them: a known principal, another key.
    const fingerprint = (key: string) => spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1]!
    expect(v.stdout).toContain(msg.sign.wrongKey(msg.sign.who(1, 'kim@example.com'), 'kim@example.com', fingerprint(stranger), [fingerprint(kim)], allowed))
  })

  test('the ssh-agent path signs when no key is given', async () => {
    const report = await finishedReport()
    const agent = spawnSync('ssh-agent', ['-s'], { encoding: 'utf8' }).stdout
    const sock = /SSH_AUTH_SOCK=([^;]+);/.exec(agent)![1]!
    const pid = /SSH_AGENT_PID=(\d+);/.exec(agent)![1]!
    try {
      expect(spawnSync('ssh-add', ['-q', lee], { env: { ...process.env, SSH_AUTH_SOCK: sock } }).status).toBe(0)
      const r = await runCli(['sign', report, '--operator', 'Lee <lee@example.com>'], { env: { ...gitless, SSH_AUTH_SOCK: sock } })
      expect(r.code).toBe(0)
      expect((await verify(report)).code).toBe(0)
    } finally {
      process.kill(Number(pid))
    }
  })

  test('history shows runs with status, operator and sign-off state; list shows the last run', async () => {
    const report = await finishedReport()
    await sign(report, kim, 'Kim <kim@example.com>')
    const reports = path.dirname(path.dirname(report))
    const h = await runCli(['history', '--reports', reports, '--json'])
    const entries = JSON.parse(h.stdout) as { runbook: string; status: string; operator: string; signedBy: string[] }[]
    expect(entries).toEqual([expect.objectContaining({ runbook: 'signme', status: 'passed', operator: 'Kim <kim@example.com>', signedBy: ['kim@example.com'] })])
    const text = await runCli(['history', 'signme', '--reports', reports])
    expect(text.stdout).toContain('kim@example.com')
    const list = await runCli(['list', path.dirname(reports), '--reports', reports, '--json'])
    const catalogue = JSON.parse(list.stdout) as { id: string; lastRun: { status: string } | null }[]
    expect(catalogue.find((e) => e.id === 'signme')!.lastRun).toMatchObject({ status: 'passed' })
  })

  test('verify says where the number of approvals came from; without the runbook it needs --approvals', async () => {
    const report = await finishedReport(2)
    await sign(report, kim, 'Kim <kim@example.com>')
    await sign(report, lee, 'Lee <lee@example.com>')
    const json = JSON.parse(readFileSync(report.replace(/\.md$/, '.json'), 'utf8')) as { runbook: { gitCommit: string; path: string } }
    const found = await verify(report)
    expect(found.stdout).toContain(msg.cli.approvals(2, 2))
    expect(found.stdout).toContain(msg.cli.approvalsFromRunbook(`${json.runbook.gitCommit}:${json.runbook.path}`))
    expect(found.code).toBe(0)
    // The runbook's repository is gone: fail, then pass on the verifier's word, which the output names.
    rmSync(path.join(path.dirname(json.runbook.path), '.git'), { recursive: true })
    const unknown = await verify(report)
    expect(unknown.code).toBe(1)
    expect(unknown.stdout).toContain(msg.cli.approvalsUnknown(2))
    expect(unknown.stdout).toContain('--approvals N')
    const given = await verify(report, ['--approvals', '2'])
    expect(given.code).toBe(0)
    expect(given.stdout).toContain(msg.cli.approvals(2, 2))
    expect(given.stdout).toContain(msg.cli.approvalsFromVerifier('').split('(--approvals)')[0]!)
    expect((await verify(report, ['--approvals', '3'])).code).toBe(1)
    const bad = await verify(report, ['--approvals', 'two'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(msg.cli.badApprovals('two'))
    expect((await runCli(['verify', '--help'])).stdout).toContain('--approvals')
  })

  test('the schema version 1 fixture report verifies through the CLI, approvals from its commit', async () => {
    const dir = tempDir('rb-fixture-')
    const fixture = path.join(ROOT, 'test', 'fixtures', 'reports', 'v1')
    cpSync(fixture, path.join(dir, 'reports'), { recursive: true })
    cpSync(path.join(fixture, 'signme.md'), path.join(dir, 'repo', 'signme.md'))
    const commit = commitFiles(path.join(dir, 'repo'), ['signme.md'])
    const r = await runCli(['verify', path.join(dir, 'reports', 'signme-090000.md'), '--allowed-signers', path.join(dir, 'reports', 'allowed_signers')], { cwd: path.join(dir, 'repo') })
    expect(r.stdout).toContain(msg.cli.approvalsFromRunbook(`${commit}:signme.md`))
    expect(r.code, r.stdout).toBe(0)
  })
})
