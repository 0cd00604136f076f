// The real `runbook` command as a child process: help and version, usage errors, plan/read/list/
// lint on fixtures, and every bad input an operator can hand it.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { FIXTURES, fixture, lineOf, readFixture, ROOT } from '../fixture-helpers.js'

const BIN = path.join(ROOT, 'bin', 'runbook')
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

function runbook(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
  delete env.FORCE_COLOR
  Object.assign(env, options.env)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const STACK_FRAME = /^\s+at /m

/** A usage or input error: exit 2, nothing on stdout, one line on stderr naming the file, no stack. */
function expectOneLineError(r: Result, file: string, line?: number): void {
  const context = JSON.stringify(r)
  expect(r.code, context).toBe(2)
  expect(r.stdout, context).toBe('')
  expect(r.stderr.endsWith('\n'), context).toBe(true)
  expect(r.stderr.trimEnd().split('\n'), context).toHaveLength(1)
  expect(r.stderr, context).not.toMatch(STACK_FRAME)
  expect(r.stderr, context).not.toContain('internal error')
  expect(r.stderr.startsWith(`runbook: ${file}${line === undefined ? ':' : `:${line}:`} `), context).toBe(true)
}

let tmp: string

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'cli.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT })
  tmp = mkdtempSync(path.join(tmpdir(), 'runbook-cli-'))
})

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
})

describe.concurrent('--version and --help', () => {
  test('--version prints the package version', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await runbook([flag])
      expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
    }
  })

  test('--help lists every command', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await runbook([flag])
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      for (const command of ['list', 'read', 'plan', 'lint', 'run', 'resume']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'))
    }
  })

  test('no command at all shows the usage and exits 2', async () => {
    const r = await runbook([])
    expect(r.code).toBe(2)
    expect(r.stdout).toContain('USAGE runbook')
  })

  test.each([
    ['list', ['--json']],
    ['read', ['<FILE>']],
    ['plan', ['<FILE>', '--json']],
    ['lint', ['--json']],
    ['run', ['<FILE>', '--step', '--from', '--auto', '--yes', '--dry-run', '--input', '--target', '--sandbox', '--env-file', '--set', '--operator', '--reports']],
    ['resume', ['<REPORT>', '--yes', '--auto']],
  ])('%s --help describes the command and its options', async (command, mentions) => {
    for (const flag of ['--help', '-h']) {
      const r = await runbook([command, flag])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout).toContain(`USAGE runbook ${command}`)
      for (const m of mentions) expect(r.stdout).toContain(m)
    }
  })

  test('a subcommand\'s --help shows its own usage, not its parent\'s', async () => {
    const up = await runbook(['sandbox', 'up', '--help'])
    expect(up.code, up.stderr).toBe(0)
    expect(up.stdout).toContain('USAGE runbook sandbox up')
    expect(up.stdout).toContain('Start the sandbox')
    expect(up.stdout).not.toContain('up|down|status')
    const down = await runbook(['sandbox', 'down', '-h'])
    expect(down.stdout).toContain('USAGE runbook sandbox down')
    expect(down.stdout).toContain('--purge')
    const brk = await runbook(['sandbox', 'break', '--help'])
    expect(brk.stdout).toContain('USAGE runbook sandbox break')
    expect(brk.stdout).toContain('<FAULT>')
    expect((await runbook(['sandbox', '--help'])).stdout).toContain('USAGE runbook sandbox [OPTIONS] up|down|status|reset|break|heal')
  })

  test('help text honours NO_COLOR and is plain when piped', async () => {
    expect((await runbook(['plan', '--help'])).stdout).not.toContain('\x1b[')
    expect((await runbook(['plan', '--help'], { env: { NO_COLOR: '' } })).stdout).not.toContain('\x1b[')
    expect((await runbook(['plan', '--help'], { env: { NO_COLOR: 'true' } })).stdout).not.toContain('\x1b[')
    expect((await runbook(['plan', '--help'], { env: { NO_COLOR: '', FORCE_COLOR: '1', TEST: '', CI: '' } })).stdout).toContain('\x1b[')
  })

  test('--help wins over a missing argument', async () => {
    expect((await runbook(['plan', '--help'])).code).toBe(0)
    expect((await runbook(['read', 'no-such-file.md', '--help'])).code).toBe(0)
  })
})

