// Detection results cached on disk by the sha256 of (language, kind, code), so planning an unchanged
// runbook does not load the shell and SQL parsers again (~200 ms). The cache must never lower a
// verdict: a file is bound to the judge's version (the build hash, injected by the build; a run from
// source uses no cache) and carries an HMAC under a key only this user can read, and it is trusted
// only when its folder and files belong to the current user and nobody else can write them.
// Anything else (a hand edit, a copy from elsewhere, loose permissions) and the judge runs fresh.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, closeSync, constants, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Detection, StepKind } from '../model/runbook.js'
import { language } from '../terminal/messages/index.js'

declare const __DETECT_HASH__: string | undefined
const BUILD_HASH = typeof __DETECT_HASH__ === 'string' ? __DETECT_HASH__ : undefined
const MAX_ENTRIES = 20_000
const KEY_FILE = 'key'
const KEY_BYTES = 32
/** Domain of the MAC, so the key can never authenticate anything but a cache file of this format. */
const MAC_DOMAIN = 'runbook detection cache v2'

export interface DetectionCache {
  get(kind: StepKind, code: string): Detection | undefined
  set(kind: StepKind, code: string, detection: Detection): void
  /** Any other pure verdict on a piece of code (e.g. `bash -n`), under its own namespace. */
  memo<T>(namespace: string, code: string, compute: () => T): T
  /** The async form of `memo`: a stored value, or undefined; `put` stores one. */
  peek<T>(namespace: string, code: string): T | undefined
  put(namespace: string, code: string, value: unknown): void
  save(): void
}

/** Where a cache lives and what it is bound to. */
export interface CacheLocation {
  dir: string
  /** The judge's version: the hash of its code, its messages and its parsers. */
  buildHash: string
  /** Reasons are words of a language, so entries are kept per language. */
  language: string
  /** The user the files must belong to (default: the current one). */
  uid?: number
}

const NONE: DetectionCache = {
  get: () => undefined,
  set: () => undefined,
  memo: (_n, _c, compute) => compute(),
  peek: () => undefined,
  put: () => undefined,
  save: () => undefined,
}

/** The cache of this build, in `$RUNBOOK_CACHE_DIR` or the user's cache folder; none from source. */
export function openDetectionCache(): DetectionCache {
  if (!BUILD_HASH || process.env.RUNBOOK_NO_CACHE) return NONE
  const dir = process.env.RUNBOOK_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'runbook')
  return openDetectionCacheAt({ dir, buildHash: BUILD_HASH, language: language() })
}

export function openDetectionCacheAt(location: CacheLocation): DetectionCache {
  const uid = location.uid ?? process.getuid?.()
  // Without owners to check (not POSIX), nothing read could be trusted: no cache.
  if (uid === undefined) return NONE
  const dir = privateFolder(location.dir, uid)
  if (!dir) return NONE
  const key = cacheKey(dir, uid)
  if (!key) return NONE
  const file = path.join(dir, `detect-${location.buildHash.slice(0, 16)}.json`)
  const entries = readEntries(file, key, location.buildHash, uid)
  return entryCache(entries, location, (all) => writeEntries(file, key, location.buildHash, all))
}

function entryCache(entries: Record<string, unknown>, location: CacheLocation, write: (all: Record<string, unknown>) => void): DetectionCache {
  let dirty = false
  const id = (kind: string, code: string) =>
    createHash('sha256').update(location.language).update('\0').update(kind).update('\0').update(code).digest('base64url')
  const store = (k: string, value: unknown) => {
    entries[k] = value
    dirty = true
  }
  return {
    get: (kind, code) => entries[id(kind, code)] as Detection | undefined,
    set: (kind, code, detection) => store(id(kind, code), detection),
    peek: <T>(namespace: string, code: string): T | undefined => entries[id(`memo:${namespace}`, code)] as T | undefined,
    put: (namespace, code, value) => store(id(`memo:${namespace}`, code), value),
    memo: <T>(namespace: string, code: string, compute: () => T): T => {
      const k = id(`memo:${namespace}`, code)
      if (k in entries) return entries[k] as T
      const value = compute()
      store(k, value)
      return value
    },
    save: () => {
      if (!dirty) return
      const keys = Object.keys(entries)
      if (keys.length > MAX_ENTRIES) for (const k of keys.slice(0, keys.length - MAX_ENTRIES)) delete entries[k]
      try {
        write(entries)
        dirty = false
      } catch {
        // a read-only home: work without the cache
      }
    },
  }
}

