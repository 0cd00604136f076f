// `runRunbook` and `resumeRun` in-process, without a terminal (as cron runs them): temp folders,
// the real shell and TS executors, a fixed clock. The real binary's exit codes, signals and pty are
// the end-to-end tier's (test/e2e/run.test.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXIT, RunbookError } from '../../src/runner/model/errors.js'
import { resumeRun, runRunbook, type RunOptions } from '../../src/runner/run/run.js'
import { localIso, reportDate } from '../../src/runner/report/time.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'
import { FIXED, fixedClock, OPERATOR, sink } from './fakes.js'

function setup(name: string, body: string) {
  const dir = tempDir('rb-run-')
  const file = writeRunbook(dir, name, body)
  return { dir, file, reports: path.join(dir, 'reports') }
}

/** A run without a terminal, at 09:00 on 2026-11-26 whatever the time. */
function run(file: string, reports: string, opts: Partial<RunOptions> = {}) {
  return runRunbook({ file, reports, prompts: null, operator: OPERATOR, out: sink(), now: fixedClock, ...opts })
}

async function refusal(promise: Promise<unknown>): Promise<RunbookError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RunbookError)
  return error as RunbookError
}

const canaryRunbook = (canary: string) => `---
id: canary
---
# 카나리아

\`\`\`bash {id=before}
echo before
\`\`\`

\`\`\`bash {id=make-canary destructive="creates the canary"}
touch ${canary}
\`\`\`

\`\`\`bash {id=after}
echo after
\`\`\`
`

describe('safety gates without a TTY', () => {
  test('--yes runs the destructive step and records the consent', async () => {
    const { dir, file, reports } = setup('canary.md', '')
    const canary = path.join(dir, 'canary')
    writeFileSync(file, canaryRunbook(canary))
    const { record, exitCode, reportPath } = await run(file, reports, { yes: true })
    expect(exitCode).toBe(EXIT.ok)
    expect(existsSync(canary)).toBe(true)
    expect(record.steps[1]!.consent).toEqual({ by: 'flag', who: OPERATOR, how: msg.run.howFlag, at: localIso(FIXED) })
    expect(readReport(reportPath).md).toContain('--yes')
  })

  test('--dry-run skips destructive shell steps and passes', async () => {
    const { dir, file, reports } = setup('canary.md', '')
    const canary = path.join(dir, 'canary')
    writeFileSync(file, canaryRunbook(canary))
    const { record, exitCode } = await run(file, reports, { dryRun: true })
    expect(exitCode).toBe(EXIT.ok)
    expect(existsSync(canary)).toBe(false)
    expect(record.steps.map((s) => s.status)).toEqual(['passed', 'skipped', 'passed'])
  })

  test('a $ command whose name comes from a value cannot be proven read-only: the undeclared TS step is blocked', async () => {
    const { dir, file, reports } = setup('ts-cmd.md', '')
    const victim = path.join(dir, 'victim')
    writeFileSync(victim, 'keep me')
    writeFileSync(
      file,
      `# 동적 명령\n\n\`\`\`ts {id=dynamic}\nconst verb: string = ['r', 'm'].join('')\nawait $\`\${verb} -f ${victim}\`\n\`\`\`\n\n\`\`\`ts {id=later}\nconsole.log('later')\n\`\`\`\n`,
    )
    const { record, exitCode } = await run(file, reports)
    expect(exitCode).toBe(EXIT.blocked)
    expect(readFileSync(victim, 'utf8')).toBe('keep me')
    expect(record.steps.map((s) => s.status)).toEqual(['blocked', 'not-run'])
    // The judge fails closed at plan time; the run-time `$` gate has its own tests (test/executors/ts-gate*.test.ts).
    expect(record.steps[0]!.reasons.join('\n')).toContain('${verb} -f')
  })
})

