// What an attempt that did not pass left behind, where the step declares it (`leaves=`), is in
// the record: for a runner killed with -9 mid-step, when the run is resumed, and again after the
// resumed attempt fails.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { BIN, readReport, reportFiles, runCli, tempDir, writeRunbook } from '../helpers/cli.js'

describe('leftovers', () => {
  test('a failed attempt lists them in the report; a runner killed mid-step has them listed on resume', async () => {
    const dir = tempDir('rb-left-')
    const out = path.join(dir, 'out')
    mkdirSync(out)
    const file = writeRunbook(
      dir,
      'left.md',
      `# 남은 파일\n\n\`\`\`bash {id=dump destructive leaves=$OUT/*.partial}\necho half > "$OUT/dump.partial"\ntest -f "$OUT/go" || sleep 30\nfalse\n\`\`\`\n`,
    )
    const reports = path.join(dir, 'reports')
    const env = { OUT: out }
    // Killed with -9 while the step sleeps.
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'run', file, '--yes', '--reports', reports], { env: { PATH: process.env.PATH, HOME: process.env.HOME, OUT: out }, stdio: 'ignore' })
      const poll = setInterval(() => {
        if (existsSync(path.join(out, 'dump.partial'))) {
          clearInterval(poll)
          setTimeout(() => child.kill('SIGKILL'), 200)
        }
      }, 20)
      child.on('exit', () => resolve())
    })
    const [md] = reportFiles(reports)
    writeFileSync(path.join(out, 'go'), '')
    const resumed = await runCli(['resume', md!, '--yes'], { env })
    expect(resumed.code).toBe(1) // the step fails again (`false`)
    const { json, md: text } = readReport(md!)
    const step = (json.steps as unknown as { leftovers?: string[]; earlier?: { status: string; leftovers?: string[] }[] }[])[0]!
    expect(step.earlier?.[0]).toMatchObject({ status: 'interrupted', leftovers: [expect.stringContaining('dump.partial')] })
    expect(step.leftovers).toEqual([expect.stringContaining('dump.partial')])
    expect(text).toContain('dump.partial')
  }, 60_000)
})
