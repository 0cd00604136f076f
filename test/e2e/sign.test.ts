// Sign-off and verification with throwaway SSH keys, through the real CLI.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { signText } from '../../src/runner/sign/ssh.js'
import { readReport, reportFiles, runCli, tempDir, writeRunbook } from '../helpers/cli.js'

const keys = tempDir('rb-keys-')
const allowed = path.join(keys, 'allowed_signers')
// Keep the machine's git config (user.signingkey) out of these tests.
const gitless = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }

function makeKey(name: string, principal: string | null): string {
  const file = path.join(keys, name)
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file])
  if (principal) {
    const pub = readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
    writeFileSync(allowed, `${principal} ${pub}\n`, { flag: 'a' })
  }
  return file
}

let kim: string
let lee: string
let stranger: string

beforeAll(() => {
  kim = makeKey('kim', 'kim@example.com')
  lee = makeKey('lee', 'lee@example.com')
  stranger = makeKey('stranger', null)
})

async function finishedReport(approvals = 1, extraStep = ''): Promise<string> {
  const dir = tempDir('rb-sign-')
  const file = writeRunbook(
    dir,
    'signme.md',
    `---
approvals: ${approvals}
---
# 서명할 런북

- [ ] 결과 검토

\`\`\`bash {id=hello}
echo "hello operator"
\`\`\`

\`\`\`bash {id=noisy}
for i in $(seq 1 4000); do echo "noisy line $i ................................"; done
\`\`\`
${extraStep}`,
  )
  const reports = path.join(dir, 'reports')
  const r = await runCli(['run', file, '--reports', reports, '--operator', 'Kim <kim@example.com>'])
  expect(r.code).toBe(0)
  return reportFiles(reports)[0]!
}

const sign = (report: string, key: string, operator: string, extra: string[] = []) =>
  runCli(['sign', report, '--key', key, '--operator', operator, ...extra], { env: gitless })
const verify = (report: string) => runCli(['verify', report, '--allowed-signers', allowed])

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
    expect(md).toContain('체크리스트 미완료')
    const v = await verify(report)
    expect(v.stdout).toContain('kim@example.com')
    expect(v.code).toBe(0)
  })

  test('changing any single byte of the Markdown, the JSON or the log fails verification', async () => {
    const report = await finishedReport()
    expect((await sign(report, kim, 'Kim <kim@example.com>')).code).toBe(0)
    const base = report.replace(/\.md$/, '')
    const original = {
      md: readFileSync(report),
      json: readFileSync(`${base}.json`),
      log: readFileSync(`${base}.log`),
    }
    const tamper = async (file: string, bytes: Buffer, find: string, replace: string) => {
      const text = bytes.toString()
      const at = text.indexOf(find)
      expect(at).toBeGreaterThanOrEqual(0)
      writeFileSync(file, text.slice(0, at) + replace + text.slice(at + find.length))
      const v = await verify(report)
      writeFileSync(file, bytes)
      return v.code
    }
    expect(await tamper(report, original.md, 'hello operator', 'hello operatoR')).toBe(1) // output
    expect(await tamper(report, original.md, 'status: "passed"', 'status: "failed"')).toBe(1) // status
    expect(await tamper(report, original.md, '- [ ] 결과 검토', '- [x] 결과 검토')).toBe(1) // checklist tick
    const started = /started: "([^"]+)"/.exec(original.md.toString())![1]!
    expect(await tamper(report, original.md, started, started.replace(/.$/, (d) => String((Number(d) + 1) % 10)))).toBe(1) // timestamp
    expect(await tamper(`${base}.json`, original.json, '"passed"', '"failed"')).toBe(1)
    expect(await tamper(`${base}.log`, original.log, 'noisy line 7 ', 'noisy line 8 ')).toBe(1)
    expect(await tamper(report, original.md, 'comment: ', 'comment: x')).toBe(1) // the sign-off itself
    expect((await verify(report)).code).toBe(0) // restored
  })

  test('a key that is not in allowed_signers fails', async () => {
    const report = await finishedReport()
    expect((await sign(report, stranger, 'Mallory <kim@example.com>')).code).toBe(0)
    const v = await verify(report)
    expect(v.code).toBe(1)
    expect(v.stdout).toContain('does not verify')
  })

  test('approvals: 2 needs two different principals; the same principal twice does not do', async () => {
    const report = await finishedReport(2)
    expect((await sign(report, kim, 'Kim <kim@example.com>')).code).toBe(0)
    expect((await verify(report)).code).toBe(1)
    expect((await sign(report, kim, 'Kim <kim@example.com>')).code).toBe(0)
    const twice = await verify(report)
    expect(twice.code).toBe(1)
    expect(twice.stdout).toContain('needs 2 sign-offs')
    expect((await sign(report, lee, 'Lee <lee@example.com>')).code).toBe(0)
    expect((await verify(report)).code).toBe(0)
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

  test('a step that prints a fake sign-off block, even a validly signed one, does not fool verify', async () => {
    // A real signature by an allowed key over a statement for another report.
    const statement = 'runbook-report-signoff v1\nreport: x.md\n'
    const signature = await signText(statement, lee)
    const fake = `\n## 서명 · Lee\n\n\`\`\`runbook-signoff\n${statement}\n${signature}\`\`\`\n`
    const dir = tempDir('rb-fake-')
    writeFileSync(path.join(dir, 'fake.txt'), `**결과 · hello: ✅ passed**\n${fake}`)
    const report = await finishedReport(1, `\n\`\`\`bash {id=faker}\ncat ${path.join(dir, 'fake.txt')}\n\`\`\`\n`)
    const unsigned = await verify(report)
    expect(unsigned.code).toBe(1)
    expect(unsigned.stdout).toContain('not signed')
    expect((await sign(report, kim, 'Kim <kim@example.com>')).code).toBe(0)
    const v = await verify(report)
    expect(v.code).toBe(0)
    expect(v.stdout.match(/signed /g)).toHaveLength(1)
    expect(readReport(report).json.steps.find((s) => s.id === 'faker')!.status).toBe('passed')
  })

  test('resuming a signed report is refused', async () => {
    const dir = tempDir('rb-sign-')
    const file = writeRunbook(dir, 'fails.md', "# 실패\n\n```bash {id=boom}\nexit 3\n```\n")
    const reports = path.join(dir, 'reports')
    await runCli(['run', file, '--reports', reports])
    const report = reportFiles(reports)[0]!
    const signed = await sign(report, kim, 'Kim <kim@example.com>', ['--comment', '실패 확인'])
    expect(signed.code).toBe(0)
    expect(signed.stderr).toContain('run failed')
    const before = readFileSync(report)
    const resumed = await runCli(['resume', report])
    expect(resumed.code).toBe(2)
    expect(resumed.stderr).toContain('signed')
    expect(readFileSync(report).equals(before)).toBe(true)
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
})