describe('recording', () => {
  test('every time in the report comes from the clock given', async () => {
    const { file, reports } = setup('clock.md', '# 시계\n\n```bash {id=a}\necho a\n```\n')
    const { record, reportPath } = await run(file, reports)
    const at = localIso(FIXED)
    expect([record.started, record.finished, record.steps[0]!.started, record.steps[0]!.finished]).toEqual([at, at, at, at])
    expect(path.basename(path.dirname(reportPath))).toBe(reportDate(FIXED))
    expect(path.basename(reportPath)).toBe('clock-090000.md')
  })

  test('state flows from a shell step to a TS step; TypeScript annotations run; failed checks are the reason', async () => {
    const { file, reports } = setup(
      'state.md',
      `# 상태

\`\`\`bash {id=publish}
echo "BACKUP_FILE=/var/backups/x.sql.gz" >> "$RUNBOOK_OUTPUT"
\`\`\`

\`\`\`ts {id=consume}
interface Backup { file: string }
const b: Backup = { file: String(state.BACKUP_FILE) }
check('state has backup file', b.file === '/var/backups/x.sql.gz', b.file)
check('env has backup file', env.BACKUP_FILE === '/var/backups/x.sql.gz')
state.seen = true
\`\`\`

\`\`\`bash {id=env-later}
test "$BACKUP_FILE" = /var/backups/x.sql.gz
\`\`\`

\`\`\`ts {id=checks keep-going}
check('one', true)
check('two', false)
check('three', false)
\`\`\`
`,
    )
    const { record } = await run(file, reports)
    expect(record.state).toMatchObject({ BACKUP_FILE: '/var/backups/x.sql.gz', seen: true })
    expect(record.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'failed'])
    expect(record.steps[3]!.reason).toBe(msg.run.checksFailed(['two', 'three']))
  })

  test('an unwritable reports folder is an error before any step runs', async () => {
    const { dir, file } = setup('canary.md', '')
    const canary = path.join(dir, 'canary')
    writeFileSync(file, canaryRunbook(canary).replace(' destructive="creates the canary"', ' safe="test"'))
    writeFileSync(path.join(dir, 'afile'), '')
    const error = await refusal(run(file, path.join(dir, 'afile', 'reports')))
    expect(error.exitCode).toBe(EXIT.usage)
    expect(existsSync(canary)).toBe(false)
  })
})

describe('links', () => {
  test("a runbook's relative link leads to the same file from the report", async () => {
    const dir = tempDir('rb-links-')
    mkdirSync(path.join(dir, 'runbooks', 'incident'), { recursive: true })
    writeFileSync(path.join(dir, 'runbooks', 'incident', 'triage.md'), '# 분류\n')
    const file = writeRunbook(path.join(dir, 'runbooks', 'incident'), 'db.md', '# DB\n\n[분류](triage.md)를 함께 보세요.\n\n```bash {id=a}\ntrue\n```\n')
    const { reportPath } = await run(file, path.join(dir, 'reports'))
    const target = /\[분류\]\(([^)]+)\)/.exec(readReport(reportPath).md)![1]!
    expect(target).not.toBe('triage.md')
    expect(existsSync(path.resolve(path.dirname(reportPath), target))).toBe(true)
  })
})

describe('the .log', () => {
  test('kept when the report shows only part of an output, even one cut by its line count alone', async () => {
    const { file, reports } = setup('lines.md', '# 줄\n\n```bash {id=many}\nseq 1 300\n```\n')
    const { reportPath } = await run(file, reports)
    const { md, json, log } = readReport(reportPath)
    expect((json.steps[0] as unknown as { outputTruncated: boolean }).outputTruncated).toBe(false)
    expect(md).toContain(path.basename(reportPath).replace(/\.md$/, '.log'))
    expect(log).toContain('\n300\n')
  })
})

