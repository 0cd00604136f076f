// The shell's own read-only builtins, and the wrappers that are judged by what they run (sudo,
// env, timeout, nice, ionice, time, xargs, stdbuf, command, setsid, bash -c with literal text).
// A wrapper with an option it does not know, or nothing to run, is not proven.
import { has, parseOptions, values, type OptionSpec } from '../options.js'
import { isProtectedVariable } from '../protected.js'
import type { H } from '../rule.js'
import { PLACEHOLDER, word, type Word } from '../words.js'
import { anyArgs, type Reader } from './reader.js'

/** Options of a wrapper parsed with `spec`; undefined when one is not in `allowed`. */
function wrapperArgs(h: H, spec: OptionSpec, allowed: string[]): Word[] | undefined {
  const p = parseOptions(h.args, { ...spec, stopAtPositional: true })
  for (const key of p.opts.keys()) if (!allowed.includes(key)) return undefined
  return p.positionals
}

/** A wrapper whose positionals are the command it runs. */
const wrapper =
  (spec: OptionSpec, allowed: string[], skip = 0): Reader =>
  async (h) => {
    const argv = wrapperArgs(h, spec, allowed)?.slice(skip)
    if (!argv || argv.length === 0) return false
    await h.run(argv)
    return true
  }

/** Leading NAME=value words of env/sudo: none may set a protected variable. */
function assignmentsSafe(argv: Word[]): boolean {
  for (const w of argv) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w.value)
    if (!m || !w.literal) break
    if (isProtectedVariable(m[1]!)) return false
  }
  return true
}

const sudo: Reader = async (h) => {
  const argv = wrapperArgs(h, { short: 'ugUhpCDrtTR', long: ['user', 'group', 'other-user', 'host', 'prompt', 'close-from', 'chdir', 'role', 'type', 'command-timeout'] }, ['u', 'user', 'g', 'group', 'n', 'non-interactive', 'E', 'preserve-env', 'H', 'set-home', 'k', 'reset-timestamp', 'p', 'prompt', 'l', 'list', 'S', 'stdin', 'D', 'chdir'])
  if (!argv) return false
  if (argv.length === 0) return has(parseOptions(h.args, {}), 'l', 'list')
  if (!assignmentsSafe(argv)) return false
  await h.run(argv)
  return true
}

const env: Reader = async (h) => {
  const argv = wrapperArgs(h, { short: 'uC', long: ['unset', 'chdir'] }, ['i', 'ignore-environment', 'u', 'unset', '0', 'null', 'C', 'chdir'])
  if (!argv || !assignmentsSafe(argv)) return false
  let i = 0
  while (i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!.value)) i++
  if (i < argv.length) await h.run(argv.slice(i))
  return true
}

const xargs: Reader = async (h) => {
  const spec = { short: 'InPLdEsa', long: ['max-args', 'max-procs', 'max-lines', 'delimiter', 'eof', 'replace', 'max-chars', 'arg-file'] }
  const argv = wrapperArgs(h, spec, ['I', 'i', 'replace', 'n', 'max-args', 'P', 'max-procs', 'L', 'max-lines', 'd', 'delimiter', 'E', 'eof', 's', 'max-chars', 'a', 'arg-file', '0', 'null', 'r', 'no-run-if-empty', 't', 'verbose', 'x', 'exit'])
  if (!argv) return false
  // xargs runs echo when given no command; the items it reads are arguments nobody knows here.
  await h.run([...(argv.length > 0 ? argv : [word('echo')]), word(PLACEHOLDER)], {})
  return true
}

const command: Reader = async (h) => {
  const p = parseOptions(h.args, { stopAtPositional: true })
  if (has(p, 'v', 'V')) return true
  for (const key of p.opts.keys()) if (key !== 'p') return false
  if (p.positionals.length === 0) return false
  await h.run(p.positionals)
  return true
}

/** bash/sh -c 'literal script', or a heredoc fed to bash: the script is judged by the walk. */
const shell: Reader = async (h) => {
  const p = parseOptions(h.args, { short: 'o', long: [] })
  for (const key of p.opts.keys()) if (!['c', 'e', 'u', 'x', 'v', 'o', 'l', 'E', 's', 'noprofile', 'norc'].includes(key)) return false
  if (values(p, 'o').some((o) => o === null || !['pipefail', 'errexit', 'nounset', 'xtrace', 'errtrace'].includes(o))) return false
  if (has(p, 'c')) {
    const script = p.positionals[0]
    if (!script?.literal) return false
    await h.script(script.value, `${h.name} -c`, undefined, h.ctx.stdin)
    return true
  }
  if (p.positionals.length > 0 || h.ctx.stdin.text === undefined || h.ctx.stdin.text.includes(PLACEHOLDER)) return false
  await h.script(h.ctx.stdin.text, `${h.name} <<`)
  return true
}

