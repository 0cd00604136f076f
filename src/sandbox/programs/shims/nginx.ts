// nginx on the simulated host: -t (the configuration test), -v, and -s signals (reload, …).
import { did, err, notSimulated, optionValue, simulated, TOOL_EXIT, type ShimContext } from './context.js'

export function nginx(ctx: ShimContext, args: string[]): number {
  if (args.includes('-t') || args.includes('-T')) {
    err(ctx, 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful')
    simulated(ctx, 'simulated nginx')
    return TOOL_EXIT.ok
  }
  if (args.includes('-v') || args.includes('-V')) {
    err(ctx, 'nginx version: nginx/1.22.1')
    return TOOL_EXIT.ok
  }
  const signal = optionValue(args, '-s')
  if (signal) {
    did(ctx, `nginx -s ${signal} (simulated)`)
    return TOOL_EXIT.ok
  }
  return notSimulated(ctx, `nginx ${args.join(' ')}`.trim())
}
