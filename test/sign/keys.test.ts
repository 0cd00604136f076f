// Reading allowed_signers and the key inside an SSH signature, checked against ssh-keygen itself
// (real keys, real signatures): the fingerprint verify computes is the one `ssh-keygen -l` prints,
// and the principal patterns match as `ssh-keygen -Y verify -I` matches them.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { SIGNOFF_NAMESPACE } from '../../src/runner/report/signoff.js'
import { matchesPatterns, parseAllowedSigners, signatureKey, signerCause } from '../../src/runner/sign/keys.js'
import { signText } from '../../src/runner/sign/ssh.js'
import { tempDir } from '../helpers/cli.js'
import { makeSigners } from '../helpers/sign.js'

const { kim, lee } = makeSigners()
const fingerprint = (key: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' }).split(' ')[1]!
const pub = (key: string) => readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')

describe('keys', () => {
  test('the key inside a signature is the signer key, as ssh-keygen fingerprints it', async () => {
    expect(signatureKey(await signText('text\n', kim))).toBe(fingerprint(kim))
    expect(signatureKey(await signText('text\n', lee))).toBe(fingerprint(lee))
    expect(signatureKey('-----BEGIN SSH SIGNATURE-----\nbm90IGEgc2lnbmF0dXJl\n-----END SSH SIGNATURE-----\n')).toBeUndefined()
    expect(signatureKey('')).toBeUndefined()
  })

  test('allowed_signers lines: patterns, options, quotes, comments', () => {
    const text = [
      '# team',
      '',
      `kim@example.com ${pub(kim)} kim's laptop`,
      `"*@ops.test,!root@ops.test" namespaces="git,runbook-report@excelapp" ${pub(lee)}`,
      'broken line without a key',
    ].join('\n')
    const lines = parseAllowedSigners(text)
    expect(lines).toEqual([
      { line: 3, patterns: ['kim@example.com'], fingerprint: fingerprint(kim) },
      { line: 4, patterns: ['*@ops.test', '!root@ops.test'], fingerprint: fingerprint(lee) },
    ])
    expect(signerCause(lines, 'nobody@example.com', fingerprint(kim))).toEqual({ cause: 'unknown-principal' })
    expect(signerCause(lines, 'root@ops.test', fingerprint(lee))).toEqual({ cause: 'unknown-principal' })
    expect(signerCause(lines, 'kim@example.com', fingerprint(lee))).toEqual({ cause: 'wrong-key', key: fingerprint(lee), allowedKeys: [fingerprint(kim)] })
    expect(signerCause(lines, 'a@ops.test', fingerprint(lee))).toEqual({ cause: 'other' })
  })

  test.each([
    ['a@ops.test', ['*@ops.test'], true],
    ['a@ops.test', ['?@ops.test'], true],
    ['ab@ops.test', ['?@ops.test'], false],
    ['root@ops.test', ['*@ops.test', '!root@ops.test'], false],
    ['a@ops.test.evil', ['*@ops.test'], false],
    ['A@ops.test', ['a@ops.test'], false],
    ['a.b@ops.test', ['a.b@ops.test'], true],
    ['axb@ops.test', ['a.b@ops.test'], false],
  ])('%s against %j: %s, as ssh-keygen -Y verify decides', async (principal, patterns, expected) => {
    expect(matchesPatterns(principal, patterns)).toBe(expected)
    // The same question to ssh-keygen: does this key sign as this principal under these patterns?
    const dir = tempDir('rb-keys-match-')
    const signers = path.join(dir, 'allowed_signers')
    writeFileSync(signers, `${patterns.join(',')} ${pub(kim)}\n`)
    const sig = path.join(dir, 'text.sig')
    writeFileSync(sig, await signText('text\n', kim))
    const verify = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', signers, '-I', principal, '-n', SIGNOFF_NAMESPACE, '-s', sig], { input: 'text\n' })
    expect(verify.status === 0).toBe(expected)
  })
})