describe('selection and skip rules', () => {
  const body = `# 선택

\`\`\`bash {id=one}
echo one
\`\`\`

\`\`\`bash {id=needs-tool requires=no-such-tool-xyz}
echo never
\`\`\`

\`\`\`bash {id=probed probe="echo docker not running >&2; exit 1"}
echo never
\`\`\`

\`\`\`bash {id=example skip}
rm -rf /
\`\`\`

\`\`\`bash {id=tty-only interactive}
vim
\`\`\`

\`\`\`bash {id=three}
echo three
\`\`\`
`
  test('requires, probe and skip skip with the reason; an interactive step is blocked without a TTY', async () => {
    const { file, reports } = setup('skips.md', body)
    const { record, exitCode } = await run(file, reports)
    expect(exitCode).toBe(EXIT.blocked)
    expect(Object.fromEntries(record.steps.map((s) => [s.id, s.status]))).toEqual({
      one: 'passed',
      'needs-tool': 'skipped',
      probed: 'skipped',
      example: 'skipped',
      'tty-only': 'blocked',
      three: 'not-run',
    })
    const reason = (id: string) => record.steps.find((s) => s.id === id)!.reason
    expect(reason('needs-tool')).toBe(msg.run.missingCommands(['no-such-tool-xyz']))
    expect(reason('probed')).toBe(msg.run.probeFailed('echo docker not running >&2; exit 1', 'docker not running'))
    expect(reason('example')).toBe(msg.run.exampleStep)
    expect(reason('tty-only')).toBe(msg.run.interactiveNoTty)
  })

  test('--step runs one step, --from starts later; an unknown id or both flags is a usage error', async () => {
    const { file, reports } = setup('skips.md', body)
    expect((await run(file, reports, { step: 'three' })).exitCode).toBe(EXIT.ok)
    const from = await run(file, path.join(reports, 'b'), { from: 'three' })
    expect(from.record.steps.map((s) => s.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'passed'])
    const unknown = await refusal(run(file, reports, { step: 'nope' }))
    expect(unknown.exitCode).toBe(EXIT.usage)
    expect(unknown.message).toBe(msg.run.noSuchStep('nope', ['one', 'needs-tool', 'probed', 'example', 'tty-only', 'three']))
    expect((await refusal(run(file, reports, { step: 'one', from: 'three' }))).message).toBe(msg.run.stepAndFrom)
    expect((await refusal(run(file, reports, { target: 'x', sandbox: true }))).message).toBe(msg.run.targetAndSandbox)
  })
})

describe('inputs and env without a TTY', () => {
  const withInput = `---\ninputs:\n  severity: { type: choice, choices: [P0, P1, P2, P3], description: 장애 등급 }\nenv:\n  API_TOKEN: { required: true, secret: true, description: 토큰 }\n---\n# x\n\n\`\`\`bash\necho "$INPUT_SEVERITY"\n\`\`\`\n`
  test('a missing env var or input, or a bad choice, is a usage error and records nothing', async () => {
    const { file, reports } = setup('input.md', withInput)
    const sets = { API_TOKEN: 't0ken' }
    expect((await refusal(run(file, reports, { inputs: { severity: 'P1' } }))).message).toBe(msg.run.envMissing('API_TOKEN (토큰)'))
    expect((await refusal(run(file, reports, { sets }))).message).toBe(msg.run.inputMissing('severity', '장애 등급'))
    expect((await refusal(run(file, reports, { sets, inputs: { severity: 'P9' } }))).message).toBe(
      msg.run.inputInvalid('severity', msg.run.expectedChoice(['P0', 'P1', 'P2', 'P3'], 'P9')),
    )
    expect((await refusal(run(file, reports, { sets, inputs: { nope: '1' } }))).message).toBe(msg.run.unknownInput(['nope'], ['severity']))
    expect(reportFiles(reports)).toHaveLength(0)
    const good = await run(file, reports, { sets, inputs: { severity: 'P1' } })
    expect(good.record.inputs).toEqual({ severity: 'P1' })
    expect(good.record.steps[0]!.output).toBe('P1\n')
  })
})

