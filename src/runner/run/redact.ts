// Secrets never reach a log, a report or the terminal: they are masked by value (safety rule 3).
//
// Masking works on the original text: every occurrence of every secret marks the characters it
// covers, and each maximal covered run becomes one `***`. So overlapping secrets (`abcd`, `cdef`
// in `abcdef`) leave nothing of either behind, and a mask can never combine with its
// neighbours into something that looks like another secret.

export const MASK = '***'

/**
 * The values to mask for a run: the values of the variables declared secret, and the password
 * of any URL-like value anywhere in the env (`postgres://u:p%40ss@h/db` gives `p%40ss` and
 * `p@ss`). Empty values are ignored; a value with surrounding whitespace also gives its trimmed
 * form. Longest first, no duplicates.
 */
export function secretValues(env: Record<string, string>, secretNames: string[]): string[] {
  const found = new Set<string>()
  const add = (value: string | undefined): void => {
    if (!value) return
    found.add(value)
    const trimmed = value.trim()
    if (trimmed) found.add(trimmed)
  }
  for (const name of secretNames) add(env[name])
  for (const value of Object.values(env)) {
    for (const password of [...urlPasswords(value), ...queryPasswords(value)]) {
      add(password)
      try {
        add(decodeURIComponent(password.replace(/\+/g, ' ')))
        add(decodeURIComponent(password))
      } catch {
        // not valid percent-encoding: the raw form is masked already
      }
    }
  }
  // The forms a secret takes when a program quotes or encodes it before printing: JSON's and
  // redis-cli's escapes, percent-encoding. Each is masked as the secret is.
  for (const value of [...found]) for (const form of encodedForms(value)) add(form)
  return [...found].sort((a, b) => b.length - a.length)
}

/** A secret as JSON, redis-cli (sdscatrepr) and a URL would write it, where that differs. */
function encodedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1)
  const quoted = value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\u0007/g, '\\a').replace(/\u0008/g, '\\b')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  // A table cell shows line breaks as ↵ and tabs as spaces (executors/sql/render.ts).
  const cell = value.replace(/\r\n|\n|\r/g, '↵').replace(/\t/g, ' ')
  const forms = [json, quoted, cell, encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+')]
  return forms.filter((f) => f !== value)
}

/** Query parameters that carry a secret by their name (`?password=…`, `&sslpassword=…`). */
const SECRET_QUERY = /[?&;](?:password|passwd|pwd|pass|sslpassword|sslkey|token|access_token|auth_token|api_key|apikey|secret|client_secret)=([^&#\s;]+)/gi

function queryPasswords(value: string): string[] {
  const out: string[] = []
  for (const m of value.matchAll(SECRET_QUERY)) if (m[1]) out.push(m[1])
  return out
}

/**
 * URLs' secrets in any text, whether or not the run knows them: `scheme://user:SECRET@host` and
 * `?password=SECRET` become `***`. For the runner's own messages (a connection error quotes the
 * URL it was given) and the record's strings.
 */
export function maskUrlSecrets(text: string): string {
  if (!text.includes('://') && !/[?&;][a-z_]*(pass|pwd|token|key|secret)/i.test(text)) return text
  return text
    .replace(URL_USERINFO, (_m, head: string, password: string) => (password ? `${head}${MASK}@` : `${head}@`))
    .replace(SECRET_QUERY, (m, secret: string) => m.slice(0, m.length - secret.length) + MASK)
}

// scheme://user:password@host — the password runs to the last `@` of the authority, so an
// unencoded `@` inside it is still covered.
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:]*:)([^\s/?#]*)@/g

function urlPasswords(value: string): string[] {
  const out: string[] = []
  for (const m of value.matchAll(URL_USERINFO)) if (m[2]) out.push(m[2])
  return out
}

/** Replaces every occurrence of every secret with `***`. Plain string search, no regexes. */
export function redact(text: string, secrets: string[]): string {
  const list = usable(secrets)
  if (text === '') return text
  return maskUrlSecrets(list.length === 0 ? text : maskCutTail(mask(text, coveredRuns(text, list), text.length), list))
}

/**
 * A text cut short (`…`, as table cells and replies are) may end with the start of a secret that
 * the cut split: that start is masked too, so a secret of 1,000 characters cut at 200 does not
 * leave its first 199 behind.
 */
function maskCutTail(text: string, secrets: string[]): string {
  if (!text.endsWith('…')) return text
  const body = text.slice(0, -1)
  const held = heldTail(body, secrets)
  return held > 0 ? `${body.slice(0, body.length - held)}${MASK}…` : text
}

export interface StreamRedactor {
  /** Redacted text that is safe to show now (may be '' while a possible secret is held). */
  push(chunk: string): string
  /** Whatever is still held, redacted. Call once at the end of the stream. */
  flush(): string
}

/**
 * Redacts a stream whose chunks may split a secret anywhere. Only a tail that could still grow
 * into a secret is held back (at most the longest secret's length - 1 characters, except when
 * secrets overlap each other across the cut), so live output stays live.
 */
export function createStreamRedactor(secrets: string[]): StreamRedactor {
  const list = usable(secrets)
  let pending = ''
  return {
    push(chunk: string): string {
      if (list.length === 0) return chunk
      const text = pending + chunk
      if (text === '') return ''
      const runs = coveredRuns(text, list)
      let cut = text.length - heldTail(text, list)
      // Never cut through a masked run: its start would be emitted and its end would no longer
      // be recognised next time. Hold the whole run instead.
      for (const [start, end] of runs) if (start < cut && cut < end) cut = start
      pending = text.slice(cut)
      return mask(text, runs, cut)
    },
    flush(): string {
      const rest = pending
      pending = ''
      return list.length === 0 ? rest : redact(rest, list)
    },
  }
}

function usable(secrets: string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length)
}

/** Merged, sorted [start, end) ranges of `text` covered by an occurrence of some secret. */
function coveredRuns(text: string, secrets: string[]): [number, number][] {
  const ranges: [number, number][] = []
  for (const secret of secrets) {
    for (let i = text.indexOf(secret); i !== -1; i = text.indexOf(secret, i + 1)) {
      ranges.push([i, i + secret.length])
    }
  }
  ranges.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1]
    if (last && start < last[1]) last[1] = Math.max(last[1], end)
    else merged.push([start, end])
  }
  return merged
}

/** `text.slice(0, limit)` with every covered run (all end at or before `limit`) replaced. */
function mask(text: string, runs: [number, number][], limit: number): string {
  let out = ''
  let pos = 0
  for (const [start, end] of runs) {
    if (start >= limit) break
    out += text.slice(pos, start) + MASK
    pos = end
  }
  return out + text.slice(pos, limit)
}

/** Length of the longest suffix of `text` that is a proper prefix of some secret. */
function heldTail(text: string, secrets: string[]): number {
  let best = 0
  for (const secret of secrets) {
    for (let k = Math.min(secret.length - 1, text.length); k > best; k--) {
      if (text.endsWith(secret.slice(0, k))) {
        best = k
        break
      }
    }
  }
  return best
}
