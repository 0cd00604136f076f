// Redis destructive-command detection: redis-cli style splitting of a `redis` step, and the
// judgement of each command by a command table (flags and ACL categories), which is the
// static Redis 7 table below or one read from the real server's `COMMAND INFO`.
import type { Detection } from '../model/runbook.js'

/** What a command table knows of one command (`config|set` names a subcommand). */
export interface RedisCommandSpec {
  flags: string[]
  categories: string[]
}

/** A command table: lowercase name (subcommands as `container|sub`) → flags and categories. */
export interface RedisCommandTable {
  get(name: string): RedisCommandSpec | undefined
}

/** One command of a `redis` step: its arguments as redis-cli would send them. */
export interface RedisCommand {
  argv: string[]
  /** 1-based line in the step's code. */
  line: number
}

export class RedisSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'RedisSyntaxError'
  }
}

// `COMMAND INFO` of Redis 7.0.15 (all commands and subcommands): name, flags, ACL categories;
// `-` for none. Regenerate from a server with `redisTableFromCommandInfo` when Redis moves on.
const STATIC_TABLE_TEXT = `
acl - @slow
acl|cat noscript,loading,stale @slow
acl|deluser admin,noscript,loading,stale @admin,@slow,@dangerous
acl|dryrun admin,noscript,loading,stale @admin,@slow,@dangerous
acl|genpass noscript,loading,stale @slow
acl|getuser admin,noscript,loading,stale @admin,@slow,@dangerous
acl|help loading,stale @slow
acl|list admin,noscript,loading,stale @admin,@slow,@dangerous
acl|load admin,noscript,loading,stale @admin,@slow,@dangerous
acl|log admin,noscript,loading,stale @admin,@slow,@dangerous
acl|save admin,noscript,loading,stale @admin,@slow,@dangerous
acl|setuser admin,noscript,loading,stale @admin,@slow,@dangerous
acl|users admin,noscript,loading,stale @admin,@slow,@dangerous
acl|whoami noscript,loading,stale @slow
append write,denyoom,fast @write,@string,@fast
asking fast @fast,@connection
auth noscript,loading,stale,fast,no_auth,allow_busy @fast,@connection
bgrewriteaof admin,noscript,no_async_loading @admin,@slow,@dangerous
bgsave admin,noscript,no_async_loading @admin,@slow,@dangerous
bitcount readonly @read,@bitmap,@slow
bitfield write,denyoom @write,@bitmap,@slow
bitfield_ro readonly,fast @read,@bitmap,@fast
bitop write,denyoom @write,@bitmap,@slow
bitpos readonly @read,@bitmap,@slow
blmove write,denyoom,noscript,blocking @write,@list,@slow,@blocking
blmpop write,blocking,movablekeys @write,@list,@slow,@blocking
blpop write,noscript,blocking @write,@list,@slow,@blocking
brpop write,noscript,blocking @write,@list,@slow,@blocking
brpoplpush write,denyoom,noscript,blocking @write,@list,@slow,@blocking
bzmpop write,blocking,movablekeys @write,@sortedset,@slow,@blocking
bzpopmax write,noscript,blocking,fast @write,@sortedset,@fast,@blocking
bzpopmin write,noscript,blocking,fast @write,@sortedset,@fast,@blocking
client - @slow
client|caching noscript,loading,stale @slow,@connection
client|getname noscript,loading,stale @slow,@connection
client|getredir noscript,loading,stale @slow,@connection
client|help loading,stale @slow,@connection
client|id noscript,loading,stale @slow,@connection
client|info noscript,loading,stale @slow,@connection
client|kill admin,noscript,loading,stale @admin,@slow,@dangerous,@connection
client|list admin,noscript,loading,stale @admin,@slow,@dangerous,@connection
client|no-evict admin,noscript,loading,stale @admin,@slow,@dangerous,@connection
client|pause admin,noscript,loading,stale @admin,@slow,@dangerous,@connection
client|reply noscript,loading,stale @slow,@connection
client|setname noscript,loading,stale @slow,@connection
client|tracking noscript,loading,stale @slow,@connection
client|trackinginfo noscript,loading,stale @slow,@connection
client|unblock admin,noscript,loading,stale @admin,@slow,@dangerous,@connection
client|unpause admin,noscript,loading,stale @admin,@slow,@dangerous,@connection
cluster - @slow
cluster|addslots admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|addslotsrange admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|bumpepoch admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|count-failure-reports admin,stale @admin,@slow,@dangerous
cluster|countkeysinslot stale @slow
cluster|delslots admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|delslotsrange admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|failover admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|flushslots admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|forget admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|getkeysinslot stale @slow
cluster|help loading,stale @slow
cluster|info stale @slow
cluster|keyslot stale @slow
cluster|links stale @slow
cluster|meet admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|myid stale @slow
cluster|nodes stale @slow
cluster|replicas admin,stale @admin,@slow,@dangerous
cluster|replicate admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|reset admin,noscript,stale @admin,@slow,@dangerous
cluster|saveconfig admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|set-config-epoch admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|setslot admin,stale,no_async_loading @admin,@slow,@dangerous
cluster|shards stale @slow
cluster|slaves admin,stale @admin,@slow,@dangerous
cluster|slots stale @slow
command loading,stale @slow,@connection
command|count loading,stale @slow,@connection
command|docs loading,stale @slow,@connection
command|getkeys loading,stale @slow,@connection
command|getkeysandflags loading,stale @slow,@connection
command|help loading,stale @slow,@connection
command|info loading,stale @slow,@connection
command|list loading,stale @slow,@connection
config - @slow
config|get admin,noscript,loading,stale @admin,@slow,@dangerous
config|help loading,stale @slow
config|resetstat admin,noscript,loading,stale @admin,@slow,@dangerous
config|rewrite admin,noscript,loading,stale @admin,@slow,@dangerous
config|set admin,noscript,loading,stale @admin,@slow,@dangerous
copy write,denyoom @keyspace,@write,@slow
dbsize readonly,fast @keyspace,@read,@fast
debug admin,noscript,loading,stale @admin,@slow,@dangerous
decr write,denyoom,fast @write,@string,@fast
decrby write,denyoom,fast @write,@string,@fast
del write @keyspace,@write,@slow
discard noscript,loading,stale,fast,allow_busy @fast,@transaction
dump readonly @keyspace,@read,@slow
echo loading,stale,fast @fast,@connection
eval noscript,stale,skip_monitor,no_mandatory_keys,movablekeys @slow,@scripting
eval_ro readonly,noscript,stale,skip_monitor,no_mandatory_keys,movablekeys @slow,@scripting
evalsha noscript,stale,skip_monitor,no_mandatory_keys,movablekeys @slow,@scripting
evalsha_ro readonly,noscript,stale,skip_monitor,no_mandatory_keys,movablekeys @slow,@scripting
exec noscript,loading,stale,skip_slowlog @slow,@transaction
exists readonly,fast @keyspace,@read,@fast
expire write,fast @keyspace,@write,@fast
expireat write,fast @keyspace,@write,@fast
expiretime readonly,fast @keyspace,@read,@fast
failover admin,noscript,stale @admin,@slow,@dangerous
fcall noscript,stale,skip_monitor,no_mandatory_keys,movablekeys @slow,@scripting
fcall_ro readonly,noscript,stale,skip_monitor,no_mandatory_keys,movablekeys @slow,@scripting
flushall write @keyspace,@write,@slow,@dangerous
flushdb write @keyspace,@write,@slow,@dangerous
function - @slow
function|delete write,noscript @write,@slow,@scripting
function|dump noscript @slow,@scripting
function|flush write,noscript @write,@slow,@scripting
function|help loading,stale @slow,@scripting
function|kill noscript,allow_busy @slow,@scripting
function|list noscript @slow,@scripting
function|load write,denyoom,noscript @write,@slow,@scripting
function|restore write,denyoom,noscript @write,@slow,@scripting
function|stats noscript,allow_busy @slow,@scripting
geoadd write,denyoom @write,@geo,@slow
geodist readonly @read,@geo,@slow
geohash readonly @read,@geo,@slow
geopos readonly @read,@geo,@slow
georadius write,denyoom,movablekeys @write,@geo,@slow
georadius_ro readonly @read,@geo,@slow
georadiusbymember write,denyoom,movablekeys @write,@geo,@slow
georadiusbymember_ro readonly @read,@geo,@slow
geosearch readonly @read,@geo,@slow
geosearchstore write,denyoom @write,@geo,@slow
get readonly,fast @read,@string,@fast
getbit readonly,fast @read,@bitmap,@fast
getdel write,fast @write,@string,@fast
getex write,fast @write,@string,@fast
getrange readonly @read,@string,@slow
getset write,denyoom,fast @write,@string,@fast
hdel write,fast @write,@hash,@fast
hello noscript,loading,stale,fast,no_auth,allow_busy @fast,@connection
hexists readonly,fast @read,@hash,@fast
hget readonly,fast @read,@hash,@fast
hgetall readonly @read,@hash,@slow
hincrby write,denyoom,fast @write,@hash,@fast
hincrbyfloat write,denyoom,fast @write,@hash,@fast
hkeys readonly @read,@hash,@slow
hlen readonly,fast @read,@hash,@fast
hmget readonly,fast @read,@hash,@fast
hmset write,denyoom,fast @write,@hash,@fast
hrandfield readonly @read,@hash,@slow
hscan readonly @read,@hash,@slow
hset write,denyoom,fast @write,@hash,@fast
hsetnx write,denyoom,fast @write,@hash,@fast
hstrlen readonly,fast @read,@hash,@fast
hvals readonly @read,@hash,@slow
incr write,denyoom,fast @write,@string,@fast
incrby write,denyoom,fast @write,@string,@fast
incrbyfloat write,denyoom,fast @write,@string,@fast
info loading,stale @slow,@dangerous
keys readonly @keyspace,@read,@slow,@dangerous
lastsave loading,stale,fast @admin,@fast,@dangerous
latency - @slow
latency|doctor admin,noscript,loading,stale @admin,@slow,@dangerous
latency|graph admin,noscript,loading,stale @admin,@slow,@dangerous
latency|help loading,stale @slow
latency|histogram admin,noscript,loading,stale @admin,@slow,@dangerous
latency|history admin,noscript,loading,stale @admin,@slow,@dangerous
latency|latest admin,noscript,loading,stale @admin,@slow,@dangerous
latency|reset admin,noscript,loading,stale @admin,@slow,@dangerous
lcs readonly @read,@string,@slow
lindex readonly @read,@list,@slow
linsert write,denyoom @write,@list,@slow
llen readonly,fast @read,@list,@fast
lmove write,denyoom @write,@list,@slow
lmpop write,movablekeys @write,@list,@slow
lolwut readonly,fast @read,@fast
lpop write,fast @write,@list,@fast
lpos readonly @read,@list,@slow
lpush write,denyoom,fast @write,@list,@fast
lpushx write,denyoom,fast @write,@list,@fast
lrange readonly @read,@list,@slow
lrem write @write,@list,@slow
lset write,denyoom @write,@list,@slow
ltrim write @write,@list,@slow
memory - @slow
memory|doctor - @slow
memory|help loading,stale @slow
memory|malloc-stats - @slow
memory|purge - @slow
memory|stats - @slow
memory|usage readonly @read,@slow
mget readonly,fast @read,@string,@fast
migrate write,movablekeys @keyspace,@write,@slow,@dangerous
module - @slow
module|help loading,stale @slow
module|list admin,noscript @admin,@slow,@dangerous
module|load admin,noscript,no_async_loading @admin,@slow,@dangerous
module|loadex admin,noscript,no_async_loading @admin,@slow,@dangerous
module|unload admin,noscript,no_async_loading @admin,@slow,@dangerous
monitor admin,noscript,loading,stale @admin,@slow,@dangerous
move write,fast @keyspace,@write,@fast
mset write,denyoom @write,@string,@slow
msetnx write,denyoom @write,@string,@slow
multi noscript,loading,stale,fast,allow_busy @fast,@transaction
object - @slow
object|encoding readonly @keyspace,@read,@slow
object|freq readonly @keyspace,@read,@slow
object|help loading,stale @keyspace,@slow
object|idletime readonly @keyspace,@read,@slow
object|refcount readonly @keyspace,@read,@slow
persist write,fast @keyspace,@write,@fast
pexpire write,fast @keyspace,@write,@fast
pexpireat write,fast @keyspace,@write,@fast
pexpiretime readonly,fast @keyspace,@read,@fast
pfadd write,denyoom,fast @write,@hyperloglog,@fast
pfcount readonly @read,@hyperloglog,@slow
pfdebug write,denyoom,admin @write,@hyperloglog,@admin,@slow,@dangerous
pfmerge write,denyoom @write,@hyperloglog,@slow
pfselftest admin @hyperloglog,@admin,@slow,@dangerous
ping fast @fast,@connection
psetex write,denyoom @write,@string,@slow
psubscribe pubsub,noscript,loading,stale @pubsub,@slow
psync admin,noscript,no_async_loading,no_multi @admin,@slow,@dangerous
pttl readonly,fast @keyspace,@read,@fast
publish pubsub,loading,stale,fast @pubsub,@fast
pubsub - @slow
pubsub|channels pubsub,loading,stale @pubsub,@slow
pubsub|help loading,stale @slow
pubsub|numpat pubsub,loading,stale @pubsub,@slow
pubsub|numsub pubsub,loading,stale @pubsub,@slow
pubsub|shardchannels pubsub,loading,stale @pubsub,@slow
pubsub|shardnumsub pubsub,loading,stale @pubsub,@slow
punsubscribe pubsub,noscript,loading,stale @pubsub,@slow
quit noscript,loading,stale,fast,no_auth,allow_busy @fast,@connection
randomkey readonly @keyspace,@read,@slow
readonly loading,stale,fast @fast,@connection
readwrite loading,stale,fast @fast,@connection
rename write @keyspace,@write,@slow
renamenx write,fast @keyspace,@write,@fast
replconf admin,noscript,loading,stale,allow_busy @admin,@slow,@dangerous
replicaof admin,noscript,stale,no_async_loading @admin,@slow,@dangerous
reset noscript,loading,stale,fast,no_auth,allow_busy @fast,@connection
restore write,denyoom @keyspace,@write,@slow,@dangerous
restore-asking write,denyoom,asking @keyspace,@write,@slow,@dangerous
role noscript,loading,stale,fast @admin,@fast,@dangerous
rpop write,fast @write,@list,@fast
rpoplpush write,denyoom @write,@list,@slow
rpush write,denyoom,fast @write,@list,@fast
rpushx write,denyoom,fast @write,@list,@fast
sadd write,denyoom,fast @write,@set,@fast
save admin,noscript,no_async_loading,no_multi @admin,@slow,@dangerous
scan readonly @keyspace,@read,@slow
scard readonly,fast @read,@set,@fast
script - @slow
script|debug noscript @slow,@scripting
script|exists noscript @slow,@scripting
script|flush noscript @slow,@scripting
script|help loading,stale @slow,@scripting
script|kill noscript,allow_busy @slow,@scripting
script|load noscript,stale @slow,@scripting
sdiff readonly @read,@set,@slow
sdiffstore write,denyoom @write,@set,@slow
select loading,stale,fast @fast,@connection
set write,denyoom @write,@string,@slow
setbit write,denyoom @write,@bitmap,@slow
setex write,denyoom @write,@string,@slow
setnx write,denyoom,fast @write,@string,@fast
setrange write,denyoom @write,@string,@slow
shutdown admin,noscript,loading,stale,no_multi,allow_busy @admin,@slow,@dangerous
sinter readonly @read,@set,@slow
sintercard readonly,movablekeys @read,@set,@slow
sinterstore write,denyoom @write,@set,@slow
sismember readonly,fast @read,@set,@fast
slaveof admin,noscript,stale,no_async_loading @admin,@slow,@dangerous
slowlog - @slow
slowlog|get admin,loading,stale @admin,@slow,@dangerous
slowlog|help loading,stale @slow
slowlog|len admin,loading,stale @admin,@slow,@dangerous
slowlog|reset admin,loading,stale @admin,@slow,@dangerous
smembers readonly @read,@set,@slow
smismember readonly,fast @read,@set,@fast
smove write,fast @write,@set,@fast
sort write,denyoom,movablekeys @write,@set,@sortedset,@list,@slow,@dangerous
sort_ro readonly,movablekeys @read,@set,@sortedset,@list,@slow,@dangerous
spop write,fast @write,@set,@fast
spublish pubsub,loading,stale,fast @pubsub,@fast
srandmember readonly @read,@set,@slow
srem write,fast @write,@set,@fast
sscan readonly @read,@set,@slow
ssubscribe pubsub,noscript,loading,stale @pubsub,@slow
strlen readonly,fast @read,@string,@fast
subscribe pubsub,noscript,loading,stale @pubsub,@slow
substr readonly @read,@string,@slow
sunion readonly @read,@set,@slow
sunionstore write,denyoom @write,@set,@slow
sunsubscribe pubsub,noscript,loading,stale @pubsub,@slow
swapdb write,fast @keyspace,@write,@fast,@dangerous
sync admin,noscript,no_async_loading,no_multi @admin,@slow,@dangerous
time loading,stale,fast @fast
touch readonly,fast @keyspace,@read,@fast
ttl readonly,fast @keyspace,@read,@fast
type readonly,fast @keyspace,@read,@fast
unlink write,fast @keyspace,@write,@fast
unsubscribe pubsub,noscript,loading,stale @pubsub,@slow
unwatch noscript,loading,stale,fast,allow_busy @fast,@transaction
wait noscript @slow,@connection
watch noscript,loading,stale,fast,allow_busy @fast,@transaction
xack write,fast @write,@stream,@fast
xadd write,denyoom,fast @write,@stream,@fast
xautoclaim write,fast @write,@stream,@fast
xclaim write,fast @write,@stream,@fast
xdel write,fast @write,@stream,@fast
xgroup - @slow
xgroup|create write,denyoom @write,@stream,@slow
xgroup|createconsumer write,denyoom @write,@stream,@slow
xgroup|delconsumer write @write,@stream,@slow
xgroup|destroy write @write,@stream,@slow
xgroup|help loading,stale @stream,@slow
xgroup|setid write @write,@stream,@slow
xinfo - @slow
xinfo|consumers readonly @read,@stream,@slow
xinfo|groups readonly @read,@stream,@slow
xinfo|help loading,stale @stream,@slow
xinfo|stream readonly @read,@stream,@slow
xlen readonly,fast @read,@stream,@fast
xpending readonly @read,@stream,@slow
xrange readonly @read,@stream,@slow
xread readonly,blocking,movablekeys @read,@stream,@slow,@blocking
xreadgroup write,blocking,movablekeys @write,@stream,@slow,@blocking
xrevrange readonly @read,@stream,@slow
xsetid write,denyoom,fast @write,@stream,@fast
xtrim write @write,@stream,@slow
zadd write,denyoom,fast @write,@sortedset,@fast
zcard readonly,fast @read,@sortedset,@fast
zcount readonly,fast @read,@sortedset,@fast
zdiff readonly,movablekeys @read,@sortedset,@slow
zdiffstore write,denyoom,movablekeys @write,@sortedset,@slow
zincrby write,denyoom,fast @write,@sortedset,@fast
zinter readonly,movablekeys @read,@sortedset,@slow
zintercard readonly,movablekeys @read,@sortedset,@slow
zinterstore write,denyoom,movablekeys @write,@sortedset,@slow
zlexcount readonly,fast @read,@sortedset,@fast
zmpop write,movablekeys @write,@sortedset,@slow
zmscore readonly,fast @read,@sortedset,@fast
zpopmax write,fast @write,@sortedset,@fast
zpopmin write,fast @write,@sortedset,@fast
zrandmember readonly @read,@sortedset,@slow
zrange readonly @read,@sortedset,@slow
zrangebylex readonly @read,@sortedset,@slow
zrangebyscore readonly @read,@sortedset,@slow
zrangestore write,denyoom @write,@sortedset,@slow
zrank readonly,fast @read,@sortedset,@fast
zrem write,fast @write,@sortedset,@fast
zremrangebylex write @write,@sortedset,@slow
zremrangebyrank write @write,@sortedset,@slow
zremrangebyscore write @write,@sortedset,@slow
zrevrange readonly @read,@sortedset,@slow
zrevrangebylex readonly @read,@sortedset,@slow
zrevrangebyscore readonly @read,@sortedset,@slow
zrevrank readonly,fast @read,@sortedset,@fast
zscan readonly @read,@sortedset,@slow
zscore readonly,fast @read,@sortedset,@fast
zunion readonly,movablekeys @read,@sortedset,@slow
zunionstore write,denyoom,movablekeys @write,@sortedset,@slow
`

