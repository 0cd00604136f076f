// Safety rule 5, the pure part: what a --sandbox run refuses before a step starts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sandboxConnectionViolations, sandboxViolations } from '../../src/sandbox/index.js'
import type { PlannedStep, StepKind } from '../../src/runner/model/runbook.js'

let root: string
let env: Record<string, string>
const project = '/work/project-outside'

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'rb-guard-'))
  mkdirSync(path.join(root, 'backups', 'postgresql'), { recursive: true })
  mkdirSync(path.join(root, 'app'), { recursive: true })
  env = {
    HOME: '/root',
    SANDBOX_DIR: root,
    BACKUP_DIR: path.join(root, 'backups', 'postgresql'),
    LOG_DIR: path.join(root, 'log'),
    APP_DIR: path.join(root, 'app'),
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/excelapp_sandbox_abc',
    REDIS_URL: 'redis://127.0.0.1:6379/7',
    PATH: `${path.join(root, 'bin')}:/usr/bin:/bin`,
  }
  writeFileSync(path.join(root, 'env'), Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n')
})

afterAll(() => rmSync(root, { recursive: true, force: true }))

const check = (code: string, kind: StepKind = 'shell', cwd = project) => sandboxViolations(code, kind, root, { cwd, env })

describe('shell steps', () => {
  test.each([
    ['echo x > /etc/rb-test', '/etc/rb-test'],
    ['rm -rf /etc/something-that-does-not-exist', '/etc/something'],
    ['rm -rf "$UNSET_VARIABLE"/etc', '/etc'],
    ['find /var/backups/postgresql -name "*.sql.gz" -mtime +7 -delete', 'find -delete'],
    ['find /var/log -name "*.gz" -exec rm {} \\;', 'rm'],
    ['truncate -s 0 /var/log/syslog', 'truncate'],
    ['dd if=/dev/zero of=/dev/sda bs=1M count=1', 'dd of='],
    ['echo 3 | sudo tee /proc/sys/vm/drop_caches', 'tee'],
    ['echo 3 > /proc/sys/vm/drop_caches', '/proc/sys'],
    ['mv /var/log/app.log /var/log/app.log.1', 'mv'],
    ['cp "$BACKUP_DIR/x.sql.gz" /var/backups/', 'cp'],
    ['sed -i "s/a/b/" /etc/nginx/nginx.conf', 'sed -i'],
    ['tar -czf logs.tar.gz log/', 'tar'],
    ['cd /etc && rm hosts.bak', '/etc/hosts.bak'],
    ['bash -c "rm -rf /opt/scripts"', '/opt/scripts'],
    ['sudo -u deploy rm /home/deploy/x', '/home/deploy/x'],
    ['/usr/bin/systemctl restart nginx', 'systemctl'],
    ['kill -9 4242', 'kill'],
    ['pkill -f puma', 'pkill'],
    ['pip install requests', 'pip'],
    ['ssh web1 "sudo systemctl restart excelapp-rails"', 'ssh'],
    ['rsync -av "$STORAGE_DIR"/ backup-host:/srv/excelapp/', 'rsync'],
    ['git checkout v1.2.3', 'git checkout'],
    ['aws s3 cp s3://excelapp-backups/database/x.sql.gz /var/backups/x.sql.gz', 'aws s3 cp'],
    ['psql -h prod-db.internal -c "DELETE FROM chat_messages"', 'prod-db'],
    ['redis-cli -h prod-redis FLUSHALL', 'prod-redis'],
    ['mkdir -p /var/backups/postgresql', 'mkdir'],
    ['BACKUP_DIR=/var/backups/postgresql; rm -f $BACKUP_DIR/old.sql.gz', '/var/backups/postgresql/old.sql.gz'],
    ['sudo -E -u root DEBIAN_FRONTEND=noninteractive rm -rf /etc/rb-test', '/etc/rb-test'],
    ['pg_restore -d postgres://u@prod-db/app "$BACKUP_DIR/x.dump"', 'prod-db'],
    ['pg_restore --list "$BACKUP_DIR/x.dump" -f /etc/rb-toc', 'pg_restore -f /etc/rb-toc'],
  ])('%s is refused', async (code, mention) => {
    const v = await check(code)
    expect(v.join('\n')).toContain(mention)
  })

  test.each([
    'systemctl restart excelapp-rails',
    'sudo systemctl restart excelapp-rails',
    'docker restart formula-engine && docker logs --tail 50 formula-engine',
    'sudo sysctl -w vm.drop_caches=3',
    'sudo apt update && sudo apt upgrade -y',
    'echo "0 2 * * * /opt/scripts/backup_database.sh" | crontab -',
    'aws s3 cp "$BACKUP_DIR/x.sql.gz" s3://excelapp-backups/database/',
    'find "$BACKUP_DIR" -name "*.sql.gz" -mtime +7 -delete',
    'rm -f "$BACKUP_DIR"/old.sql.gz',
    'cd "$BACKUP_DIR" && rm -f old.sql.gz',
    'tar -czf /tmp/logs.tar.gz -C "$LOG_DIR" .',
    'grep -i error "$LOG_DIR/production.log" | tail -20 > /dev/null 2>&1',
    'echo "COUNT=3" >> "$RUNBOOK_OUTPUT"',
    'for f in $(ls "$BACKUP_DIR"); do echo "$f"; done',
    'cd "$APP_DIR" && git checkout v1.2.3',
    'git -C "$APP_DIR" checkout v1.2.3',
    'psql "$DATABASE_URL" -c "DELETE FROM chat_messages WHERE created_at < now() - interval \'6 months\'"',
    'redis-cli FLUSHDB',
    'pg_dump "$DATABASE_URL" | gzip > "$BACKUP_DIR/excelapp_$(date +%Y%m%d).sql.gz"',
    'free -h; df -h; top -bn1 | grep "Cpu(s)"; ps aux | grep -E "(rails|node)" | grep -v grep',
    'kill -0 $$',
    'sudo DEBIAN_FRONTEND=noninteractive apt-get -y upgrade',
    'sudo -E -u deploy systemctl restart excelapp-rails',
    'pg_restore --list "$BACKUP_DIR/x.dump" | grep -vc "^;"',
    'pg_restore -l "$BACKUP_DIR/x.dump"',
    'pg_restore "$BACKUP_DIR/x.dump" > "$BACKUP_DIR/x.sql"',
    'pg_restore -d "$DATABASE_URL" --clean "$BACKUP_DIR/x.dump"',
  ])('%s is allowed', async (code) => {
    expect(await check(code)).toEqual([])
  })

  test('listing a dump touches no database, even with PGHOST set (the file is not a database name)', async () => {
    const pgEnv = { ...env, PGHOST: '127.0.0.1', PGPORT: '5432', PGDATABASE: 'excelapp_sandbox_abc' }
    for (const code of ['pg_restore --list "$BACKUP_DIR/x.dump"', 'pg_restore -l "$BACKUP_DIR/x.dump"']) expect(await sandboxViolations(code, 'shell', root, { cwd: project, env: pgEnv })).toEqual([])
    expect((await sandboxViolations('pg_restore -d other_db "$BACKUP_DIR/x.dump"', 'shell', root, { cwd: project, env: pgEnv })).join()).toContain('other_db')
  })

  test('relative writes are judged from the step folder', async () => {
    expect(await check('tar -czf logs.tar.gz log/', 'shell', root)).toEqual([])
    expect((await check('tar -czf logs.tar.gz log/', 'shell', '/srv')).join()).toContain('/srv')
  })

  test('a symlink inside the sandbox that points outside is judged by its target', async () => {
    const { symlinkSync } = await import('node:fs')
    symlinkSync('/etc', path.join(root, 'etc-link'))
    expect((await check(`rm -f "$SANDBOX_DIR/etc-link/rb-test"`)).join()).toContain('밖')
  })
})

