// `runbook run` and `runbook resume` through the real CLI, without a TTY (as cron runs them): the
// binary's exit codes, signals, kill -9 and resume, the env a target or the sandbox gives, secrets
// in every artefact. The logic of the walk is tested in-process (test/run/).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'

/** A message of the catalogue with its numbers (111111, 222222) matching any number. */
function messagePattern(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/111111|222222/g, '\\d+'))
}

function alive(marker: string): boolean {
  return spawnSync('pgrep', ['-f', marker]).status === 0
}

async function goneSoon(marker: string, ms = 4000): Promise<boolean> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (!alive(marker)) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return !alive(marker)
}

function setup(name: string, body: string) {
  const dir = tempDir()
  const file = writeRunbook(dir, name, body)
  const reports = path.join(dir, 'reports')
  return { dir, file, reports }
}

const canaryRunbook = (canary: string) => `---
id: canary
---
# 카나리아

## 준비

\`\`\`bash {id=before}
echo before
\`\`\`

## 파일 만들기

\`\`\`bash {id=make-canary destructive="creates the canary"}
touch ${canary}
\`\`\`

## 그 다음

\`\`\`bash {id=after}
echo after
\`\`\`
`

describe('safety gates without a TTY', () => {
  test('a destructive step is blocked: canary not created, later steps not-run, exit 3', async () => {
    const { dir, file, reports } = setup('canary.md', '')
    const canary = path.join(dir, 'canary')
    writeFileSync(file, canaryRunbook(canary))
    const r = await runCli(['run', file, '--reports', reports])
    expect(r.code).toBe(3)
    expect(existsSync(canary)).toBe(false)
    const [report] = reportFiles(reports)
    const { json, md } = readReport(report!)
    expect(json.status).toBe('blocked')
    expect(stepStatus(json)).toEqual({ before: 'passed', 'make-canary': 'blocked', after: 'not-run' })
    expect(md).toContain('blocked')
  })

})

describe('recording', () => {
  test('secrets printed on stdout and stderr, also split across writes, appear in no artefact', async () => {
    const secret = 'S3cr3t-Pa$$w0rd.+*?'
    const { file, reports } = setup(
      'secret.md',
      `---
env:
  API_TOKEN: { secret: true, required: true, description: 토큰 }
---
# 비밀

\`\`\`bash {id=shell-leak}
echo "token=$API_TOKEN"
echo "err=$API_TOKEN" >&2
printf '%s' "\${API_TOKEN:0:5}"; sleep 0.2; printf '%s\\n' "\${API_TOKEN:5}"
\`\`\`

\`\`\`ts {id=ts-leak}
process.stdout.write(env.API_TOKEN.slice(0, 4))
await sleep(100)
console.log(env.API_TOKEN.slice(4))
console.error('db: postgres://app:' + env.API_TOKEN + '@db/excel')
check('has token ' + env.API_TOKEN, true)
\`\`\`

\`\`\`bash {id=huge-leak}
for i in $(seq 1 3000); do echo "line $i $API_TOKEN padding padding padding"; done
\`\`\`
`,
    )
    const r = await runCli(['run', file, '--reports', reports, '--set', `API_TOKEN=${secret}`])
    expect(r.code).toBe(0)
    const md = reportFiles(reports)[0]!
    const base = md.replace(/\.md$/, '')
    const artefacts = [md, `${base}.json`, `${base}.log`].filter(existsSync)
    expect(artefacts.length).toBe(3)
    for (const f of artefacts) expect(readFileSync(f, 'utf8')).not.toContain(secret)
    expect(r.stdout + r.stderr).not.toContain(secret)
    expect(readFileSync(md, 'utf8')).toContain('token=***')
  })

  test('two runs started in the same second get two reports', async () => {
    const { file, reports } = setup('twice.md', "# 두 번\n\n```bash\necho hi\n```\n")
    const [a, b] = await Promise.all([runCli(['run', file, '--reports', reports]), runCli(['run', file, '--reports', reports])])
    expect(a.code).toBe(0)
    expect(b.code).toBe(0)
    const files = reportFiles(reports)
    expect(files).toHaveLength(2)
    expect(new Set(files.map((f) => readReport(f).json.runId)).size).toBe(2)
  })

})