function parseStaticTable(text: string): Map<string, RedisCommandSpec> {
  const table = new Map<string, RedisCommandSpec>()
  for (const row of text.split('\n')) {
    const [name, flags, categories] = row.trim().split(' ')
    if (!name || flags === undefined || categories === undefined) continue
    table.set(name, {
      flags: flags === '-' ? [] : flags.split(','),
      categories: categories === '-' ? [] : categories.split(','),
    })
  }
  return table
}

/**
 * Test-only hook: `RUNBOOK_TEST_REDIS_STATIC_OMIT=set,del` drops those commands from the built-in
 * table, so that tests can show the run-time check (the server's own `COMMAND` table) catching a
 * write the built-in table does not know. It can only make the built-in table smaller; the
 * server's table still judges every command at run time. Never set it outside tests.
 */
export const TEST_REDIS_STATIC_OMIT_VAR = 'RUNBOOK_TEST_REDIS_STATIC_OMIT'

function withoutOmitted(table: Map<string, RedisCommandSpec>): Map<string, RedisCommandSpec> {
  const omit = (typeof process === 'undefined' ? undefined : process.env[TEST_REDIS_STATIC_OMIT_VAR]) ?? ''
  for (const name of omit.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean)) table.delete(name)
  return table
}

/** The built-in table (Redis 7.0), used when no server's own table is at hand. */
export const STATIC_REDIS_TABLE: RedisCommandTable = withoutOmitted(parseStaticTable(STATIC_TABLE_TEXT))

