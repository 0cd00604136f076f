import { describe, expect, it } from 'vitest'
import { detect } from '../../src/runner/judge/index.js'
import { detectTs } from '../../src/runner/judge/ts.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { expectJudged } from '../helpers/judge.js'

// Reasons as the judges say them in the active language (through the catalogue).
const { shell, sql, redis, ts } = msg.judge
const does = (command: string, phrase: 'restartsService' | 'deletesFiles' | 'restartsContainer'): string => shell.does(command, shell[phrase])
const writes = (command: string): string => redis.command(command, [redis.writesData])

/** [label, code, destructive, what the reasons must mention] */
type Case = [label: string, code: string, destructive: boolean, mention?: RegExp | string]

const cases: Case[] = [
  [
    'design example: app /up check',
    "const res = await fetch(`${env.APP_URL}/up`)\ncheck('앱 /up 응답 200', res.status === 200, `status ${res.status}`)",
    false,
  ],
  ['$ restart', 'await $`systemctl restart excelapp-rails`', true, `$\`systemctl restart excelapp-rails\`: ${does('systemctl restart excelapp-rails', 'restartsService')}`],
  ['$ docker restart', "await $`docker restart formula-engine`\nnote('restarted')", true, /\$`docker restart formula-engine`: docker restart/],
  ['$ read-only pipeline', 'const out = await $`docker ps | grep formula-engine`', false],
  ['$ with options', "await $({ cwd: '/srv/app' })`git checkout ${tag}`", true, /git checkout/],
  ['$.sync', 'const r = $.sync`rm -rf ${dir}`', true, `$\`rm -rf \${dir}\`: ${does('rm', 'deletesFiles')}`],
  ['$ interpolation as the command word', 'await $`${cmd} restart`', true, ts.cannotProve(ts.commandWordPlaceholder('$`${cmd} restart`'))],
  ['$ interpolation as an argument', 'await $`git -C ${env.APP_DIR} describe --tags`', false],
  ['$ interpolated unit', 'await $`systemctl restart ${env.SERVICE}`', true, /systemctl restart/],
  ['$ kill -0 probe', 'await $`kill -0 ${pid}`', false],
  ['$ inside a function and loop', 'for (const c of ["a", "b"]) {\n  await within(async () => { await $`docker stop ${c}` })\n}', true, /docker stop/],
  ['$ echo of a dangerous text', 'await $`echo "rm -rf /"`', false],
  ['$ in a comment', '// await $`rm -rf /`\n/* $`reboot` */\nconst s = "rm -rf /"', false],
  ['plain template, not $', 'const s = `rm -rf ${dir}`\nconsole.log(s)', false],
  ['sql SELECT', 'const rows = await sql`SELECT * FROM users WHERE id = ${id}`\ntable(rows)', false],
  ['sql DELETE', 'await sql`DELETE FROM sessions WHERE expires_at < ${now}`', true, `sql\`DELETE FROM sessions WHERE expires_at < \${now}\`: ${sql.deletesRows('sessions')}`],
  ['sql string literal', "await sql`SELECT 'DROP TABLE x' AS s`", false],
  ['sql side-effect function', 'await sql`SELECT pg_terminate_backend(${pid})`', true, /pg_terminate_backend/],
  ['redis.get', "const v = await redis.get('maintenance')", false],
  ['redis.del', "await redis.del('session:1')", true, `redis.del(…): ${writes('DEL')}`],
  ['redis.flushall', 'await redis.flushall()', true, /FLUSHALL/],
  ['redis.call', "await redis.call('flushdb')", true, /FLUSHDB/],
  ['redis.call read', "await redis.call('GET', 'a')", false],
  ['redis.config GET (a read-only diagnostic)', "await redis.config('GET', 'maxmemory')", false],
  ['redis.config SET', "await redis.config('SET', 'maxmemory', '1gb')", true, /CONFIG SET/],
  ['redis.info (a read-only diagnostic)', "const info = await redis.info('memory')", false],
  ['redis.publish', "await redis.publish('deploys', 'done')", true, /PUBLISH/],
  ['redis pipeline write', "await redis.pipeline().set('a', '1').expire('a', 60).exec()", true, `redis.set(…): ${writes('SET')}`],
  ['redis ping and dbsize', 'check("redis", (await redis.ping()) === "PONG")\nnote(String(await redis.dbsize()))', false],
  ['fs.rm', "await fs.rm('/tmp/cache', { recursive: true, force: true })", true, ts.fsDeletes('fs.rm()')],
  ['fs.remove (fs-extra)', 'await fs.remove(path.join(env.STORAGE, "tmp"))', true, /fs\.remove/],
  ['fs.unlinkSync', 'fs.unlinkSync(file)', true, /unlinkSync/],
  ['fs.promises.rmdir', 'await fs.promises.rmdir(dir)', true, /rmdir/],
  ['fs.emptyDir', 'await fs.emptyDir(dir)', true, /emptyDir/],
  ['fs.truncate', 'await fs.truncate(log, 0)', true, /truncate/],
  ['fs.writeFile into /etc', "await fs.writeFile('/etc/hosts', text)", true, ts.fsSystemPath('fs.writeFile()', '/etc/hosts')],
  ['fs reads', "const t = await fs.readFile('/etc/hosts', 'utf8')\nconst e = await fs.pathExists('/tmp/x')", false],
  ['fs.writeFile into tmp', "await fs.writeFile('/tmp/report.txt', text)", true, ts.fsWrites('fs.writeFile()')],
  ['process.kill', 'process.kill(pid)', true, /process\.kill/],
  ['process.kill with SIGTERM', "process.kill(pid, 'SIGTERM')", true, /process\.kill/],
  ['process.kill signal 0', 'const alive = (() => { try { process.kill(pid, 0); return true } catch { return false } })()', false],
  ['child_process execSync', "execSync('systemctl stop nginx')", true, /systemctl stop nginx/],
  ['child_process spawn', "spawn('rm', ['-rf', dir])", true, `spawn("rm"): ${does('rm', 'deletesFiles')}`],
  ['fetch DELETE', "await fetch(`${env.APP_URL}/cache`, { method: 'DELETE' })", true, ts.fetchRequest('DELETE')],
  ['fetch GET', "await fetch(url, { method: 'GET' })", false],
  ['TypeScript types', 'interface Row { id: number }\nconst rows: Row[] = []\nconst n: number = rows.length as number', false],
  ['top-level return', "if (!env.APP_URL) return\nawait $`reboot`", true, /reboot/],
]

