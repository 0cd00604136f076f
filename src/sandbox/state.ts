// What `sandbox up` set up and started (.sandbox/state.json): `down` stops only what is recorded
// here as started by the sandbox, and a second `up` reuses it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export type ServerMode = 'given' | 'local' | 'throwaway'

export interface PgState {
  mode: ServerMode
  /** A URL on the same server with which databases can be created and dropped. */
  adminUrl: string
  /** The sandbox's own database. */
  url: string
  database: string
  /** Throwaway cluster: its folder (pgdata inside) and port. */
  dataDir?: string
  port?: number
  hasPgStatStatements?: boolean
}

export interface RedisState {
  mode: ServerMode
  url: string
  db: number
  dataDir?: string
  port?: number
  pid?: number
}

export interface StandinState {
  port: number
  pid?: number
}

export interface SandboxState {
  version: 1
  root: string
  createdAt: string
  upAt?: string
  pg?: PgState
  redis?: RedisState
  app?: StandinState
  formulaEngine?: StandinState
  /** PATH at the first `up`, after the shim folder in the sandbox's PATH. */
  basePath?: string
  node?: string
}

export function readState(root: string): SandboxState | undefined {
  const file = path.join(root, 'state.json')
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SandboxState
  } catch {
    return undefined
  }
}

export function writeState(root: string, state: SandboxState): void {
  mkdirSync(root, { recursive: true })
  const file = path.join(root, 'state.json')
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2) + '\n')
  renameSync(`${file}.tmp`, file)
}

/** A URL with its password masked, for messages. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return url
  }
}
