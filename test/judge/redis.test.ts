import { describe, expect, it } from 'vitest'
import {
  classifyRedisCommand,
  detectRedis,
  redisCommandReason,
  redisSlowAdvice,
  redisTableFromCommandInfo,
  type RedisWhy,
  RedisSyntaxError,
  splitRedisCommands,
  STATIC_REDIS_TABLE,
} from '../../src/runner/judge/redis.js'
import { CHANGES, READS } from '../../src/runner/judge/redis/effects.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { expectJudged } from '../helpers/judge.js'

const says = msg.judge.redis
/** The reason the judge gives, in the active language: the command and what it does. */
const reason = (command: string, ...why: RedisWhy[]): string => says.command(command, why.map((w) => says[w]))

/** [label, code, destructive, what the reasons must mention] */
type Case = [label: string, code: string, destructive: boolean, mention?: RegExp | string]

/** Read-only: data reads and the diagnostics the guide uses; none of them is asked about. */
const reads: [string, string][] = [
  ['guide: PING', 'PING'],
  ['GET', 'GET session:1'],
  ['lowercase get', 'get session:1'],
  ['MGET', 'MGET a b c'],
  ['HGETALL', 'HGETALL user:1'],
  ['TTL', 'TTL session:1'],
  ['DBSIZE', 'DBSIZE'],
  ['SCAN', 'SCAN 0 MATCH session:* COUNT 100'],
  ['EXISTS', 'EXISTS a'],
  ['XLEN', 'XLEN events'],
  ['KEYS (slow: a lint warning, not a question)', 'KEYS session:*'],
  ['comments and blank lines only', '# FLUSHALL\n\n   # DEL x'],
  ['a write in a quoted argument', 'GET "DEL x"'],
  ['INFO', 'INFO'],
  ['INFO memory', 'INFO memory'],
  ['CONFIG GET maxmemory', 'CONFIG GET maxmemory'],
  ['CONFIG GET a pattern without secrets', 'config get maxmemory*'],
  ['CLIENT LIST', 'CLIENT LIST'],
  ['CLIENT INFO', 'CLIENT INFO'],
  ['CLIENT GETNAME', 'CLIENT GETNAME'],
  ['CLIENT ID', 'CLIENT ID'],
  ['CLIENT SETNAME (this connection only)', 'CLIENT SETNAME checker'],
  ['SLOWLOG GET', 'SLOWLOG GET 10'],
  ['SLOWLOG LEN', 'SLOWLOG LEN'],
  ['LATENCY LATEST', 'LATENCY LATEST'],
  ['LATENCY HISTORY', 'LATENCY HISTORY command'],
  ['LATENCY DOCTOR', 'LATENCY DOCTOR'],
  ['MEMORY USAGE', 'MEMORY USAGE big:key'],
  ['MEMORY STATS', 'MEMORY STATS'],
  ['MEMORY DOCTOR', 'MEMORY DOCTOR'],
  ['COMMAND COUNT', 'COMMAND COUNT'],
  ['COMMAND INFO', 'COMMAND INFO get set'],
  ['COMMAND DOCS', 'COMMAND DOCS get'],
  ['ACL WHOAMI', 'ACL WHOAMI'],
  ['ACL USERS', 'ACL USERS'],
  ['ACL LOG', 'ACL LOG 10'],
  ['TIME', 'TIME'],
  ['ROLE', 'ROLE'],
  ['LASTSAVE', 'LASTSAVE'],
  ['CLUSTER INFO', 'CLUSTER INFO'],
  ['CLUSTER NODES', 'CLUSTER NODES'],
  ['CLUSTER SLOTS', 'CLUSTER SLOTS'],
  ['CLUSTER SHARDS', 'CLUSTER SHARDS'],
  ['SCRIPT EXISTS', 'SCRIPT EXISTS abc'],
  ['FUNCTION LIST', 'FUNCTION LIST'],
  ['PUBSUB CHANNELS', 'PUBSUB CHANNELS'],
  ['ECHO', 'ECHO hi'],
  ['a container alone (the server answers an arity error)', 'CONFIG'],
  ['MULTI/EXEC around reads', 'MULTI\nGET a\nEXEC'],
]