describe('resume', () => {
  test('a failing step stops the run; resume after fixing the cause runs only the rest', async () => {
    const { dir, file, reports } = setup('resume.md', '')
    const flag = path.join(dir, 'ready')
    const counter = path.join(dir, 'count')
    writeFileSync(counter, '') // declared with writes=: the one path the step may write under the OS guard
    writeFileSync(file, `# 재개\n\n\`\`\`bash {id=first writes=${counter} safe="appends to the declared counter file"}\necho x >> ${counter}\n\`\`\`\n\n\`\`\`bash {id=needs-flag}\ntest -f ${flag}\n\`\`\`\n\n\`\`\`bash {id=last}\necho done\n\`\`\`\n`)
    const first = await run(file, reports)
    expect(first.exitCode).toBe(EXIT.failed)
    expect(stepStatus(readReport(first.reportPath).json)).toEqual({ first: 'passed', 'needs-flag': 'failed', last: 'not-run' })

    writeFileSync(flag, '')
    const later = new Date(FIXED.getTime() + 3_600_000)
    const resumed = await resumeRun({ report: first.reportPath, prompts: null, operator: OPERATOR, out: sink(), now: () => later })
    expect(resumed.exitCode).toBe(EXIT.ok)
    const { json } = readReport(first.reportPath)
    expect(json.status).toBe('passed')
    expect(stepStatus(json)).toEqual({ first: 'passed', 'needs-flag': 'passed', last: 'passed' })
    expect(json.resumes).toEqual([{ at: localIso(later), operator: OPERATOR, fromStep: 'needs-flag', options: { yes: false, auto: false } }])
    expect(readFileSync(counter, 'utf8')).toBe('x\n') // the passed step did not run again
    // The failed attempt is kept beside the one that passed.
    const needsFlag = (json.steps as unknown as { id: string; earlier?: { status: string }[] }[]).find((s) => s.id === 'needs-flag')!
    expect(needsFlag.earlier?.map((a) => a.status)).toEqual(['failed'])
    expect(reportFiles(reports)).toHaveLength(1)
    expect((await refusal(resumeRun({ report: first.reportPath, prompts: null, out: sink() }))).message).toBe(msg.run.alreadyPassed)
  })

  test('resuming a --step run touches no other step, and a --dry-run run stays a dry run; --yes is not inherited', async () => {
    const { dir, file, reports } = setup('scope.md', '')
    const flag = path.join(dir, 'ready')
    const canary = path.join(dir, 'canary')
    writeFileSync(canary, 'intact')
    writeFileSync(file, `# 범위\n\n\`\`\`bash {id=wipe destructive}\nrm -f ${canary}\n\`\`\`\n\n\`\`\`bash {id=chosen}\ntest -f ${flag}\n\`\`\`\n`)
    const first = await runRunbook({ file, step: 'chosen', yes: true, auto: true, reports, prompts: null, operator: OPERATOR, out: sink(), now: () => FIXED })
    expect(first.exitCode).toBe(EXIT.failed)
    writeFileSync(flag, '')
    // Resumed with --yes by someone else: still only the chosen step.
    const resumed = await resumeRun({ report: first.reportPath, yes: true, prompts: null, operator: OPERATOR, out: sink(), now: () => FIXED })
    expect(resumed.exitCode).toBe(EXIT.ok)
    expect(readFileSync(canary, 'utf8')).toBe('intact')
    const { json, md } = readReport(first.reportPath)
    expect(stepStatus(json)).toEqual({ wipe: 'skipped', chosen: 'passed' })
    expect((json as unknown as { options: { step?: string; yes: boolean } }).options).toMatchObject({ step: 'chosen', yes: true })
    expect(md).toContain('--yes')

    const dry = setup('dry.md', `# 미리보기\n\n\`\`\`bash {id=check}\ntest -f ${path.join(dir, 'later')}\n\`\`\`\n\n\`\`\`bash {id=wipe destructive}\nrm -f ${canary}\n\`\`\`\n`)
    const dryRun = await runRunbook({ file: dry.file, dryRun: true, reports: dry.reports, prompts: null, operator: OPERATOR, out: sink(), now: () => FIXED })
    expect(dryRun.exitCode).toBe(EXIT.failed)
    writeFileSync(path.join(dir, 'later'), '')
    const dryResumed = await resumeRun({ report: dryRun.reportPath, yes: true, prompts: null, operator: OPERATOR, out: sink(), now: () => FIXED })
    expect(readFileSync(canary, 'utf8')).toBe('intact')
    expect(stepStatus(readReport(dryResumed.reportPath).json)).toMatchObject({ check: 'passed' })
    expect(readReport(dryResumed.reportPath).json.steps.find((s) => s.id === 'wipe')!.status).not.toBe('passed')
  })

  test('resume refuses a changed runbook unless --force', async () => {
    const { file, reports } = setup('changed.md', '# 변경\n\n```bash {id=a}\nfalse\n```\n')
    const { reportPath } = await run(file, reports)
    writeFileSync(file, '# 변경\n\n```bash {id=a}\ntrue\n```\n')
    const refused = await refusal(resumeRun({ report: reportPath, prompts: null, out: sink(), now: fixedClock }))
    expect(refused.exitCode).toBe(EXIT.usage)
    expect(refused.message).toMatch(/^\S/)
    expect(refused.message).toContain(file)
    const forced = await resumeRun({ report: reportPath, prompts: null, out: sink(), now: fixedClock, force: true })
    expect(forced.exitCode).toBe(EXIT.ok)
  })
})