describe.concurrent('usage errors', () => {
  test.each([
    [['frobnicate'], /^runbook: unknown command "frobnicate"; commands: list, read, plan, lint, run, resume\b.*\n$/],
    [['plan', '--frob', fixture('every-step.md')], /^runbook: unknown option --frob for `runbook plan`; see `runbook plan --help`\n$/],
    [['read', '-x', fixture('every-step.md')], /^runbook: unknown option -x for `runbook read`/],
    [['lint', '--jsn'], /^runbook: unknown option --jsn for `runbook lint`/],
    [['list', '--dryrun'], /^runbook: unknown option --dryrun for `runbook list`/],
    [['run', '--dryrun', fixture('every-step.md')], /^runbook: unknown option --dryrun for `runbook run`/],
    [['plan'], /^runbook: Missing required positional argument: FILE; see `runbook plan --help`\n$/],
    [['read'], /^runbook: Missing required positional argument: FILE/],
  ])('%j exits 2 with a one-line message', async (args, message) => {
    const r = await runbook(args)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(r.stderr).not.toMatch(STACK_FRAME)
  })
})

describe.concurrent('plan', () => {
  const text = readFixture('every-step.md')

  test('--json has the documented shape', async () => {
    const r = await runbook(['plan', '--json', fixture('every-step.md')])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    const plan = JSON.parse(r.stdout) as {
      runbook: Record<string, unknown>
      steps: Record<string, unknown>[]
      env: Record<string, unknown>[]
      inputs: Record<string, unknown>[]
      checklist: Record<string, unknown>[]
    }
    expect(plan.runbook).toEqual({ id: 'every-step', title: 'Every kind of step', path: 'test/fixtures/every-step.md' })

    const STEP_KEYS = ['id', 'title', 'language', 'line', 'destructive', 'declared', 'reasons', 'skip', 'timeoutMs', 'requires']
    for (const s of plan.steps) {
      for (const key of STEP_KEYS) expect(s, `${String(s.id)}.${key}`).toHaveProperty(key)
      expect(typeof s.id).toBe('string')
      expect(typeof s.line).toBe('number')
      expect(typeof s.destructive).toBe('boolean')
      expect(['destructive', 'critical', 'safe', null]).toContain(s.declared)
      expect(Array.isArray(s.reasons)).toBe(true)
      expect(typeof s.skip).toBe('boolean')
      expect(Number.isInteger(s.timeoutMs)).toBe(true)
      expect(Array.isArray(s.requires)).toBe(true)
    }

    // Only executable languages, each at the line of its opening fence.
    const pick = plan.steps.map((s) => [s.id, s.language, s.line])
    const ids = ['ts-step', 'typescript-step', 'js-step', 'javascript-step', 'bash-restart', 'sh-step', 'shell-undeclared', 'bash-safe', 'sql-read', 'sql-vacuum', 'redis-ping', 'redis-flush', 'example']
    const languages = ['ts', 'typescript', 'js', 'javascript', 'bash', 'sh', 'shell', 'bash', 'sql', 'sql', 'redis', 'redis', 'bash']
    expect(pick).toEqual(ids.map((id, i) => [id, languages[i], lineOf(text, `{id=${id}`)]))

    const by = (id: string) => plan.steps.find((s) => s.id === id)!
    expect(by('ts-step')).toMatchObject({ title: 'TypeScript', declared: null, destructive: false, reasons: [], skip: false, timeoutMs: 10_000, requires: [] })
    expect(by('typescript-step')).toMatchObject({ timeoutMs: 45_000, requires: ['psql', 'jq'] })
    expect(by('sh-step')).toMatchObject({ timeoutMs: 90_000 })
    expect(by('bash-restart')).toMatchObject({ declared: 'destructive', destructive: true })
    expect(by('bash-restart').reasons).toContain('declared destructive: restarts the app')
    expect(by('shell-undeclared')).toMatchObject({ declared: null, destructive: true })
    expect((by('shell-undeclared').reasons as string[]).join()).toMatch(/rm/)
    expect(by('bash-safe')).toMatchObject({ declared: 'safe', destructive: false })
    expect(by('sql-read')).toMatchObject({ declared: null, destructive: false })
    expect(by('sql-vacuum')).toMatchObject({ declared: 'critical', destructive: true, timeoutMs: 7_200_000 })
    expect(by('redis-ping')).toMatchObject({ declared: null, destructive: false })
    expect(by('redis-flush')).toMatchObject({ declared: 'destructive', destructive: true })
    expect(by('example')).toMatchObject({ skip: true, title: 'Examples' })

    expect(plan.env).toEqual([
      { name: 'APP_URL', required: false, secret: false, default: 'http://localhost', description: '애플리케이션 URL' },
      { name: 'DATABASE_URL', required: true, secret: true, default: null, description: '운영 DB' },
      { name: 'LOG_DIR', required: false, secret: false, default: '/var/log/excelapp', description: null },
    ])
    expect(plan.inputs).toEqual([
      { name: 'severity', type: 'choice', choices: ['P0', 'P1', 'P2', 'P3'], default: null, description: '장애 등급' },
      { name: 'ticket', type: 'string', choices: null, default: null, description: '티켓 번호' },
      { name: 'rows', type: 'number', choices: null, default: '10', description: null },
    ])
    expect(plan.checklist).toEqual([
      { text: '백업 상태 확인', line: lineOf(text, '백업 상태 확인') },
      { text: '모니터링 확인', line: lineOf(text, '모니터링 확인') },
    ])
  })

  test('the timeout is 10 minutes when neither the step nor the front matter sets one', async () => {
    const r = await runbook(['plan', '--json', fixture('commonmark.md')])
    expect(r.code, r.stderr).toBe(0)
    const plan = JSON.parse(r.stdout) as { steps: { timeoutMs: number; line: number; id: string }[] }
    expect(new Set(plan.steps.map((s) => s.timeoutMs))).toEqual(new Set([600_000]))
    expect(plan.steps.map((s) => s.id)).toEqual(['backtick', 'tilde', 'three-spaces', 'in-list', 'in-quote', 'outer', 'unclosed'])
  })

  test('text shows steps, kinds, lines, timeouts, safety, reasons, env, inputs and the checklist', async () => {
    const r = await runbook(['plan', fixture('every-step.md')])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    const out = r.stdout
    expect(out).not.toContain('\x1b[')
    expect(out).toContain('Every kind of step (every-step) test/fixtures/every-step.md')
    expect(out).toMatch(/^#\s+step\s+kind\s+line\s+timeout\s+safety$/m)
    expect(out).toMatch(new RegExp(`^1\\s+ts-step\\s+ts\\s+${lineOf(text, '{id=ts-step')}\\s+10s\\s+safe$`, 'm'))
    expect(out).toMatch(/^5\s+bash-restart\s+bash\s+\d+\s+45s\s+destructive$/m)
    expect(out).toMatch(/^7\s+shell-undeclared\s+shell\s+\d+\s+45s\s+destructive \(detected, undeclared\)$/m)
    expect(out).toMatch(/^8\s+bash-safe\s+bash\s+\d+\s+45s\s+safe \(declared\)$/m)
    expect(out).toMatch(/^10\s+sql-vacuum\s+sql\s+\d+\s+\S+\s+CRITICAL$/m)
    expect(out).toMatch(/^13\s+example\s+bash\s+\d+\s+45s\s+skip \(example\)$/m)
    expect(out).toContain('bash-restart: declared destructive: restarts the app')
    expect(out).toContain('typescript-step: requires psql, jq')
    expect(out).toContain('DATABASE_URL [required, secret] — 운영 DB')
    expect(out).toContain('severity (P0|P1|P2|P3) — 장애 등급')
    expect(out).toContain('☐ 백업 상태 확인')
    expect(out).toContain('☑ 모니터링 확인')
    expect(out).not.toMatch(/shown: only|not a step/)
  })

  test('an invalid runbook (schema errors) names the first problem\'s line and how many more there are', async () => {
    const file = fixture('frontmatter/bad-values.md')
    const r = await runbook(['plan', file])
    expectOneLineError(r, file, 2)
    expect(r.stderr).toContain(`(and 12 more problems: run \`runbook lint ${file}\`)`)
  })

  test('duplicate explicit ids stop plan at the second one', async () => {
    const file = fixture('duplicate-ids.md')
    expectOneLineError((await runbook(['plan', file])), file, lineOf(readFixture('duplicate-ids.md'), '```sh {id=same}'))
  })
})

describe.concurrent('read', () => {
  test('renders headings, prose, code, destructive marks, env and inputs, and runs nothing', async () => {
    const work = path.join(tmp, 'read-work')
    mkdirSync(work)
    const file = path.join(FIXTURES, 'read-canary.md')
    const r = await runbook(['read', file], { cwd: work, env: { CANARY_DIR: work } })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')

    // Nothing ran: no canary anywhere it could have been made.
    expect(readdirSync(work)).toEqual([])
    for (const dir of [work, ROOT, FIXTURES]) {
      for (const canary of ['canary-bash.txt', 'canary-ts.txt', 'canary-dir']) expect(existsSync(path.join(dir, canary)), canary).toBe(false)
    }

    const out = r.stdout
    expect(out).not.toContain('\x1b[')
    expect(out).toContain('읽기 전용 확인')
    expect(out).toMatch(/^# 읽기 전용 확인$/m)
    expect(out).toMatch(/^## 셸 단계$/m)
    expect(out).toMatch(/^## 위험한 단계$/m)
    expect(out).toContain('이 런북의 단계는 실행되면 카나리 파일을 만듭니다.')
    expect(out).toContain('Destructive steps are marked.')
    expect(out).toContain('touch "$CANARY_DIR/canary-bash.txt"')
    expect(out).toContain("fs.writeFileSync(path.join(env.CANARY_DIR, 'canary-ts.txt'), 'ran')")
    expect(out).toMatch(/▶ 3\/3 wipe-canary \[bash\] destructive/)
    expect(out).toContain('! declared destructive: deletes the canary folder')
    expect(out).toMatch(/┃ rm -rf "\$CANARY_DIR\/canary-dir"/)
    expect(out).toMatch(/▶ 1\/3 bash-canary \[bash\] safe/)
    expect(out).toContain('보기용 예시')
    expect(out).toContain('☐ 카나리 파일이 없는지 확인')
    expect(out).toContain('환경 변수')
    expect(out).toContain('CANARY_DIR = . — 카나리 파일을 만들 폴더')
    expect(out).toContain('API_TOKEN [required, secret] — API 토큰')
    expect(out).toContain('입력값')
    expect(out).toContain('reason (string) — 실행 이유')
    expect(out).toContain('담당 교육팀')
    expect(out).toContain('단계 3개, 위험 단계 1개')
    // Document order: the first step comes after its heading and before the next one.
    expect(out.indexOf('## 셸 단계')).toBeLessThan(out.indexOf('bash-canary'))
    expect(out.indexOf('bash-canary')).toBeLessThan(out.indexOf('## TypeScript 단계'))
  })

  test('with colours on, code is highlighted', async () => {
    const r = await runbook(['read', fixture('read-canary.md')], { env: { NO_COLOR: '', FORCE_COLOR: '1' } })
    expect(r.code, r.stderr).toBe(0)
    const codeLine = r.stdout.split('\n').find((l) => l.includes('writeFileSync'))
    expect(codeLine).toBeDefined()
    // More than the gutter's colour: the code itself carries escapes.
    expect(codeLine!.split('\x1b[').length).toBeGreaterThan(3)
  })
})

describe.concurrent('list', () => {
  // No run history: "last run" is "never" whatever reports/ holds.
  const env = (): Record<string, string> => {
    const reports = path.join(tmp, 'no-reports')
    mkdirSync(reports, { recursive: true })
    return { RUNBOOK_REPORTS: reports }
  }

  test('shows schedule, owner, steps, destructive count and review status; READMEs are not runbooks', async () => {
    const r = await runbook(['list', fixture('list')], { env: env() })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^id\s+title\s+schedule\s+owner\s+steps\s+destructive\s+review\s+last run$/)
    expect(lines).toHaveLength(3)
    expect(r.stdout).toMatch(/^overdue-review\s+Overdue review\s+monthly\s+운영팀\s+3\s+2\s+overdue since 2020-04-01\s+never$/m)
    expect(r.stdout).toMatch(/^current-review\s+Current review\s+daily\s+DBA팀\s+1\s+0\s+next 2099-12-31\s+never$/m)
    expect(r.stdout).not.toContain('Not a runbook')
  })

  test('--json', async () => {
    const r = await runbook(['list', '--json', fixture('list')], { env: env() })
    expect(r.code, r.stderr).toBe(0)
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[]
    expect(entries).toEqual([
      expect.objectContaining({
        id: 'current-review',
        title: 'Current review',
        path: 'test/fixtures/list/current.md',
        schedule: 'daily',
        owner: 'DBA팀',
        cron: '0 2 * * *',
        steps: 1,
        destructive: 0,
        review: { next: '2099-12-31', status: 'ok' },
      }),
      expect.objectContaining({
        id: 'overdue-review',
        schedule: 'monthly',
        owner: '운영팀',
        steps: 3,
        destructive: 2,
        review: { next: '2020-04-01', status: 'overdue' },
      }),
    ])
  })

  test('the project\'s runbooks folder is the default', async () => {
    const r = await runbook(['list', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const entries = JSON.parse(r.stdout) as { id: string; path: string }[]
    expect(entries.length).toBeGreaterThan(0)
    for (const e of entries) expect(e.path.startsWith('runbooks/')).toBe(true)
  })

  test('a folder that does not exist is a one-line error', async () => {
    const missing = path.join(tmp, 'no-such-folder')
    expectOneLineError((await runbook(['list', missing])), missing)
  })
})

describe.concurrent('lint', () => {
  const LINE = /^(?<file>[^:\n]+):(?<line>\d+): (?<severity>error|warning): (?<message>.+) \[(?<rule>[a-z-]+)\]$/

  test('prints every problem as path:line: message and exits 1 on errors', async () => {
    const files = [fixture('duplicate-ids.md'), fixture('attributes.md'), fixture('frontmatter/bad-values.md')]
    const r = await runbook(['lint', ...files])
    expect(r.code).toBe(1)
    const lines = r.stdout.trimEnd().split('\n')
    for (const l of lines) expect(l).toMatch(LINE)
    const problems = lines.map((l) => LINE.exec(l)!.groups!)
    expect(new Set(problems.map((p) => p.file))).toEqual(new Set(files))
    const dupText = readFixture('duplicate-ids.md')
    expect(problems).toContainEqual({
      file: fixture('duplicate-ids.md'),
      line: String(lineOf(dupText, '```sh {id=same}')),
      severity: 'error',
      message: `step id "same" is already used by the step at line ${lineOf(dupText, '```bash {id=same}')}; give each step its own id`,
      rule: 'duplicate-id',
    })
    expect(problems.filter((p) => p.file === fixture('frontmatter/bad-values.md') && p.rule === 'front-matter-schema')).toHaveLength(13)
    expect(r.stderr).toMatch(/^3 runbooks checked: \d+ errors, \d+ warnings?\n$/)
  })

  test('warnings alone exit 0', async () => {
    const r = await runbook(['lint', fixture('list')])
    expect(r.code, r.stdout).toBe(0)
    expect(r.stdout).toBe(`${fixture('list/overdue.md')}:6: warning: review was due on 2020-04-01; review the runbook and update review.next [review-overdue]\n`)
    expect(r.stderr).toBe('2 runbooks checked: 0 errors, 1 warning\n')
  })

  test('--json', async () => {
    const r = await runbook(['lint', '--json', fixture('duplicate-ids.md')])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { files: number; errors: number; diagnostics: unknown[] }
    expect(out.files).toBe(1)
    expect(out.errors).toBe(2)
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ file: fixture('duplicate-ids.md'), line: 11, severity: 'error', rule: 'duplicate-id' }))
  })

  test('the fixture with every kind of step has exactly its undeclared destructive step to fix', async () => {
    const r = await runbook(['lint', fixture('every-step.md')])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(
      `${fixture('every-step.md')}:${lineOf(readFixture('every-step.md'), '{id=shell-undeclared}')}: error: step "shell-undeclared" looks destructive (rm deletes files); declare it {destructive}, {critical}, or {safe="why"} if it is not [undeclared-destructive]\n`,
    )
  })
})

describe.concurrent('bad input', () => {
  // name → [file, line of the problem (undefined when there is none)]
  const inputs: Record<string, { file: string; line?: number }> = {}

  beforeAll(() => {
    const bad = path.join(tmp, 'bad')
    mkdirSync(bad)
    const put = (name: string, content: string | Buffer) => {
      const file = path.join(bad, name)
      writeFileSync(file, content)
      return file
    }
    inputs['a missing file'] = { file: path.join(bad, 'missing.md') }
    inputs['a directory'] = { file: path.join(tmp, 'a-folder.md') }
    mkdirSync(inputs['a directory'].file)
    // A PNG header: its NUL byte is on the third line.
    inputs['a binary file'] = { file: put('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52])), line: 3 }
    inputs['a Latin-1 file'] = { file: put('latin1.md', Buffer.concat([Buffer.from('# Caf\n\nline three\nCaf'), Buffer.from([0xe9]), Buffer.from('\n')])), line: 4 }
    inputs['invalid YAML front matter'] = { file: put('bad-yaml.md', readFixture('frontmatter/bad-yaml.md')), line: 3 }
    inputs['a tab in the YAML'] = { file: put('tab.md', readFixture('frontmatter/bad-yaml-middle.md')), line: 5 }
    inputs['front matter that is a list'] = { file: put('list.md', readFixture('frontmatter/not-mapping.md')), line: 2 }
    inputs['front matter that is a string'] = { file: put('scalar.md', readFixture('frontmatter/scalar.md')), line: 2 }
    const big = Buffer.alloc(20 * 1024 * 1024, 'x')
    big.write('# A runbook of 20 MB\n\n')
    inputs['a 20 MB file'] = { file: put('huge.md', big) }
  })

  const NAMES = ['a missing file', 'a directory', 'a binary file', 'a Latin-1 file', 'invalid YAML front matter', 'a tab in the YAML', 'front matter that is a list', 'front matter that is a string', 'a 20 MB file']

  describe.concurrent.each(['plan', 'read'])('%s', (command) => {
    test.each(NAMES)('%s: exit 2, one line naming the file (and line), no stack trace', async (name) => {
      const { file, line } = inputs[name]!
      const r = await runbook([command, file])
      expectOneLineError(r, file, line)
    })

    test('the messages say what is wrong', async () => {
      const message = async (name: string) => (await runbook([command, inputs[name]!.file])).stderr
      expect(await message('a missing file')).toContain('no such file')
      expect(await message('a directory')).toContain('is a directory')
      expect(await message('a binary file')).toContain('is not a Markdown text file (a NUL byte at line 3)')
      expect(await message('a Latin-1 file')).toContain('bytes that are not UTF-8')
      expect(await message('invalid YAML front matter')).toContain('invalid YAML in front matter')
      expect(await message('front matter that is a list')).toContain('front matter must be a mapping')
      expect(await message('a 20 MB file')).toMatch(/is 20\.0 MB; a runbook may be at most \d+ MB/)
    })

    test('an empty file is a runbook without steps', async () => {
      const empty = path.join(tmp, `empty-${command}.md`)
      writeFileSync(empty, '')
      const r = await runbook([command, empty])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout).toContain(`empty-${command}`)
      expect(r.stdout).toMatch(command === 'plan' ? /No executable steps\./ : /단계 0개, 위험 단계 0개/)
    })
  })

  test('plan --json of an empty file', async () => {
    const empty = path.join(tmp, 'empty.md')
    writeFileSync(empty, '')
    const r = await runbook(['plan', '--json', empty])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ runbook: { id: 'empty', title: 'empty', path: empty }, steps: [], env: [], inputs: [], checklist: [] })
  })

  test.each(NAMES.filter((n) => n !== 'a directory'))('lint on %s prints path:line: message and exits 1', async (name) => {
    const { file, line } = inputs[name]!
    const r = await runbook(['lint', file])
    expect(r.code, JSON.stringify(r)).toBe(1)
    expect(r.stderr).not.toMatch(STACK_FRAME)
    const lines = r.stdout.trimEnd().split('\n')
    const errors = lines.filter((l) => / error: /.test(l))
    expect(errors, r.stdout).toHaveLength(1)
    expect(errors[0]!.startsWith(`${file}:${line ?? 1}: error: `)).toBe(true)
    for (const l of lines) expect(l).toMatch(/^[^:\n]+:\d+: (error|warning): .+ \[[a-z-]+\]$/)
  })

  test('lint on a folder of bad inputs reports each file and exits 1', async () => {
    const r = await runbook(['lint', path.join(tmp, 'bad'), inputs['a missing file']!.file])
    expect(r.code).toBe(1)
    expect(r.stderr).not.toMatch(STACK_FRAME)
    for (const name of NAMES.filter((n) => n !== 'a directory')) {
      const { file, line } = inputs[name]!
      expect(r.stdout).toContain(`${file}:${line ?? 1}: error: `)
    }
  })

  test('lint on an empty folder checks nothing and exits 0', async () => {
    const r = await runbook(['lint', inputs['a directory']!.file])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('0 runbooks checked: 0 errors, 0 warnings\n')
  })
})

describe.concurrent('CRLF line endings and a UTF-8 BOM', () => {
  const variants: Record<string, string> = {}
  const lf = readFixture('every-step.md')

  beforeAll(() => {
    const dir = path.join(tmp, 'endings')
    mkdirSync(dir)
    const write = (name: string, content: string) => {
      const file = path.join(dir, name)
      writeFileSync(file, content)
      variants[name] = file
    }
    copyFileSync(path.join(FIXTURES, 'every-step.md'), path.join(dir, 'lf.md'))
    variants['lf.md'] = path.join(dir, 'lf.md')
    write('crlf.md', lf.replace(/\n/g, '\r\n'))
    write('bom.md', '\uFEFF' + lf)
    write('bom-crlf.md', '\uFEFF' + lf.replace(/\n/g, '\r\n'))
  })

  const withoutPath = (stdout: string, file: string) => stdout.split(file).join('<file>')

  test.each(['crlf.md', 'bom.md', 'bom-crlf.md'])('%s: the same plan, text and JSON, as the LF original', async (name) => {
    for (const args of [['plan', '--json'], ['plan']]) {
      const original = await runbook([...args, variants['lf.md']!])
      const variant = await runbook([...args, variants[name]!])
      expect(variant.code, variant.stderr).toBe(0)
      expect(withoutPath(variant.stdout, variants[name]!)).toBe(withoutPath(original.stdout, variants['lf.md']!))
    }
  })

  test.each(['crlf.md', 'bom.md', 'bom-crlf.md'])('%s: the same reading and the same lint lines', async (name) => {
    for (const command of ['read', 'lint']) {
      const original = await runbook([command, variants['lf.md']!])
      const variant = await runbook([command, variants[name]!])
      expect(variant.code).toBe(original.code)
      expect(withoutPath(variant.stdout, variants[name]!)).toBe(withoutPath(original.stdout, variants['lf.md']!))
    }
    const plan = JSON.parse((await runbook(['plan', '--json', variants[name]!])).stdout) as { steps: { line: number }[]; runbook: { title: string } }
    expect(plan.runbook.title).toBe('Every kind of step')
    expect(plan.steps[0]!.line).toBe(lineOf(lf, '{id=ts-step'))
  })
})
