// Where the sandbox lives and how its folder is laid out. The folder is `.sandbox/` in the
// current directory, or $RUNBOOK_SANDBOX_DIR. Everything the sandbox writes stays inside it
// (the throwaway PostgreSQL cluster may live in a temp folder when the server user cannot reach
// the sandbox folder; see servers.ts).
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const DEFAULT_SANDBOX_DIR = '.sandbox'

/** The sandbox folder, absolute: $RUNBOOK_SANDBOX_DIR, else `.sandbox` in the current directory. */
export function sandboxDir(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  const dir = env.RUNBOOK_SANDBOX_DIR?.trim()
  return path.resolve(cwd, dir ? dir : DEFAULT_SANDBOX_DIR)
}

export interface SandboxLayout {
  root: string
  env: string
  state: string
  bin: string
  programs: string
  host: string
  hostState: string
  crontab: string
  history: string
  sshdConfig: string
  sudoers: string
  hostLog: string
  authLog: string
  syslog: string
  log: string
  productionLog: string
  formulaEngineLog: string
  storage: string
  backups: string
  s3: string
  bucket: string
  app: string
  run: string
  servers: string
}

export const BUCKET = 'excelapp-backups'

export function layout(root: string): SandboxLayout {
  const j = (...p: string[]) => path.join(root, ...p)
  return {
    root,
    env: j('env'),
    state: j('state.json'),
    bin: j('bin'),
    programs: j('bin', '.programs'),
    host: j('host'),
    hostState: j('host', 'host.json'),
    crontab: j('host', 'crontab'),
    history: j('host', 'history.log'),
    sshdConfig: j('host', 'ssh', 'sshd_config'),
    sudoers: j('host', 'sudoers'),
    hostLog: j('host', 'log'),
    authLog: j('host', 'log', 'auth.log'),
    syslog: j('host', 'log', 'syslog'),
    log: j('log'),
    productionLog: j('log', 'production.log'),
    formulaEngineLog: j('log', 'formula_engine.log'),
    storage: j('storage'),
    backups: j('backups', 'postgresql'),
    s3: j('s3'),
    bucket: j('s3', BUCKET),
    app: j('app'),
    run: j('run'),
    servers: j('servers'),
  }
}

/** A short stable id of a sandbox folder (names its database when it is not the default one). */
export function sandboxId(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 10)
}

/** The default sandbox (`.sandbox` in the project root) gets `excelapp_sandbox`, others a name of their own. */
export function databaseName(root: string): string {
  const projectDefault = path.join(projectRoot(), DEFAULT_SANDBOX_DIR)
  return root === projectDefault ? 'excelapp_sandbox' : `excelapp_sandbox_${sandboxId(root)}`
}

let cachedRoot: string | undefined

/** The runner's checkout (the folder of its package.json), from dist/ or src/. */
export function projectRoot(): string {
  if (cachedRoot) return cachedRoot
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = path.join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'excelapp-runbooks') return (cachedRoot = dir)
      } catch {
        // keep looking
      }
    }
    const up = path.dirname(dir)
    if (up === dir) throw new Error('cannot find the runner project root (package.json of excelapp-runbooks)')
    dir = up
  }
}

/** Whether `p` is `root` or inside it (both absolute, normalised). */
export function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}
