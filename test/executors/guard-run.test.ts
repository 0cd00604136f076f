// The OS guard in a whole run, in-process without a terminal: which guard held each step is recorded
// in the record, the JSON and the report; a `safe` step that writes anyway fails with the path named
// and changes nothing; `writes=` opens exactly its path; RUNBOOK_GUARD=required refuses to start on a
// machine without the guard (the detector injected); a probe whose sudo cannot elevate fails the step.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXIT, RunbookError } from '../../src/runner/model/errors.js'
import { runRunbook, type RunOptions } from '../../src/runner/run/run.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, tempDir, writeRunbook } from '../helpers/cli.js'
import { fixedClock, OPERATOR, sink } from '../run/fakes.js'

function setup(body: (canary: string, dir: string) => string) {
  const dir = tempDir('rb-guard-run-')
  const canary = path.join(dir, 'canary')
  writeFileSync(canary, 'intact\n')
  const file = writeRunbook(dir, 'guarded.md', body(canary, dir))
  return { dir, canary, file, reports: path.join(dir, 'reports') }
}

function run(file: string, reports: string, opts: Partial<RunOptions> = {}) {
  const out = sink()
  return runRunbook({ file, reports, prompts: null, operator: OPERATOR, out, now: fixedClock, ...opts }).then((r) => ({ ...r, screen: out.text() }))
}

