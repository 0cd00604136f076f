// Rules for databases: psql (its SQL judged by the SQL judge, its meta-commands here), the
// PostgreSQL server tools, and redis-cli (its commands judged by the Redis judge).
import { detectRedis, redisCommandReason } from '../../redis.js'
import { detectSql } from '../../sql.js'
import { has, parseOptions, values } from '../options.js'
import { always, lits, says, type H, type Rule } from '../rule.js'
import { show } from '../words.js'

/** What psql runs from text (-c, a heredoc): meta-commands here, the SQL by the SQL judge. */
async function psqlInput(h: H, text: string, label: string): Promise<void> {
  const sqlLines: string[] = []
  for (const line of text.split('\n')) {
    const meta = /^\s*\\(\S+)\s*(.*)$/.exec(line)
    if (!meta) {
      sqlLines.push(line)
      continue
    }
    sqlLines.push('')
    const [, cmd = '', rest = ''] = meta
    if (cmd === '!') await h.script(rest, `${label} \\!`)
    else if (/^(i|ir|include|include_relative)$/.test(cmd)) h.says(`${label} \\${cmd}`, 'runsSqlFromFile')
    else if (cmd === 'copy' && /\bfrom\b/i.test(rest)) h.says(`${label} \\copy … FROM`, 'writesRowsIntoTable')
    else if (cmd === 'gexec') h.says(`${label} \\gexec`, 'runsResultsAsSql')
  }
  if (/\\gexec\b/.test(text)) h.says(`${label} \\gexec`, 'runsResultsAsSql')
  const sql = sqlLines.join('\n')
  if (!sql.trim()) return
  const d = await detectSql(sql)
  for (const r of d.reasons) h.flag(`${label}: ${r}`)
  // What a sql step refuses (transaction control, the lexer's settings…) psql would run as written.
  for (const r of d.refused) h.flag(`${label}: ${r.message}`)
}

const psql: Rule = async (h) => {
  const p = parseOptions(h.args, {
    short: 'cdfhpUvoLFRPT',
    long: ['command', 'dbname', 'file', 'host', 'port', 'username', 'set', 'variable', 'output', 'log-file', 'field-separator', 'record-separator', 'pset', 'table-attr'],
  })
  if (has(p, 'l', 'list', 'help', 'version', 'V')) return
  const commands = values(p, 'c', 'command')
  const files = values(p, 'f', 'file')
  for (const c of commands) if (c) await psqlInput(h, c, 'psql -c')
  for (const f of files) if (f !== '-') h.says('psql -f', 'runsSqlFromFile')
  if (commands.length > 0 || files.some((f) => f !== '-')) return
  const { stdin } = h.ctx
  if (stdin.text !== undefined) await psqlInput(h, stdin.text, 'psql <<')
  else if (stdin.piped) h.flag(says().sqlPipedInto('psql'))
  else if (stdin.file !== undefined) h.flag(says().runsSqlFromNamedFile('psql', show(stdin.file)))
}

const pgRestore: Rule = (h) => {
  if (!h.args.some((a) => ['-l', '--list', '--help', '--version'].includes(a.value))) h.says('pg_restore', 'restoresDump')
}

const pgCtl: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'DlmoNtsw', long: ['pgdata', 'log', 'mode', 'options', 'timeout', 'signal'] })
  const verbs = p.positionals.filter((w) => w.literal).map((w) => w.value)
  const verb = h.name === 'pg_ctlcluster' ? verbs[2] : verbs.find((v) => v !== 'status')
  if (verb && verb !== 'status' && (h.name === 'pg_ctlcluster' || ['start', 'stop', 'restart', 'reload', 'promote', 'kill', 'init', 'initdb', 'logrotate'].includes(verb)))
    h.says(`${h.name} ${verb}`, 'changesPostgres')
}

const redisCli: Rule = async (h) => {
  const p = parseOptions(h.args, {
    short: 'hpsaunridDtw',
    long: ['user', 'pass', 'rdb', 'functions-rdb', 'pipe-timeout', 'eval', 'pattern', 'count', 'quoted-pattern', 'cluster', 'cacert', 'cacertdir', 'cert', 'key', 'sni', 'tls-ciphers', 'tls-ciphersuites', 'memkeys-samples', 'lru-test', 'intrinsic-latency'],
    stopAtPositional: true,
  })
  if (has(p, 'pipe')) h.says('redis-cli --pipe', 'sendsStdinCommands')
  if (has(p, 'eval')) h.says('redis-cli --eval', 'runsLuaScript')
  const cluster = values(p, 'cluster')[0]
  if (cluster) {
    if (cluster === 'call') {
      const reason = redisCommandReason(lits(p.positionals.slice(1)))
      if (reason) h.flag(`redis-cli --cluster call: ${reason}`)
    } else if (!['check', 'info', 'help'].includes(cluster)) h.says(`redis-cli --cluster ${cluster}`, 'changesCluster')
    return
  }
  if (p.positionals.length > 0) {
    // A command word that is not a literal: the fail-closed reader says "cannot prove" for it.
    if (!p.positionals[0]!.literal) return
    const reason = redisCommandReason(lits(p.positionals))
    if (reason) h.flag(`redis-cli ${reason}`)
    return
  }
  if (has(p, 'scan', 'bigkeys', 'memkeys', 'hotkeys', 'stat', 'latency', 'latency-history', 'latency-dist', 'rdb', 'help', 'version', 'v')) return
  const { stdin } = h.ctx
  if (stdin.text !== undefined) {
    for (const r of detectRedis(stdin.text).reasons) h.flag(`redis-cli <<: ${r}`)
  } else if (stdin.piped) h.flag(says().commandsPipedInto('redis-cli'))
  else if (stdin.file !== undefined) h.says('redis-cli', 'runsCommandsFromFile')
}

export const DATABASES: Record<string, Rule> = {
  psql, pg_restore: pgRestore, pg_ctl: pgCtl, pg_ctlcluster: pgCtl,
  dropdb: always('dropsDatabase'), createdb: always('createsDatabase'), dropuser: always('dropsRole'),
  createuser: always('createsRole'), vacuumdb: always('vacuumsDatabases'), reindexdb: always('rebuildsIndexes'),
  clusterdb: always('rewritesTables'), pg_dropcluster: always('deletesPgCluster'),
  pg_createcluster: always('createsPgCluster'), pg_upgradecluster: always('upgradesPgCluster'),
  pg_resetwal: always('resetsWal'), pg_rewind: always('rewritesDataDirectory'),
  pg_upgrade: always('upgradesPgCluster'), pg_archivecleanup: always('deletesWalFiles'),
  'redis-cli': redisCli,
}