describe('detectTs', () => {
  it.each(cases)('%s', async (_label, code, destructive, mention) => {
    expectJudged(await detectTs(code, 'ts'), destructive, mention)
  })

  it('works for JavaScript', async () => {
    const d = await detectTs('const out = await $`docker restart formula-engine`', 'js')
    expect(d.reasons).toEqual([`$\`docker restart formula-engine\`: ${does('docker restart formula-engine', 'restartsContainer')}`])
  })

  it('reports TypeScript syntax errors at their original line', async () => {
    const d = await detectTs('const a: number = 1\n\nconst b = (a +;\n', 'ts')
    expect(d.syntaxErrors).toHaveLength(1)
    expect(d.syntaxErrors[0]!.line).toBe(3)
  })

  it('reports a JS syntax error (TS syntax in a js step) at its line', async () => {
    const d = await detectTs('const a = 1\nconst b: number = 2', 'js')
    expect(d.syntaxErrors[0]?.line).toBe(2)
  })

  it('maps a shell syntax error inside a $ template to the step line', async () => {
    const code = "interface X {\n  a: number\n}\nconst x: X = { a: 1 }\nawait $`echo 'unterminated`"
    const d = await detectTs(code, 'ts')
    expect(d.syntaxErrors).toHaveLength(1)
    expect(d.syntaxErrors[0]!.line).toBe(5)
    expect(d.syntaxErrors[0]!.message).toMatch(/\$`echo 'unterminated`/)
  })

  it('maps refused SQL in a sql template to the step line', async () => {
    const code = 'type T = { n: number }\nconst t: T = { n: 1 }\n\nawait sql`COMMIT`'
    const d = await detectTs(code, 'ts')
    expect(d.refused).toHaveLength(1)
    expect(d.refused[0]!.line).toBe(4)
    expect(d.refused[0]!.message).toBe(`sql\`COMMIT\`: ${sql.transactionRefused('COMMIT')}`)
  })

  it('maps a multi-line template error to the line inside it', async () => {
    const code = 'const a = 1\nawait sql`\n  SELECT 1;\n  SELEC 2\n`'
    const d = await detectTs(code, 'ts')
    expect(d.syntaxErrors[0]?.line).toBe(4)
  })

  it('deduplicates reasons', async () => {
    const d = await detectTs("await redis.del('a')\nawait redis.del('b')", 'ts')
    expect(d.reasons).toEqual([`redis.del(…): ${writes('DEL')}`])
  })
})

describe('detect (dispatch)', () => {
  it.each([
    ['shell', 'systemctl restart excelapp-rails', true],
    ['shell', 'df -h', false],
    ['sql', 'DELETE FROM ai_usage_records', true],
    ['sql', 'SELECT 1', false],
    ['redis', 'FLUSHALL', true],
    ['redis', 'PING', false],
    ['ts', 'await $`docker restart formula-engine`', true],
    ['js', 'await $`free -h`', false],
  ] as const)('%s: %s', async (kind, code, destructive) => {
    expect((await detect(kind, code)).destructive).toBe(destructive)
  })
})
