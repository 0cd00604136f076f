// Rules for packages and the app's own tasks: system and language package managers (unless they
// only simulate), bundle, and rails/rake tasks that change the database or delete files.
import { has, parseOptions } from '../options.js'
import type { Rule } from '../rule.js'

const SIMULATE = new Set(['-s', '--simulate', '--dry-run', '--just-print', '--no-act', '--recon', '--assumeno', '--download-only', '-d'])

/** A package manager whose verbs in `verbs` change installed packages. */
const packageVerbs =
  (verbs: Set<string>): Rule =>
  (h) => {
    const p = parseOptions(h.args, { short: 'octe', long: ['option', 'config-file', 'target-release', 'installroot', 'releasever', 'enablerepo', 'disablerepo', 'repo', 'setopt'] })
    const verb = p.positionals[0]
    if (!verb?.literal || !verbs.has(verb.value)) return
    if (h.args.some((a) => SIMULATE.has(a.value))) return
    const sub = p.positionals[1]?.value
    if ((verb.value === 'group' || verb.value === 'module') && sub && !/^(install|remove|upgrade|update|enable|disable|reset|mark)$/.test(sub)) return
    h.says(`${h.name} ${verb.value}`, 'changesPackages')
  }

const apt = packageVerbs(new Set(['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'autopurge', 'build-dep', 'safe-upgrade', 'markauto', 'unmarkauto']))
const yum = packageVerbs(new Set(['install', 'reinstall', 'update', 'upgrade', 'upgrade-minimal', 'update-minimal', 'remove', 'erase', 'autoremove', 'downgrade', 'distro-sync', 'distrosync', 'swap', 'groupinstall', 'groupupdate', 'groupremove', 'group', 'module', 'localinstall']))
const zypper = packageVerbs(new Set(['in', 'install', 'up', 'update', 'dup', 'dist-upgrade', 'rm', 'remove', 'patch']))
const apk = packageVerbs(new Set(['add', 'del', 'upgrade', 'fix']))
const snap = packageVerbs(new Set(['install', 'remove', 'refresh', 'revert', 'enable', 'disable']))
const brew = packageVerbs(new Set(['install', 'uninstall', 'remove', 'rm', 'upgrade', 'reinstall', 'cleanup']))
const gem = packageVerbs(new Set(['install', 'update', 'uninstall', 'cleanup']))

const pacman: Rule = (h) => {
  const w = h.args.find((a) => /^-[SRU]/.test(a.value) || /^--(sync|remove|upgrade)$/.test(a.value))
  if (w && !h.args.some((a) => a.value === '--print' || a.value === '-p')) h.says(`pacman ${w.value}`, 'changesPackages')
}

const dpkg: Rule = (h) => {
  const w = h.args.find((a) => (/^-[a-zA-Z]*[irP]/.test(a.value) && !a.value.startsWith('--') ? !/^-[a-zA-Z]*[lLsSpc]/.test(a.value) : /^--(install|remove|purge|configure|unpack|set-selections)$/.test(a.value)))
  if (w) h.says(`dpkg ${w.value}`, 'changesPackages')
}

const rpm: Rule = (h) => {
  const p = parseOptions(h.args, {})
  if (has(p, 'q', 'query', 'V', 'verify')) return
  if (has(p, 'i', 'U', 'F', 'e', 'install', 'upgrade', 'freshen', 'erase')) h.says('rpm', 'changesPackages')
}

const npm: Rule = (h) => {
  const p = parseOptions(h.args, {})
  const verb = p.positionals[0]?.value
  const global = has(p, 'g', 'global') || h.args.some((a) => a.value === '--location=global')
  if (!verb) return
  if (['install', 'i', 'add', 'isntall', 'in', 'uninstall', 'remove', 'rm', 'un', 'r', 'unlink'].includes(verb) && global) h.says(`npm ${verb} -g`, 'changesGlobalPackages')
  else if (['update', 'up', 'upgrade', 'udpate'].includes(verb)) h.says(`npm ${verb}`, 'changesPackages')
  else if (verb === 'audit' && p.positionals[1]?.value === 'fix' && !has(p, 'dry-run')) h.says('npm audit fix', 'changesPackages')
}

const pip: Rule = (h) => {
  const p = parseOptions(h.args, {})
  const verb = p.positionals[0]?.value
  if ((verb === 'install' || verb === 'uninstall') && !has(p, 'dry-run')) h.says(`${h.name} ${verb}`, 'changesPackages')
}

const python: Rule = (h) => {
  const m = h.args.findIndex((a) => a.value === '-m')
  const mod = h.args[m + 1]?.value
  if (m !== -1 && mod && /^pip\d*(\.\d+)?$/.test(mod)) return pip({ ...h, name: `${h.name} -m pip`, args: h.args.slice(m + 2) })
  return undefined
}

const bundle: Rule = (h) => {
  const p = parseOptions(h.args, { stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (verb?.value === 'exec') return h.run(rest)
  if (verb?.value === 'update' || verb?.value === 'clean') h.says(`bundle ${verb.value}`, 'changesGems')
  return undefined
}

const RAILS_READ_TASKS = new Set(['db:version', 'db:migrate:status', 'db:schema:dump', 'db:structure:dump', 'db:abort_if_pending_migrations', 'db:schema:cache:dump'])

const rails: Rule = (h) => {
  const task = h.args.find((a) => a.literal && (/^db:/.test(a.value) || /^(log|tmp|cache):clear$/.test(a.value)) && !RAILS_READ_TASKS.has(a.value.replace(/\[.*$/, '')))
  if (task) h.says(`${h.name} ${task.value}`, task.value.startsWith('db:') ? 'changesDatabase' : 'deletesFiles')
}

export const PACKAGES: Record<string, Rule> = {
  apt, 'apt-get': apt, aptitude: apt, yum, dnf: yum, microdnf: yum, zypper, apk, snap, brew, gem,
  pacman, dpkg, rpm, npm, pip, pip3: pip, pipx: pip, python, python3: python, bundle,
  rails, rake: rails,
}
