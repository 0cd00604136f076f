// signReport and verifyReport in-process with throwaway SSH keys (ssh-keygen is real; the report
// comes from an in-process run with a fixed clock). The CLI's output and exit codes, and the
// ssh-agent path, are the end-to-end tier's (test/e2e/sign.test.ts).
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { EXIT, RunbookError } from '../../src/runner/model/errors.js'
import { resumeRun, runRunbook } from '../../src/runner/run/run.js'
import { localIso } from '../../src/runner/report/time.js'
import { signReport, verifyReport } from '../../src/runner/sign/sign.js'
import { signText } from '../../src/runner/sign/ssh.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { tempDir, writeRunbook } from '../helpers/cli.js'
import { commitFiles, makeSigners, signmeRunbook } from '../helpers/sign.js'
import { FIXED, fixedClock } from '../run/fakes.js'

const { allowed, kim, lee, stranger } = makeSigners()

const out = () => new PassThrough() as unknown as NodeJS.WriteStream

async function finishedReport(approvals = 1, extraStep = ''): Promise<string> {
  const dir = tempDir('rb-sign-')
  const file = writeRunbook(dir, 'signme.md', signmeRunbook(approvals, extraStep))
  commitFiles(dir, ['signme.md']) // approvals are read from the runbook as committed
  const r = await runRunbook({ file, reports: path.join(dir, 'reports'), prompts: null, operator: 'Kim <kim@example.com>', out: out(), now: fixedClock })
  expect(r.exitCode).toBe(EXIT.ok)
  return r.reportPath
}

const sign = (report: string, key: string, operator: string, comment?: string) => signReport({ report, key, operator, comment, now: fixedClock })

describe('sign and verify', () => {
  test('sign then verify passes; the sign-off names signer, time, comment, checklist and hashes', async () => {
    const report = await finishedReport()
    const { statement } = await sign(report, kim, 'Kim <kim@example.com>', '점검 결과 확인')
    expect(statement).toMatchObject({ principal: 'kim@example.com', comment: '점검 결과 확인', signedAt: localIso(FIXED), checklist: 'unfinished 0/1' })
    expect(statement.logSha256).toMatch(/^[0-9a-f]{64}$/) // the noisy step's output went to the .log
    const md = readFileSync(report, 'utf8')
    expect(md).toContain(msg.sign.checklistUnfinished('unfinished 0/1'))
    const v = await verifyReport(report, allowed)
    expect(v.problems).toEqual([])
    expect(v.ok).toBe(true)
    expect(v.signoffs.map((s) => [s.principal, s.valid])).toEqual([['kim@example.com', true]])
  })

  test('a block signed in the words of another language still verifies', async () => {
    const report = await finishedReport()
    await sign(report, kim, 'Kim <kim@example.com>')
    const md = readFileSync(report, 'utf8')
    const { allMessages } = await import('../../src/runner/terminal/messages/index.js')
    const other = md.replace(allMessages.ko.sign.blockHeading('Kim \\<kim@example.com\\>'), allMessages.en.sign.blockHeading('Kim \\<kim@example.com\\>')).replace(allMessages.ko.sign.noComment, allMessages.en.sign.noComment).replace(allMessages.ko.sign.checklistUnfinished('unfinished 0/1'), allMessages.en.sign.checklistUnfinished('unfinished 0/1'))
    expect(other).toContain(allMessages.en.sign.noComment)
    writeFileSync(report, other)
    expect((await verifyReport(report, allowed)).problems).toEqual([])
  })

  test('changing any single byte of the Markdown, the JSON or the log fails verification', async () => {
    const report = await finishedReport()
    await sign(report, kim, 'Kim <kim@example.com>')
    const base = report.replace(/\.md$/, '')
    const tamper = async (file: string, find: string, replace: string) => {
      const bytes = readFileSync(file)
      const text = bytes.toString()
      expect(text).toContain(find)
      writeFileSync(file, text.replace(find, replace))
      const v = await verifyReport(report, allowed)
      writeFileSync(file, bytes)
      return v.ok
    }
    expect(await tamper(report, 'hello operator', 'hello operatoR')).toBe(false)
    expect(await tamper(report, 'status: "passed"', 'status: "failed"')).toBe(false)
    expect(await tamper(report, '- [ ] 결과 검토', '- [x] 결과 검토')).toBe(false)
    expect(await tamper(`${base}.json`, '"passed"', '"failed"')).toBe(false)
    expect(await tamper(`${base}.log`, 'noisy line 7 ', 'noisy line 8 ')).toBe(false)
    expect(await tamper(report, 'comment: ', 'comment: x')).toBe(false)
    expect((await verifyReport(report, allowed)).ok).toBe(true) // restored
  })

  test('a key that is not in allowed_signers fails', async () => {
    const report = await finishedReport()
    await sign(report, stranger, 'Mallory <kim@example.com>')
    const v = await verifyReport(report, allowed)
    expect(v.ok).toBe(false)
    expect(v.signoffs[0]!.valid).toBe(false)
  })

  test('approvals: 2 needs two different principals; the same principal twice does not do', async () => {
    const report = await finishedReport(2)
    await sign(report, kim, 'Kim <kim@example.com>')
    await sign(report, kim, 'Kim <kim@example.com>')
    const twice = await verifyReport(report, allowed)
    expect(twice.problems).toEqual([msg.sign.needsApprovals(2, 1, ['kim@example.com'])])
    await sign(report, lee, 'Lee <lee@example.com>')
    expect((await verifyReport(report, allowed)).ok).toBe(true)
  })

  test('a step that prints a fake sign-off block, even a validly signed one, does not fool verify', async () => {
    const statement = 'runbook-report-signoff v1\nreport: x.md\n'
    const signature = await signText(statement, lee)
    const dir = tempDir('rb-fake-')
    writeFileSync(path.join(dir, 'fake.txt'), `**결과 · hello: ✅ passed**\n\n## 서명 · Lee\n\n\`\`\`runbook-signoff\n${statement}\n${signature}\`\`\`\n`)
    const report = await finishedReport(1, `\n\`\`\`bash {id=faker}\ncat ${path.join(dir, 'fake.txt')}\n\`\`\`\n`)
    expect((await verifyReport(report, allowed)).problems).toContain(msg.sign.notSigned)
    await sign(report, kim, 'Kim <kim@example.com>')
    const v = await verifyReport(report, allowed)
    expect(v.ok).toBe(true)
    expect(v.signoffs).toHaveLength(1)
  })

  test('a signed report is never resumed; an unfinished one is never signed', async () => {
    const dir = tempDir('rb-sign-')
    const file = writeRunbook(dir, 'fails.md', '# 실패\n\n```bash {id=boom}\nexit 3\n```\n')
    const { reportPath } = await runRunbook({ file, reports: path.join(dir, 'reports'), prompts: null, operator: 'Kim <kim@example.com>', out: out(), now: fixedClock })
    await sign(reportPath, kim, 'Kim <kim@example.com>', '실패 확인')
    const before = readFileSync(reportPath)
    const resumed = await resumeRun({ report: reportPath, prompts: null, out: out() }).catch((e: unknown) => e)
    expect(resumed).toBeInstanceOf(RunbookError)
    expect((resumed as RunbookError).message).toBe(msg.run.reportSigned)
    expect(readFileSync(reportPath).equals(before)).toBe(true)
    writeFileSync(reportPath.replace(/\.md$/, '.journal.jsonl'), '')
    await expect(sign(reportPath, kim, 'Kim <kim@example.com>')).rejects.toThrow(msg.sign.incomplete)
  })
})
