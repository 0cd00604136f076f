// sudo on the simulated host: runs the command as we are (-u USER and -E change nothing here),
// with its VAR=value assignments in its env; a root shell (-i, -s) is refused. Like the real sudo
// it marks its child (SUDO_USER, SUDO_UID, SUDO_COMMAND), and it adds SANDBOX_SUDO_ROOT: the
// shims that need root (a systemctl restart, the system journal) look for it, so a step without
// `sudo` fails in the sandbox as it fails for the unprivileged operator in production.
import { spawnSync } from 'node:child_process'
import os from 'node:os'
import { err, TOOL_EXIT, type ShimContext } from './context.js'

/** Set by the sudo shim for its child: the sandbox folder whose sudo ran it. */
export const SUDO_MARK = 'SANDBOX_SUDO_ROOT'

/** Whether this call runs under the sandbox's sudo (as root, for the shims). */
export function asRoot(ctx: ShimContext): boolean {
  return ctx.env[SUDO_MARK] === ctx.root
}

const SUDO_WITH_VALUE = ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '-R', '--user', '--group', '--host', '--prompt', '--close-from', '--chdir', '--role', '--type', '--other-user', '--command-timeout', '--chroot']

/** Index of the first word after sudo's own options, or -1 for a root shell. */
function afterOptions(args: string[]): number {
  let i = 0
  while (i < args.length) {
    const a = args[i]!
    if (a === '--') return i + 1
    if (!a.startsWith('-')) break
    if (SUDO_WITH_VALUE.includes(a)) i += 2
    else if (a === '-i' || a === '-s' || a === '--login' || a === '--shell') return -1
    else i++
  }
  return i
}

export function sudo(ctx: ShimContext, args: string[]): number {
  let i = afterOptions(args)
  if (i === -1) {
    err(ctx, '(sandbox) sudo -i/-s would open a root shell; run the commands one by one instead')
    return TOOL_EXIT.failed
  }
  const env: NodeJS.ProcessEnv = { ...ctx.env, SUDO_USER: ctx.env.SUDO_USER ?? ctx.env.USER ?? 'deploy', SUDO_UID: String(os.userInfo().uid), SUDO_GID: String(os.userInfo().gid), [SUDO_MARK]: ctx.root }
  for (; i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]!); i++) {
    const eq = args[i]!.indexOf('=')
    env[args[i]!.slice(0, eq)] = args[i]!.slice(eq + 1)
  }
  const rest = args.slice(i)
  if (rest.length === 0) return TOOL_EXIT.ok
  env.SUDO_COMMAND = rest.join(' ')
  const r = spawnSync(rest[0]!, rest.slice(1), { stdio: 'inherit', env })
  if (r.error) {
    err(ctx, `sudo: ${rest[0]}: command not found`)
    return TOOL_EXIT.failed
  }
  return r.status ?? TOOL_EXIT.failed
}
