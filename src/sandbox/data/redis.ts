// The sandbox's Redis data: cache entries, sessions, rate-limit counters and FormulaEngine
// results, as the app keeps them, and the key that marks a database number as this sandbox's.
import type { Redis } from 'ioredis'

export const REDIS_OWNER_KEY = 'excelapp:sandbox:owner'

/** Cache entries, sessions, rate-limit counters and FormulaEngine results, as the app keeps them. */
export async function seedRedis(redis: Redis, owner: string, now: Date): Promise<number> {
  const p = redis.pipeline()
  p.set(REDIS_OWNER_KEY, owner)
  let n = 1
  for (let i = 1; i <= 120; i++) {
    p.set(`excelapp:cache:views/dashboard/${i}`, JSON.stringify({ files: i % 17, analyses: i % 5 }), 'EX', 3600 + i * 30)
    n++
  }
  for (let i = 1; i <= 80; i++) {
    p.hset(`excelapp:session:${(i * 2654435761 % 4294967296).toString(16).padStart(8, '0')}`, { user_id: String(i * 37), locale: 'ko', csrf: `t${i}` })
    p.expire(`excelapp:session:${(i * 2654435761 % 4294967296).toString(16).padStart(8, '0')}`, 86_400)
    n++
  }
  for (let i = 1; i <= 30; i++) {
    p.set(`rack::attack:${Math.floor(now.getTime() / 60000)}:req/ip:10.0.${i % 4}.${i}`, String(i * 3), 'EX', 60)
    n++
  }
  for (let i = 1; i <= 150; i++) {
    p.set(`formula_engine:result:${(i * 40503).toString(16)}`, JSON.stringify({ value: i * 1.5, deps: ['A1', `B${i}`] }), 'EX', 7200)
    n++
  }
  p.lpush('excelapp:recent_uploads', ...Array.from({ length: 50 }, (_, i) => String(1000 + i)))
  p.set('excelapp:feature_flags', JSON.stringify({ ai_chat: true, pivot_suggestions: false }))
  n += 2
  await p.exec()
  return n
}
