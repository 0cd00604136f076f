// Rules for wrappers: commands that run another command (sudo, env, timeout, xargs…) or a
// script (bash -c, su -c, ssh, eval…), which are judged in turn.
import { has, parseOptions, values, type OptionSpec } from '../options.js'
import type { Rule } from '../rule.js'
import { PLACEHOLDER, show, word } from '../words.js'

const sudo: Rule = async (h) => {
  const p = parseOptions(h.args, {
    short: 'ugUhpCDrtTR',
    long: ['user', 'group', 'other-user', 'host', 'prompt', 'close-from', 'chdir', 'role', 'type', 'command-timeout', 'chroot'],
    stopAtPositional: true,
  })
  if (has(p, 'e', 'edit')) h.says(`${h.name} -e`, 'editsFiles')
  await h.run(p.positionals)
}

/** A wrapper whose first positional starts the wrapped command. */
const plainWrapper =
  (spec: OptionSpec = {}): Rule =>
  (h) =>
    h.run(parseOptions(h.args, { ...spec, stopAtPositional: true }).positionals)

const env: Rule = async (h) => {
  const p = parseOptions(h.args, { short: 'uCSP', long: ['unset', 'chdir', 'split-string'], stopAtPositional: true })
  for (const s of values(p, 'S', 'split-string')) if (s) await h.script(s, `${h.name} -S`)
  await h.run(p.positionals)
}

const timeout: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'sk', long: ['signal', 'kill-after'], stopAtPositional: true })
  return h.run(p.positionals.slice(1))
}

const command: Rule = (h) => {
  const p = parseOptions(h.args, { stopAtPositional: true })
  if (has(p, 'v', 'V')) return
  return h.run(p.positionals)
}

const chroot: Rule = (h) => h.run(parseOptions(h.args, { stopAtPositional: true }).positionals.slice(1))

const flock: Rule = async (h) => {
  const p = parseOptions(h.args, { short: 'wEc', long: ['timeout', 'conflict-exit-code', 'command'], stopAtPositional: true })
  for (const c of values(p, 'c', 'command')) if (c) await h.script(c, `${h.name} -c`)
  // flock [options] FILE -c 'script'  |  flock [options] FILE command [args…]
  const rest = p.positionals.slice(1)
  if (rest[0]?.value === '-c' || rest[0]?.value === '--command') {
    if (rest[1]) await h.script(rest[1].value, `${h.name} -c`)
  } else await h.run(rest)
}

const xargs: Rule = (h) => {
  const p = parseOptions(h.args, {
    short: 'InPLdEsa',
    long: ['max-args', 'max-procs', 'max-lines', 'delimiter', 'eof', 'replace', 'max-chars', 'arg-file', 'process-slot-var'],
    stopAtPositional: true,
  })
  // xargs consumes stdin itself; the command gets the items as (unknown) arguments.
  return h.run([...p.positionals, word(PLACEHOLDER)], {})
}

const watch: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'nq', long: ['interval', 'equexit'], stopAtPositional: true })
  if (has(p, 'x', 'exec')) return h.run(p.positionals, {})
  return h.script(p.positionals.map((w) => w.value).join(' '), h.name)
}

const evalCmd: Rule = (h) => h.script(h.args.map((w) => w.value).join(' '), 'eval', undefined, h.ctx.stdin)

const shell: Rule = async (h) => {
  const p = parseOptions(h.args, { short: 'oO', long: ['rcfile', 'init-file'], stopAtPositional: true })
  if (has(p, 'c')) {
    const script = p.positionals[0]
    if (script) await h.script(script.value, `${h.name} -c`, undefined, h.ctx.stdin)
    return
  }
  if (p.positionals.length > 0) return // a script file: not visible here
  const { stdin } = h.ctx
  if (stdin.text !== undefined) await h.script(stdin.text, `${h.name} <<`)
  else if (stdin.piped) h.says(h.name, 'runsPipedScript')
}

const su: Rule = async (h) => {
  const p = parseOptions(h.args, { short: 'csgGw', long: ['command', 'session-command', 'shell', 'group', 'supp-group', 'whitelist-environment'] })
  for (const c of values(p, 'c', 'command', 'session-command')) if (c) await h.script(c, `${h.name} -c`, undefined, h.ctx.stdin)
}

const runuser: Rule = async (h) => {
  const p = parseOptions(h.args, { short: 'ucsgGw', long: ['user', 'command', 'session-command', 'shell', 'group', 'supp-group', 'whitelist-environment'] })
  for (const c of values(p, 'c', 'command', 'session-command')) if (c) await h.script(c, `${h.name} -c`)
  if (has(p, 'u', 'user')) await h.run(p.positionals)
}

const ssh: Rule = async (h) => {
  const p = parseOptions(h.args, { short: 'bcDEeFIiJLlmOopQRSWwB', stopAtPositional: true })
  const [host, ...rest] = p.positionals
  if (!host) return
  const label = `ssh ${show(host.value)}`
  const prefix = `${h.ctx.prefix}${label}: `
  if (rest.length > 0) await h.script(rest.map((w) => w.value).join(' '), label, prefix, h.ctx.stdin)
  else if (h.ctx.stdin.text !== undefined) await h.script(h.ctx.stdin.text, label, prefix)
  else if (h.ctx.stdin.piped) h.says(label, 'runsPipedCommands')
}


export const WRAPPERS: Record<string, Rule> = {
  sudo, doas: sudo,
  env,
  nohup: plainWrapper(), exec: plainWrapper({ short: 'a' }), time: plainWrapper(), builtin: plainWrapper(),
  nice: plainWrapper({ short: 'n', long: ['adjustment'] }),
  ionice: plainWrapper({ short: 'cnp', long: ['class', 'classdata', 'pid'] }),
  stdbuf: plainWrapper({ short: 'ioe', long: ['input', 'output', 'error'] }),
  setsid: plainWrapper(), unbuffer: plainWrapper(), caffeinate: plainWrapper(),
  timeout, command, chroot, flock, xargs, watch, eval: evalCmd,
  bash: shell, sh: shell, zsh: shell, dash: shell, ksh: shell, ash: shell,
  su, runuser, ssh,
}
