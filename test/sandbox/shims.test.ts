// The simulated host's commands in-process: each shim is called as a function with a fake clock
// and captured output, on a sandbox folder that has only its host state (no servers, no stand-ins).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { defaultHostState, readHostState, writeHostState } from '../../src/sandbox/host.js'
import type { ShimContext } from '../../src/sandbox/programs/shims/context.js'
import { crontab } from '../../src/sandbox/programs/shims/cron.js'
import { shimFor, SHIM_TABLE } from '../../src/sandbox/programs/shims/index.js'
import { SHIMMED } from '../../src/sandbox/shims.js'

const NOW = new Date('2026-11-28T09:30:00Z')
let root: string

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'rb-shims-'))
  writeHostState(root, defaultHostState(NOW))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** Calls a shim as `command args…`; its exit code, stdout and stderr. */
async function call(command: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  // As the sandbox's sudo runs its child (test/sandbox/strict.test.ts covers the unprivileged operator).
  const env = { PATH: '/usr/bin:/bin', SANDBOX_SUDO_ROOT: root }
  const ctx: ShimContext = { root, command, argv: args, env, now: () => NOW, io: { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) } }
  const code = await shimFor(command)!(ctx, args)
  return { code, stdout, stderr }
}

const history = () => readFileSync(path.join(root, 'host', 'history.log'), 'utf8')

test('every command with a script in .sandbox/bin has a program in the table', () => {
  for (const name of SHIMMED) expect(shimFor(name), name).toBeDefined()
  expect(shimFor('constructor')).toBeUndefined()
  expect(Object.keys(SHIM_TABLE).length).toBeGreaterThanOrEqual(SHIMMED.length)
})

describe('procps and df print the host state in the real formats', () => {
  test('free -m, then the memory drill, then drop caches', async () => {
    expect((await call('free', '-m')).stdout).toMatch(/^Mem:\s+16384\s+6290\s+/m)
    const state = readHostState(root, NOW)
    state.memory.workerMb = 2900
    state.memory.cacheMb = 1100
    state.faults['memory-pressure'] = { since: NOW.toISOString() }
    writeHostState(root, state)
    const pressed = await call('free', '-m')
    expect(pressed.stdout).toMatch(/^Mem:\s+16384\s+14770\s+/m)
    expect(pressed.stderr).toContain('memory-pressure')
    const dropped = await call('sysctl', '-w', 'vm.drop_caches=3')
    expect(dropped.stdout).toContain('page cache dropped: buff/cache 1100 → 180 MiB')
    expect(readHostState(root, NOW).memory.cacheMb).toBe(180)
    expect(history()).toBe(`${NOW.toISOString()} sysctl -w vm.drop_caches=3\n`)
  })

  test('df -h shows the root disk; uptime and top use the clock they are given', async () => {
    expect((await call('df', '-h', '/')).stdout).toMatch(/^\/dev\/nvme0n1p1\s+99G\s+41G\s+58G\s+42% \/$/m)
    expect((await call('uptime')).stdout).toMatch(/up 23 days,  4:00,/)
    expect((await call('top', '-bn1')).stdout).toMatch(/^top - \d\d:\d\d:\d\d up 23 days,  4:00,/)
    expect((await call('ps', 'aux')).stdout).toContain('puma: cluster worker 0')
  })
})

describe('systemd, packages, kernel and cron change only the simulated host', () => {
  test('systemctl status and restart of a unit without a stand-in', async () => {
    const status = await call('systemctl', 'status', 'nginx')
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/^● nginx\.service - .*\n\s+Loaded: .*\n\s+Active: active \(running\) since .*; 23 days ago/)
    expect((await call('systemctl', 'stop', 'nginx')).stdout).toContain('(sandbox) stopped nginx')
    expect((await call('systemctl', 'is-active', 'nginx')).code).toBe(3)
    expect((await call('systemctl', 'status', 'no-such')).code).toBe(4)
    expect((await call('service', 'nginx', 'start')).stdout).toContain('(sandbox) started nginx')
    expect(readHostState(root, NOW).services.nginx).toEqual({ active: true, since: NOW.toISOString() })
  })

  test('apt: -s changes nothing; upgrade empties the pending updates at the given time', async () => {
    expect((await call('apt-get', '-s', 'upgrade')).stdout).toMatch(/^Inst libssl3 \[/m)
    expect(readHostState(root, NOW).packages.upgradable).toHaveLength(5)
    const upgraded = await call('apt', 'upgrade', '-y')
    expect(upgraded.stdout).toContain('(sandbox) upgraded 5 packages')
    expect(readHostState(root, NOW).packages).toMatchObject({ upgradable: [], lastUpgrade: NOW.toISOString() })
  })

  test('crontab installs from stdin and lists it back', async () => {
    let stdout = ''
    const ctx: ShimContext = { root, command: 'crontab', argv: ['-'], env: {}, now: () => NOW, io: { stdout: (s) => (stdout += s), stderr: () => undefined } }
    expect(crontab(ctx, ['-'], { readFile: () => '0 3 * * * /opt/scripts/backup_database.sh\n', isTTY: false })).toBe(0)
    expect(stdout).toContain('1 entries')
    expect((await call('crontab', '-l')).stdout).toBe('0 3 * * * /opt/scripts/backup_database.sh\n')
    expect((await call('crontab', '-e')).code).toBe(1)
  })

  test('what is not simulated says so and fails', async () => {
    const r = await call('docker', 'swarm', 'init')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('docker swarm is not simulated')
    expect((await call('sudo', '-i')).code).toBe(1)
  })
})

describe('aws s3: a local folder plays the bucket', () => {
  test('cp uploads into the bucket folder, ls lists it, a local write outside the sandbox is refused', async () => {
    const file = path.join(root, 'backup.sql.gz')
    writeFileSync(file, 'dump')
    mkdirSync(path.join(root, 's3', 'excelapp-backups'), { recursive: true })
    const up = await call('aws', 's3', 'cp', file, 's3://excelapp-backups/database/')
    expect(up.stdout).toBe(`upload: ${file} to s3://excelapp-backups/database/backup.sql.gz\n`)
    expect(readFileSync(path.join(root, 's3', 'excelapp-backups', 'database', 'backup.sql.gz'), 'utf8')).toBe('dump')
    expect((await call('aws', 's3', 'ls', 's3://excelapp-backups/database/')).stdout).toMatch(/ {10}4 backup\.sql\.gz\n$/)
    const refused = await call('aws', 's3', 'cp', 's3://excelapp-backups/database/backup.sql.gz', '/etc/rb-test')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('safety rule 5')
    expect(history()).toContain(`aws s3 cp ${file} s3://excelapp-backups/database/`)
  })
})
