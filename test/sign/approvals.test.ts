// Where verify takes the number of approvals from: the runbook at the commit the report records
// (real git in a temp repository; the test setup isolates HOME and git's global config), never the
// report's JSON; when that runbook cannot be found, only from the verifier's --approvals.
import { createHash } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { runRunbook } from '../../src/runner/run/run.js'
import { signReport, verifyReport } from '../../src/runner/sign/sign.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { tempDir, writeRunbook } from '../helpers/cli.js'
import { commitFiles, git, makeSigners, signmeRunbook } from '../helpers/sign.js'
import { fixedClock } from '../run/fakes.js'

const { allowed, kim, lee } = makeSigners()
const out = () => new PassThrough() as unknown as NodeJS.WriteStream
const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex')

async function run(dir: string): Promise<string> {
  const r = await runRunbook({ file: path.join(dir, 'signme.md'), reports: path.join(dir, 'reports'), prompts: null, operator: 'Kim <kim@example.com>', out: out(), now: fixedClock })
  expect(r.exitCode).toBe(EXIT.ok)
  return r.reportPath
}

const signBy = async (report: string, ...who: ('kim' | 'lee')[]) => {
  for (const w of who) await signReport({ report, key: w === 'kim' ? kim : lee, operator: w === 'kim' ? 'Kim <kim@example.com>' : 'Lee <lee@example.com>', now: fixedClock })
}

/** Rewrites a value in both the JSON and the Markdown front matter, as a signer could before signing. */
function editRecord(report: string, edits: [string, string][]): void {
  for (const file of [report, report.replace(/\.md$/, '.json')]) {
    let text = readFileSync(file, 'utf8')
    for (const [from, to] of edits) {
      expect(text, file).toContain(from)
      text = text.split(from).join(to)
    }
    writeFileSync(file, text)
  }
}

