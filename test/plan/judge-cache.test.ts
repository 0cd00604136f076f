// The detection cache cannot lower a verdict: a hand-edited entry (the `rm` step flipped to safe,
// with or without a recomputed hash), a file of another build, a file or folder others can write
// or that belongs to someone else, are not trusted, and the judge runs fresh.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { openDetectionCacheAt, type CacheLocation } from '../../src/runner/plan/judge-cache.js'
import { parseRunbook } from '../../src/runner/parse/parse.js'
import { plan } from '../../src/runner/plan/plan.js'
import type { Detection } from '../../src/runner/model/runbook.js'

const BUILD = 'a'.repeat(64)
const RM = 'rm -f /tmp/rb-cache-never-there'
const DELETES: Detection = { destructive: true, reasons: ['rm deletes files'], syntaxErrors: [], refused: [] }
const SAFE: Detection = { destructive: false, reasons: [], syntaxErrors: [], refused: [] }

function location(overrides: Partial<CacheLocation> = {}): CacheLocation {
  return { dir: path.join(mkdtempSync(path.join(os.tmpdir(), 'rb-cache-')), 'cache'), buildHash: BUILD, language: 'ko', ...overrides }
}

/** Saves the `rm` step's verdict, as a plan would, and returns the cache file. */
function seeded(loc: CacheLocation): string {
  const cache = openDetectionCacheAt(loc)
  cache.set('shell', RM, DELETES)
  cache.save()
  const file = readdirSync(loc.dir).find((f) => f.startsWith('detect-'))!
  return path.join(loc.dir, file)
}

/** The file's parts: the MAC line and the body with the entries. */
function parts(file: string): { macLine: string; body: { build: string; entries: Record<string, Detection> } } {
  const text = readFileSync(file, 'utf8')
  const nl = text.indexOf('\n')
  return { macLine: text.slice(0, nl), body: JSON.parse(text.slice(nl + 1)) }
}

/** Every entry flipped to safe: what an attacker or a careless hand would write. */
function flipped(file: string): string {
  const { body } = parts(file)
  for (const k of Object.keys(body.entries)) body.entries[k] = SAFE
  return JSON.stringify(body)
}

