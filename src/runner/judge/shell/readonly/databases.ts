// psql and redis-cli are read-only when what they send is proven read-only: the SQL judge and
// the Redis judge decide on the statements and commands (their rules in rules/databases.ts);
// here, the forms that can be read at all (-c text, a heredoc, literal commands) and the psql
// meta-commands that only read. Output files (-o, -L, \o, \w, \g file, --rdb) are refused.
import { has, parseOptions, values } from '../options.js'
import { DATABASES } from '../rules/databases.js'
import { PLACEHOLDER } from '../words.js'
import type { Reader } from './reader.js'

/** psql meta-commands that only show, format or set variables. */
const META_READ = /^(d[A-Za-z]*|l|list|timing|x|a|t|T|f|H|C|pset|echo|qecho|set|unset|conninfo|encoding|q|quit|c|connect|errverbose|if|elif|else|endif|gdesc|crosstabview|sf|sv|copyright|z|dconfig)$/

/** Every meta-command in the text reads only (a backslash followed by letters anywhere counts). */
export function psqlTextReads(text: string): boolean {
  if (text.includes(PLACEHOLDER)) return false
  for (const m of text.matchAll(/\\([A-Za-z!?]+)/g)) {
    const prev = text[m.index - 1]
    if (prev === '\\') continue
    if (!META_READ.test(m[1]!)) return false
  }
  return true
}

const psql: Reader = async (h) => {
  const p = parseOptions(h.args, {
    short: 'cdfhpUvoLFRPT',
    long: ['command', 'dbname', 'file', 'host', 'port', 'username', 'set', 'variable', 'output', 'log-file', 'field-separator', 'record-separator', 'pset', 'table-attr'],
  })
  if (has(p, 'o', 'output', 'L', 'log-file', 'f', 'file')) return false
  if (has(p, 'l', 'list', 'version', 'V')) return true
  const commands = values(p, 'c', 'command')
  let readable: boolean
  if (commands.length > 0) readable = commands.every((c) => c !== null && psqlTextReads(c))
  else if (h.ctx.stdin.text !== undefined) readable = psqlTextReads(h.ctx.stdin.text)
  else readable = false // an interactive session, a pipe or a file: nothing here to judge
  if (!readable) return false
  await DATABASES.psql!(h)
  return true
}

const redisCli: Reader = async (h) => {
  const p = parseOptions(h.args, {
    short: 'hpsaunridDtw',
    long: ['user', 'pass', 'rdb', 'functions-rdb', 'pipe-timeout', 'eval', 'pattern', 'count', 'quoted-pattern', 'cluster', 'cacert', 'cacertdir', 'cert', 'key', 'sni', 'tls-ciphers', 'tls-ciphersuites', 'memkeys-samples', 'lru-test', 'intrinsic-latency'],
    stopAtPositional: true,
  })
  if (has(p, 'rdb', 'functions-rdb', 'pipe', 'eval', 'cluster', 'lru-test')) return false
  const command = p.positionals[0]
  const modes = has(p, 'scan', 'bigkeys', 'memkeys', 'hotkeys', 'stat', 'latency', 'latency-history', 'latency-dist', 'help', 'version', 'v')
  if (command ? !command.literal : !modes && (h.ctx.stdin.text === undefined || h.ctx.stdin.text.includes(PLACEHOLDER))) return false
  await DATABASES['redis-cli']!(h)
  return true
}

export const DATABASE_READERS: Record<string, Reader> = { psql, 'redis-cli': redisCli }
