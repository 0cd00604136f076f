// Throwaway SSH signing keys (ssh-keygen is real) and the runbook whose report the sign tests sign,
// shared by the in-process tests (test/sign/) and the CLI's (test/e2e/sign.test.ts).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { tempDir } from './cli.js'

export interface Signers {
  /** The allowed_signers file: kim@example.com and lee@example.com, not the stranger. */
  allowed: string
  kim: string
  lee: string
  /** A key that is in no allowed_signers line. */
  stranger: string
}

/** Makes three ed25519 keys in a fresh folder; returns their private key files. */
export function makeSigners(): Signers {
  const keys = tempDir('rb-keys-')
  const allowed = path.join(keys, 'allowed_signers')
  const makeKey = (name: string, principal: string | null): string => {
    const file = path.join(keys, name)
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file])
    if (principal) {
      const pub = readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
      writeFileSync(allowed, `${principal} ${pub}\n`, { flag: 'a' })
    }
    return file
  }
  return { allowed, kim: makeKey('kim', 'kim@example.com'), lee: makeKey('lee', 'lee@example.com'), stranger: makeKey('stranger', null) }
}

/** Fixed author, committer and dates: the same files make the same commit on every machine. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Runbook Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Runbook Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
}

/** Runs git in `dir` (real git; the test setup has already isolated HOME and the global config). */
export function git(dir: string, args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()
}

/** Makes `dir` a git repository (if it is not one) and commits `files` (relative to it); returns the commit. */
export function commitFiles(dir: string, files: string[], message = 'runbook'): string {
  if (!existsSync(path.join(dir, '.git'))) git(dir, ['init', '-q'])
  git(dir, ['add', '--', ...files])
  git(dir, ['commit', '-q', '-m', message])
  return git(dir, ['rev-parse', 'HEAD'])
}

/** The runbook to sign: a checklist item, a short step and a noisy one (its output goes to the .log). */
export function signmeRunbook(approvals = 1, extraStep = ''): string {
  return `---
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
${extraStep}`
}
