// The simulated host's commands: `node shim.mjs SANDBOX_DIR COMMAND ARGS…`, called by the small
// scripts in .sandbox/bin that come first on PATH in --sandbox runs. Production commands act on
// the stand-ins and on .sandbox/host/host.json instead of the machine, and say `(sandbox)` for
// what they simulate (on stderr for read-only commands, so their output parses as the real one).
// Nothing here touches the host outside the sandbox folder: no real systemctl, apt, crontab,
// sysctl, docker or aws is ever called. This is the edge: the real clock, argv and streams.
import { notSimulated, shimFor, TOOL_EXIT, type ShimContext } from './shims/index.js'

const [root, command, ...argv] = process.argv.slice(2) as [string, string, ...string[]]
// `… | head` closes the pipe early: end quietly, as the real commands do.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? TOOL_EXIT.ok : TOOL_EXIT.failed))

const ctx: ShimContext = {
  root,
  command,
  argv,
  env: process.env,
  now: () => new Date(),
  io: { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) },
}

async function main(): Promise<number> {
  if (!root || !command) {
    ctx.io.stderr('usage: shim.mjs SANDBOX_DIR COMMAND ARGS…\n')
    return TOOL_EXIT.usage
  }
  const shim = shimFor(command)
  return shim ? shim(ctx, argv) : notSimulated(ctx, command)
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    ctx.io.stderr(`(sandbox) ${command}: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exitCode = TOOL_EXIT.failed
  },
)