describe('the detection cache', () => {
  test('serves what it stored, across opens; folder 0700, files 0600', () => {
    const loc = location()
    const file = seeded(loc)
    expect(openDetectionCacheAt(loc).get('shell', RM)).toEqual(DELETES)
    expect(statSync(loc.dir).mode & 0o777).toBe(0o700)
    for (const f of readdirSync(loc.dir)) expect(statSync(path.join(loc.dir, f)).mode & 0o777, f).toBe(0o600)
    expect(readdirSync(loc.dir).sort()).toEqual([path.basename(file), 'key'].sort())
  })

  test('a hand-edited entry is not trusted: the MAC kept, recomputed as a plain hash, or under another key', () => {
    const loc = location()
    const file = seeded(loc)
    const { macLine } = parts(file)
    const body = flipped(file)
    const forgeries = [
      `${macLine}\n${body}`,
      `${createHash('sha256').update(body).digest('hex')}\n${body}`,
      `${createHmac('sha256', randomBytes(32)).update(body).digest('hex')}\n${body}`,
      `\n${body}`,
      body,
      JSON.stringify(parts(file).body.entries),
    ]
    for (const forged of forgeries) {
      writeFileSync(file, forged, { mode: 0o600 })
      expect(openDetectionCacheAt(loc).get('shell', RM), forged.slice(0, 80)).toBeUndefined()
    }
  })

  test('memoised values (a TS step transpiled to the JavaScript that runs, `bash -n`) are covered by the MAC too', () => {
    const loc = location()
    const cache = openDetectionCacheAt(loc)
    cache.put('transpile-ts', 'console.log(1)', { code: 'console.log(1)' })
    cache.memo('bash -n', 'echo', () => null)
    cache.save()
    expect(openDetectionCacheAt(loc).peek('transpile-ts', 'console.log(1)')).toEqual({ code: 'console.log(1)' })
    const file = path.join(loc.dir, readdirSync(loc.dir).find((f) => f.startsWith('detect-'))!)
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('console.log(1)"}', 'require(\'fs\').rmSync(\'/tmp/x\')"}'), { mode: 0o600 })
    expect(readFileSync(file, 'utf8')).toContain('rmSync')
    const reopened = openDetectionCacheAt(loc)
    expect(reopened.peek('transpile-ts', 'console.log(1)')).toBeUndefined()
    expect(reopened.memo('bash -n', 'echo', () => 'fresh')).toBe('fresh')
  })

  test('a planned `rm` step stays destructive over a forged cache: the judge runs fresh', async () => {
    const loc = location()
    const runbook = parseRunbook(`# 캐시\n\n\`\`\`bash {id=remove}\n${RM}\n\`\`\`\n`, 'runbooks/cache.md')
    const first = await plan(runbook, openDetectionCacheAt(loc))
    expect(first.steps[0]!.detected).toBe(true)
    const file = readdirSync(loc.dir).map((f) => path.join(loc.dir, f)).find((f) => f.includes('detect-'))!
    const { macLine } = parts(file)
    writeFileSync(file, `${macLine}\n${flipped(file)}`, { mode: 0o600 })
    const again = await plan(runbook, openDetectionCacheAt(loc))
    expect(again.steps[0]!.detected).toBe(true)
    expect(again.steps[0]!.destructive).toBe(true)
  })

  test('another build, another language: nothing served', () => {
    const loc = location()
    seeded(loc)
    expect(openDetectionCacheAt({ ...loc, buildHash: 'b'.repeat(64) }).get('shell', RM)).toBeUndefined()
    expect(openDetectionCacheAt({ ...loc, language: 'en' }).get('shell', RM)).toBeUndefined()
    // The body's build is checked too, not only the file's name.
    const file = seeded(loc)
    const renamed = path.join(loc.dir, `detect-${'a'.repeat(16)}.json`)
    expect(file).toBe(renamed)
    expect(openDetectionCacheAt({ ...loc, buildHash: `${'a'.repeat(16)}${'c'.repeat(48)}` }).get('shell', RM)).toBeUndefined()
  })

  test('files others can write, or that are not plain files, are not trusted', () => {
    const cases: Array<[string, (loc: CacheLocation, file: string) => void]> = [
      ['cache file group-writable', (_l, f) => chmodSync(f, 0o620)],
      ['cache file world-writable', (_l, f) => chmodSync(f, 0o606)],
      ['cache folder world-writable', (l) => chmodSync(l.dir, 0o777)],
      ['cache folder group-writable', (l) => chmodSync(l.dir, 0o770)],
      ['key readable by others', (l) => chmodSync(path.join(l.dir, 'key'), 0o644)],
      ['key replaced', (l) => writeFileSync(path.join(l.dir, 'key'), randomBytes(32))],
      [
        'cache file a symlink to a private copy',
        (l, f) => {
          const copy = path.join(path.dirname(l.dir), 'copy.json')
          writeFileSync(copy, readFileSync(f), { mode: 0o600 })
          rmSync(f)
          symlinkSync(copy, f)
        },
      ],
    ]
    for (const [name, spoil] of cases) {
      const loc = location()
      const file = seeded(loc)
      spoil(loc, file)
      expect(openDetectionCacheAt(loc).get('shell', RM), name).toBeUndefined()
    }
  })

  test('files or a folder of another user are not trusted (and not written)', () => {
    if (process.getuid?.() !== 0) return
    const nobody = 65534
    const loc = location()
    const file = seeded(loc)
    chownSync(file, nobody, nobody)
    expect(openDetectionCacheAt(loc).get('shell', RM)).toBeUndefined()
    const theirs = location()
    seeded(theirs)
    chownSync(theirs.dir, nobody, nobody)
    const cache = openDetectionCacheAt(theirs)
    expect(cache.get('shell', RM)).toBeUndefined()
    cache.set('shell', 'echo new', SAFE)
    cache.save()
    expect(readdirSync(theirs.dir).filter((f) => f.includes('.tmp'))).toEqual([])
    // The same files, checked as the user who owns them: trusted.
    const own = location()
    seeded(own)
    const uid = statSync(own.dir).uid
    expect(openDetectionCacheAt({ ...own, uid }).get('shell', RM)).toEqual(DELETES)
    expect(openDetectionCacheAt({ ...own, uid: uid + 1 }).get('shell', RM)).toBeUndefined()
  })

  test('a cache folder that is a file, or cannot be made, means no cache, not an error', () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'rb-cache-'))
    const notFolder = path.join(parent, 'file')
    writeFileSync(notFolder, 'x')
    const cache = openDetectionCacheAt({ dir: notFolder, buildHash: BUILD, language: 'ko' })
    cache.set('shell', RM, SAFE)
    cache.save()
    expect(cache.get('shell', RM)).toBeUndefined()
    mkdirSync(path.join(parent, 'ok'))
    expect(cache.memo('bash -n', 'x', () => 7)).toBe(7)
  })
})
