// Through the real binary: a TS step written in any of the forms the TS judge cannot prove
// read-only tries to change a canary (a file in a temp folder, a Redis key, requests to a local
// HTTP server). Run without a TTY and without --yes, each is blocked (exit 3) and the canary is
// intact. A step declared `safe` that sets `$.prefix` at run time is caught by the `$` gate.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { runCli, tempDir, writeRunbook } from '../helpers/cli.js'

const CANARY_TEXT = 'keep me'

/** [label, the TS step's code] — `env.CANARY` is the canary file, `env.HOOK` the local server. */
const forms: [string, string][] = [
  ['$.prefix', '$.prefix = `rm -f ${env.CANARY};`\nawait $`df -h /`'],
  ['$.postfix', '$.postfix = `;rm -f ${env.CANARY}`\nawait $`df -h /`'],
  ['$({ prefix })', 'await $({ prefix: `rm -f ${env.CANARY};` } as any)`df -h /`'],
  ['$.shell', "$.shell = '/usr/bin/perl'\nawait $`unlink '${env.CANARY}'`"],
  ['$ piped into the canary', 'await $`echo overwritten`.pipe(env.CANARY)'],
  ['$ command word from a value', "const verb = ['r', 'm'].join('')\nawait $`${verb} -f ${env.CANARY}`"],
  ["process.getBuiltinModule('child_process')", "process.getBuiltinModule('child_process').execSync(`rm -f ${env.CANARY}`)"],
  ["process.getBuiltinModule('fs')", "process.getBuiltinModule('fs').rmSync(env.CANARY)"],
  ['const {rmSync} = fs', 'const { rmSync } = fs\nrmSync(env.CANARY)'],
  ['an alias of fs.rmSync', 'const remove = fs.rmSync\nremove(env.CANARY)'],
  ['fs[name]', "const name = ['rm', 'Sync'].join('')\nfs[name](env.CANARY)"],
  ['fs.writeFileSync', "fs.writeFileSync(env.CANARY, 'changed')"],
  ['fs.promises.truncate', 'await fs.promises.truncate(env.CANARY, 0)'],
  ["fs.openSync(…, 'w')", "fs.closeSync(fs.openSync(env.CANARY, 'w'))"],
  ["fs.createReadStream(…, { flags: 'w' })", "fs.createReadStream(env.CANARY, { flags: 'w' }).close()"],
  ['eval', "eval('fs.rmSync(env.CANARY)')"],
  ['new Function', "new Function('f', 'p', 'f.rmSync(p)')(fs, env.CANARY)"],
  ['Function()', "Function('f', 'p', 'f.rmSync(p)')(fs, env.CANARY)"],
  ['a function constructor', "const make = (async () => {}).constructor\nawait make('f', 'p', 'f.rmSync(p)')(fs, env.CANARY)"],
  ['globalThis.process', "globalThis.process.getBuiltinModule('fs').rmSync(env.CANARY)"],
  ['import()', "const m = await import('node:fs')\nm.rmSync(env.CANARY)"],
  ['require', "require('node:fs').rmSync(env.CANARY)"],
  ['fetch POST', "await fetch(env.HOOK, { method: 'POST', body: 'x' })"],
  ['fetch PUT', "await fetch(env.HOOK, { method: 'PUT', body: 'x' })"],
  ['fetch DELETE', "await fetch(env.HOOK, { method: 'DELETE' })"],
  ['fetch with a method from a value', "const method = ['PO', 'ST'].join('')\nawait fetch(env.HOOK, { method, body: 'x' })"],
  ['redis.stream.write', "redis.stream.write(`*2\\r\\n$3\\r\\nDEL\\r\\n$${env.KEY.length}\\r\\n${env.KEY}\\r\\n`)\nawait sleep(300)"],
  ['redis.del through a computed name', "const verb = ['d', 'el'].join('')\nawait redis[verb](env.KEY)"],
]

describe('fail-closed TS steps through the binary', () => {
  const dir = tempDir('rb-failclosed-ts-')
  const canary = path.join(dir, 'canary.txt')
  const key = `runbook:failclosed-ts:${process.pid}`
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0'
  let requests: string[] = []
  let server: Server
  let hook = ''
  let redis: import('ioredis').Redis

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.method ?? '?')
      res.end('ok')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    const { Redis } = await import('ioredis')
    redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    await redis.connect()
  })
  afterAll(async () => {
    await redis.del(key)
    redis.disconnect()
    await new Promise((resolve) => server.close(resolve))
    rmSync(dir, { recursive: true, force: true })
  })

  const runStep = async (id: string, code: string, attrs = '') => {
    writeFileSync(canary, CANARY_TEXT)
    await redis.set(key, CANARY_TEXT)
    requests = []
    const file = writeRunbook(dir, `${id}.md`, `---\nid: ${id}\ntitle: 카나리\n---\n# 카나리\n\n\`\`\`ts {id=attempt${attrs}}\n${code}\n\`\`\`\n`)
    return runCli(['run', file, '--reports', path.join(dir, 'reports', id)], {
      env: { CANARY: canary, HOOK: hook, KEY: key, REDIS_URL: redisUrl },
      timeoutMs: 60_000,
    })
  }

  const expectIntact = async (): Promise<void> => {
    expect(existsSync(canary)).toBe(true)
    expect(readFileSync(canary, 'utf8')).toBe(CANARY_TEXT)
    expect(await redis.get(key)).toBe(CANARY_TEXT)
    expect(requests).toEqual([])
  }

  it.each(forms.map(([label, code], i) => [label, code, i] as const))('%s: blocked without a TTY and --yes, the canary intact', async (_label, code, i) => {
    const r = await runStep(`form-${i}`, code)
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(EXIT.blocked)
    await expectIntact()
  })

  it('a step declared safe that sets $.prefix at run time is stopped by the $ gate', async () => {
    const r = await runStep('declared-safe', '$.prefix = `rm -f ${env.CANARY};`\nawait $`df -h /`', ' safe="claims to only read the disk"')
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(EXIT.blocked)
    await expectIntact()
    expect(`${r.stdout}\n${r.stderr}`).toContain(`rm -f ${canary}`)
  })

  it('the same run with a read-only step passes (the canaries are not in the way)', async () => {
    const r = await runStep('reads', "const t = await fs.readFile(env.CANARY, 'utf8')\ncheck('canary', t === 'keep me')\nawait $`df -h /`\nawait fetch(env.HOOK, { method: 'HEAD' })")
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(EXIT.ok)
    expect(readFileSync(canary, 'utf8')).toBe(CANARY_TEXT)
    expect(requests).toEqual(['HEAD'])
  })
})