/** Destructive, each with the reason it must give. */
const destructive: [string, RedisWhy, ...string[]][] = [
  ['SET', 'writesData', 'SET maintenance on'],
  ['DEL', 'writesData', 'DEL session:1 session:2', 'del x'],
  ['EXPIRE', 'writesData', 'EXPIRE k 60'],
  ['HSET', 'writesData', 'HSET user:1 name kim'],
  ['FLUSHALL', 'writesData', 'FLUSHALL'],
  ['FLUSHDB', 'writesData', 'FLUSHDB ASYNC'],
  ['SWAPDB', 'writesData', 'SWAPDB 0 1'],
  ['MOVE', 'writesData', 'MOVE k 2'],
  ['MIGRATE', 'writesData', 'MIGRATE host 6379 k 0 5000'],
  ['FUNCTION LOAD', 'writesData', 'FUNCTION LOAD "#!lua name=x"'],
  ['FUNCTION DELETE', 'writesData', 'FUNCTION DELETE lib'],
  ['FUNCTION FLUSH', 'writesData', 'FUNCTION FLUSH'],
  ['FUNCTION RESTORE', 'writesData', 'FUNCTION RESTORE payload'],
  ['CONFIG SET', 'changesConfig', 'CONFIG SET maxmemory 2gb'],
  ['CONFIG REWRITE', 'changesConfig', 'config rewrite'],
  ['CONFIG RESETSTAT', 'resetsDiagnostics', 'CONFIG RESETSTAT'],
  ['CLIENT KILL', 'actsOnClients', 'CLIENT KILL ID 12'],
  ['CLIENT PAUSE', 'actsOnClients', 'CLIENT PAUSE 1000'],
  ['CLIENT UNPAUSE', 'actsOnClients', 'CLIENT UNPAUSE'],
  ['CLIENT UNBLOCK', 'actsOnClients', 'CLIENT UNBLOCK 12'],
  ['CLIENT NO-EVICT', 'actsOnClients', 'CLIENT NO-EVICT on'],
  ['CLIENT TRACKING', 'actsOnClients', 'CLIENT TRACKING on REDIRECT 12'],
  ['SHUTDOWN', 'stopsServer', 'SHUTDOWN NOSAVE'],
  ['DEBUG', 'debugs', 'DEBUG SLEEP 1'],
  ['SAVE', 'persists', 'SAVE'],
  ['BGSAVE', 'persists', 'BGSAVE'],
  ['BGREWRITEAOF', 'persists', 'BGREWRITEAOF'],
  ['REPLICAOF', 'changesReplication', 'REPLICAOF NO ONE'],
  ['SLAVEOF', 'changesReplication', 'SLAVEOF host 6379'],
  ['FAILOVER', 'changesReplication', 'FAILOVER'],
  ['SCRIPT LOAD', 'managesScripts', 'SCRIPT LOAD "return 1"'],
  ['SCRIPT FLUSH', 'managesScripts', 'SCRIPT FLUSH'],
  ['SCRIPT KILL', 'managesScripts', 'SCRIPT KILL'],
  ['FUNCTION KILL', 'managesScripts', 'FUNCTION KILL'],
  ['ACL SETUSER', 'changesAcl', 'ACL SETUSER bob on >pw'],
  ['ACL DELUSER', 'changesAcl', 'ACL DELUSER bob'],
  ['ACL LOAD', 'changesAcl', 'ACL LOAD'],
  ['ACL SAVE', 'changesAcl', 'ACL SAVE'],
  ['ACL LOG', 'resetsDiagnostics', 'ACL LOG RESET'],
  ['ACL LIST', 'showsSecrets', 'ACL LIST'],
  ['ACL GETUSER', 'showsSecrets', 'ACL GETUSER default'],
  ['MODULE LOAD', 'changesModules', 'MODULE LOAD /x.so'],
  ['MODULE LOADEX', 'changesModules', 'MODULE LOADEX /x.so'],
  ['MODULE UNLOAD', 'changesModules', 'MODULE UNLOAD x'],
  ...['ADDSLOTS 1', 'ADDSLOTSRANGE 1 2', 'BUMPEPOCH', 'DELSLOTS 1', 'DELSLOTSRANGE 1 2', 'FAILOVER', 'FLUSHSLOTS', 'FORGET id', 'MEET h 1',
    'REPLICATE id', 'RESET', 'SAVECONFIG', 'SET-CONFIG-EPOCH 1', 'SETSLOT 1 STABLE'].map(
    (c): [string, RedisWhy, string] => [`CLUSTER ${c.split(' ')[0]}`, 'changesCluster', `CLUSTER ${c}`],
  ),
  ['SLOWLOG RESET', 'resetsDiagnostics', 'SLOWLOG RESET'],
  ['LATENCY RESET', 'resetsDiagnostics', 'LATENCY RESET'],
  ['MEMORY PURGE', 'purgesMemory', 'MEMORY PURGE'],
  ['EVAL', 'runsScripts', 'EVAL "return 1" 0'],
  ['EVALSHA', 'runsScripts', 'EVALSHA abc 0'],
  ['EVAL_RO', 'runsScripts', "EVAL_RO 'return 1' 0"],
  ['EVALSHA_RO', 'runsScripts', 'EVALSHA_RO abc 0'],
  ['FCALL', 'runsScripts', 'FCALL myfn 0'],
  ['FCALL_RO', 'runsScripts', 'FCALL_RO myfn 0'],
  ['SELECT', 'switchesDatabase', 'SELECT 2'],
  ['PUBLISH', 'publishes', 'PUBLISH deploys done'],
  ['SPUBLISH', 'publishes', 'SPUBLISH deploys done'],
  ['MONITOR', 'showsEveryCommand', 'MONITOR'],
  ['SUBSCRIBE', 'holdsConnection', 'SUBSCRIBE news'],
  ['PSUBSCRIBE', 'holdsConnection', 'PSUBSCRIBE n*'],
  ['SSUBSCRIBE', 'holdsConnection', 'SSUBSCRIBE news'],
  ['CONFIG GET', 'showsSecrets', 'CONFIG GET requirepass', 'CONFIG GET *', 'config get *PASS*', 'CONFIG GET master*', 'CONFIG GET maxmemory requirepass', 'CONFIG GET [rq]equirepass', 'CONFIG GET [unclosed'],
  ['FOO.BAR', 'unknownCommand', 'FOO.BAR x'],
  ['CONFIG FROB', 'unknownSubcommand', 'CONFIG FROB x'],
]

