// A report signed under the released format (schema version 1), committed as a fixture: it must
// verify on every run, so that a change which breaks reports signed in the field turns this red.
// See test/fixtures/reports/README.md; never re-make the fixture to make this pass.
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { verifyReport } from '../../src/runner/sign/sign.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { ROOT, tempDir } from '../helpers/cli.js'
import { commitFiles } from '../helpers/sign.js'

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'reports', 'v1')
const REPORT = 'signme-090000.md'

/** The fixture copied to a temp folder, and its runbook committed again in a temp repository. */
function setUp(): { report: string; signers: string; repo: string; commit: string } {
  const dir = tempDir('rb-fixture-')
  cpSync(FIXTURE, path.join(dir, 'reports'), { recursive: true })
  const repo = path.join(dir, 'repo')
  cpSync(path.join(FIXTURE, 'signme.md'), path.join(repo, 'signme.md'))
  const commit = commitFiles(repo, ['signme.md'])
  return { report: path.join(dir, 'reports', REPORT), signers: path.join(dir, 'reports', 'allowed_signers'), repo, commit }
}

describe('the schema version 1 fixture report', () => {
  test('is what it says it is: schema version 1, two sign-offs of the v1 statement', () => {
    const json = JSON.parse(readFileSync(path.join(FIXTURE, 'signme-090000.json'), 'utf8')) as { schemaVersion: number }
    expect(json.schemaVersion).toBe(1)
    const md = readFileSync(path.join(FIXTURE, REPORT), 'utf8')
    expect(md).toContain('schema_version: 1\n')
    expect(md.match(/^runbook-report-signoff v1$/gm)).toHaveLength(2)
  })

  test('verifies, with its two approvals read from the runbook at the commit it records', async () => {
    const { report, signers, repo, commit } = setUp()
    const recorded = JSON.parse(readFileSync(report.replace(/\.md$/, '.json'), 'utf8')) as { runbook: { gitCommit: string } }
    expect(commit).toBe(recorded.runbook.gitCommit)
    const v = await verifyReport(report, signers, { cwd: repo })
    expect(v.problems).toEqual([])
    expect(v.ok).toBe(true)
    expect(v.signoffs.map((s) => [s.principal, s.valid])).toEqual([
      ['kim@example.com', true],
      ['lee@example.com', true],
    ])
    expect(v.approvals).toEqual({ required: 2, principals: ['kim@example.com', 'lee@example.com'], counted: 2, source: { from: 'runbook', where: `${commit}:signme.md` } })
  })

  test('away from its repository it verifies only with --approvals, and any edit still fails it', async () => {
    const { report, signers } = setUp()
    const elsewhere = tempDir('rb-nowhere-')
    const v = await verifyReport(report, signers, { cwd: elsewhere })
    expect(v.ok).toBe(false)
    expect(v.problems).toHaveLength(1)
    expect(v.problems[0]!.startsWith(msg.sign.approvalsUnknown('').split(':')[0]!)).toBe(true)
    expect((await verifyReport(report, signers, { cwd: elsewhere, approvals: 2 })).ok).toBe(true)
    writeFileSync(report, readFileSync(report, 'utf8').replace('hello operator', 'hello auditor'))
    expect((await verifyReport(report, signers, { cwd: elsewhere, approvals: 2 })).ok).toBe(false)
  })

  test('verified from anywhere when the report lies in the repository that holds the runbook', async () => {
    const { repo, commit } = setUp()
    cpSync(FIXTURE, path.join(repo, 'reports'), { recursive: true })
    const v = await verifyReport(path.join(repo, 'reports', REPORT), path.join(repo, 'reports', 'allowed_signers'), { cwd: tempDir('rb-nowhere-') })
    expect(v.problems).toEqual([])
    expect(v.approvals.source).toEqual({ from: 'runbook', where: `${commit}:signme.md` })
  })
})