describe('TS steps', () => {
  test.each([
    ['await $`rm -rf /etc/rb-test`', '/etc/rb-test'],
    ["fs.writeFileSync('/etc/rb-test', 'x')", '/etc/rb-test'],
    ['await fs.rm(`/var/backups/${name}`)', '/var/backups'],
    ['process.kill(1234)', 'process.kill'],
  ])('%s is refused', async (code, mention) => {
    expect((await check(code, 'ts')).join()).toContain(mention)
  })

  test.each([
    'await $`systemctl restart excelapp-rails`',
    'await $`rm -f ${env.BACKUP_DIR}/old.sql.gz`',
    'fs.rmSync(`${env.BACKUP_DIR}/old.sql.gz`, { force: true })',
    "fs.writeFileSync(path.join(os.tmpdir(), 'x'), 'y')",
    'const r = await fetch(`${env.APP_URL}/up`)',
  ])('%s is allowed', async (code) => {
    expect(await check(code, 'ts')).toEqual([])
  })
})

describe('connections', () => {
  const planned = (kind: StepKind, code: string, destructive = true, attrs: Record<string, unknown> = {}) =>
    ({ kind, destructive, step: { code, attrs } }) as unknown as PlannedStep

  test('SQL and Redis steps must use the sandbox servers', () => {
    expect(sandboxConnectionViolations(planned('sql', 'DELETE FROM users'), env, root)).toEqual([])
    expect(sandboxConnectionViolations(planned('sql', 'DELETE FROM users'), { ...env, DATABASE_URL: 'postgres://u:pw@prod-db/app' }, root).join()).toContain('DATABASE_URL=postgres://u:***@prod-db/app')
    expect(sandboxConnectionViolations(planned('sql', 'DELETE FROM users', true, { db: 'REPLICA_URL' }), { ...env, REPLICA_URL: 'postgres://replica/app' }, root).join()).toContain('REPLICA_URL')
    expect(sandboxConnectionViolations(planned('redis', 'FLUSHDB'), { ...env, REDIS_URL: 'redis://127.0.0.1:6379/0' }, root).join()).toContain('Redis')
    expect(sandboxConnectionViolations(planned('ts', 'await sql`DELETE FROM users`'), { ...env, DATABASE_URL: 'postgres://prod/app' }, root).join()).toContain('DATABASE_URL')
  })

  test('a destructive shell step needs the shims first on PATH', () => {
    expect(sandboxConnectionViolations(planned('shell', 'systemctl restart nginx'), env, root)).toEqual([])
    expect(sandboxConnectionViolations(planned('shell', 'systemctl restart nginx'), { ...env, PATH: '/usr/bin:/bin' }, root).join()).toContain('PATH')
  })
})
