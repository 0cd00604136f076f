// The real CLI under a pseudo-terminal (util-linux `script`), typed at like an operator would.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { BIN, readReport, reportFiles, tempDir, writeRunbook } from '../helpers/cli.js'

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** Runs a command in a pty; `script` types to it: each answer is sent once `waitFor` shows up. */
function inPty(command: string, answers: { waitFor: string; keys: string }[]): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1', COLUMNS: '120', LINES: '40' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let screen = ''
    let next = 0
    let seenUpTo = 0
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString()
      const answer = answers[next]
      if (answer && screen.indexOf(answer.waitFor, seenUpTo) !== -1) {
        seenUpTo = screen.length
        next++
        setTimeout(() => child.stdin.write(answer.keys), 150)
      }
    })
    child.stderr.on('data', (d: Buffer) => (screen += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, screen })
    })
  })
}

test('under a pty: the destructive step is shown in red with the target, and runs after the operator confirms', async () => {
  const dir = tempDir('rb-pty-')
  const canary = path.join(dir, 'canary')
  const file = writeRunbook(
    dir,
    'pty.md',
    `# 터미널에서

## 확인

\`\`\`bash {id=look}
echo looking
\`\`\`

## 정리

\`\`\`bash {id=clean destructive="creates the canary"}
touch ${canary}
\`\`\`
`,
  )
  const reports = path.join(dir, 'reports')
  const command = [process.execPath, BIN, 'run', file, '--auto', '--reports', reports, '--operator', 'Park Pty <park@example.com>'].map(shellQuote).join(' ')
  const { code, screen } = await inPty(command, [
    { waitFor: msg.run.stepPrompt('clean'), keys: '\x1b[A\r' }, // up from "skip" to "run"
    { waitFor: msg.run.confirmDestructive('clean', 'local'), keys: 'y\r' },
    { waitFor: '서명할까요?', keys: '\r' }, // the sign-off offer: No (the default)
  ])
  expect(screen).toContain('looking')
  expect(screen).toContain(msg.run.stepWarning(msg.run.destructiveStep, 'local'))
  expect(screen).toContain('보고서에 지금 서명할까요?')
  expect(code).toBe(0)
  expect(existsSync(canary)).toBe(true)
  const { json } = readReport(reportFiles(reports)[0]!)
  expect(json.steps.find((s) => s.id === 'clean')!.consent).toMatchObject({ by: 'operator', who: 'Park Pty <park@example.com>' })
})

test('under a pty: a destructive rm lists the files it would delete before the question; skipping it declines it (exit 3)', async () => {
  const dir = tempDir('rb-pty-touch-')
  const logs = path.join(dir, 'logs')
  mkdirSync(logs)
  for (const f of ['a.log', 'b.log', 'keep.txt']) writeFileSync(path.join(logs, f), 'x')
  const file = writeRunbook(dir, 'touch.md', `# 정리\n\n\`\`\`bash {id=wipe destructive="deletes logs"}\nrm -f "$LOGS"/*.log\n\`\`\`\n`)
  const reports = path.join(dir, 'reports')
  const command = [process.execPath, BIN, 'run', file, '--set', `LOGS=${logs}`, '--reports', reports, '--operator', 'Park Pty <park@example.com>'].map(shellQuote).join(' ')
  const { code, screen } = await inPty(command, [
    { waitFor: msg.run.stepPrompt('wipe'), keys: '\r' }, // the default: skip
    { waitFor: '서명할까요?', keys: '\r' },
  ])
  const question = screen.indexOf(msg.run.stepPrompt('wipe'))
  expect(screen.indexOf(msg.run.touchHeader)).toBeGreaterThan(-1)
  expect(screen.indexOf(`${logs}/a.log`)).toBeLessThan(question)
  expect(screen.indexOf(`${logs}/b.log`)).toBeLessThan(question)
  expect(screen.indexOf(`${logs}/b.log`)).toBeGreaterThan(-1)
  expect(screen).not.toContain('keep.txt')
  expect(code).toBe(3)
  for (const f of ['a.log', 'b.log', 'keep.txt']) expect(existsSync(path.join(logs, f)), f).toBe(true)
  const { json } = readReport(reportFiles(reports)[0]!)
  expect(json.status).toBe('incomplete')
  expect(json.steps[0]!.status).toBe('declined')
})