const cases: Case[] = [
  ...reads.map(([label, code]): Case => [label, code, false]),
  ...destructive.flatMap(([display, why, ...codes]) => codes.map((code): Case => [code, code, true, reason(display, why)])),
  ['a write after reads', 'PING\nGET a\n\nDEL a', true, /DEL/],
]

describe('detectRedis', () => {
  it.each(cases)('%s', (_label, code, destructive, mention) => {
    expectJudged(detectRedis(code), destructive, mention)
  })

  it.each([
    ['unbalanced double quote', 'PING\nSET a "b', 2],
    ['unbalanced single quote', "GET 'a", 1],
    ['text right after a closing quote', 'PING\n\nSET "a"b c', 3],
  ])('syntax error: %s', (_label, code, line) => {
    const d = detectRedis(code)
    expect(d.syntaxErrors).toHaveLength(1)
    expect(d.syntaxErrors[0]!.line).toBe(line)
  })

  it('deduplicates reasons', () => {
    expect(detectRedis('DEL a\nDEL b\ndel c').reasons).toEqual([reason('DEL', 'writesData')])
  })

  it('uses an injected table', () => {
    const table = new Map([['get', { flags: ['write'], categories: [] }]])
    expect(detectRedis('GET a', table).reasons).toEqual([reason('GET', 'writesData')])
    expect(detectRedis('DEL a', table).reasons).toEqual([reason('DEL', 'unknownCommand')])
  })
})

