// Exclusive runs, and a reports folder that cannot take the results.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { reportFiles, runCli, tempDir, writeRunbook } from '../helpers/cli.js'

const PG = process.env.RB_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const exclusive = (flagFile: string, extraFront = '') => `---
id: exclusive-${path.basename(path.dirname(flagFile))}
exclusive: true
${extraFront}---
# 한 번에 하나

\`\`\`bash {id=hold timeout=30s destructive="writes the test's hand-shake file"}
touch ${flagFile}
for i in $(seq 1 100); do [ -f ${flagFile}.release ] && break; sleep 0.1; done
\`\`\`
`

async function waitFor(file: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${file}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('exclusive runbooks', () => {
  // The PostgreSQL lock and a lock left by a dead process are tested in-process (test/run/lock.test.ts).
  {
    const kind: string = 'local lock file'
    test(`a second run is refused while the first holds the ${kind}, naming who`, async () => {
      const dir = tempDir('rb-lock-')
      const flag = path.join(dir, 'holding')
      const front = kind === 'PostgreSQL advisory lock' ? `env:\n  DATABASE_URL: { required: true, description: DB }\n` : ''
      const file = writeRunbook(dir, 'exclusive.md', exclusive(flag, front))
      const env = { RUNBOOK_LOCK_DIR: path.join(dir, 'locks'), ...(front ? { DATABASE_URL: PG } : {}) }
      const first = runCli(['run', file, '--yes', '--reports', path.join(dir, 'r1'), '--operator', 'First Op <first@example.com>'], { env })
      await waitFor(flag)
      const second = await runCli(['run', file, '--yes', '--reports', path.join(dir, 'r2'), '--operator', 'Second Op <second@example.com>'], { env })
      writeFileSync(`${flag}.release`, '')
      expect(second.code).toBe(3)
      expect(second.stderr).toContain('first@example.com')
      expect(second.stderr).toContain(path.join(dir, 'locks'))
      expect(reportFiles(path.join(dir, 'r2'))).toHaveLength(0)
      expect((await first).code).toBe(0)
      // Released at the end: a third run goes through.
      writeFileSync(`${flag}.release`, '')
      const third = await runCli(['run', file, '--yes', '--reports', path.join(dir, 'r3')], { env })
      expect(third.code).toBe(0)
    }, 60_000)
  }

})

describe('a reports folder that cannot take the results', () => {
  const mounts: string[] = []
  afterAll(() => {
    for (const m of mounts) spawnSync('umount', ['-l', m])
  })

  test('unwritable for the operator (an unprivileged user): a clear error before the first step', async () => {
    const dir = tempDir('rb-perm-')
    chmodSync(dir, 0o755)
    const canary = path.join(dir, 'canary')
    const file = writeRunbook(dir, 'perm.md', `# 권한\n\n\`\`\`bash {safe="test"}\ntouch ${canary}\n\`\`\`\n`)
    const reports = path.join(dir, 'reports')
    mkdirSync(reports, { mode: 0o755 }) // owned by root: nobody cannot write
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, path.resolve('bin/runbook'), 'run', file, '--reports', reports], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/tmp', NO_COLOR: '1' },
      timeout: 30_000,
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('reports')
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(canary)).toBe(false)
  })

  test('the disk fills during the run: the next step does not start, the error is clear, what was recorded stays', async () => {
    const dir = tempDir('rb-full-')
    const reports = path.join(dir, 'reports')
    mkdirSync(reports)
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', reports])
    if (mounted.status !== 0) {
      console.warn('cannot mount a tmpfs here; skipping the disk-full case')
      return
    }
    mounts.push(reports)
    chownSync(reports, 0, 0)
    const after = path.join(dir, 'after-ran')
    const file = writeRunbook(
      dir,
      'full.md',
      `# 디스크 가득

\`\`\`bash {id=small}
echo small
\`\`\`

\`\`\`bash {id=fills}
head -c 3000000 /dev/urandom | base64
\`\`\`

\`\`\`bash {id=after destructive="writes the marker that shows it ran"}
touch ${after}
\`\`\`
`,
    )
    // --yes: were the step started, nothing (no guard, no question) would keep it from writing the marker.
    const r = await runCli(['run', file, '--yes', '--reports', reports])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('ENOSPC')
    expect(r.stderr).toContain(`runbook resume ${reportFiles(reports)[0]!}`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(after)).toBe(false)
    const journal = reportFiles(reports)[0]!.replace(/\.md$/, '.journal.jsonl')
    expect(existsSync(journal)).toBe(true)
    // What finished before is still there.
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(journal, 'utf8')).toMatch(/"step-finished".*"id":"small".*"status":"passed"/)
    spawnSync('umount', ['-l', reports])
    mounts.pop()
  })
})