describe('approvals come from the runbook at the recorded commit', () => {
  test('read with git at the recorded commit, whatever HEAD and the working file say now', async () => {
    const dir = tempDir('rb-appr-')
    writeRunbook(dir, 'signme.md', signmeRunbook(2))
    const commit = commitFiles(dir, ['signme.md'])
    const report = await run(dir)
    // Later the runbook is relaxed, committed, and the working file relaxed further: not the run's rules.
    writeRunbook(dir, 'signme.md', signmeRunbook(1))
    commitFiles(dir, ['signme.md'], 'relax')
    writeFileSync(path.join(dir, 'signme.md'), signmeRunbook(1).replace('approvals: 1', 'approvals: 1\ntitle: x'))
    await signBy(report, 'kim')
    const one = await verifyReport(report, allowed)
    expect(one.approvals).toMatchObject({ required: 2, counted: 1, source: { from: 'runbook', where: `${commit}:${path.join(dir, 'signme.md')}` } })
    expect(one.problems).toEqual([msg.sign.needsApprovals(2, 1, ['kim@example.com'])])
    // --approvals can raise the number, never lower it.
    expect((await verifyReport(report, allowed, { approvals: 1 })).approvals.required).toBe(2)
    await signBy(report, 'lee')
    expect((await verifyReport(report, allowed)).ok).toBe(true)
    const raised = await verifyReport(report, allowed, { approvals: 3 })
    expect(raised.approvals).toMatchObject({ required: 3, source: { from: 'verifier' } })
    expect(raised.ok).toBe(false)
  })

  test('a runbook outside git: verify fails, unless the verifier gives --approvals, and says so', async () => {
    const dir = tempDir('rb-appr-')
    writeRunbook(dir, 'signme.md', signmeRunbook(1))
    const report = await run(dir)
    await signBy(report, 'kim')
    const v = await verifyReport(report, allowed)
    expect(v.ok).toBe(false)
    expect(v.problems).toEqual([msg.sign.approvalsUnknown(msg.sign.noCommit)])
    expect(v.approvals.required).toBeNull()
    const given = await verifyReport(report, allowed, { approvals: 1 })
    expect(given.problems).toEqual([])
    expect(given.ok).toBe(true)
    expect(given.approvals).toMatchObject({ required: 1, source: { from: 'verifier', why: msg.sign.noCommit } })
    expect((await verifyReport(report, allowed, { approvals: 2 })).problems).toEqual([msg.sign.needsApprovals(2, 1, ['kim@example.com'])])
  })

  test('a dirty run (the working file differed from the commit): the blob sha256 does not match; fails unless --approvals', async () => {
    const dir = tempDir('rb-appr-')
    writeRunbook(dir, 'signme.md', signmeRunbook(2))
    const commit = commitFiles(dir, ['signme.md'])
    const working = signmeRunbook(1)
    writeRunbook(dir, 'signme.md', working)
    const report = await run(dir)
    expect(JSON.parse(readFileSync(report.replace(/\.md$/, '.json'), 'utf8')).runbook.gitDirty).toBe(true)
    await signBy(report, 'kim')
    const where = `${commit}:${path.join(dir, 'signme.md')}`
    const v = await verifyReport(report, allowed)
    expect(v.problems).toEqual([msg.sign.approvalsUnknown(msg.sign.ranUncommitted(where, sha(signmeRunbook(2)), sha(working)))])
    const given = await verifyReport(report, allowed, { approvals: 1 })
    expect(given.ok).toBe(true)
    expect(given.approvals.source).toEqual({ from: 'verifier', why: msg.sign.ranUncommitted(where, sha(signmeRunbook(2)), sha(working)) })
  })

  test('a commit the repository does not have, a commit that is not a name, a folder that is gone', async () => {
    const dir = tempDir('rb-appr-')
    writeRunbook(dir, 'signme.md', signmeRunbook(2))
    const commit = commitFiles(dir, ['signme.md'])
    const report = await run(dir)
    const unknown = 'f'.repeat(40)
    editRecord(report, [[commit, unknown]])
    await signBy(report, 'kim')
    const v = await verifyReport(report, allowed)
    expect(v.ok).toBe(false)
    expect(v.problems).toHaveLength(1)
    expect(v.problems[0]).toContain(msg.sign.notInGit(`${unknown}:${path.join(dir, 'signme.md')}`, '').slice(0, -3))
    expect((await verifyReport(report, allowed, { approvals: 1 })).ok).toBe(true)

    const second = await run(dir)
    editRecord(second, [[commit, '--output=/tmp/x']])
    await signBy(second, 'kim')
    expect((await verifyReport(second, allowed)).problems).toEqual([msg.sign.approvalsUnknown(msg.sign.badCommit('--output=/tmp/x'))])

    const third = await run(dir)
    await signBy(third, 'kim', 'lee')
    expect((await verifyReport(third, allowed)).ok).toBe(true)
    renameSync(dir, `${dir}-gone`)
    const gone = await verifyReport(third.replace(dir, `${dir}-gone`), allowed)
    expect(gone.problems).toEqual([msg.sign.approvalsUnknown(msg.sign.runbookFolderGone(dir))])
  })

  test('a commit edited in the JSON only: the Markdown and the JSON disagree', async () => {
    const dir = tempDir('rb-appr-')
    writeRunbook(dir, 'signme.md', signmeRunbook(1))
    const commit = commitFiles(dir, ['signme.md'])
    const report = await run(dir)
    writeRunbook(dir, 'signme.md', signmeRunbook(1).replace('# ', '# x'))
    const other = commitFiles(dir, ['signme.md'], 'other')
    const json = report.replace(/\.md$/, '.json')
    writeFileSync(json, readFileSync(json, 'utf8').replace(commit, other))
    await signBy(report, 'kim')
    const v = await verifyReport(report, allowed)
    expect(v.problems).toContain(msg.sign.frontMatterDiffers('git_commit', JSON.stringify(commit), JSON.stringify(other)))
    expect(v.ok).toBe(false)
  })

  test('replace refs in the repository do not substitute another runbook for the committed one', async () => {
    const dir = tempDir('rb-appr-')
    writeRunbook(dir, 'signme.md', signmeRunbook(2))
    const commit = commitFiles(dir, ['signme.md'])
    const report = await run(dir)
    writeFileSync(path.join(dir, 'relaxed.md'), signmeRunbook(1))
    const relaxed = git(dir, ['hash-object', '-w', 'relaxed.md'])
    git(dir, ['replace', git(dir, ['rev-parse', `${commit}:signme.md`]), relaxed])
    expect(git(dir, ['show', `${commit}:signme.md`])).toContain('approvals: 1') // git itself now shows the replacement
    await signBy(report, 'kim')
    const v = await verifyReport(report, allowed)
    expect(v.approvals).toMatchObject({ required: 2, source: { from: 'runbook' } })
    expect(v.problems).toEqual([msg.sign.needsApprovals(2, 1, ['kim@example.com'])])
  })
})