describe('timeouts and failures', () => {
  test('timeout stops the whole process group, backgrounded children too; an infinite TS loop is stopped', async () => {
    const { file, reports } = setup(
      'timeout.md',
      `# 시간 초과

\`\`\`bash {id=slow timeout=2s keep-going}
sleep 4321.5 &
sleep 4321.6
\`\`\`

\`\`\`ts {id=spin timeout=2s keep-going}
while (true) {}
\`\`\`

\`\`\`bash {id=after}
echo still here
\`\`\`
`,
    )
    const r = await runCli(['run', file, '--reports', reports])
    expect(r.code).toBe(1)
    const { json } = readReport(reportFiles(reports)[0]!)
    expect(stepStatus(json)).toEqual({ slow: 'timed-out', spin: 'timed-out', after: 'passed' })
    expect(await goneSoon('sleep 4321.5')).toBe(true)
    expect(await goneSoon('sleep 4321.6')).toBe(true)
  })

  test('resume refuses a changed runbook unless --force', async () => {
    const { file, reports } = setup('changed.md', "# 변경\n\n```bash {id=a}\nfalse\n```\n")
    await runCli(['run', file, '--reports', reports])
    const [md] = reportFiles(reports)
    writeFileSync(file, "# 변경\n\n```bash {id=a}\ntrue\n```\n")
    const refused = await runCli(['resume', md!])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(msg.run.runbookChanged(file, '', '').split(':')[0]!)
    const forced = await runCli(['resume', md!, '--force'])
    expect(forced.code).toBe(0)
  })
})

describe('interrupts', () => {
  test('SIGINT stops the step, saves the report with the step interrupted, exits 130, leaves no children', async () => {
    const { file, reports } = setup(
      'sigint.md',
      `# 중단

\`\`\`bash {id=first}
echo first
\`\`\`

\`\`\`bash {id=long}
sleep 4322.7
\`\`\`

\`\`\`bash {id=never}
echo never
\`\`\`
`,
    )
    const r = await runCli(['run', file, '--reports', reports], {
      onSpawn: (child) => {
        const poll = setInterval(() => {
          if (alive('sleep 4322.7')) {
            clearInterval(poll)
            child.kill('SIGINT')
          }
        }, 100)
      },
    })
    expect(r.code).toBe(130)
    const { json } = readReport(reportFiles(reports)[0]!)
    expect(json.status).toBe('interrupted')
    expect(stepStatus(json)).toEqual({ first: 'passed', long: 'interrupted', never: 'not-run' })
    expect(await goneSoon('sleep 4322.7')).toBe(true)
  })

  test('SIGTERM stops the run the same way, without asking; kill -9 leaves a journal that resume continues', async () => {
    const { dir, file, reports } = setup('sigterm.md', '')
    const flag = path.join(dir, 'second-ok')
    const fast = path.join(dir, 'fast')
    writeFileSync(
      file,
      `# 종료

\`\`\`bash {id=long}
if [ -f ${fast} ]; then echo fast; else sleep 4323.8; fi
\`\`\`

\`\`\`bash {id=second destructive="writes a flag file"}
touch ${flag}
\`\`\`
`,
    )
    const stopWith = (signal: NodeJS.Signals) => (child: import('node:child_process').ChildProcess) => {
      const poll = setInterval(() => {
        if (alive('sleep 4323.8')) {
          clearInterval(poll)
          child.kill(signal)
        }
      }, 100)
    }
    const term = await runCli(['run', file, '--reports', reports], { onSpawn: stopWith('SIGTERM') })
    expect(term.code).toBe(130)
    const [md] = reportFiles(reports)
    expect(stepStatus(readReport(md!).json)).toEqual({ long: 'interrupted', second: 'not-run' })
    expect(await goneSoon('sleep 4323.8')).toBe(true)

    const killedReports = path.join(dir, 'killed')
    const killed = await runCli(['run', file, '--reports', killedReports], { onSpawn: stopWith('SIGKILL') })
    expect(killed.signal).toBe('SIGKILL')
    const [killedMd] = reportFiles(killedReports)
    expect(existsSync(killedMd!.replace(/\.md$/, '.journal.jsonl'))).toBe(true)
    // The next history and verify see the run as incomplete.
    const history = await runCli(['history', '--reports', killedReports, '--json'])
    expect(JSON.parse(history.stdout)[0].status).toBe('incomplete')
    const verify = await runCli(['verify', killedMd!, '--allowed-signers', file])
    expect(verify.code).not.toBe(0)
    expect(verify.stderr).toContain(msg.sign.incomplete)
    // The killed step's process group outlived the runner; resume stops it and says so.
    expect(alive('sleep 4323.8')).toBe(true)
    writeFileSync(fast, '')
    const resumed = await runCli(['resume', killedMd!, '--yes'])
    expect(resumed.stdout + resumed.stderr).toMatch(messagePattern(msg.run.leftoversStopped(111_111, 'long', 222_222)))
    expect(await goneSoon('sleep 4323.8')).toBe(true)
    expect(resumed.code).toBe(0)
    const { json } = readReport(killedMd!)
    expect(stepStatus(json)).toEqual({ long: 'passed', second: 'passed' })
    expect(json.resumes).toHaveLength(1)
    expect(existsSync(flag)).toBe(true)
  }, 60_000)
})

