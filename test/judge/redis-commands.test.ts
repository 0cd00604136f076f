// One source: the built-in command table against the live server's own `COMMAND` reply (Redis 7
// at RB_TEST_REDIS_URL). Every command and subcommand the server knows is in the table with the
// same flags, and the judge classifies each the same from both tables — so the plan (built-in
// table) and the run-time check (the server's table) agree.
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyRedisCommand, redisTableFromCommandInfo, STATIC_REDIS_TABLE, type RedisCommandSpec } from '../../src/runner/judge/redis.js'
import { connectRedis } from '../helpers/servers.js'

let direct: Redis
let server: Map<string, RedisCommandSpec>

beforeAll(async () => {
  direct = await connectRedis()
  server = redisTableFromCommandInfo((await direct.call('COMMAND')) as unknown[])
})

afterAll(() => {
  direct?.disconnect()
})

const sorted = (xs: readonly string[]): string[] => [...xs].sort()

describe('the built-in table and the server COMMAND reply', () => {
  it('the server is Redis 7 and knows a few hundred commands', async () => {
    const info = String(await direct.info('server'))
    expect(info).toMatch(/redis_version:7\./)
    expect(server.size).toBeGreaterThan(300)
  })

  it('every command the server knows is in the built-in table with the same flags and categories', () => {
    const missing = [...server.keys()].filter((name) => !STATIC_REDIS_TABLE.has(name))
    expect(missing).toEqual([])
    const differ = [...server].filter(([name, spec]) => {
      const known = STATIC_REDIS_TABLE.get(name)!
      return sorted(known.flags).join() !== sorted(spec.flags).join() || sorted(known.categories).join() !== sorted(spec.categories).join() || !!known.container !== !!spec.container
    })
    expect(differ.map(([name]) => name)).toEqual([])
  })

  it('the built-in table knows nothing the server does not', () => {
    expect([...STATIC_REDIS_TABLE.keys()].filter((name) => !server.has(name))).toEqual([])
  })

  it('each command is classified the same from both tables', () => {
    const disagree: string[] = []
    for (const name of server.keys()) {
      const argv = name.split('|')
      const fromServer = classifyRedisCommand(argv, server)
      const fromBuiltIn = classifyRedisCommand(argv, STATIC_REDIS_TABLE)
      if (JSON.stringify(fromServer) !== JSON.stringify(fromBuiltIn)) disagree.push(name)
    }
    expect(disagree).toEqual([])
  })

  it('the diagnostics the guide uses are reads on this server, and the resets are not', () => {
    const judged = (line: string) => classifyRedisCommand(line.split(' '), server).why
    for (const read of ['INFO memory', 'CONFIG GET maxmemory', 'CLIENT LIST', 'SLOWLOG GET 10', 'LATENCY LATEST', 'MEMORY STATS', 'DBSIZE', 'KEYS *'])
      expect(judged(read), read).toEqual([])
    for (const change of ['CONFIG SET maxmemory 1', 'CLIENT KILL ID 1', 'SLOWLOG RESET', 'PUBLISH c m', 'FLUSHALL', 'NOSUCHCOMMAND'])
      expect(judged(change), change).not.toEqual([])
  })
})
