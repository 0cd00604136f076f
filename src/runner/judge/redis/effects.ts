// Data: what Redis commands do beyond their flags. The command table's `write` flag marks what
// changes data; this file names the rest by effect, next to the generated table (redis7-table):
// the commands and subcommands without `write` that still change the server or reach other
// connections (CHANGES), and those without the `readonly` flag that only read (READS). A command
// of the table that is neither `readonly`, `write`, nor listed here is destructive: it has not
// been reviewed (test/judge/redis.test.ts checks that the built-in table has none).

/** Why a command without the `write` flag is destructive (keys of msg.judge.redis). */
export type Effect =
  | 'changesConfig'
  | 'actsOnClients'
  | 'stopsServer'
  | 'debugs'
  | 'persists'
  | 'changesReplication'
  | 'changesCluster'
  | 'changesAcl'
  | 'changesModules'
  | 'managesScripts'
  | 'runsScripts'
  | 'resetsDiagnostics'
  | 'purgesMemory'
  | 'switchesDatabase'
  | 'publishes'
  | 'holdsConnection'
  | 'showsEveryCommand'
  | 'showsSecrets'

/**
 * Commands (`container|sub` for subcommands) that change state without the `write` flag. Notes:
 * EVAL_RO/EVALSHA_RO/FCALL_RO count as scripts: the server refuses `write` commands inside them,
 * but not PUBLISH, and a script can stall the server until SCRIPT KILL. SUBSCRIBE and its family
 * hold the connection until the step times out, MONITOR also streams every client's commands:
 * asked, not refused. ACL LIST/GETUSER show password hashes (they would land in the report).
 */
export const CHANGES: Readonly<Record<string, Effect>> = {
  'config|set': 'changesConfig',
  'config|rewrite': 'changesConfig',
  'config|resetstat': 'resetsDiagnostics',
  'client|kill': 'actsOnClients',
  'client|pause': 'actsOnClients',
  'client|unpause': 'actsOnClients',
  'client|unblock': 'actsOnClients',
  'client|no-evict': 'actsOnClients',
  'client|no-touch': 'actsOnClients',
  // TRACKING … REDIRECT sends invalidation messages to another connection.
  'client|tracking': 'actsOnClients',
  shutdown: 'stopsServer',
  debug: 'debugs',
  pfselftest: 'debugs',
  save: 'persists',
  bgsave: 'persists',
  bgrewriteaof: 'persists',
  replicaof: 'changesReplication',
  slaveof: 'changesReplication',
  failover: 'changesReplication',
  psync: 'changesReplication',
  sync: 'changesReplication',
  replconf: 'changesReplication',
  'cluster|addslots': 'changesCluster',
  'cluster|addslotsrange': 'changesCluster',
  'cluster|bumpepoch': 'changesCluster',
  'cluster|delslots': 'changesCluster',
  'cluster|delslotsrange': 'changesCluster',
  'cluster|failover': 'changesCluster',
  'cluster|flushslots': 'changesCluster',
  'cluster|forget': 'changesCluster',
  'cluster|meet': 'changesCluster',
  'cluster|replicate': 'changesCluster',
  'cluster|reset': 'changesCluster',
  'cluster|saveconfig': 'changesCluster',
  'cluster|set-config-epoch': 'changesCluster',
  'cluster|setslot': 'changesCluster',
  'acl|setuser': 'changesAcl',
  'acl|deluser': 'changesAcl',
  'acl|load': 'changesAcl',
  'acl|save': 'changesAcl',
  'acl|list': 'showsSecrets',
  'acl|getuser': 'showsSecrets',
  'module|load': 'changesModules',
  'module|loadex': 'changesModules',
  'module|unload': 'changesModules',
  'script|load': 'managesScripts',
  'script|flush': 'managesScripts',
  'script|kill': 'managesScripts',
  // SCRIPT DEBUG SYNC blocks the whole server while a script is debugged.
  'script|debug': 'managesScripts',
  'function|kill': 'managesScripts',
  eval: 'runsScripts',
  evalsha: 'runsScripts',
  eval_ro: 'runsScripts',
  evalsha_ro: 'runsScripts',
  fcall: 'runsScripts',
  fcall_ro: 'runsScripts',
  'slowlog|reset': 'resetsDiagnostics',
  'latency|reset': 'resetsDiagnostics',
  'memory|purge': 'purgesMemory',
  select: 'switchesDatabase',
  publish: 'publishes',
  spublish: 'publishes',
  subscribe: 'holdsConnection',
  psubscribe: 'holdsConnection',
  ssubscribe: 'holdsConnection',
  monitor: 'showsEveryCommand',
}

/**
 * Commands without the `readonly` flag that only read, or change nothing but this connection's
 * own session (CLIENT SETNAME/REPLY/CACHING, AUTH, HELLO, MULTI/EXEC — the commands inside a
 * transaction are judged line by line —, RESET, QUIT, UNSUBSCRIBE…). Admin diagnostics included.
 */
export const READS: ReadonlySet<string> = new Set([
  'info', 'lastsave', 'role', 'time', 'ping', 'echo', 'wait', 'asking', 'auth', 'hello', 'quit', 'reset',
  'readonly', 'readwrite', 'multi', 'exec', 'discard', 'watch', 'unwatch',
  'unsubscribe', 'punsubscribe', 'sunsubscribe',
  'config|get', 'config|help',
  'client|list', 'client|info', 'client|getname', 'client|id', 'client|getredir', 'client|help',
  'client|trackinginfo', 'client|setname', 'client|reply', 'client|caching',
  'slowlog|get', 'slowlog|len', 'slowlog|help',
  'latency|latest', 'latency|history', 'latency|doctor', 'latency|graph', 'latency|histogram', 'latency|help',
  'memory|stats', 'memory|doctor', 'memory|malloc-stats', 'memory|help',
  'command', 'command|count', 'command|docs', 'command|getkeys', 'command|getkeysandflags', 'command|help',
  'command|info', 'command|list',
  'acl|whoami', 'acl|cat', 'acl|users', 'acl|log', 'acl|dryrun', 'acl|genpass', 'acl|help',
  'cluster|info', 'cluster|nodes', 'cluster|slots', 'cluster|shards', 'cluster|links', 'cluster|myid',
  'cluster|keyslot', 'cluster|countkeysinslot', 'cluster|getkeysinslot', 'cluster|count-failure-reports',
  'cluster|replicas', 'cluster|slaves', 'cluster|help',
  'module|list', 'module|help',
  'script|exists', 'script|help',
  'function|list', 'function|dump', 'function|stats', 'function|help',
  'pubsub|channels', 'pubsub|numpat', 'pubsub|numsub', 'pubsub|shardchannels', 'pubsub|shardnumsub', 'pubsub|help',
  'object|help', 'xgroup|help', 'xinfo|help',
])

/** Server parameters whose values are passwords: `CONFIG GET` of a pattern matching one is asked. */
export const SECRET_PARAMETERS: readonly string[] = ['requirepass', 'masterauth', 'masteruser', 'tls-key-file-pass', 'tls-client-key-file-pass']

/** Commands that can stall a big server, and the command to use instead (a lint warning, not a question). */
export const SLOW: Readonly<Record<string, string>> = {
  keys: 'SCAN',
}
