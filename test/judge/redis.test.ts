import { describe, expect, it } from 'vitest'
import {
  detectRedis,
  redisCommandReason,
  redisTableFromCommandInfo,
  RedisSyntaxError,
  splitRedisCommands,
  STATIC_REDIS_TABLE,
} from '../../src/runner/judge/redis.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { expectJudged } from '../helpers/judge.js'

const says = msg.judge.redis
type Why = 'writesData' | 'isAdmin' | 'isDangerous' | 'runsScripts' | 'switchesDatabase' | 'publishes'
/** The reason the judge gives, in the active language: the command and what it does. */
const reason = (command: string, ...why: Why[]): string => says.command(command, why.map((w) => says[w]))

/** [label, code, destructive, what the reasons must mention] */
type Case = [label: string, code: string, destructive: boolean, mention?: RegExp | string]

const cases: Case[] = [
  ['guide: PING', 'PING', false],
  ['GET', 'GET session:1', false],
  ['lowercase get', 'get session:1', false],
  ['MGET', 'MGET a b c', false],
  ['HGETALL', 'HGETALL user:1', false],
  ['TTL', 'TTL session:1', false],
  ['DBSIZE', 'DBSIZE', false],
  ['SCAN', 'SCAN 0 MATCH session:* COUNT 100', false],
  ['EXISTS', 'EXISTS a', false],
  ['MEMORY USAGE', 'MEMORY USAGE big:key', false],
  ['XLEN', 'XLEN events', false],
  ['unknown command (not in the static table)', 'FOO.BAR x', false],
  ['comments and blank lines only', '# FLUSHALL\n\n   # DEL x', false],
  ['a write in a quoted argument', 'GET "DEL x"', false],
  ['SET', 'SET maintenance on', true, reason('SET', 'writesData')],
  ['DEL', 'DEL session:1 session:2', true, reason('DEL', 'writesData')],
  ['lowercase del', 'del x', true, reason('DEL', 'writesData')],
  ['EXPIRE', 'EXPIRE k 60', true, reason('EXPIRE', 'writesData')],
  ['HSET', 'HSET user:1 name kim', true, /HSET/],
  ['FLUSHALL', 'FLUSHALL', true, reason('FLUSHALL', 'writesData', 'isDangerous')],
  ['FLUSHDB ASYNC', 'FLUSHDB ASYNC', true, /FLUSHDB/],
  ['CONFIG SET', 'CONFIG SET maxmemory 2gb', true, reason('CONFIG SET', 'isAdmin', 'isDangerous')],
  ['CONFIG GET (server category @dangerous)', 'CONFIG GET maxmemory', true, reason('CONFIG GET', 'isAdmin', 'isDangerous')],
  ['CONFIG REWRITE', 'config rewrite', true, /CONFIG REWRITE/],
  ['KEYS', 'KEYS session:*', true, reason('KEYS', 'isDangerous')],
  ['INFO', 'INFO memory', true, reason('INFO', 'isDangerous')],
  ['SHUTDOWN', 'SHUTDOWN NOSAVE', true, /SHUTDOWN/],
  ['CLIENT KILL', 'CLIENT KILL ID 12', true, /CLIENT KILL/],
  ['SLOWLOG RESET', 'SLOWLOG RESET', true, /SLOWLOG RESET/],
  ['DEBUG', 'DEBUG SLEEP 1', true, /DEBUG/],
  ['SWAPDB', 'SWAPDB 0 1', true, /SWAPDB/],
  ['EVAL', 'EVAL "return 1" 0', true, reason('EVAL', 'runsScripts')],
  ['EVALSHA', 'EVALSHA abc 0', true, /EVALSHA/],
  ['EVAL_RO', "EVAL_RO 'return 1' 0", true, /EVAL_RO/],
  ['FCALL', 'FCALL myfn 0', true, /FCALL/],
  ['SCRIPT FLUSH', 'SCRIPT FLUSH', true, /SCRIPT FLUSH/],
  ['FUNCTION LIST', 'FUNCTION LIST', true, /FUNCTION LIST/],
  ['SELECT', 'SELECT 2', true, reason('SELECT', 'switchesDatabase')],
  ['PUBLISH', 'PUBLISH deploys done', true, reason('PUBLISH', 'publishes')],
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
    expect(detectRedis('DEL a', table).destructive).toBe(false)
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
    expect(table.get('config')).toEqual({ flags: [], categories: ['@slow'] })
    expect(table.get('nosuch')).toBeUndefined()
  })

  it.each([
    ['CONFIG GET honours the server category', 'CONFIG GET maxmemory', true, reason('CONFIG GET', 'isAdmin', 'isDangerous')],
    ['CONFIG HELP', 'CONFIG HELP', false, undefined],
    ['GET', 'GET a', false, undefined],
    ['EVAL', 'EVAL "return 1" 0', true, reason('EVAL', 'runsScripts')],
    ['SELECT', 'SELECT 1', true, reason('SELECT', 'switchesDatabase')],
    ['FLUSHALL', 'FLUSHALL', true, reason('FLUSHALL', 'writesData', 'isDangerous')],
    ['a command the server does not know', 'DEL a', false, undefined],
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
  it('ignores unknown arguments and names', () => {
    expect(redisCommandReason([null, 'x'])).toBeNull()
    expect(redisCommandReason(['config', null])).toBeNull()
    expect(redisCommandReason(['config', 'set', null])).toMatch(/CONFIG SET/)
  })
})
