// Detection results cached on disk by the sha256 of (kind, code), so planning an unchanged
// runbook does not load the shell and SQL parsers again (~200 ms). The cache file is named by a
// hash of the detection code, which the build injects: a changed detector never reads old
// results, and a run from source (tests) uses no cache at all. Reasons are words of the active
// language, so entries are kept per language.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Detection, StepKind } from '../model/runbook.js'
import { language } from '../terminal/messages/index.js'

declare const __DETECT_HASH__: string | undefined
const BUILD_HASH = typeof __DETECT_HASH__ === 'string' ? __DETECT_HASH__ : undefined
const MAX_ENTRIES = 20_000

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

const NONE: DetectionCache = {
  get: () => undefined,
  set: () => undefined,
  memo: (_n, _c, compute) => compute(),
  peek: () => undefined,
  put: () => undefined,
  save: () => undefined,
}

function cacheFile(): string | undefined {
  if (!BUILD_HASH || process.env.RUNBOOK_NO_CACHE) return undefined
  const base = process.env.RUNBOOK_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'runbook')
  return path.join(base, `detect-${BUILD_HASH.slice(0, 16)}.json`)
}

export function openDetectionCache(): DetectionCache {
  const file = cacheFile()
  if (!file) return NONE
  let entries: Record<string, unknown> = {}
  try {
    entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    // missing or unreadable: start empty
  }
  let dirty = false
  const key = (kind: string, code: string) => createHash('sha256').update(language()).update('\0').update(kind).update('\0').update(code).digest('base64url')
  return {
    get: (kind, code) => entries[key(kind, code)] as Detection | undefined,
    set: (kind, code, detection) => {
      entries[key(kind, code)] = detection
      dirty = true
    },
    peek: <T>(namespace: string, code: string): T | undefined => entries[key(`memo:${namespace}`, code)] as T | undefined,
    put: (namespace, code, value) => {
      entries[key(`memo:${namespace}`, code)] = value
      dirty = true
    },
    memo: <T>(namespace: string, code: string, compute: () => T): T => {
      const k = key(`memo:${namespace}`, code)
      if (k in entries) return entries[k] as T
      const value = compute()
      entries[k] = value
      dirty = true
      return value
    },
    save: () => {
      if (!dirty) return
      try {
        const keys = Object.keys(entries)
        if (keys.length > MAX_ENTRIES) for (const k of keys.slice(0, keys.length - MAX_ENTRIES)) delete entries[k]
        mkdirSync(path.dirname(file), { recursive: true })
        const tmp = `${file}.${process.pid}.tmp`
        writeFileSync(tmp, JSON.stringify(entries))
        renameSync(tmp, file)
        dirty = false
      } catch {
        // a read-only home: work without the cache
      }
    },
  }
}
