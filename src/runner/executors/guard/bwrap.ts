// The bubblewrap command line of the OS guard: the step sees the whole filesystem read-only, except
// the run's scratch folder and the paths it declared, and holds no capability, so even as root it
// cannot remount the view writable. Pure: the argv only, nothing is run here.

/** What a confined process may write, and where it starts. */
export interface ViewOptions {
  /** The run's scratch folder ($RUNBOOK_TMP): writable, and the step's TMPDIR. */
  scratch: string
  /** Further writable paths (resolved, checked: see writes.ts), $RUNBOOK_OUTPUT among them when outside scratch. */
  writable: readonly string[]
  cwd?: string
}

/**
 * `bwrap … -- argv`. Choices (docs/SECURITY.md):
 * - `--ro-bind / /` is recursive: every mount below / is read-only too.
 * - `--dev /dev`: a minimal /dev (null, zero, random, tty, pts, shm) — never the host's block
 *   devices, which uid 0 could open for writing without any capability.
 * - `--ro-bind /proc /proc`: the host's proc, read-only (ps, pgrep, /proc/<pid> still show the
 *   host's processes). Not `--proc`: a fresh proc leaves /proc/sys writable to uid 0 (sysctls).
 * - `--unshare-user`: a user namespace of its own (uid 0 still maps to root), so the kernel refuses
 *   /proc/<pid>/root of every process outside the view — without it, the capability-less bwrap
 *   monitor's /proc/<pid>/root is the host's root, writable. With /proc read-only, no nested user
 *   namespace can be mapped either.
 * - /tmp stays the host's, read-only (steps read files there); TMPDIR points at the scratch folder.
 * - No `--unshare-pid`, no `--new-session`: the step's processes stay in the runner's process group
 *   for the step (bwrap is its leader), so a timeout or Ctrl-C stops all of them as before.
 * - The network is shared: the judge holds what goes over sockets and signals.
 * - `--cap-drop ALL` (and bubblewrap always sets no_new_privs): no remount, no mount, no unshare
 *   of a mount namespace, no setuid program that elevates (sudo fails: such steps run unguarded).
 * - `--die-with-parent`: a runner killed with -9 takes its step with it.
 */
export function confinedArgv(bwrap: string, argv: readonly string[], view: ViewOptions): string[] {
  const binds: string[] = []
  for (const p of [view.scratch, ...view.writable]) binds.push('--bind', p, p)
  return [
    bwrap,
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--ro-bind', '/proc', '/proc',
    '--unshare-user',
    ...binds,
    '--setenv', 'TMPDIR', view.scratch,
    ...(view.cwd !== undefined ? ['--chdir', view.cwd] : []),
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--',
    ...argv,
  ]
}

/** The smallest guarded command: what detection runs to see that the guard works here. */
export function probeArgv(bwrap: string, argv: readonly string[] = ['true']): string[] {
  return [bwrap, '--ro-bind', '/', '/', '--dev', '/dev', '--ro-bind', '/proc', '/proc', '--unshare-user', '--cap-drop', 'ALL', '--die-with-parent', '--', ...argv]
}
