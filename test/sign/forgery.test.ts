// Forgeries of a signed report that verify must catch, each done the way a signer who wants fewer
// approvals, or an editor after the fact, would do it: on the real files, with real ssh-keygen
// keys and a runbook committed in a real git repository.
import { execFileSync } from 'node:child_process'
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { runRunbook } from '../../src/runner/run/run.js'
import { signReport, verifyReport } from '../../src/runner/sign/sign.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { tempDir, writeRunbook } from '../helpers/cli.js'
import { commitFiles, makeSigners, signmeRunbook } from '../helpers/sign.js'
import { fixedClock } from '../run/fakes.js'

const { allowed, kim, lee, stranger } = makeSigners()
const out = () => new PassThrough() as unknown as NodeJS.WriteStream

async function finishedReport(approvals = 1): Promise<string> {
  const dir = tempDir('rb-forge-')
  writeRunbook(dir, 'signme.md', signmeRunbook(approvals))
  commitFiles(dir, ['signme.md'])
  const r = await runRunbook({ file: path.join(dir, 'signme.md'), reports: path.join(dir, 'reports'), prompts: null, operator: 'Kim <kim@example.com>', out: out(), now: fixedClock })
  expect(r.exitCode).toBe(EXIT.ok)
  return r.reportPath
}

const sign = (report: string, key: string, operator: string, comment?: string) => signReport({ report, key, operator, comment, now: fixedClock })
const fingerprint = (key: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1]!
const pub = (key: string) => readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
/** 1-based line of the first line of `text` that equals `line` after `from`. */
const lineOf = (text: string, line: string, from = 0) => text.split('\n').findIndex((l, i) => i >= from && l === line) + 1

