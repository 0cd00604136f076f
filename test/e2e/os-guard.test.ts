// The OS guard through the real binary, without a TTY: the run's header says it is available; a step
// declared safe that writes a canary, and one that tries to remount / first, leave it intact and
// record os-readonly; a guarded step's timeout stops all of its processes; without a TTY and without
// --yes a destructive step is still blocked (exit 3) before any guard is involved.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, runCli, tempDir, writeRunbook } from '../helpers/cli.js'
import { gone } from '../executors/helpers.js'

const fence = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`

function setup(body: (canary: string) => string) {
  const dir = tempDir('rb-e2e-guard-')
  const canary = path.join(dir, 'canary')
  writeFileSync(canary, 'intact\n')
  const file = writeRunbook(dir, 'guard.md', body(canary))
  const reports = path.join(dir, 'reports')
  return { dir, canary, file, reports, report: () => readReport(reportFiles(reports)[0]!) }
}

describe('the OS guard, real binary', () => {
  test('safe step writing the canary, and one remounting / first: canary intact, both recorded os-readonly', async () => {
    const { canary, file, reports, report } = setup(
      (c) =>
        `# 보호\n\n${fence('bash {id=liar safe="only reads" keep-going}', `echo changed > ${c}`)}\n` +
        fence('bash {id=remount safe="only reads"}', `mount -o remount,rw / || true\nunshare -m true || true\necho changed > ${c}`),
    )
    const r = await runCli(['run', file, '--reports', reports])
    expect(r.code, r.stderr).toBe(EXIT.failed)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect(r.stdout).toContain(msg.executors.guardHeader(msg.executors.guardAvailable('/usr/bin/bwrap')))
    const { json, md } = report()
    const steps = json.steps as unknown as { id: string; status: string; guard?: { held: string }; output: string }[]
    expect(steps.map((s) => [s.id, s.status, s.guard?.held])).toEqual([
      ['liar', 'failed', 'os-readonly'],
      ['remount', 'failed', 'os-readonly'],
    ])
    expect(steps[0]!.output).toContain(canary)
    expect(md).toContain('os-readonly')
  })

  test('TS steps: fs.writeFileSync in a safe step, a remount then a write (--yes lets the $ gate pass it), a $ command writing: canary intact, os-readonly, EROFS with the path', async () => {
    const { canary, file, reports, report } = setup(
      (c) =>
        `# 보호\n\n${fence('ts {id=ts-liar safe="only reads" keep-going}', `fs.writeFileSync(${JSON.stringify(c)}, "changed\\n")`)}\n` +
        `${fence('ts {id=ts-remount safe="only reads" keep-going}', `await $\`mount -o remount,rw /\`.nothrow()\nfs.writeFileSync(${JSON.stringify(c)}, "changed\\n")`)}\n` +
        fence('ts {id=ts-dollar safe="only reads"}', `await $\`echo changed > ${c}\``),
    )
    const r = await runCli(['run', file, '--reports', reports, '--yes'])
    expect(r.code, r.stderr).toBe(EXIT.failed)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    const { json, md } = report()
    const steps = json.steps as unknown as { id: string; status: string; reason?: string; guard?: { held: string }; commands: { command: string }[] }[]
    expect(steps.map((s) => [s.id, s.status, s.guard?.held])).toEqual([
      ['ts-liar', 'failed', 'os-readonly'],
      ['ts-remount', 'failed', 'os-readonly'],
      ['ts-dollar', 'failed', 'os-readonly'],
    ])
    expect(steps[0]!.reason).toMatch(/EROFS/)
    expect(steps[0]!.reason).toContain(canary)
    expect(steps[1]!.reason).toContain(canary)
    expect(steps[1]!.commands.map((c) => c.command)).toEqual(['mount -o remount,rw /'])
    expect(steps[2]!.reason).toMatch(/Read-only file system/)
    expect(md).toContain('os-readonly')
  })

  test('a destructive step without a TTY and without --yes: blocked, exit 3, canary intact', async () => {
    const { canary, file, reports } = setup((c) => `# 보호\n\n${fence('bash {id=wipe destructive="removes it"}', `rm -f ${c}`)}`)
    const r = await runCli(['run', file, '--reports', reports])
    expect(r.code).toBe(EXIT.blocked)
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
  })

  test('a guarded step that times out: bwrap and every process it started are stopped', async () => {
    const marker = `e2e-guard-timeout-${process.pid}`
    const { file, reports, report } = setup(() => `# 보호\n\n${fence('bash {id=slow timeout=1s safe="only sleeps"}', `(exec -a ${marker} sleep 60) &\nsleep 60`)}`)
    const r = await runCli(['run', file, '--reports', reports])
    expect(r.code).toBe(EXIT.failed)
    const step = report().json.steps[0] as unknown as { status: string; guard?: { held: string } }
    expect(step).toMatchObject({ status: 'timed-out', guard: { held: 'os-readonly' } })
    expect(await gone(marker)).toBe(true)
  })
})