describe('environment precedence', () => {
  const envRunbook = `---
env:
  DATABASE_URL: { required: true, secret: true, description: DB }
  APP_URL: { default: "http://default" }
---
# env

\`\`\`bash {id=show}
echo "app=$APP_URL"
echo "db-host=\${DATABASE_URL#*@}"
\`\`\`
`
  test('--target env file beats an exported production URL; --set beats the target', async () => {
    const { dir, file, reports } = setup('env.md', envRunbook)
    mkdirSync(path.join(dir, 'environments'))
    writeFileSync(path.join(dir, 'environments', 'staging.env'), 'DATABASE_URL=postgres://u:pw@staging-db/app\nAPP_URL=http://staging\n')
    const prod = { DATABASE_URL: 'postgres://u:pw@PRODUCTION-db/app', APP_URL: 'http://production' }
    const r = await runCli(['run', file, '--target', 'staging', '--reports', reports], { cwd: dir, env: prod })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('db-host=staging-db/app')
    expect(r.stdout).toContain('app=http://staging')
    expect(r.stdout).not.toContain('PRODUCTION')
    const { json } = readReport(reportFiles(reports)[0]!)
    expect(json.target).toBe('staging')

    const s = await runCli(['run', file, '--target', 'staging', '--set', 'APP_URL=http://override', '--reports', reports], { cwd: dir, env: prod })
    expect(s.stdout).toContain('app=http://override')
  })

  test('--sandbox reads .sandbox/env, never the exported production URL', async () => {
    const { dir, file, reports } = setup('env.md', envRunbook)
    mkdirSync(path.join(dir, '.sandbox'))
    writeFileSync(path.join(dir, '.sandbox', 'env'), 'DATABASE_URL=postgres://sandbox@127.0.0.1/excelapp_sandbox\n')
    const r = await runCli(['run', file, '--sandbox', '--reports', reports], { cwd: dir, env: { DATABASE_URL: 'postgres://u:pw@PRODUCTION-db/app' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('db-host=127.0.0.1/excelapp_sandbox')
    expect(r.stdout).toContain('app=http://default')
  })

  test('a missing required env var or input without a TTY is exit 2 and runs nothing', async () => {
    const { file, reports } = setup('env.md', envRunbook)
    const r = await runCli(['run', file, '--reports', reports])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('DATABASE_URL')
    expect(reportFiles(reports)).toHaveLength(0)

    const withInput = setup('input.md', `---\ninputs:\n  severity: { type: choice, choices: [P0, P1, P2, P3], description: 장애 등급 }\n---\n# x\n\n\`\`\`bash\necho $RUNBOOK_INPUT\n\`\`\`\n`)
    const missing = await runCli(['run', withInput.file, '--reports', withInput.reports])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('severity')
    const bad = await runCli(['run', withInput.file, '--input', 'severity=P9', '--reports', withInput.reports])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('P0, P1, P2, P3')
    const good = await runCli(['run', withInput.file, '--input', 'severity=P1', '--reports', withInput.reports])
    expect(good.code).toBe(0)
    expect(readReport(reportFiles(withInput.reports)[0]!).json.inputs).toEqual({ severity: 'P1' })
  })
})

describe('the daily health check on this machine', () => {
  test('runs for real: checks fail honestly where a service is absent, no hang', async () => {
    const dir = tempDir()
    const reports = path.join(dir, 'reports')
    const started = Date.now()
    const r = await runCli(
      [
        'run',
        'runbooks/daily/health-check.md',
        '--reports',
        reports,
        '--set',
        'APP_URL=http://127.0.0.1:9',
        '--set',
        'FORMULA_ENGINE_URL=http://127.0.0.1:9',
        '--set',
        `DATABASE_URL=${process.env.RB_TEST_PG_ADMIN_URL}`,
        '--set',
        `REDIS_URL=${process.env.RB_TEST_REDIS_URL}`,
      ],
      { timeoutMs: 60_000 },
    )
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(r.code).toBe(1)
    const { json } = readReport(reportFiles(reports)[0]!)
    const statuses = stepStatus(json)
    expect(statuses['app-up']).toBe('failed')
    expect(statuses['formula-engine-health']).toBe('failed')
    expect(json.steps.find((s) => s.id === 'app-up')!.checks[0]!.ok).toBe(false)
    // PostgreSQL and Redis run on this machine (or the suite's throwaway servers).
    expect(statuses['db-ping']).toBe('passed')
    expect(statuses['redis-ping']).toBe('passed')
  })
})