/** read, mapfile, printf -v, getopts: the names they assign may not be protected ones. */
const assigning =
  (spec: OptionSpec, nameOpt?: string): Reader =>
  (h) => {
    const p = parseOptions(h.args, spec)
    const names = [...p.positionals, ...(nameOpt ? (values(p, nameOpt).map((v) => word(v ?? PLACEHOLDER))) : [])]
    if (h.name === 'printf') return names.length === 0 || values(p, 'v').every((v) => v !== null && !v.includes(PLACEHOLDER) && !isProtectedVariable(v))
    return names.every((w) => w.literal && !isProtectedVariable(w.value))
  }

/** export/declare/local… reached as a command (builtin export …): no nameref, no protected name. */
const declares: Reader = (h) =>
  h.args.every((w) => w.literal && !(/^-/.test(w.value) && w.value.includes('n')) && !isProtectedVariable(w.value.replace(/[+]?=.*$/, '')))

/**
 * trap -l / -p only list; `trap '' SIG…` ignores signals and `trap - SIG…` resets them: no code of
 * the step's runs later. Any other action is code run at a signal, which cannot be proven.
 */
const trap: Reader = (h) => {
  const args = h.args[0]?.literal && h.args[0].value === '--' ? h.args.slice(1) : h.args
  if (args.length === 0 || !args.every((w) => w.literal)) return false
  if (args.every((w) => ['-l', '-p'].includes(w.value))) return true
  const [action, ...signals] = args
  return (action!.value === '' || action!.value === '-') && signals.length > 0 && signals.every((w) => /^(SIG)?[A-Z]+[0-9]*([+-][0-9]+)?$|^[0-9]+$/.test(w.value))
}
/** exec without a command only applies its redirections (judged by the walk). */
const exec: Reader = (h) => h.args.length === 0

const hash: Reader = (h) => !parseOptions(h.args, {}).opts.has('p')
const shopt: Reader = (h) => !h.args.some((w) => !w.literal || /^(expand_aliases|extdebug)$/.test(w.value))

export const BUILTIN_READERS: Record<string, Reader> = {
  ...Object.fromEntries(
    [
      'echo', 'true', 'false', ':', 'test', '[', 'pwd', 'cd', 'pushd', 'popd', 'dirs', 'set', 'shift', 'return', 'exit',
      'break', 'continue', 'wait', 'umask', 'ulimit', 'type', 'sleep', 'times', 'jobs', 'caller', 'let', 'usleep',
    ].map((n) => [n, anyArgs]),
  ),
  printf: assigning({ short: 'v' }, 'v'),
  read: assigning({ short: 'adinNptu', long: [] }, 'a'),
  // mapfile -C runs a callback: not here.
  mapfile: (h) => !parseOptions(h.args, { short: 'dnOsuCc' }).opts.has('C') && assigning({ short: 'dnOsuCc', long: [] })(h),
  readarray: (h) => !parseOptions(h.args, { short: 'dnOsuCc' }).opts.has('C') && assigning({ short: 'dnOsuCc', long: [] })(h),
  getopts: (h) => h.args.length >= 2 && !!h.args[1]?.literal && !isProtectedVariable(h.args[1].value),
  trap, hash, shopt, exec,
  unset: (h) => h.args.every((w) => w.literal && !isProtectedVariable(w.value)), export: declares, declare: declares, local: declares, typeset: declares, readonly: declares,
  sudo, doas: sudo, env, xargs, command,
  builtin: wrapper({}, []),
  timeout: wrapper({ short: 'sk', long: ['signal', 'kill-after'] }, ['s', 'signal', 'k', 'kill-after', 'preserve-status', 'foreground', 'v', 'verbose'], 1),
  nice: wrapper({ short: 'n', long: ['adjustment'] }, ['n', 'adjustment']),
  ionice: wrapper({ short: 'cnt', long: ['class', 'classdata'] }, ['c', 'class', 'n', 'classdata', 't', 'ignore']),
  time: wrapper({}, ['p', 'portability']),
  stdbuf: wrapper({ short: 'ioe', long: ['input', 'output', 'error'] }, ['i', 'input', 'o', 'output', 'e', 'error']),
  setsid: wrapper({}, ['w', 'wait']),
  bash: shell, sh: shell, dash: shell,
}