/** Owned by `uid` and writable by nobody else (group and others get no bits at all on what we made). */
function isPrivate(st: Stats, uid: number, mask: number): boolean {
  return st.uid === uid && (st.mode & mask) === 0
}

/** The cache folder, made 0700 when missing; undefined when it is not the user's own (or not a folder). */
function privateFolder(dir: string, uid: number): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const st = lstatSync(dir)
    if (!st.isDirectory() || st.uid !== uid) return undefined
    // A folder others could write: what is in it may be theirs. Close it, then trust nothing old in it.
    if ((st.mode & 0o022) !== 0) {
      chmodSync(dir, 0o700)
      return undefined
    }
    if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700)
    return dir
  } catch {
    return undefined
  }
}

/** Reads a file without following a symlink, if it is a regular file that passes `trusted`. */
function readOwn(file: string, trusted: (st: Stats) => boolean): Buffer | undefined {
  let fd: number | undefined
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW)
    const st = fstatSync(fd)
    if (!st.isFile() || !trusted(st)) return undefined
    return readFileSync(fd)
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Writes a new file 0600 (never through a link: O_EXCL), synced, then renames it into place. */
function writePrivate(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
  try {
    writeSync(fd, data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
}

/** The MAC key: 32 random bytes in a 0600 file of the user's own, made on first use; replaced when not private. */
function cacheKey(dir: string, uid: number): Buffer | undefined {
  const file = path.join(dir, KEY_FILE)
  const key = readOwn(file, (st) => isPrivate(st, uid, 0o077))
  if (key?.length === KEY_BYTES) return key
  try {
    // Missing, unreadable, someone else's, readable by others or the wrong size: a new key, so no
    // file MACed under the old one (which others may have read) is trusted again.
    try {
      unlinkSync(file)
    } catch {
      // there was none
    }
    const fresh = randomBytes(KEY_BYTES)
    writePrivate(file, fresh)
    return fresh
  } catch {
    return undefined
  }
}

function mac(key: Buffer, buildHash: string, body: string): Buffer {
  return createHmac('sha256', key).update(MAC_DOMAIN).update('\0').update(buildHash).update('\0').update(body).digest()
}

/** The entries of a cache file, or none when the file is missing, not private, not of this build or not MACed under our key. */
function readEntries(file: string, key: Buffer, buildHash: string, uid: number): Record<string, unknown> {
  const text = readOwn(file, (st) => isPrivate(st, uid, 0o077))?.toString('utf8')
  if (text === undefined) return {}
  const newline = text.indexOf('\n')
  if (newline === -1) return {}
  const given = Buffer.from(text.slice(0, newline), 'hex')
  const body = text.slice(newline + 1)
  const expected = mac(key, buildHash, body)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return {}
  try {
    const parsed = JSON.parse(body) as { build?: unknown; entries?: unknown }
    if (parsed.build !== buildHash || typeof parsed.entries !== 'object' || parsed.entries === null) return {}
    return parsed.entries as Record<string, unknown>
  } catch {
    return {}
  }
}

/** The file: the MAC (hex) on the first line, then the body it covers: the build hash and the entries. */
function writeEntries(file: string, key: Buffer, buildHash: string, entries: Record<string, unknown>): void {
  const body = JSON.stringify({ build: buildHash, entries })
  writePrivate(file, Buffer.from(`${mac(key, buildHash, body).toString('hex')}\n${body}`))
}
