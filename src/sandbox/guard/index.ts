// Safety rule 5: a --sandbox run never changes the host outside the sandbox's folder and servers.
// The command shims take the production commands; this guard refuses, before a step runs, what
// would still reach outside: writes (redirections, rm, find -delete, truncate, dd of=, tee, mv,
// cp, tar, sed -i, chmod…) onto paths outside the sandbox folder and the temp folders, real
// binaries called by absolute path instead of the shims, destructive commands the sandbox does
// not simulate (kill, iptables, pip install, kubectl…), other hosts (ssh, scp, rsync host:), and
// SQL/Redis/TS steps whose connection is not the sandbox's own database. Env variables are
// resolved from the step's env, so `rm "$BACKUP_DIR"/old.sql.gz` is judged by where it points.
// A path that cannot be known statically (a command substitution, a loop variable) is left to
// the run-time check of TS commands and to the shims.
import path from 'node:path'
import { loadSyntax, msg, readEnvFile, type PlannedStep, type StepKind } from '../../runner/api.js'
import { analyzeArgv } from './argv.js'
import type { Ctx } from './context.js'
import { allowedRoots } from './paths.js'
import { sameServer } from './remote.js'
import { analyzeShellCode } from './script.js'
import { analyzeTs } from './ts-steps.js'

export interface GuardOptions {
  /** Working directory of the step (relative paths resolve against it). */
  cwd?: string
  /** The step's env: $VARS in paths are resolved from it. */
  env?: Record<string, string>
}

/**
 * What in a step's code would change the host outside the sandbox folder and the temp folders
 * (one message per finding, empty when nothing does). Shell and TS/JS steps are analysed; SQL
 * and Redis steps act on a server and are judged by sandboxConnectionViolations.
 */
export async function sandboxViolations(code: string, kind: StepKind, sandboxDir: string, opts: GuardOptions = {}): Promise<string[]> {
  if (kind === 'sql' || kind === 'redis') return []
  const root = path.resolve(sandboxDir)
  const ctx: Ctx = { syntax: await loadSyntax(), root, allowed: allowedRoots(root), env: opts.env ?? {}, depth: 0, out: new Set(), argv: analyzeArgv, shell: analyzeShellCode }
  const cwd = opts.cwd ? path.resolve(opts.cwd) : process.cwd()
  if (kind === 'shell') await analyzeShellCode(code, cwd, ctx)
  else await analyzeTs(code, kind, cwd, ctx)
  return [...ctx.out]
}

/** SQL/Redis/TS steps: the server a step would change must be the sandbox's own. */
export function sandboxConnectionViolations(planned: PlannedStep, env: Record<string, string>, sandboxDir: string): string[] {
  let sandbox: Record<string, string>
  try {
    sandbox = readEnvFile(path.join(sandboxDir, 'env'), 'sandbox env')
  } catch {
    return [msg.sandbox.noEnvFile]
  }
  const out: string[] = []
  const mask = (u: string | undefined) => (u ?? msg.sandbox.unset).replace(/:[^:@/]*@/, ':***@')
  const attrs = planned.step.attrs
  const usesSql = planned.kind === 'sql' || (planned.kind !== 'shell' && planned.kind !== 'redis' && /\bsql\s*(`|\()/.test(planned.step.code))
  const usesRedis = planned.kind === 'redis' || (planned.kind !== 'shell' && planned.kind !== 'sql' && /\bredis\s*\./.test(planned.step.code))
  if (usesSql) {
    const name = attrs.db ?? 'DATABASE_URL'
    if (!sameServer(env[name], sandbox.DATABASE_URL, 5432)) out.push(msg.sandbox.notSandboxDb(name, mask(env[name])))
  }
  if (usesRedis) {
    const name = attrs.redis ?? 'REDIS_URL'
    if (!sameServer(env[name], sandbox.REDIS_URL, 6379)) out.push(msg.sandbox.notSandboxRedis(name, mask(env[name])))
  }
  if ((planned.kind === 'shell' || planned.kind === 'ts' || planned.kind === 'js') && planned.destructive) {
    const first = (env.PATH ?? '').split(path.delimiter)[0] ?? ''
    if (path.resolve(first || '.') !== path.join(path.resolve(sandboxDir), 'bin')) out.push(msg.sandbox.pathNotShims(path.join(sandboxDir, 'bin')))
  }
  return out
}

/** Everything rule 5 refuses in a planned step, for the orchestrator's gate. */
export async function sandboxStepViolations(planned: PlannedStep, env: Record<string, string>, sandboxDir: string, cwd: string): Promise<string[]> {
  const connection = planned.destructive ? sandboxConnectionViolations(planned, env, sandboxDir) : []
  const code = await sandboxViolations(planned.step.code, planned.kind, sandboxDir, { cwd, env })
  return [...connection, ...code]
}
