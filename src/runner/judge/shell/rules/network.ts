// Rules for the network: firewalls, interfaces and routes, and HTTP requests that change
// something (DELETE, PUT, PATCH, uploads).
import { has, parseOptions, values } from '../options.js'
import { says, verbFlag, type Rule } from '../rule.js'

const iptables: Rule = (h) => {
  if (h.name.includes('restore')) return h.says(h.name, 'replacesFirewall')
  const w = h.args.find((a) => /^-[ADIRFXZPNE]/.test(a.value) || /^--(append|delete|insert|replace|flush|delete-chain|zero|policy|new-chain|rename-chain)\b/.test(a.value))
  if (w) h.says(`${h.name} ${w.value}`, 'changesFirewall')
}

const nft: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'fIc' })
  const v = p.positionals[0]
  if (has(p, 'f', 'file') || (v?.literal && ['add', 'delete', 'flush', 'insert', 'replace', 'create', 'destroy', 'reset', 'rename'].includes(v.value)))
    h.says(`nft ${v?.value ?? '-f'}`, 'changesFirewall')
}

const ufw = verbFlag('ufw', new Set(['status', 'show', 'version', 'help', 'app']), 'changesFirewall')

const firewallCmd: Rule = (h) => {
  const w = h.args.find((a) => /^--(add-|remove-|set-|new-|delete-|change-|reload|complete-reload|runtime-to-permanent|panic-on|lockdown-on)/.test(a.value))
  if (w) h.says(`firewall-cmd ${w.value.replace(/=.*/, '')}`, 'changesFirewall')
}

const ip: Rule = (h) => {
  const p = parseOptions(h.args, { stopAtPositional: true })
  const [obj, verb] = p.positionals.map((w) => w.value)
  if (obj && verb && /^(add|del|delete|change|replace|set|flush|append)$/.test(verb)) h.says(`ip ${obj} ${verb}`, 'changesNetwork')
}

const curl: Rule = (h) => {
  const p = parseOptions(h.args, {
    short: 'XdTHuoAbceEFKmrUwxyYz',
    long: ['request', 'data', 'data-raw', 'data-binary', 'data-urlencode', 'upload-file', 'header', 'user', 'output', 'form'],
  })
  const method = values(p, 'X', 'request')[0]?.toUpperCase()
  if (method && ['DELETE', 'PUT', 'PATCH'].includes(method)) h.flag(says().sendsRequest(`curl -X ${method}`, method))
  else if (has(p, 'T', 'upload-file')) h.says('curl -T', 'uploadsFile')
}

const wget: Rule = (h) => {
  const m = h.args.find((a) => /^--method=(DELETE|PUT|PATCH)$/i.test(a.value))
  if (m) h.flag(says().sendsRequest(`wget ${m.value}`, m.value.slice(9).toUpperCase()))
}

export const NETWORK: Record<string, Rule> = {
  iptables, ip6tables: iptables, 'iptables-legacy': iptables, 'iptables-nft': iptables,
  'iptables-restore': iptables, 'ip6tables-restore': iptables, nft, ufw, 'firewall-cmd': firewallCmd, ip,
  curl, wget,
}