/**
 * Converts ioredis' raw `COMMAND INFO` (or `COMMAND`) reply to a table. Each entry is
 * `[name, arity, flags[], firstKey, lastKey, step, aclCategories[], tips, keySpecs,
 * subcommands[]]`; unknown commands come back as null and are skipped.
 */
export function redisTableFromCommandInfo(reply: unknown[]): RedisCommandTable {
  const table = new Map<string, RedisCommandSpec>()
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : [])
  const add = (entry: unknown): void => {
    if (!Array.isArray(entry) || entry.length < 3) return
    const name = String(entry[0]).toLowerCase()
    table.set(name, { flags: strings(entry[2]).map((f) => f.toLowerCase()), categories: strings(entry[6]) })
    if (Array.isArray(entry[9])) for (const sub of entry[9]) add(sub)
  }
  for (const entry of reply) add(entry)
  return table
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07', '"': '"', '\\': '\\' }

/** Splits one line like redis-cli (sdssplitargs): returns the arguments or an error message. */
function splitLine(line: string): string[] | string {
  const args: string[] = []
  let i = 0
  const n = line.length
  while (true) {
    while (i < n && /\s/.test(line[i]!)) i++
    if (i >= n) return args
    let current = ''
    let inDouble = false
    let inSingle = false
    let done = false
    while (!done) {
      const c = line[i]
      if (inDouble) {
        if (c === undefined) return 'unbalanced double quotes'
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16))
          i += 3
        } else if (c === '\\' && i + 1 < n) {
          const e = line[i + 1]!
          current += ESCAPES[e] ?? e
          i++
        } else if (c === '"') {
          const next = line[i + 1]
          if (next !== undefined && !/\s/.test(next)) return 'closing quote must be followed by a space'
          done = true
        } else current += c
      } else if (inSingle) {
        if (c === undefined) return 'unbalanced single quotes'
        if (c === '\\' && line[i + 1] === "'") {
          current += "'"
          i++
        } else if (c === "'") {
          const next = line[i + 1]
          if (next !== undefined && !/\s/.test(next)) return 'closing quote must be followed by a space'
          done = true
        } else current += c
      } else {
        if (c === undefined || /\s/.test(c)) done = true
        else if (c === '"') inDouble = true
        else if (c === "'") inSingle = true
        else current += c
      }
      if (c !== undefined) i++
    }
    args.push(current)
  }
}

