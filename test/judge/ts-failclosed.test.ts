// The TS judge fails closed: every form of a TS step that can change the world without a call the
// judge knows is destructive at plan time ("cannot prove this is read-only: …"), and the read-only
// vocabulary of the library's steps stays read-only.
import { describe, expect, it } from 'vitest'
import { detectTs } from '../../src/runner/judge/ts.js'
import { msg } from '../../src/runner/terminal/messages/index.js'

const { ts } = msg.judge
const cannot = (why: string): string => ts.cannotProve(why)

/** [label, code, a reason it must give (exact text or pattern)] */
const attacks: [string, string, string | RegExp][] = [
  // `$`'s options
  ['$.prefix', "$.prefix = 'rm -f /tmp/canary;'\nawait $`df -h`", cannot(ts.setsZxOption('$.prefix'))],
  ['$.postfix', "$.postfix = ';rm -f /tmp/canary'\nawait $`df -h`", cannot(ts.setsZxOption('$.postfix'))],
  ['$.shell', "$.shell = '/usr/bin/python3'\nawait $`df -h`", cannot(ts.setsZxOption('$.shell'))],
  ['$.spawn', "$.spawn = (...a) => a\nawait $`df -h`", cannot(ts.setsZxOption('$.spawn'))],
  ['$.quote', '$.quote = (s) => s\nawait $`ls ${x}`', cannot(ts.setsZxOption('$.quote'))],
  ['$.env.BASH_ENV', "$.env.BASH_ENV = '/tmp/evil.sh'\nawait $`df -h`", cannot(ts.setsZxOption('$.env.BASH_ENV'))],
  ['$ with a prefix option', "await $({ prefix: 'rm -f x;' })`df -h`", cannot(ts.zxOptions('$()'))],
  ['$ with options from a value', 'const o = { prefix: "rm -f x;" }\nawait $(o)`df -h`', cannot(ts.zxOptions('$()'))],
  ['$ with a spread option', 'await $({ ...o })`df -h`', cannot(ts.zxOptions('$()'))],
  ['$.spawn called', "$.spawn('rm', ['-f', 'x'])", cannot(ts.notKnownRead('$.spawn()'))],
  ['$ aliased', 'const run = $\nawait run`rm -f x`', cannot(ts.passedOn('$'))],
  ['$ computed', "$[key] = 'rm -f x;'", cannot(ts.computedMember('$[…]'))],
  ['$ piped to a file', "await $`cat /etc/hostname`.pipe('/tmp/canary')", cannot(ts.pipeTarget('.pipe()'))],
  ['$ piped to a command', 'await $`echo hi`.pipe`rm -f /tmp/canary`', /rm/],
  ['$ command word from a value', 'const c = "rm"\nawait $`${c} -f /tmp/canary`', /\$`\$\{c\} -f \/tmp\/canary`/],
  // process
  ['process.getBuiltinModule', "process.getBuiltinModule('child_process').execSync('rm -f x')", cannot(ts.changesProcess('process.getBuiltinModule'))],
  ['process.binding', "process.binding('fs')", cannot(ts.changesProcess('process.binding'))],
  ['process.dlopen', 'process.dlopen(m, "/tmp/x.node")', cannot(ts.changesProcess('process.dlopen'))],
  ['process.chdir', "process.chdir('/')", cannot(ts.changesProcess('process.chdir'))],
  ['process.exit', 'process.exit(0)', cannot(ts.changesProcess('process.exit'))],
  ['process computed', "process[name]('fs')", cannot(ts.computedMember('process[…]'))],
  ['process aliased', 'const p = process\np.getBuiltinModule("fs")', cannot(ts.passedOn('process'))],
  ['process destructured', 'const { getBuiltinModule } = process', cannot(ts.passedOn('process'))],
  ['process.env written', "process.env.PATH = '/tmp/evil'", cannot(ts.changesProcess('process.env.PATH'))],
  ['process.kill', "process.kill(pid, 'SIGKILL')", ts.processKill],
  // fs
  ['const {rmSync} = fs', "const { rmSync } = fs\nrmSync('/tmp/canary')", cannot(ts.passedOn('fs'))],
  ['fs aliased', 'const f = fs.rmSync\nf("/tmp/canary")', ts.fsDeletes('fs.rmSync()')],
  ['fs passed', 'Reflect.apply(fs.writeFileSync, fs, ["/tmp/canary", ""])', ts.fsWrites('fs.writeFileSync()')],
  ['fs computed', "const name = ['rm', 'Sync'].join('')\nfs[name]('/tmp/canary')", cannot(ts.computedMember('fs[…]'))],
  ['fs.writeFileSync', "fs.writeFileSync('/tmp/canary', '')", ts.fsWrites('fs.writeFileSync()')],
  ['fs.promises.writeFile', "await fs.promises.writeFile('/tmp/canary', '')", ts.fsWrites('fs.writeFile()')],
  ['fs.createWriteStream', "fs.createWriteStream('/tmp/canary').end()", ts.fsWrites('fs.createWriteStream()')],
  ['fs.openSync w', "fs.openSync('/tmp/canary', 'w')", ts.fsOpenWrites('fs.openSync()')],
  ['fs.openSync flag from a value', "fs.openSync('/tmp/canary', flag)", ts.fsOpenWrites('fs.openSync()')],
  ['fs.createReadStream w', "fs.createReadStream('/tmp/canary', { flags: 'w' })", ts.fsOpenWrites('fs.createReadStream()')],
  ['fs.utimesSync', "fs.utimesSync('/tmp/canary', 0, 0)", ts.fsWrites('fs.utimesSync()')],
  ['fs.symlinkSync', "fs.symlinkSync('/etc', '/tmp/l')", ts.fsWrites('fs.symlinkSync()')],
  ['fs.renameSync', "fs.renameSync('/tmp/canary', '/tmp/x')", ts.fsWrites('fs.renameSync()')],
  ['fs.rmSync', "fs.rmSync('/tmp/canary')", ts.fsDeletes('fs.rmSync()')],
  ['fs monkey-patched', 'fs.readFileSync = fs.rmSync', cannot(ts.notKnownRead('fs.readFileSync'))],
  ['a computed member deeper in fs', 'const F = fs.readFileSync[k]\nF("return process")()', cannot(ts.computedMember('fs.readFileSync[…]'))],
  ['a member of an fs read function', 'const F = fs.readFileSync.bind(fs)', cannot(ts.notKnownRead('fs.readFileSync.bind'))],
  ['a computed member deeper in process', 'const x = process.versions[k]', cannot(ts.computedMember('process.versions[…]'))],
  ['fs unknown member', 'fs.somethingNew("/tmp/canary")', cannot(ts.notKnownRead('fs.somethingNew'))],
  ['fs computed from literals (folded by esbuild)', "fs['rm' + 'Sync']('/tmp/canary')", ts.fsDeletes('fs.rmSync()')],
  ['fs?.rmSync (optional chaining)', "fs?.rmSync('/tmp/canary')", ts.fsDeletes('fs.rmSync()')],
  ['(0, fs.rmSync)(…)', "(0, fs.rmSync)('/tmp/canary')", ts.fsDeletes('fs.rmSync()')],
  ['fs.rmSync.call', "fs.rmSync.call(null, '/tmp/canary')", ts.fsDeletes('fs.rmSync()')],
  ['setTimeout(fs.rmSync, …)', "setTimeout(fs.rmSync, 0, '/tmp/canary')", ts.fsDeletes('fs.rmSync()')],
  ['fs inside an array', "[fs].map((f) => f.rmSync('/tmp/canary'))", cannot(ts.passedOn('fs'))],
  ['Reflect.get(fs, …)', "Reflect.get(fs, 'rmSync')('/tmp/canary')", cannot(ts.passedOn('fs'))],
  ['Object.entries(fs)', 'for (const [k, f] of Object.entries(fs)) if (k === "rmSync") f("/tmp/canary")', cannot(ts.passedOn('fs'))],
  ['class extends Function', "new (class extends Function {})('return 1')", cannot(ts.codeFromString('Function'))],
  ['getPrototypeOf', 'const P = Object.getPrototypeOf(() => 0)', cannot(ts.prototypeTouch('.getPrototypeOf'))],
  ['$ called with an array', "await $(['rm -f /tmp/canary'] as any)", cannot(ts.zxOptions('$()'))],
  ['sql called as a function', "await sql(['DELETE FROM users'] as any)", cannot(ts.notKnownRead('sql()'))],
  ['fetch with a computed literal key', "await fetch(url, { ['method']: 'POST' })", ts.fetchRequest('POST')],
  ['process.on', "process.on('exit', () => 0)", cannot(ts.changesProcess('process.on'))],
  ['process.mainModule', 'process.mainModule.require("fs")', cannot(ts.changesProcess('process.mainModule'))],
  ['import.meta', 'const u = import.meta.url', cannot(ts.loadsModule('import.meta'))],
  // code from strings, modules, globals
  ['eval', "eval('fs.rmSync(\"/tmp/canary\")')", cannot(ts.codeFromString('eval'))],
  ['new Function', "new Function('return process')().exit()", cannot(ts.codeFromString('Function'))],
  ['Function()', "Function('return process')()", cannot(ts.codeFromString('Function'))],
  ['constructor of a function', "(() => 0).constructor('return process')()", cannot(ts.prototypeTouch('.constructor'))],
  ['constructor, computed literal', "(() => 0)['constructor']('return 1')()", cannot(ts.prototypeTouch('.constructor'))],
  ['__proto__', 'const o = {}\no.__proto__.shell = "/tmp/evil"', cannot(ts.prototypeTouch('.__proto__'))],
  ['prototype pollution', "Object.prototype.prefix = 'rm -f x;'", cannot(ts.prototypeTouch('.prototype'))],
  ['computed member called', 'const k = "constructor"\nconst f = () => 0\nf[k](`return 1`)()', cannot(ts.computedMember('f[…]()'))],
  ['require', "require('child_process').execSync('rm -f x')", cannot(ts.loadsModule('require'))],
  ['import()', "const cp = await import('node:child_process')", cannot(ts.loadsModule('import()'))],
  ['import declaration', "import { rmSync } from 'node:fs'\nrmSync('/tmp/canary')", cannot(ts.loadsModule('import'))],
  ['globalThis', "globalThis.process.getBuiltinModule('fs')", cannot(ts.globalObject('globalThis'))],
  ['global', 'global.process.exit()', cannot(ts.globalObject('global'))],
  ['Atomics', 'Atomics.store(a, 0, 1)', cannot(ts.sharedMemory('Atomics'))],
  ['SharedArrayBuffer', 'new SharedArrayBuffer(8)', cannot(ts.sharedMemory('SharedArrayBuffer'))],
  ['WebAssembly', 'WebAssembly.instantiate(bytes)', cannot(ts.sharedMemory('WebAssembly'))],
  ['the worker globals object', '__runbook.fs.rmSync("/tmp/canary")', cannot(ts.loadsModule('__runbook'))],
  ['an unknown real global', "new BroadcastChannel('x').postMessage(1)", cannot(ts.sharedMemory('BroadcastChannel'))],
  // redis
  ['redis.stream.write', "redis.stream.write('*1\\r\\n$8\\r\\nFLUSHALL\\r\\n')", cannot(ts.redisRaw('redis.stream'))],
  ['redis.connector', 'redis.connector.stream.write(x)', cannot(ts.redisRaw('redis.connector'))],
  ['redis aliased', 'const r = redis\nawait r.flushall()', cannot(ts.passedOn('redis'))],
  ['redis computed', "await redis[name]()", cannot(ts.computedMember('redis[…]'))],
  ['redis.call non-literal', 'await redis.call(cmd)', cannot(ts.redisCommandUnknown('redis.call(…)'))],
  ['redis.sendCommand', 'await redis.sendCommand(c)', cannot(ts.redisCommandUnknown('redis.sendCommand()'))],
  ['redis.duplicate', 'redis.duplicate().stream.write(x)', cannot(ts.redisRaw('redis.duplicate'))],
  ['redis.del', "await redis.del('k')", /DEL/],
  // fetch
  ['fetch POST', "await fetch(url, { method: 'POST', body: '{}' })", ts.fetchRequest('POST')],
  ['fetch PUT', "await fetch(url, { method: 'put' })", ts.fetchRequest('PUT')],
  ['fetch DELETE', "await fetch(url, { method: 'DELETE' })", ts.fetchRequest('DELETE')],
  ['fetch variable method', 'await fetch(url, { method: m })', cannot(ts.fetchMethodUnknown('fetch()'))],
  ['fetch init from a value', 'const init = { method: "DELETE" }\nawait fetch(url, init)', cannot(ts.fetchMethodUnknown('fetch()'))],
  ['fetch init spread', "await fetch(url, { ...opts, signal })", cannot(ts.fetchMethodUnknown('fetch()'))],
  ['fetch aliased', 'const f = fetch\nawait f(url, { method: "DELETE" })', cannot(ts.passedOn('fetch'))],
  ['new Request POST', "await fetch(new Request(url, { method: 'POST' }))", ts.fetchRequest('POST')],
  // others
  ['os.setPriority', 'os.setPriority(0, 19)', ts.osChanges('os.setPriority()')],
  ['sql aliased', 'const q = sql\nawait q`DELETE FROM users`', cannot(ts.passedOn('sql'))],
  ['sql.unsafe', "await sql.unsafe('DELETE FROM users')", cannot(ts.notKnownRead('sql.unsafe'))],
]