describe('splitRedisCommands', () => {
  it('splits like redis-cli', () => {
    const code = [
      '# a comment',
      '',
      'SET greeting "hello\\tworld\\n"',
      "SET raw 'a\\tb' ",
      'SET hex "\\x41\\x42" "quote \\" and \\\\"',
      "  GET 'single \\' quote'  ",
      'HSET k "a b" c',
    ].join('\n')
    expect(splitRedisCommands(code)).toEqual([
      { argv: ['SET', 'greeting', 'hello\tworld\n'], line: 3 },
      { argv: ['SET', 'raw', 'a\\tb'], line: 4 },
      { argv: ['SET', 'hex', 'AB', 'quote " and \\'], line: 5 },
      { argv: ['GET', "single ' quote"], line: 6 },
      { argv: ['HSET', 'k', 'a b', 'c'], line: 7 },
    ])
  })

  it('keeps quoted empty strings and unicode', () => {
    expect(splitRedisCommands('SET k ""\nSET 이름 "김"')).toEqual([
      { argv: ['SET', 'k', ''], line: 1 },
      { argv: ['SET', '이름', '김'], line: 2 },
    ])
  })

  it('throws RedisSyntaxError with the line on unbalanced quotes', () => {
    expect(() => splitRedisCommands('PING\nSET a "b')).toThrow(RedisSyntaxError)
    try {
      splitRedisCommands('PING\nSET a "b')
    } catch (e) {
      expect((e as RedisSyntaxError).line).toBe(2)
    }
  })
})

// A raw `COMMAND INFO config get eval select flushall` reply of Redis 7.0.15 through ioredis.
const COMMAND_INFO_REPLY: unknown[] = [
  ['config', -2, [], 0, 0, 0, ['@slow'], [], [], [
    ['config|rewrite', 2, ['admin', 'noscript', 'loading', 'stale'], 0, 0, 0, ['@admin', '@slow', '@dangerous'], [], [], []],
    ['config|help', 2, ['loading', 'stale'], 0, 0, 0, ['@slow'], [], [], []],
    ['config|get', -3, ['admin', 'noscript', 'loading', 'stale'], 0, 0, 0, ['@admin', '@slow', '@dangerous'], [], [], []],
    ['config|set', -4, ['admin', 'noscript', 'loading', 'stale'], 0, 0, 0, ['@admin', '@slow', '@dangerous'], ['request_policy:all_nodes', 'response_policy:all_succeeded'], [], []],
  ]],
  ['get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read', '@string', '@fast'], [], [['flags', ['RO', 'access'], 'begin_search', ['type', 'index', 'spec', ['index', 1]]]], []],
  ['eval', -3, ['noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'], 0, 0, 0, ['@slow', '@scripting'], [], [], []],
  ['select', 2, ['loading', 'stale', 'fast'], 0, 0, 0, ['@fast', '@connection'], [], [], []],
  ['flushall', -1, ['write'], 0, 0, 0, ['@keyspace', '@write', '@slow', '@dangerous'], ['request_policy:all_shards'], [], []],
  null,
]