describe('forgeries verify catches', () => {
  test('approvals edited in the JSON (2 → 1) before signing once: the committed runbook still asks for 2', async () => {
    const report = await finishedReport(2)
    const json = report.replace(/\.md$/, '.json')
    const edited = readFileSync(json, 'utf8').replace('"approvals": 2', '"approvals": 1')
    expect(edited).toContain('"approvals": 1')
    writeFileSync(json, edited)
    await sign(report, kim, 'Kim <kim@example.com>')
    const v = await verifyReport(report, allowed)
    expect(v.ok).toBe(false)
    expect(v.problems).toEqual([msg.sign.needsApprovals(2, 1, ['kim@example.com'])])
    expect(v.approvals).toMatchObject({ required: 2, counted: 1, source: { from: 'runbook' } })
    // A second person's signature is what it takes.
    await sign(report, lee, 'Lee <lee@example.com>')
    expect((await verifyReport(report, allowed)).problems).toEqual([])
  })

  test('one key allowed for *@ops.test signing as two principals counts once; two keys count twice', async () => {
    const signers = path.join(tempDir('rb-ops-'), 'allowed_signers')
    writeFileSync(signers, `*@ops.test ${pub(kim)}\nlee@ops.test ${pub(lee)}\n`)
    const report = await finishedReport(2)
    await sign(report, kim, 'A <a@ops.test>')
    await sign(report, kim, 'B <b@ops.test>')
    const v = await verifyReport(report, signers)
    expect(v.signoffs.map((s) => s.valid)).toEqual([true, true])
    expect(v.signoffs[0]!.key).toBe(v.signoffs[1]!.key)
    expect(v.approvals).toMatchObject({ required: 2, counted: 1, principals: ['a@ops.test', 'b@ops.test'] })
    expect(v.problems).toEqual([msg.sign.needsApprovals(2, 1, ['a@ops.test', 'b@ops.test'])])
    await sign(report, lee, 'Lee <lee@ops.test>')
    const two = await verifyReport(report, signers)
    expect(two.approvals.counted).toBe(2)
    expect(two.ok).toBe(true)
  })

  test('any byte after the last sign-off fails, whitespace included', async () => {
    const report = await finishedReport()
    await sign(report, kim, 'Kim <kim@example.com>')
    const signed = readFileSync(report)
    const lines = signed.toString().split('\n').length
    for (const extra of ['\n', ' ', '\u00a0', '\r\n', 'approved by everyone\n', '<!-- -->']) {
      appendFileSync(report, extra)
      const v = await verifyReport(report, allowed)
      expect(v.ok, JSON.stringify(extra)).toBe(false)
      expect(v.problems).toEqual([msg.sign.addedAfter(lines, Buffer.byteLength(extra))])
      writeFileSync(report, signed)
    }
    expect((await verifyReport(report, allowed)).ok).toBe(true)
  })

  test('a signer missing from allowed_signers: the message names the principal and the file', async () => {
    const report = await finishedReport()
    await sign(report, stranger, 'Mallory <mallory@example.com>')
    const v = await verifyReport(report, allowed)
    expect(v.ok).toBe(false)
    const who = msg.sign.who(1, 'mallory@example.com')
    expect(v.problems).toContain(msg.sign.principalNotAllowed(who, 'mallory@example.com', allowed))
    expect(v.problems.join('\n')).toContain(allowed)
  })

  test('a known principal signing with another key: the message says it is the wrong key', async () => {
    const report = await finishedReport()
    await sign(report, stranger, 'Kim <kim@example.com>')
    const v = await verifyReport(report, allowed)
    const who = msg.sign.who(1, 'kim@example.com')
    // Fingerprints as ssh-keygen itself prints them, not as verify computes them.
    expect(v.signoffs[0]!.key).toBe(fingerprint(stranger))
    expect(v.problems).toContain(msg.sign.wrongKey(who, 'kim@example.com', fingerprint(stranger), [fingerprint(kim)], allowed))
    expect(v.problems.some((p) => p.includes('Could not verify'))).toBe(false)
  })

  test('a changed status line inside a sign-off block names the sign-off and the line', async () => {
    const report = await finishedReport()
    await sign(report, kim, 'Kim <kim@example.com>')
    const text = readFileSync(report, 'utf8')
    const fence = lineOf(text, '```runbook-signoff')
    writeFileSync(report, text.replace(/^status: passed$/m, 'status: failed'))
    const line = lineOf(readFileSync(report, 'utf8'), 'status: failed', fence)
    expect(line).toBeGreaterThan(fence)
    const v = await verifyReport(report, allowed)
    const who = msg.sign.who(1, 'kim@example.com')
    expect(v.problems).toContain(msg.sign.fieldChanged(who, line, 'status', 'failed', 'passed'))
    expect(v.problems.some((p) => p.startsWith(msg.sign.addedAfter(0, 0).split('(')[0]!))).toBe(false)
    expect(v.ok).toBe(false)
  })

  test('a changed visible line of a sign-off block (its comment) names that line', async () => {
    const report = await finishedReport()
    await sign(report, kim, 'Kim <kim@example.com>', 'looked fine')
    const text = readFileSync(report, 'utf8')
    const from = lineOf(text, '```runbook-signoff') - 8
    writeFileSync(report, text.replace(' · looked fine', ' · looked fine, approved for both teams'))
    const line = text.split('\n').findIndex((l, i) => i >= from && l.endsWith(' · looked fine')) + 1
    const v = await verifyReport(report, allowed)
    expect(v.problems).toEqual([msg.sign.blockChanged(msg.sign.who(1, 'kim@example.com'), line)])
  })

  test.each([
    ['the signed signed_at line', /^signed_at: .*$/m, 'signed_at: 2020-01-01T00:00:00+00:00'],
    ['the signed comment line', /^comment: looked fine$/m, 'comment: approved for both teams'],
    ['the visible heading', /^## (.*) · Kim .*$/m, '## $1 · Lee \\<lee@example.com\\>'],
  ])('a change to %s inside a sign-off block names that line', async (_what, find, replace) => {
    const report = await finishedReport()
    await sign(report, kim, 'Kim <kim@example.com>', 'looked fine')
    const text = readFileSync(report, 'utf8')
    const changed = text.replace(find, replace)
    expect(changed).not.toBe(text)
    writeFileSync(report, changed)
    const line = changed.split('\n').findIndex((l, i) => l !== text.split('\n')[i]) + 1
    const v = await verifyReport(report, allowed)
    expect(v.problems).toContain(msg.sign.blockChanged(msg.sign.who(1, 'kim@example.com'), line))
    expect(v.ok).toBe(false)
  })

  test('changed report text names the first changed line when the report can be rendered again from its JSON and runbook', async () => {
    const report = await finishedReport()
    await sign(report, kim, 'Kim <kim@example.com>')
    const text = readFileSync(report, 'utf8')
    const line = text.split('\n').findIndex((l) => l.includes('hello operator') && !l.includes('echo')) + 1
    expect(line).toBeGreaterThan(0)
    writeFileSync(report, text.replace(/^(.*)hello operator(?!")/m, '$1hello auditor'))
    const who = msg.sign.who(1, 'kim@example.com')
    const v = await verifyReport(report, allowed)
    expect(v.problems).toEqual([msg.sign.markdownChangedAt(who, line)])
    // Without the runbook (folder moved away, no --approvals) the text cannot be rebuilt: no line is guessed.
    const dir = path.dirname(path.dirname(path.dirname(report)))
    renameSync(dir, `${dir}-moved`)
    const moved = report.replace(dir, `${dir}-moved`)
    const blind = await verifyReport(moved, allowed, { approvals: 1 })
    expect(blind.problems).toEqual([msg.sign.markdownChanged(who)])
  })
})
