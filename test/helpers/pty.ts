// The real CLI under a pseudo-terminal (util-linux `script`), typed at like an operator would.
import { spawn } from 'node:child_process'

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

export interface PtyAnswer {
  /** Sent once this text shows up on screen after the previous answer's. */
  waitFor: string
  keys: string
}

/** Runs a command in a pty; each answer is typed once its `waitFor` shows up. */
export function inPty(command: string, answers: PtyAnswer[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1', COLUMNS: '120', LINES: '40', ...opts.env },
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
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, screen })
    })
  })
}
