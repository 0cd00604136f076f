// The sandbox's env file (.sandbox/env): the KEY=value lines `runbook run --sandbox` reads, every
// path inside the sandbox folder, PATH starting with its command shims.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { msg } from '../runner/api.js'
import { SandboxError } from './errors.js'
import { BUCKET, layout } from './paths.js'
import type { SandboxState } from './state.js'

type Env = Record<string, string | undefined>

export function sandboxEnvValues(root: string, state: SandboxState, basePath: string): Record<string, string> {
  const l = layout(root)
  if (!state.pg || !state.redis || !state.app || !state.formulaEngine) throw new SandboxError(msg.sandbox.notComplete)
  const pgUrl = new URL(state.pg.url)
  return {
    SANDBOX: '1',
    SANDBOX_DIR: root,
    DATABASE_URL: state.pg.url,
    REDIS_URL: state.redis.url,
    APP_URL: `http://127.0.0.1:${state.app.port}`,
    FORMULA_ENGINE_URL: `http://127.0.0.1:${state.formulaEngine.port}`,
    LOG_DIR: l.log,
    STORAGE_DIR: l.storage,
    BACKUP_DIR: l.backups,
    BACKUP_S3_URI: `s3://${BUCKET}`,
    APP_DIR: l.app,
    SSHD_CONFIG: l.sshdConfig,
    SUDOERS: l.sudoers,
    AUTH_LOG: l.authLog,
    SYSLOG: l.syslog,
    SYSTEM_LOG_DIR: l.hostLog,
    // The app's logrotate entry, read by capacity/disk's permission check (logrotate itself is a shim).
    LOGROTATE_CONF: path.join(l.host, 'logrotate.d', 'excelapp-rails'),
    RAILS_ENV: 'production',
    PGHOST: pgUrl.hostname,
    PGPORT: pgUrl.port || '5432',
    PGUSER: decodeURIComponent(pgUrl.username || 'postgres'),
    PGDATABASE: state.pg.database,
    ...(pgUrl.password ? { PGPASSWORD: decodeURIComponent(pgUrl.password) } : {}),
    PATH: [l.bin, basePath].filter(Boolean).join(path.delimiter),
  }
}

function envLine(key: string, value: string): string {
  if (/^[\w@%+=:,./-]*$/.test(value)) return `${key}=${value}`
  if (!value.includes("'") && !value.includes('\n')) return `${key}='${value}'`
  return `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

export function writeEnvFile(root: string, values: Record<string, string>): void {
  const lines = [
    '# ExcelApp sandbox: written by `runbook sandbox up`; read by `runbook run FILE --sandbox`.',
    '# Every path is inside the sandbox folder; PATH starts with its command shims.',
    ...Object.entries(values).map(([k, v]) => envLine(k, v)),
  ]
  writeFileSync(layout(root).env, lines.join('\n') + '\n')
}

/** PATH without the sandbox's own shim folder (so `up` from a sandbox run does not nest it). */
export function basePath(root: string, env: Env): string {
  const bin = layout(root).bin
  return (env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
    .split(path.delimiter)
    .filter((d) => d && path.resolve(d) !== bin)
    .join(path.delimiter)
}