describe('redisTableFromCommandInfo', () => {
  const table = redisTableFromCommandInfo(COMMAND_INFO_REPLY)

  it('reads commands and subcommands', () => {
    expect(table.get('get')).toEqual({ flags: ['readonly', 'fast'], categories: ['@read', '@string', '@fast'] })
    expect(table.get('config|set')?.categories).toContain('@dangerous')
    expect(table.get('config')).toEqual({ flags: [], categories: ['@slow'], container: true })
    expect(table.get('nosuch')).toBeUndefined()
  })

  it.each([
    ['CONFIG GET is a read', 'CONFIG GET maxmemory', false, undefined],
    ['CONFIG SET', 'CONFIG SET maxmemory 1gb', true, reason('CONFIG SET', 'changesConfig')],
    ['CONFIG HELP', 'CONFIG HELP', false, undefined],
    ['GET', 'GET a', false, undefined],
    ['EVAL', 'EVAL "return 1" 0', true, reason('EVAL', 'runsScripts')],
    ['SELECT', 'SELECT 1', true, reason('SELECT', 'switchesDatabase')],
    ['FLUSHALL', 'FLUSHALL', true, reason('FLUSHALL', 'writesData')],
    ['a command the server does not know', 'DEL a', true, reason('DEL', 'unknownCommand')],
  ] as const)('run-time table: %s', (_label, code, destructive, mention) => {
    const d = detectRedis(code, table)
    expect(d.destructive).toBe(destructive)
    if (mention) expect(d.reasons).toContain(mention)
  })

  it('agrees with the static table on the captured commands', () => {
    for (const name of ['get', 'eval', 'select', 'flushall', 'config|get', 'config|set']) {
      expect(STATIC_REDIS_TABLE.get(name)).toEqual(table.get(name))
    }
  })
})

describe('redisCommandReason', () => {
  it('fails closed on arguments not known before the run', () => {
    expect(redisCommandReason([null, 'x'])).toBe(reason('?', 'unknownArgument'))
    expect(redisCommandReason(['config', null])).toBe(reason('CONFIG ?', 'unknownArgument'))
    expect(redisCommandReason(['config', 'set', null])).toBe(reason('CONFIG SET', 'changesConfig'))
    expect(redisCommandReason(['config', 'get', null])).toBe(reason('CONFIG GET', 'showsSecrets'))
    expect(redisCommandReason(['acl', 'log', null])).toBe(reason('ACL LOG', 'resetsDiagnostics'))
    expect(redisCommandReason(['get', null])).toBeNull()
  })
})

describe('the reviewed lists cover the built-in table', () => {
  it('every command of the table is a read, a write or a listed effect: none is left unreviewed', () => {
    const unreviewed = [...STATIC_REDIS_TABLE.keys()]
      .filter((name) => !STATIC_REDIS_TABLE.get(name)!.container)
      .filter((name) => classifyRedisCommand(name.split('|')).why.includes('notReviewed'))
    expect(unreviewed).toEqual([])
  })

  it('the lists name commands of the table (CLIENT NO-TOUCH is Redis 7.2)', () => {
    const named = [...Object.keys(CHANGES), ...READS]
    expect(named.filter((name) => !STATIC_REDIS_TABLE.has(name))).toEqual(['client|no-touch'])
    expect([...READS].filter((name) => name in CHANGES)).toEqual([])
    expect([...READS].filter((name) => STATIC_REDIS_TABLE.get(name)?.flags.includes('write'))).toEqual([])
  })

  it('a command without the readonly flag and not listed is destructive', () => {
    const table = new Map([['newdiag', { flags: ['admin'], categories: [] }]])
    expect(redisCommandReason(['NEWDIAG'], table)).toBe(reason('NEWDIAG', 'notReviewed'))
  })
})

describe('redisSlowAdvice', () => {
  it('names SCAN for KEYS, and nothing for SCAN', () => {
    expect(redisSlowAdvice(['keys', '*'])).toEqual({ command: 'KEYS', better: 'SCAN' })
    expect(redisSlowAdvice(['SCAN', '0'])).toBeNull()
    expect(redisSlowAdvice([null])).toBeNull()
  })
})
