// Which program plays which command: the dispatcher table of the simulated host's commands,
// one command family a file. shims.ts writes one script per command into .sandbox/bin.
import { aws } from './aws.js'
import type { Shim } from './context.js'
import { crontab } from './cron.js'
import { df } from './disk.js'
import { docker } from './docker.js'
import { logrotate } from './logrotate.js'
import { nginx } from './nginx.js'
import { npm } from './npm.js'
import { apt } from './packages.js'
import { free, ps, top, uptime } from './procps.js'
import { redisCli } from './redis.js'
import { brakeman, bundle, bundlerAudit, rails } from './ruby.js'
import { sudo } from './sudo.js'
import { sysctl } from './sysctl.js'
import { journalctl, service, systemctl } from './systemd.js'

export const SHIM_TABLE: Readonly<Record<string, Shim>> = {
  systemctl,
  service,
  journalctl,
  docker,
  sysctl,
  apt,
  'apt-get': apt,
  aws,
  bundle,
  'bundler-audit': bundlerAudit,
  'bundle-audit': bundlerAudit,
  brakeman: (ctx) => brakeman(ctx),
  rails,
  rake: rails,
  npm,
  crontab: (ctx, args) => crontab(ctx, args),
  sudo,
  free,
  df,
  top,
  uptime: (ctx) => uptime(ctx),
  ps,
  logrotate,
  nginx,
  'redis-cli': redisCli,
}

export function shimFor(command: string): Shim | undefined {
  return Object.hasOwn(SHIM_TABLE, command) ? SHIM_TABLE[command] : undefined
}

export { notSimulated, TOOL_EXIT, type Shim, type ShimContext } from './context.js'
