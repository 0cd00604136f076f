// redis-cli on the simulated host: the real redis-cli, pointed at the sandbox's Redis database
// unless the call names a server itself.
import { passThrough, sandboxEnv, type ShimContext } from './context.js'

export function redisCli(ctx: ShimContext, args: string[]): number {
  const named = args.some((a) => ['-h', '-p', '-u', '-s', '--url', '--host', '--port', '--socket'].includes(a) || a.startsWith('--url=') || a.startsWith('redis://') || a.startsWith('rediss://'))
  const url = sandboxEnv(ctx, 'REDIS_URL')
  return passThrough(ctx, 'redis-cli', named || !url ? args : ['-u', url, ...args])
}
