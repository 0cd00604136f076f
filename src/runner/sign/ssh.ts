// OpenSSH signatures through `ssh-keygen -Y` (as git signs commits): the key from --key, git's
// user.signingkey, or the first key in ssh-agent. Text is signed through stdin, since
// `ssh-keygen -Y sign FILE` asks before overwriting FILE.sig.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EXIT, RunbookError } from '../model/errors.js'
import { SIGNOFF_NAMESPACE } from '../report/signoff.js'
import { msg } from '../terminal/messages/index.js'

function run(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh-keygen', args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', (e) =>
      reject(new RunbookError(msg.sign.noSshKeygen(e.message), EXIT.usage)),
    )
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-ssh-'))
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }))
}

/** A key file for `ssh-keygen -Y sign -f`: a private key, or a public key whose private half is in ssh-agent. */
export function findSigningKey(explicit: string | undefined, cwd = process.cwd()): { file: string; describe: string; cleanup?: () => void } {
  if (explicit) return { file: path.resolve(explicit), describe: explicit }
  let configured = ''
  try {
    configured = execFileSync('git', ['config', 'user.signingkey'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    // not set
  }
  if (configured) {
    if (configured.startsWith('key::') || configured.startsWith('ssh-')) return literalKey(configured.replace(/^key::/, ''), "git's user.signingkey")
    return { file: configured.replace(/^~(?=\/)/, os.homedir()), describe: `git user.signingkey ${configured}` }
  }
  if (process.env.SSH_AUTH_SOCK) {
    try {
      const first = execFileSync('ssh-add', ['-L'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').find((l) => l.startsWith('ssh-') || l.startsWith('ecdsa-') || l.startsWith('sk-'))
      if (first) return literalKey(first, 'ssh-agent')
    } catch {
      // agent without keys
    }
  }
  throw new RunbookError(msg.sign.noSigningKey, EXIT.usage)
}

function literalKey(publicKey: string, describe: string): { file: string; describe: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-key-'))
  const file = path.join(dir, 'key.pub')
  writeFileSync(file, `${publicKey.trim()}\n`)
  return { file, describe, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function signText(text: string, keyFile: string): Promise<string> {
  const result = await run(['-Y', 'sign', '-f', keyFile, '-n', SIGNOFF_NAMESPACE], text)
  if (result.code !== 0 || !result.stdout.includes('BEGIN SSH SIGNATURE')) {
    throw new RunbookError(msg.sign.signingFailed(result.stderr.trim() || msg.sign.sshKeygenExited(result.code)), EXIT.usage, keyFile)
  }
  return result.stdout
}

export async function verifyText(text: string, signature: string, principal: string, allowedSigners: string): Promise<{ ok: boolean; message: string }> {
  return withTemp(async (dir) => {
    const sigFile = path.join(dir, 'statement.sig')
    writeFileSync(sigFile, signature)
    const result = await run(['-Y', 'verify', '-f', allowedSigners, '-I', principal, '-n', SIGNOFF_NAMESPACE, '-s', sigFile], text)
    const message = (result.stdout + result.stderr).trim().split('\n')[0] ?? ''
    return { ok: result.code === 0, message }
  })
}
