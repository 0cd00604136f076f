// Which key made a signature, and which keys `allowed_signers` gives a principal: pure parsing, so
// that verify can name the real cause when `ssh-keygen -Y verify` only says "Could not verify
// signature" (an unknown principal, a known principal with another key). ssh-keygen stays the
// only judge of whether a signature is valid; this file only explains a failure and tells keys
// apart for counting approvals.
import { createHash } from 'node:crypto'

/** `SHA256:…` of a public key blob, as `ssh-keygen -l` prints it. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`
}

/**
 * The fingerprint of the public key inside an armored SSH signature (PROTOCOL.sshsig: the magic
 * `SSHSIG`, a uint32 version, then the public key as an SSH string), or undefined when it is not
 * one.
 */
export function signatureKey(armored: string): string | undefined {
  const body = armored
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('')
  const bytes = Buffer.from(body, 'base64')
  if (bytes.length < 14 || bytes.subarray(0, 6).toString('latin1') !== 'SSHSIG') return undefined
  const length = bytes.readUInt32BE(10)
  if (length === 0 || 14 + length > bytes.length) return undefined
  return fingerprintOf(bytes.subarray(14, 14 + length))
}

export interface AllowedSigner {
  /** 1-based line in the file. */
  line: number
  /** The principals pattern list (`a@x,*@ops.test,!b@ops.test`). */
  patterns: string[]
  fingerprint: string
}

const KEY_TYPE = /^(ssh-|ecdsa-|sk-)/

/** The lines of an allowed_signers file (`principals [options] key-type base64 [comment]`). */
export function parseAllowedSigners(text: string): AllowedSigner[] {
  const out: AllowedSigner[] = []
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const words = tokens(line)
    const at = words.findIndex((w, k) => k > 0 && KEY_TYPE.test(w))
    const blob = at > 0 ? words[at + 1] : undefined
    if (!blob) continue
    const patterns = unquote(words[0]!).split(',').filter(Boolean)
    out.push({ line: i + 1, patterns, fingerprint: fingerprintOf(Buffer.from(blob, 'base64')) })
  }
  return out
}

/** Words separated by blanks; a double-quoted stretch (`namespaces="a b"`) stays one word. */
function tokens(line: string): string[] {
  return line.match(/(?:"[^"]*"|[^\s"])+/g) ?? []
}

const unquote = (word: string) => word.replace(/^"(.*)"$/, '$1')

/** OpenSSH's pattern lists: `*` and `?` wildcards; a negated pattern that matches excludes. */
export function matchesPatterns(principal: string, patterns: string[]): boolean {
  let matched = false
  for (const p of patterns) {
    const negated = p.startsWith('!')
    if (!globMatch(principal, negated ? p.slice(1) : p)) continue
    if (negated) return false
    matched = true
  }
  return matched
}

function globMatch(text: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${re}$`).test(text)
}

/** Why a signature that ssh-keygen rejected does not verify, when the file can say. */
export type SignerCause = { cause: 'unknown-principal' } | { cause: 'wrong-key'; key: string; allowedKeys: string[] } | { cause: 'other' }

export function signerCause(signers: AllowedSigner[], principal: string, key: string | undefined): SignerCause {
  const lines = signers.filter((s) => matchesPatterns(principal, s.patterns))
  if (lines.length === 0) return { cause: 'unknown-principal' }
  if (key && !lines.some((s) => s.fingerprint === key)) return { cause: 'wrong-key', key, allowedKeys: [...new Set(lines.map((s) => s.fingerprint))] }
  return { cause: 'other' }
}
