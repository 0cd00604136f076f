// Rules for users, groups and their crontabs.
import { has, parseOptions } from '../options.js'
import { isHelp, type Rule } from '../rule.js'
import { show } from '../words.js'

const userAdmin: Rule = (h) => {
  if (isHelp(h)) return
  if (h.name === 'passwd' && h.args.some((a) => ['-S', '--status'].includes(a.value))) return
  if (h.name === 'chage' && h.args.some((a) => ['-l', '--list'].includes(a.value))) return
  h.says(h.name, 'changesUsers')
}

const crontab: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'u' })
  if (has(p, 'r', 'remove')) return h.says('crontab -r', 'removesCrontab')
  if (has(p, 'e', 'edit')) return h.says('crontab -e', 'editsCrontab')
  if (has(p, 'l', 'list', 'help', 'V', 'version')) return
  if (p.positionals.length > 0) h.says(`crontab ${show(p.positionals[0]!.value)}`, 'replacesCrontab')
  else h.says('crontab', 'replacesCrontabFromStdin')
}

export const USERS: Record<string, Rule> = {
  userdel: userAdmin, usermod: userAdmin, useradd: userAdmin, adduser: userAdmin, deluser: userAdmin,
  groupadd: userAdmin, groupdel: userAdmin, groupmod: userAdmin, addgroup: userAdmin, delgroup: userAdmin,
  gpasswd: userAdmin, passwd: userAdmin, chpasswd: userAdmin, chage: userAdmin, chsh: userAdmin, chfn: userAdmin,
  visudo: userAdmin, vipw: userAdmin, vigr: userAdmin, newusers: userAdmin,
  crontab,
}