function splitAll(code: string): { commands: RedisCommand[]; errors: { line: number; message: string }[] } {
  const commands: RedisCommand[] = []
  const errors: { line: number; message: string }[] = []
  code.split(/\r?\n/).forEach((text, index) => {
    const trimmed = text.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const argv = splitLine(text)
    if (typeof argv === 'string') errors.push({ line: index + 1, message: argv })
    else if (argv.length > 0) commands.push({ argv, line: index + 1 })
  })
  return { commands, errors }
}

/**
 * The commands of a `redis` step, one a line, quoted like redis-cli (double quotes with
 * `\n \t \" \\ \xHH` escapes, single quotes literal). Blank lines and `#` comment lines are
 * skipped. Throws RedisSyntaxError (with its line) on unbalanced quotes.
 */
export function splitRedisCommands(code: string): RedisCommand[] {
  const { commands, errors } = splitAll(code)
  const first = errors[0]
  if (first) throw new RedisSyntaxError(first.message, first.line)
  return commands
}

const SCRIPTING = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro', 'script', 'function'])

/**
 * Why one command (argv; null for an argument not known statically) is destructive, or null
 * when it is not. The command table decides: `write` or `admin` flag, `@dangerous` category,
 * scripting, SELECT, and PUBLISH (a side effect, like SQL's NOTIFY).
 */
