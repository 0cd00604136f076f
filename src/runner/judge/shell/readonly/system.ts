// Read-only system tools: process and resource views, systemd and the journal in their reading
// verbs, the clock and host name without setting them, network listings, kernel settings read.
import { has, parseOptions } from '../options.js'
import { anyArgs, verbOf, without, withoutOptions, type Reader } from './reader.js'

const SYSTEMCTL_READ = new Set([
  'status', 'show', 'cat', 'help', 'is-active', 'is-enabled', 'is-failed', 'is-system-running', 'list-units', 'list-unit-files',
  'list-sockets', 'list-timers', 'list-jobs', 'list-dependencies', 'list-machines', 'list-automounts', 'list-paths',
  'get-default', 'show-environment',
])
const SYSTEMCTL_VALUES = ['type', 'property', 'lines', 'output', 'host', 'machine', 'state', 'what', 'timestamp', 't', 'p', 'n', 'o', 'H', 'M']

const systemctl: Reader = (h) => {
  const { verb } = verbOf(h, { short: 'tpnoHM', long: SYSTEMCTL_VALUES.filter((v) => v.length > 1) })
  return verb === undefined || (verb.literal && SYSTEMCTL_READ.has(verb.value))
}

const service: Reader = (h) => {
  const p = parseOptions(h.args, {})
  if (has(p, 'status-all')) return true
  const [, action] = p.positionals
  return !!action?.literal && action.value === 'status'
}

/** journalctl reads, except the options that rotate, vacuum, flush or write a cursor file. */
const journalctl = withoutOptions(
  ['rotate', 'vacuum-size', 'vacuum-time', 'vacuum-files', 'flush', 'sync', 'relinquish-var', 'smart-relinquish-var', 'setup-keys', 'update-catalog', 'cursor-file', 'new-id128'],
  {
    short: 'uSUnpotgDMbIF',
    long: ['unit', 'user-unit', 'since', 'until', 'lines', 'priority', 'output', 'identifier', 'grep', 'directory', 'file', 'machine', 'root', 'image', 'cursor', 'after-cursor', 'output-fields', 'field', 'namespace', 'facility', 'boot'],
  },
)

/** date reads the clock; -s or a positional that is not +FORMAT sets it. */
const date: Reader = (h) => {
  const p = without(h, ['s', 'set'], { short: 'dfrI', long: ['date', 'file', 'reference', 'iso-8601', 'rfc-3339'] })
  return !!p && p.positionals.every((w) => w.value.startsWith('+'))
}

/** hostname shows the name; a positional, -F or -b sets it. */
const hostname: Reader = (h) => {
  const p = without(h, ['F', 'file', 'b', 'boot'])
  return !!p && p.positionals.length === 0
}

/** A systemd *ctl tool whose only verbs here are the reading ones. */
const ctlReads =
  (read: string[]): Reader =>
  (h) => {
    const { verb } = verbOf(h)
    return verb === undefined || (verb.literal && read.includes(verb.value))
  }

/** ip OBJECT [show|list|get …]: listing addresses, routes, links… */
const ip: Reader = (h) => {
  const p = parseOptions(h.args, { stopAtPositional: true })
  if (has(p, 'batch', 'b', 'force')) return false
  const [obj, verb] = p.positionals
  if (!obj?.literal) return false
  return verb === undefined || (verb.literal && /^(show|list|ls|lst|get|sh|s|l)$/.test(verb.value))
}

/** sysctl reads keys; -w, -p/--system and key=value write. */
const sysctl: Reader = (h) => {
  const p = without(h, ['w', 'write', 'p', 'load', 'f', 'system'])
  return !!p && p.positionals.every((w) => w.literal && !w.value.includes('='))
}

/** kill -0 (is it alive?) and kill -l (signal names) send nothing. */
const kill: Reader = (h) => h.args.length > 0 && ['-0', '-l', '-L', '--list', '--table'].includes(h.args[0]!.value) && h.args[0]!.literal

/** mount without arguments (or -l, -t TYPE) lists the mounts. */
const mount: Reader = (h) => {
  const p = parseOptions(h.args, { short: 't', long: ['types'] })
  return p.positionals.length === 0 && [...p.opts.keys()].every((k) => ['l', 't', 'types', 'show-labels'].includes(k))
}

/** dmesg reads the kernel ring; -c/-C clear it, -n/-D/-E change the console. */
const dmesg = withoutOptions(['c', 'C', 'clear', 'read-clear', 'n', 'console-level', 'D', 'console-off', 'E', 'console-on'], { short: 'flsF', long: ['facility', 'level', 'since', 'until', 'file'] })

/** top in batch mode (interactive top can kill and renice). */
const top: Reader = (h) => h.args.some((w) => w.literal && /^-[a-zA-Z0-9.]*b/.test(w.value))

/** crontab -l (with -u USER). */
const crontab: Reader = (h) => {
  const p = parseOptions(h.args, { short: 'u' })
  return has(p, 'l') && [...p.opts.keys()].every((k) => k === 'l' || k === 'u') && p.positionals.length === 0
}

/** logrotate -d: a dry run that changes nothing. */
const logrotate: Reader = (h) => {
  const p = parseOptions(h.args, { short: 's', long: ['state', 'log'] })
  return has(p, 'd', 'debug') && !has(p, 'f', 'force', 'log', 'l', 'm', 'mail')
}

/** sshd -T / -t: print or test the configuration. */
const sshd: Reader = (h) => {
  const p = parseOptions(h.args, { short: 'Cfc', long: [] })
  return has(p, 'T', 't') && [...p.opts.keys()].every((k) => ['T', 't', 'C', 'f'].includes(k))
}

export const SYSTEM_READERS: Record<string, Reader> = {
  ...Object.fromEntries(
    [
      'ps', 'free', 'uptime', 'nproc', 'lscpu', 'lsblk', 'findmnt', 'lsof', 'netstat', 'vmstat', 'iostat', 'mpstat',
      'pidstat', 'uname', 'id', 'whoami', 'groups', 'who', 'w', 'last', 'users', 'getent', 'printenv', 'which',
      'pgrep', 'pidof', 'getconf', 'locale', 'tty', 'df', 'du', 'arch', 'nslookup', 'dig', 'host', 'ping', 'lsmod',
    ].map((n) => [n, anyArgs]),
  ),
  // ss -K closes the sockets it lists.
  ss: withoutOptions(['K', 'kill'], { short: 'fAF', long: ['family', 'query', 'socket', 'filter'] }),
  systemctl, service, journalctl, date, hostname, ip, sysctl, kill, mount, dmesg, top, crontab, logrotate, sshd,
  timedatectl: ctlReads(['status', 'show', 'list-timezones', 'timesync-status', 'show-timesync']),
  hostnamectl: ctlReads(['status']),
  loginctl: ctlReads(['list-sessions', 'list-users', 'list-seats', 'session-status', 'show-session', 'user-status', 'show-user']),
}
