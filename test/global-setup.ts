// Before the suite: build dist/ once (the CLI tests run bin/runbook), and make sure PostgreSQL and
// Redis are reachable: this machine's services when they answer, else throwaway servers started
// from the installed binaries. Tests read RB_TEST_PG_ADMIN_URL and RB_TEST_REDIS_URL.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { canConnect, startThrowawayPostgres, startThrowawayRedis, type StartedServer } from '../src/sandbox/servers.js'

/**
 * Tests never see the developer's own git config, signing key or ssh-agent: HOME is an empty
 * folder, git reads no global or system config, and no agent socket is inherited. Workers and
 * every child they spawn inherit this environment, and the interface's language.
 */
function isolate(dir: string): void {
  const home = path.join(dir, 'home')
  mkdirSync(home, { recursive: true })
  writeFileSync(path.join(dir, 'gitconfig'), '')
  process.env.HOME = home
  process.env.GIT_CONFIG_GLOBAL = path.join(dir, 'gitconfig')
  process.env.GIT_CONFIG_NOSYSTEM = '1'
  delete process.env.SSH_AUTH_SOCK
  delete process.env.SSH_AGENT_PID
  delete process.env.XDG_CONFIG_HOME
  // The suite reads the interface in Korean (tests that check English say --lang en), whatever
  // the developer's locale.
  process.env.RUNBOOK_LANG = 'ko'
}

export default async function setup(): Promise<() => Promise<void>> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' })
  const started: StartedServer[] = []
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rb-servers-'))
  isolate(dir)
  if (!process.env.RB_TEST_PG_ADMIN_URL) {
    if (await canConnect('127.0.0.1', 5432)) process.env.RB_TEST_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
    else {
      const pg = await startThrowawayPostgres(path.join(dir, 'pg'))
      started.push(pg)
      process.env.RB_TEST_PG_ADMIN_URL = pg.url
      process.stderr.write(`test setup: no PostgreSQL on 127.0.0.1:5432, started a throwaway one on port ${pg.port}\n`)
    }
  }
  if (!process.env.RB_TEST_REDIS_URL) {
    if (await canConnect('127.0.0.1', 6379)) process.env.RB_TEST_REDIS_URL = 'redis://127.0.0.1:6379/13'
    else {
      const redis = await startThrowawayRedis(path.join(dir, 'redis'))
      started.push(redis)
      process.env.RB_TEST_REDIS_URL = `${redis.url}/13`
      process.stderr.write(`test setup: no Redis on 127.0.0.1:6379, started a throwaway one on port ${redis.port}\n`)
    }
  }
  return async () => {
    for (const server of started) await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