export function redisCommandReason(
  argv: readonly (string | null)[],
  table: RedisCommandTable = STATIC_REDIS_TABLE,
): string | null {
  const name = argv[0]?.toLowerCase()
  if (!name) return null
  const sub = argv[1]?.toLowerCase()
  const subSpec = sub ? table.get(`${name}|${sub}`) : undefined
  const spec = subSpec ?? table.get(name)
  const display = subSpec && sub ? `${name} ${sub}`.toUpperCase() : name.toUpperCase()
  const why: string[] = []
  if (name === 'select') why.push('switches the connection to another database')
  if (SCRIPTING.has(name) || spec?.categories.includes('@scripting')) why.push('runs or manages server-side scripts')
  if (name === 'publish' || name === 'spublish') why.push('sends a message to subscribers')
  if (spec) {
    if (spec.flags.includes('write')) why.push('writes data')
    if (spec.flags.includes('admin')) why.push('is an admin command')
    if (spec.categories.includes('@dangerous')) why.push("is in Redis' @dangerous category")
  }
  if (why.length === 0) return null
  return `${display} ${why.join(' and ')}`
}

/** Destructive detection of a `redis` step: one command a line, judged by the table. */
export function detectRedis(code: string, table: RedisCommandTable = STATIC_REDIS_TABLE): Detection {
  const { commands, errors } = splitAll(code)
  const reasons = new Set<string>()
  for (const command of commands) {
    const reason = redisCommandReason(command.argv, table)
    if (reason) reasons.add(reason)
  }
  return { destructive: reasons.size > 0, reasons: [...reasons], syntaxErrors: errors, refused: [] }
}