/** Read-only forms the library's steps use (and close relatives): they stay read-only. */
const reads: [string, string][] = [
  ['fetch GET with a timeout', 'const res = await fetch(`${env.APP_URL}/up`, { signal: AbortSignal.timeout(3000) })\ncheck("up", res.status === 200)'],
  ['fetch HEAD', "await fetch(url, { method: 'HEAD' })"],
  ['fetch then', 'const s = await fetch(`${env.APP_URL}/up`).then((r) => r.status, () => 0)'],
  ['fs reads', "const t = await fs.readFile('/etc/hosts', 'utf8')\nconst e = await fs.pathExists('/tmp/x')\nconst s = await fs.stat('/tmp')\nconst l = await fs.readdir('/tmp')"],
  ['fs.promises reads', "await fs.promises.readFile('/etc/hostname', 'utf8')\nawait fs.promises.stat('/')"],
  ['fs.createReadStream', "const rl = fs.createReadStream('/var/log/syslog', { encoding: 'utf8' })\nfor await (const chunk of rl) note(String(chunk).length)"],
  ['fs.openSync r', "const fd = fs.openSync('/etc/hostname', 'r')\nfs.closeSync(fd)"],
  ['fs read passed as callback', "const texts = ['/etc/hostname'].map((f) => fs.readFileSync(f, 'utf8'))"],
  ['$ with nothrow', 'const out = (await $`ps aux | grep -E "(rails|puma)" | grep -v grep`.nothrow()).stdout'],
  ['$ with cwd option', "await $({ cwd: '/srv/app', nothrow: true })`git status`"],
  ['$.sync', 'const r = $.sync`df -h`'],
  ['$.verbose set', '$.verbose = false\nawait $`df -h`'],
  ['$ reading cwd', 'note(String($.cwd))'],
  ['$ piped to $', 'await $`cat /etc/hostname`.pipe($`wc -c`)'],
  ['process reads', "const home = process.env.HOME\nconst cwd = process.cwd()\nconst p = process.platform\nconst t = process.hrtime.bigint()\nprocess.stdout.write('x\\n')"],
  ['process.env by a computed name', "const key = 'HOME'\nconst v = process.env[key]"],
  ['process.kill 0', 'try { process.kill(Number(state.pid), 0) } catch {}'],
  ['redis reads', "check('PING', (await redis.ping()) === 'PONG')\nconst [next, keys] = await redis.scan('0', 'MATCH', 'x:*', 'COUNT', 1000)\nconst v = await redis.get('k').then(String)"],
  ['sql with begin', 'await sql.begin(async () => { await sql`SELECT 1` })'],
  ['step globals', "note('x')\ntable([{ a: 1 }])\nstate.x = 1\nawait sleep(1)\nawait retry(2, () => 1)\nconst y = YAML.parse('a: 1')\nconst p = path.join('/a', 'b')\nconst g = await glob('/tmp/*')\nconst c = chalk.red('x')\nconst ok = await confirm('go?')\nconst h = os.hostname()\nconst w = await which('df')\ncd('/tmp')\nawait within(async () => 1)"],
  ['plain JS', "const rows = [1, 2].map((n) => ({ n }))\nconst o = Object.assign({}, { a: 1 })\nconst k = 'a'\nconst v = o[k]\nconst d = new Date().toISOString()\nconst re = /x/.exec('x')\nconsole.log(JSON.stringify(rows), v, d, re)\nclass A { x = 1; m() { return this.x } }\nnew A().m()"],
  ['a local named like a worker name is still a local', 'function visit(dir: string): number { return dir.length }\nvisit("/tmp")'],
  ['undeclared names only throw', 'console.log(notDefinedAnywhere)'],
]

describe('detectTs fails closed', () => {
  it.each(attacks)('%s → destructive', async (_label, code, reason) => {
    const d = await detectTs(code, 'ts')
    expect(d.syntaxErrors).toEqual([])
    expect(d.destructive).toBe(true)
    if (typeof reason === 'string') expect(d.reasons).toContain(reason)
    else expect(d.reasons.join('\n')).toMatch(reason)
  })

  it.each(reads)('%s → read-only', async (_label, code) => {
    const d = await detectTs(code, 'ts')
    expect(d.syntaxErrors).toEqual([])
    expect(d.reasons).toEqual([])
    expect(d.destructive).toBe(false)
  })

  it('says why in the English catalogue too', () => {
    expect(msg.judge.ts.cannotProve('x')).toBeTruthy()
  })
})
