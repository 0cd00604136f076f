import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createStreamRedactor, redact, secretValues } from '../../src/runner/run/redact.js'

function streamed(secrets: string[], chunks: string[]): string {
  const r = createStreamRedactor(secrets)
  return chunks.map((c) => r.push(c)).join('') + r.flush()
}

describe('secretValues', () => {
  it('takes the values of secret vars and URL passwords from the whole env, encoded and decoded', () => {
    const env = {
      DATABASE_URL: 'postgres://u:p%40ss@h/db',
      API_TOKEN: 'tok-123',
      APP_URL: 'http://localhost',
      REDIS_URL: 'redis://:r3d!s@cache:6379/0',
      EMPTY: '',
    }
    const values = secretValues(env, ['API_TOKEN', 'EMPTY', 'MISSING'])
    expect(values).toEqual(expect.arrayContaining(['tok-123', 'p%40ss', 'p@ss', 'r3d!s']))
    expect(values).not.toContain('')
    expect(values).not.toContain('http://localhost')
    expect(values).not.toContain('u')
    // longest first
    expect([...values].sort((a, b) => b.length - a.length)).toEqual(values)
  })

  it('covers an unencoded @ in a password and a trimmed form', () => {
    const values = secretValues({ U: 'mysql://root:a@b@db:3306/x', S: ' padded \n' }, ['S'])
    expect(values).toContain('a@b')
    expect(values).toContain('padded')
  })
})

describe('redact', () => {
  it('masks every occurrence', () => {
    expect(redact('pw=hunter2; again hunter2.', ['hunter2'])).toBe('pw=***; again ***.')
  })

  it('treats regex metacharacters literally', () => {
    const secrets = ['a.b*c(d)', '$&', '[x]+?', '\\d']
    expect(redact('axbbc(d) a.b*c(d) $& [x]+? \\d 5', secrets)).toBe('axbbc(d) *** *** *** *** 5')
  })

  it('leaves nothing of overlapping or nested secrets', () => {
    expect(redact('xxabcdefyy', ['abcd', 'cdef'])).toBe('xx***yy')
    expect(redact('token=abc123', ['abc', 'abc123'])).toBe('token=***')
    expect(redact('aaaa', ['aa'])).toBe('***')
    expect(redact('hunter2hunter2', ['hunter2'])).toBe('******')
    expect(redact('aaa', ['aa'])).toBe('***')
  })

  it('ignores empty secrets and keeps text without secrets', () => {
    expect(redact('hello', ['', 'zzz'])).toBe('hello')
    expect(redact('hello', [])).toBe('hello')
  })
})

describe('createStreamRedactor', () => {
  const secrets = ['hunter2', 'p@ss', 's3cr3t-value', 'a.b*c']
  const text = 'login hunter2 then p@ss, also s3cr3t-value and a.b*c and hunter2hunter2 end'

  it('masks a secret split at every possible boundary (two chunks)', () => {
    const expected = redact(text, secrets)
    for (let i = 0; i <= text.length; i++) {
      expect(streamed(secrets, [text.slice(0, i), text.slice(i)])).toBe(expected)
    }
  })

  it('masks a secret split at every pair of boundaries (three chunks)', () => {
    const expected = redact(text, secrets)
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        expect(streamed(secrets, [text.slice(0, i), text.slice(i, j), text.slice(j)])).toBe(expected)
      }
    }
  })

  it('handles one character at a time and overlapping secrets', () => {
    const s = ['abcd', 'cdef', 'xab']
    const t = 'zz abcdef xabcd cdefab xab abc'
    expect(streamed(s, [...t])).toBe(redact(t, s))
    expect(redact(t, s)).not.toMatch(/abcd|cdef|xab/)
  })

  it('keeps live output live: holds back only a possible secret start', () => {
    const r = createStreamRedactor(['hunter2'])
    expect(r.push('no secrets here\n')).toBe('no secrets here\n')
    expect(r.push('pw: hun')).toBe('pw: ')
    expect(r.push('ter2!')).toBe('***!')
    expect(r.push('hunt')).toBe('')
    expect(r.push('ing')).toBe('hunting')
    expect(r.push('ends with h')).toBe('ends with ')
    expect(r.flush()).toBe('h')
  })

  it('never holds back more than the longest secret minus one for unrelated secrets', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (chunk) => {
        const s = ['secret1', 'other-secret']
        const r = createStreamRedactor(s)
        const out = r.push(chunk)
        const held = chunk.length - out.length
        return out.includes('***') || held <= 'other-secret'.length - 1
      }),
    )
  })

  it('matches redact() for random texts and random chunkings', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', 'x', '.', '*', '$', '\n', '가')
    const secretArb = fc.array(fc.string({ unit: alphabet, minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 })
    fc.assert(
      fc.property(secretArb, fc.string({ unit: alphabet, maxLength: 60 }), fc.array(fc.nat(60), { maxLength: 8 }), (s, t, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b)
        const chunks: string[] = []
        let prev = 0
        for (const p of points) {
          chunks.push(t.slice(prev, p))
          prev = p
        }
        chunks.push(t.slice(prev))
        return streamed(s, chunks) === redact(t, s)
      }),
      { numRuns: 2000 },
    )
  })
})
