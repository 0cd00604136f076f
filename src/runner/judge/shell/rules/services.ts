// Rules for services, processes and the host: systemd and init scripts, signals, power, kernel
// settings, and the servers' own control tools (nginx, apachectl, supervisorctl, pm2, pumactl).
import { has, parseOptions, values } from '../options.js'
import { isHelp, verbFlag, type Rule, type ShellPhrase } from '../rule.js'
import { show } from '../words.js'

const SYSTEMCTL_READ = new Set([
  'status', 'show', 'cat', 'help', 'is-active', 'is-enabled', 'is-failed', 'is-system-running', 'list-units',
  'list-unit-files', 'list-sockets', 'list-timers', 'list-jobs', 'list-dependencies', 'list-machines',
  'list-automounts', 'list-paths', 'get-default', 'show-environment', 'log-level', 'log-target',
  'service-log-level', 'service-log-target',
])

/** What a systemctl (or service) verb does; others change the state of services. */
const SYSTEMCTL_VERBS: Record<string, ShellPhrase> = {
  restart: 'restartsService',
  'try-restart': 'restartsService',
  'reload-or-restart': 'restartsService',
  'try-reload-or-restart': 'restartsService',
  condrestart: 'restartsService',
  'force-reload': 'reloadsService',
  stop: 'stopsService',
  start: 'startsService',
  reload: 'reloadsService',
  kill: 'signalsService',
  enable: 'changesBootServices',
  disable: 'changesBootServices',
  mask: 'masksService',
  unmask: 'unmasksService',
  'daemon-reload': 'reloadsSystemd',
  'daemon-reexec': 'restartsSystemd',
  reboot: 'rebootsHost',
  poweroff: 'powersOffHost',
  halt: 'haltsHost',
}

const systemctl: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'tpPnoHMs', long: ['type', 'property', 'lines', 'output', 'host', 'machine', 'signal', 'kill-whom', 'root', 'state', 'job-mode', 'what', 'kill-value', 'timestamp', 'message', 'preset-mode', 'boot-loader-entry', 'boot-loader-menu', 'reboot-argument', 'drop-in', 'when'] })
  const verb = p.positionals[0]
  if (!verb?.literal || SYSTEMCTL_READ.has(verb.value)) return
  const unit = p.positionals[1]
  h.says(`systemctl ${verb.value}${unit ? ` ${show(unit.value)}` : ''}`, SYSTEMCTL_VERBS[verb.value] ?? 'changesServices')
}

const service: Rule = (h) => {
  const p = parseOptions(h.args, {})
  if (has(p, 'status-all', 'help', 'version')) return
  const [unit, action] = p.positionals
  if (!unit || !action || !action.literal || action.value === 'status') return
  h.says(`service ${show(unit.value)} ${action.value}`, SYSTEMCTL_VERBS[action.value] ?? 'changesService')
}

/** /etc/init.d/NAME ACTION (matched by path in the rule list). */
export const initScript: Rule = (h) => {
  const action = h.args[0]
  if (action?.literal && action.value !== 'status') h.says(`${h.name} ${action.value}`, 'changesService')
}

const kill: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'sn', long: ['signal'] })
  if (h.args.some((a) => ['-l', '-L', '--list', '--table', '--help', '--version'].includes(a.value))) return
  const signal = [...values(p, 's', 'n', 'signal'), ...[...p.opts.keys()].filter((k) => /^\d+$/.test(k))]
  if (signal.includes('0') || h.args.some((a) => a.value === '-0' || /^-(SIG)?0$/.test(a.value))) return
  if (p.positionals.length > 0 || h.name !== 'kill') h.says(h.name, h.name === 'kill' ? 'signalsProcesses' : 'terminatesProcesses')
}

const killByName: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'sugtUPGFce', long: ['signal', 'user', 'group', 'terminal', 'euid', 'parent', 'pgroup', 'pidfile', 'ns', 'nslist', 'older-than', 'younger-than', 'session'] })
  if (h.args.some((a) => ['--list', '--help', '--version', '-V'].includes(a.value) || (h.name === 'killall' && a.value === '-l'))) return
  if (values(p, 's', 'signal').includes('0') || h.args.some((a) => a.value === '-0')) return
  h.says(h.name, 'terminatesProcesses')
}

const POWER: Record<string, ShellPhrase> = { poweroff: 'powersOffHost', halt: 'haltsHost', shutdown: 'shutsDownHost', reboot: 'rebootsHost' }

const power: Rule = (h) => {
  if (!isHelp(h)) h.says(h.name, POWER[h.name] ?? 'rebootsHost')
}

const initCmd: Rule = (h) => {
  if (h.args.some((a) => /^[0-6sSqQuU]$/.test(a.value))) h.says(h.name, 'changesRunlevel')
}

const sysctl: Rule = (h) => {
  const p = parseOptions(h.args, {})
  const setting = p.positionals.find((w) => w.value.includes('='))
  if (has(p, 'w', 'write') || setting) h.says(`sysctl ${setting ? show(setting.value) : '-w'}`, 'changesKernelSettings')
  else if (has(p, 'p', 'load', 'system')) h.says('sysctl -p', 'loadsKernelSettings')
}

const nginx: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'scgpe' })
  const s = values(p, 's')[0]
  if (s) h.says(`nginx -s ${s}`, 'signalsServer')
}

const apachectl: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'k' })
  const action = values(p, 'k')[0] ?? p.positionals[0]?.value
  if (action && ['start', 'stop', 'restart', 'graceful', 'graceful-stop'].includes(action)) h.says(`${h.name} ${action}`, 'changesWebServer')
}

const journalctl: Rule = (h) => {
  const w = h.args.find((a) => /^--(vacuum-(size|time|files)|rotate|flush|relinquish-var|setup-keys)/.test(a.value))
  if (w) h.says(`journalctl ${w.value.replace(/=.*/, '')}`, 'changesJournal')
}

/** hostnamectl, timedatectl, localectl: their set-/add-/remove- verbs. */
const setCtl =
  (tool: string): Rule =>
  (h) => {
    const v = h.args.find((a) => a.literal && !a.value.startsWith('-'))
    if (v && /^(set-|add-|remove-)/.test(v.value)) h.says(`${tool} ${v.value}`, 'changesSystemSettings')
  }

const supervisorctl = verbFlag('supervisorctl', new Set(['status', 'avail', 'tail', 'pid', 'version', 'help', 'maintail', 'fg']), 'changesSupervised', { short: 'csup', long: ['configuration', 'serverurl', 'username', 'password'] })
const pm2 = verbFlag('pm2', new Set(['list', 'ls', 'l', 'status', 'jlist', 'prettylist', 'logs', 'show', 'info', 'describe', 'monit', 'env', 'ping', 'report']), 'changesManaged')
const pumactl = verbFlag('pumactl', new Set(['status', 'stats', 'gc-stats', 'info']), 'changesPuma', { short: 'SFCTPp', long: ['state', 'config-file', 'control-url', 'control-token', 'pidfile', 'pid'] })

export const SERVICES: Record<string, Rule> = {
  systemctl, service, kill, pkill: killByName, killall: killByName, killall5: killByName,
  reboot: power, shutdown: power, halt: power, poweroff: power, init: initCmd, telinit: initCmd,
  sysctl,
  nginx, apachectl, apache2ctl: apachectl, httpd: apachectl,
  supervisorctl, pm2, pumactl,
  journalctl,
  hostnamectl: setCtl('hostnamectl'), timedatectl: setCtl('timedatectl'), localectl: setCtl('localectl'),
}