const fence = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`

describe('the OS guard in a run', () => {
  test('a step declared safe that writes anyway fails with the path named; the canary is intact; recorded os-readonly', async () => {
    const { canary, file, reports } = setup((c) => `# 보호\n\n${fence('bash {id=liar safe="only reads"}', `echo changed > ${c}`)}\n${fence('bash {id=after}', 'echo after')}`)
    const { record, exitCode, reportPath, screen } = await run(file, reports)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect(exitCode).toBe(EXIT.failed)
    const liar = record.steps[0]!
    expect(liar.status).toBe('failed')
    expect(liar.output).toContain(canary)
    expect(liar.guard).toMatchObject({ held: 'os-readonly' })
    expect(screen).toContain(msg.executors.guardHeader(msg.executors.guardAvailable('/usr/bin/bwrap')))
    const { md, json } = readReport(reportPath)
    expect((json.steps[0] as { guard?: unknown }).guard).toEqual(liar.guard)
    expect(md).toContain(`**${msg.report.guardLabel}** · os-readonly`)
  })

  test.each([
    ['a command in a variable', (c: string) => `CMD=rm; $CMD -f ${c}`],
    ['inline interpreter code', (c: string) => `python3 -c 'import os; os.remove("${c}")'`],
    ['node -e', (c: string) => `node -e 'require("fs").writeFileSync("${c}", "x")'`],
    ['a remount first', (c: string) => `mount -o remount,rw / 2>/dev/null; unshare -m true 2>/dev/null; echo x > ${c}`],
  ])('%s: whatever the judge says (blocked, or run and held), the canary is intact', async (_name, code) => {
    const { canary, file, reports } = setup((c) => `# 보호\n\n${fence('bash {id=sneaky}', code(c))}`)
    const { record, exitCode } = await run(file, reports)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect([EXIT.blocked, EXIT.failed]).toContain(exitCode)
    const step = record.steps[0]!
    if (step.status === 'failed') expect(step.guard).toMatchObject({ held: 'os-readonly' })
    else expect(step.status).toBe('blocked')
  })

  test('writes= opens exactly the declared path; a destructive step runs unguarded with consent', async () => {
    const { dir, canary, file, reports } = setup((c, d) =>
      [
        '# 백업\n',
        fence('bash {id=dump writes=$BACKUP_DIR safe="writes only the backup folder"}', `echo dump > "$BACKUP_DIR/today.sql"\nif echo x > ${c} 2>/dev/null; then echo canary-written; fi\nif echo x > ${d}/sibling 2>/dev/null; then echo sibling-written; fi`),
        fence('bash {id=wipe destructive="removes the canary"}', `rm -f ${c}`),
      ].join('\n'),
    )
    const backups = path.join(dir, 'backups')
    mkdirSync(backups)
    const { record, exitCode } = await run(file, reports, { sets: { BACKUP_DIR: backups }, yes: true })
    expect(exitCode, JSON.stringify(record.steps.map((s) => [s.status, s.reason, s.output]))).toBe(EXIT.ok)
    expect(readFileSync(path.join(backups, 'today.sql'), 'utf8')).toBe('dump\n')
    expect(record.steps[0]!.output).not.toContain('written')
    expect(record.steps[0]!.output).toContain('Read-only file system')
    expect(existsSync(path.join(dir, 'sibling'))).toBe(false)
    expect(record.steps[0]!.guard).toMatchObject({ held: 'os-readonly', writable: [expect.stringContaining('runbook-'), backups] })
    expect(record.steps[1]!.guard).toEqual({ held: 'none', why: msg.executors.guardNoneDestructive })
    expect(existsSync(canary)).toBe(false) // the destructive step, with --yes, did run
  })

  test('writes= naming a system root or the reports folder: the step fails before it starts', async () => {
    for (const wide of ['/etc', '/', 'REPORTS', 'REPORTS/..']) {
      const dir = tempDir('rb-guard-wide-')
      const reports = path.join(dir, 'reports')
      const writes = wide.replace('REPORTS', reports)
      const file = writeRunbook(dir, 'wide.md', `# 보호\n\n${fence(`bash {id=wide writes=${writes}}`, 'echo ran')}`)
      const { record, exitCode } = await run(file, reports, { sets: {} })
      expect(exitCode).toBe(EXIT.failed)
      expect(record.steps[0]!.output).toBe('')
      expect(record.steps[0]!.reason).toContain(`writes=${writes}`)
    }
  })

  test('RUNBOOK_GUARD=required on a machine without the guard: refuses to start (exit 2), records nothing', async () => {
    const { dir, canary, file, reports } = setup((c) => `# 보호\n\n${fence('bash {id=liar safe="only reads"}', `echo changed > ${c}`)}`)
    const envFile = path.join(dir, 'target.env')
    writeFileSync(envFile, 'RUNBOOK_GUARD=required\n')
    const noGuard = async () => ({ available: false as const, why: 'bwrap missing (simulated)' })
    const error = await run(file, reports, { envFile, detectGuard: noGuard }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RunbookError)
    expect((error as RunbookError).exitCode).toBe(EXIT.usage)
    expect((error as RunbookError).message).toBe(msg.executors.guardRequired('bwrap missing (simulated)'))
    expect(reportFiles(reports)).toHaveLength(0)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    // a value it does not know is refused too, rather than read as "not required"
    const typo = await run(file, reports, { sets: { RUNBOOK_GUARD: 'require' }, detectGuard: noGuard }).then(
      () => undefined,
      (e: unknown) => e as RunbookError,
    )
    expect(typo?.exitCode).toBe(EXIT.usage)
    expect(typo?.message).toBe(msg.executors.guardSettingUnknown('require'))
    // without the requirement the same machine runs, saying which guard held (none) and why
    const unguarded = await run(file, reports, { detectGuard: noGuard })
    expect(unguarded.record.steps[0]!.guard).toEqual({ held: 'none', why: msg.executors.guardNoneUnavailable('bwrap missing (simulated)') })
    expect(readFileSync(canary, 'utf8')).toBe('changed\n') // nothing held it: the judge trusted `safe`
    writeFileSync(canary, 'intact\n')
    // and with the guard, the requirement is met
    const held = await run(file, reports, { envFile })
    expect(held.record.steps[0]!.guard).toMatchObject({ held: 'os-readonly' })
    expect(held.record.steps[0]!.status).toBe('failed')
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
  })

  test.each([
    ['a password prompt without a TTY', 'sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper'],
    ['no new privileges', 'sudo: The "no new privileges" flag is set, which prevents sudo from running as root.'],
    ['effective uid is not 0', "sudo: effective uid is not 0, is /usr/bin/sudo on a file system with the 'nosuid' option set or an NFS file system without root privileges?"],
  ])('a probe whose sudo cannot elevate (%s) fails the step with the reason: not skipped, the step never runs', async (_name, line) => {
    const { dir, file, reports } = setup(() => `# 보호\n\n${fence('bash {id=needs-root probe="sudo test -r /etc/shadow"}', 'echo ran > ran.txt')}\n${fence('bash {id=next}', 'echo next')}`)
    const bin = path.join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(path.join(bin, 'sudo'), `#!/bin/sh\necho '${line.replace(/'/g, "'\\''")}' >&2\nexit 1\n`)
    chmodSync(path.join(bin, 'sudo'), 0o755)
    const { record, exitCode } = await run(file, reports, { sets: { PATH: `${bin}:${process.env.PATH}` } })
    expect(exitCode).toBe(EXIT.failed)
    expect(record.steps[0]!.status).toBe('failed')
    expect(record.steps[0]!.reason).toBe(msg.executors.probeSudoFailed(line))
    expect(existsSync(path.join(dir, 'ran.txt'))).toBe(false)
    expect(record.steps[1]!.status).toBe('not-run') // the run stopped at the failure
  })

  test('a probe that fails for another reason still skips the step', async () => {
    const { file, reports } = setup(() => `# 보호\n\n${fence('bash {id=maybe probe="test -e /nonexistent-rb-probe"}', 'echo ran')}`)
    const { record, exitCode } = await run(file, reports)
    expect(exitCode).toBe(EXIT.ok)
    expect(record.steps[0]!.status).toBe('skipped')
  })
})
