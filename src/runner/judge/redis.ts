// Redis destructive-command detection: redis-cli style splitting of a `redis` step (redis/split),
// and the judgement of each command by effect (redis/judge, with the reviewed lists of
// redis/effects) by a command table (redis/table): the built-in Redis 7 table (redis/redis7-table)
// or one read from the real server's `COMMAND INFO`.
export { classifyRedisCommand, detectRedis, redisCommandReason, redisSlowAdvice, type RedisVerdict, type RedisWhy } from './redis/judge.js'
export { STATIC_REDIS_TABLE } from './redis/redis7-table.js'
export { findSlowRedisCommands, type SlowRedisCommand } from './redis/slow.js'
export { RedisSyntaxError, splitRedisCommands, type RedisCommand } from './redis/split.js'
export { redisTableFromCommandInfo, type RedisCommandSpec, type RedisCommandTable } from './redis/table.js'
