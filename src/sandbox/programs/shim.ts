// The simulated host's commands: `node shim.mjs SANDBOX_DIR COMMAND ARGS…`, called by the small
// scripts in .sandbox/bin that come first on PATH in --sandbox runs. Production commands act on
// the stand-ins and on .sandbox/host/host.json instead of the machine, and say `(sandbox)` for
// what they simulate (on stderr for read-only commands, so their output parses as the real one).
// Nothing here touches the host outside the sandbox folder: no real systemctl, apt, crontab,
// sysctl, docker or aws is ever called.
import { spawnSync } from 'node:child_process'
import { appendFileSync, copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createGzip } from 'node:zlib'
import { pipeline } from 'node:stream/promises'
import { createWriteStream } from 'node:fs'
import { activeFaults, formatDf, formatFree, formatPs, formatTop, formatUptime, memoryFigures, readHostState, recordHistory, updateHostState, type HostState } from '../host.js'
import { isInside } from '../paths.js'
import { readStandin, restartStandin, runningStandin, startStandin, stopStandin, type Role } from '../standins.js'

const [root, command, ...argv] = process.argv.slice(2) as [string, string, ...string[]]
// `… | head` closes the pipe early: end quietly, as the real commands do.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1))
const BIN = path.join(root, 'bin')
const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`)
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`)
/** A simulated action: said on stdout, recorded in the host's history. */
const did = (s: string) => {
  out(`(sandbox) ${s}`)
  recordHistory(root, `${command} ${argv.join(' ')}`.trim())
}
/** A simulated read: the marker goes to stderr so pipes see the real format. */
const simulated = (what: string) => err(`(sandbox) ${what}`)
const notSimulated = (what: string): number => {
  err(`(sandbox) ${what} is not simulated in the sandbox; nothing was run`)
  return 1
}

function envFile(): Record<string, string> {
  try {
    const text = readFileSync(path.join(root, 'env'), 'utf8')
    const values: Record<string, string> = {}
    for (const line of text.split('\n')) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
      if (m) values[m[1]!] = m[2]!.replace(/^'(.*)'$/, '$1')
    }
    return values
  } catch {
    return {}
  }
}
const sandboxEnv = (name: string) => process.env[name] || envFile()[name]

/** The next program of that name on PATH after the shim folder (for pass-through). */
function realProgram(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || path.resolve(dir) === BIN) continue
    const file = path.join(dir, name)
    try {
      if (statSync(file).isFile()) return file
    } catch {
      // not here
    }
  }
  return undefined
}

function passThrough(name: string, args: string[]): number {
  const real = realProgram(name)
  if (!real) {
    err(`${name}: command not found`)
    return 127
  }
  const r = spawnSync(real, args, { stdio: 'inherit' })
  return r.status ?? 1
}

const tmpRoots = [os.tmpdir(), '/tmp', '/var/tmp'].map((d) => path.resolve(d))
function writableHere(p: string): boolean {
  const abs = path.resolve(p)
  return isInside(abs, root) || tmpRoots.some((t) => isInside(abs, t))
}

const unit = (u: string | undefined) => (u ?? '').replace(/\.service$/, '')
const KNOWN_UNITS: Record<string, string> = {
  'excelapp-rails': 'ExcelApp Rails (puma)',
  nginx: 'A high performance web server and a reverse proxy server',
  'formula-engine': 'FormulaEngine (docker container formula-engine)',
  'solid-queue': 'ExcelApp background jobs (solid_queue)',
  postgresql: 'PostgreSQL RDBMS',
  'redis-server': 'Advanced key-value store',
}

function ago(iso: string): string {
  const s = Math.max(1, Math.round((Date.now() - Date.parse(iso)) / 1000))
  if (s < 120) return `${s}s ago`
  if (s < 7200) return `${Math.round(s / 60)}min ago`
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`
  return `${Math.round(s / 86_400)} days ago`
}

async function restartRails(): Promise<string> {
  updateHostState(root, (s) => {
    delete s.faults['slow-app']
    delete s.faults['memory-pressure']
    s.memory.workerMb = 780
    s.memory.cacheMb = Math.max(s.memory.cacheMb, 1200)
    s.services['excelapp-rails'] = { active: true, since: new Date().toISOString() }
  })
  const info = await restartStandin(root, 'app')
  return `app stand-in pid ${info.pid} on 127.0.0.1:${info.port}`
}

async function restartFormulaEngine(): Promise<string> {
  updateHostState(root, (s) => {
    delete s.faults['formula-engine-down']
    s.services['formula-engine'] = { active: true, since: new Date().toISOString() }
  })
  appendFileSync(path.join(root, 'log', 'formula_engine.log'), `${new Date().toISOString()} INFO  [formula-engine] listening on :3002 (workers=4, version=2.4.1)\n`)
  const info = await restartStandin(root, 'formula-engine')
  return `FormulaEngine stand-in pid ${info.pid} on 127.0.0.1:${info.port}`
}

async function setService(name: string, active: boolean): Promise<void> {
  updateHostState(root, (s) => {
    s.services[name] = { active, since: new Date().toISOString() }
  })
  const role: Role | undefined = name === 'excelapp-rails' ? 'app' : name === 'formula-engine' ? 'formula-engine' : undefined
  if (!role) return
  if (active) {
    const port = readStandin(root, role)?.port
    if (port) await startStandin(root, role, port)
  } else await stopStandin(root, role)
}

function unitStatus(state: HostState, name: string): string {
  const svc = state.services[name] ?? { active: true, since: state.bootedAt }
  const role: Role | undefined = name === 'excelapp-rails' ? 'app' : name === 'formula-engine' ? 'formula-engine' : undefined
  const running = role ? Boolean(runningStandin(root, role)) : svc.active
  const since = new Date(svc.since)
  const active = running && svc.active ? `active (running) since ${since.toString().slice(0, 24)}; ${ago(svc.since)}` : `inactive (dead) since ${since.toString().slice(0, 24)}; ${ago(svc.since)}`
  const mem = name === 'excelapp-rails' ? `${((state.memory.workers * state.memory.workerMb + 160) / 1024).toFixed(1)}G` : '112.4M'
  const lines = [
    `${running && svc.active ? '●' : '○'} ${name}.service - ${KNOWN_UNITS[name] ?? name}`,
    `     Loaded: loaded (/etc/systemd/system/${name}.service; enabled; preset: enabled)`,
    `     Active: ${active}`,
  ]
  if (running && svc.active) lines.push(`     Memory: ${mem}`, `     CGroup: /system.slice/${name}.service`)
  if (name === 'formula-engine' && state.faults['formula-engine-down']) lines.push('     Status: "container unhealthy: /health answers 503"')
  return lines.join('\n')
}

async function systemctl(args: string[]): Promise<number> {
  const positional = args.filter((a) => !a.startsWith('-'))
  const [verb = 'list-units', ...units] = positional
  const state = readHostState(root)
  if (verb === 'list-units' || verb === 'list-unit-files') {
    simulated('simulated units of the sandbox host')
    out('  UNIT                      LOAD   ACTIVE SUB     DESCRIPTION')
    for (const name of Object.keys(KNOWN_UNITS)) {
      const a = state.services[name]?.active ?? true
      out(`  ${`${name}.service`.padEnd(25)} loaded ${a ? 'active  running' : 'inactive dead  '} ${KNOWN_UNITS[name]}`)
    }
    return 0
  }
  if (['daemon-reload', 'daemon-reexec'].includes(verb)) {
    did(`systemctl ${verb} (simulated)`)
    return 0
  }
  if (units.length === 0) {
    err(`Too few arguments.`)
    return 1
  }
  let code = 0
  for (const raw of units) {
    const name = unit(raw)
    if (!KNOWN_UNITS[name]) {
      err(`${['status', 'is-active', 'is-enabled', 'show', 'cat'].includes(verb) ? 'Unit' : `Failed to ${verb} ${name}.service: Unit`} ${name}.service could not be found.`)
      code = verb === 'status' ? 4 : 5
      continue
    }
    const svc = state.services[name] ?? { active: true, since: state.bootedAt }
    const role: Role | undefined = name === 'excelapp-rails' ? 'app' : name === 'formula-engine' ? 'formula-engine' : undefined
    const active = svc.active && (!role || Boolean(runningStandin(root, role)))
    switch (verb) {
      case 'status':
        out(unitStatus(state, name))
        simulated(`simulated unit ${name}`)
        if (!active) code = 3
        break
      case 'is-active':
        out(active ? 'active' : 'inactive')
        if (!active) code = 3
        break
      case 'is-enabled':
        out('enabled')
        break
      case 'is-failed':
        out(active ? 'active' : 'failed')
        if (active) code = 1
        break
      case 'show':
        out(`Id=${name}.service\nActiveState=${active ? 'active' : 'inactive'}\nSubState=${active ? 'running' : 'dead'}\nActiveEnterTimestamp=${new Date(svc.since).toString()}`)
        break
      case 'restart':
      case 'try-restart':
      case 'reload-or-restart':
      case 'force-reload':
        if (name === 'excelapp-rails') did(`restarted excelapp-rails: puma workers replaced; ${await restartRails()}`)
        else if (name === 'formula-engine') did(`restarted formula-engine; ${await restartFormulaEngine()}`)
        else {
          await setService(name, true)
          did(`restarted ${name} (simulated)`)
        }
        break
      case 'start':
        await setService(name, true)
        did(`started ${name}`)
        break
      case 'stop':
        await setService(name, false)
        did(`stopped ${name}${role ? ` (the ${role} stand-in no longer answers)` : ''}`)
        break
      case 'reload':
        if (!active) {
          err(`${name}.service is not active, cannot reload.`)
          code = 1
          break
        }
        did(`reloaded ${name}${name === 'excelapp-rails' ? ' (phased restart of the puma workers)' : ''}`)
        break
      case 'enable':
      case 'disable':
      case 'mask':
      case 'unmask':
        did(`${verb}d ${name} (simulated)`)
        break
      default:
        code = notSimulated(`systemctl ${verb}`)
    }
  }
  return code
}

// ---------------------------------------------------------------------------------------------

const CONTAINER = 'formula-engine'

function containerState(state: HostState): { running: boolean; health: string; status: string } {
  const running = Boolean(runningStandin(root, 'formula-engine')) && (state.services[CONTAINER]?.active ?? true)
  const since = state.services[CONTAINER]?.since ?? state.bootedAt
  if (!running) return { running, health: 'none', status: `Exited (0) ${ago(since)}` }
  const health = state.faults['formula-engine-down'] ? 'unhealthy' : 'healthy'
  return { running, health, status: `Up ${ago(since).replace(' ago', '')} (${health})` }
}

function inspectObject(state: HostState): Record<string, unknown> {
  const c = containerState(state)
  const port = readStandin(root, 'formula-engine')?.port ?? 3002
  return {
    Id: '3f9c2a1b7d4e8f60a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef01',
    Name: `/${CONTAINER}`,
    State: {
      Status: c.running ? 'running' : 'exited',
      Running: c.running,
      ExitCode: 0,
      StartedAt: state.services[CONTAINER]?.since,
      Health: { Status: c.health, FailingStreak: state.faults['formula-engine-down'] ? 7 : 0 },
    },
    Config: { Image: 'excelapp/formula-engine:2.4.1', Env: ['NODE_ENV=production', 'PORT=3002'] },
    RestartCount: 0,
    HostConfig: { RestartPolicy: { Name: 'unless-stopped' }, Memory: 2147483648 },
    NetworkSettings: { Ports: { '3002/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  }
}

function goTemplate(template: string, obj: Record<string, unknown>): string {
  return template.replace(/\{\{\s*(json\s+)?\.([\w.]*)\s*\}\}/g, (_m, json: string | undefined, p: string) => {
    let v: unknown = obj
    for (const k of p.split('.').filter(Boolean)) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined
    return json || (v && typeof v === 'object') ? JSON.stringify(v) : v === undefined ? '<no value>' : String(v)
  })
}

function optionValue(args: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    for (const n of names) {
      if (a === n) return args[i + 1]
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1)
    }
  }
  return undefined
}

async function docker(args: string[]): Promise<number> {
  const [verb, ...rest] = args
  const state = readHostState(root)
  const names = rest.filter((a, i) => !a.startsWith('-') && !['--tail', '-n', '--since', '--format', '-f', '--filter', '--time', '-t'].includes(rest[i - 1] ?? ''))
  const needContainer = (): boolean => {
    const bad = names.find((n) => n !== CONTAINER && n !== '3f9c2a1b7d4e')
    if (bad || names.length === 0) {
      err(`Error response from daemon: No such container: ${bad ?? ''}`)
      return false
    }
    return true
  }
  switch (verb) {
    case 'ps': {
      const c = containerState(state)
      const all = rest.includes('-a') || rest.includes('--all')
      const port = readStandin(root, 'formula-engine')?.port ?? 3002
      const rows = c.running || all ? [{ ID: '3f9c2a1b7d4e', Image: 'excelapp/formula-engine:2.4.1', Command: '"docker-entrypoint.s…"', CreatedAt: '3 weeks ago', Status: c.status, Ports: c.running ? `127.0.0.1:${port}->3002/tcp` : '', Names: CONTAINER, State: c.running ? 'running' : 'exited' }] : []
      const format = optionValue(rest, '--format')
      if (format) {
        const tpl = format.replace(/^table\s+/, '')
        if (format.startsWith('table')) out(tpl.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, k: string) => k.toUpperCase()))
        for (const r of rows) out(goTemplate(tpl, r))
      } else {
        out('CONTAINER ID   IMAGE                           COMMAND                  CREATED       STATUS                     PORTS                       NAMES')
        for (const r of rows) out(`${r.ID}   ${r.Image.padEnd(31)} ${r.Command.padEnd(24)} ${r.CreatedAt.padEnd(13)} ${r.Status.padEnd(26)} ${r.Ports.padEnd(27)} ${r.Names}`)
      }
      simulated('simulated containers of the sandbox host')
      return 0
    }
    case 'logs': {
      if (!needContainer()) return 1
      const file = path.join(root, 'log', 'formula_engine.log')
      const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l, i, a) => l !== '' || i < a.length - 1) : []
      const tail = optionValue(rest, '--tail', '-n')
      const shown = tail && tail !== 'all' ? lines.slice(-Number(tail)) : lines
      out(shown.join('\n'))
      if (rest.includes('-f') || rest.includes('--follow')) simulated('docker logs -f: showed the log so far (a step cannot follow forever)')
      simulated(`the FormulaEngine stand-in's log (${file})`)
      return 0
    }
    case 'restart':
      if (!needContainer()) return 1
      out(CONTAINER)
      did(`restarted container formula-engine; ${await restartFormulaEngine()}`)
      return 0
    case 'stop':
    case 'kill':
      if (!needContainer()) return 1
      await setService(CONTAINER, false)
      out(CONTAINER)
      did(`${verb === 'kill' ? 'killed' : 'stopped'} container formula-engine (the FormulaEngine stand-in no longer answers)`)
      return 0
    case 'start':
      if (!needContainer()) return 1
      updateHostState(root, (s) => {
        s.services[CONTAINER] = { active: true, since: new Date().toISOString() }
      })
      await setService(CONTAINER, true)
      out(CONTAINER)
      did('started container formula-engine')
      return 0
    case 'inspect': {
      if (!needContainer()) return 1
      const obj = inspectObject(state)
      const format = optionValue(rest, '--format', '-f')
      out(format ? goTemplate(format, obj) : JSON.stringify([obj], null, 4))
      simulated('simulated container')
      return 0
    }
    case 'images':
      out('REPOSITORY                 TAG       IMAGE ID       CREATED       SIZE\nexcelapp/formula-engine    2.4.1     9b1c0de4a2f1   3 weeks ago   412MB\nexcelapp-rails             latest    51e0a9c3d7b2   6 days ago    1.21GB')
      simulated('simulated images')
      return 0
    case 'stats': {
      const c = containerState(state)
      out('CONTAINER ID   NAME             CPU %     MEM USAGE / LIMIT   MEM %     NET I/O         BLOCK I/O   PIDS')
      if (c.running) out(`3f9c2a1b7d4e   formula-engine   ${state.faults['formula-engine-down'] ? '0.02%' : '1.87%'}     ${state.faults['formula-engine-down'] ? '1.96GiB' : '350MiB'} / 2GiB   ${state.faults['formula-engine-down'] ? '98.1%' : '17.1%'}     1.2GB / 980MB   0B / 0B     23`)
      simulated('simulated container stats')
      return 0
    }
    case 'scan':
      out(`Testing ${names[0] ?? 'excelapp-rails:latest'}...\n\nOrganization:      excelapp\nPackage manager:   deb\nProject name:      docker-image|${(names[0] ?? 'excelapp-rails').split(':')[0]}\nDocker image:      ${names[0] ?? 'excelapp-rails:latest'}\nPlatform:          linux/amd64\n\n✔ Tested 312 dependencies for known issues, no vulnerable paths found.`)
      simulated('simulated image scan')
      return 0
    case 'info':
    case 'version':
      out('Server: Docker Engine - Community\n Version:    24.0.7 (sandbox)\nContainers: 1\n Running: 1')
      simulated('simulated docker')
      return 0
    default:
      return notSimulated(`docker ${verb ?? ''}`.trim())
  }
}

// ---------------------------------------------------------------------------------------------

async function sysctl(args: string[]): Promise<number> {
  const valueOnly = args.some((a) => /^-[a-zA-Z]*n/.test(a))
  const write = args.some((a) => /^-[a-zA-Z]*w/.test(a) || a === '--write')
  const positional = args.filter((a) => !a.startsWith('-'))
  if (args.some((a) => /^-[a-zA-Z]*p/.test(a) || a === '--load' || a === '--system')) {
    did('loaded kernel settings (simulated; the real kernel is unchanged)')
    return 0
  }
  if (args.some((a) => /^-[a-zA-Z]*a/.test(a) || a === '--all')) {
    const state = readHostState(root)
    for (const [k, v] of Object.entries(state.sysctl).sort()) out(`${k} = ${v}`)
    simulated('simulated kernel settings')
    return 0
  }
  let code = 0
  for (const p of positional) {
    const eq = p.indexOf('=')
    if (eq !== -1 || write) {
      if (eq === -1) {
        err(`sysctl: "${p}" must be of the form name=value`)
        code = 1
        continue
      }
      const key = p.slice(0, eq).trim().replace(/\//g, '.')
      const value = p.slice(eq + 1).trim()
      let effect = ''
      const state = updateHostState(root, (s) => {
        s.sysctl[key] = value
        if (key === 'vm.drop_caches' && ['1', '2', '3'].includes(value)) {
          const before = memoryFigures(s)
          if (value !== '2') s.memory.cacheMb = Math.min(s.memory.cacheMb, 180)
          if (value !== '1') s.memory.slabMb = Math.min(s.memory.slabMb, 90)
          const after = memoryFigures(s)
          effect = `; page cache dropped: buff/cache ${before.cacheMb} → ${after.cacheMb} MiB, used ${before.usedPercent}% → ${after.usedPercent}%`
        }
      })
      void state
      out(`${key} = ${value}`)
      did(`set ${key}=${value} on the simulated host${effect}`)
      continue
    }
    const key = p.replace(/\//g, '.')
    const state = readHostState(root)
    let value = state.sysctl[key]
    if (value === undefined) {
      try {
        value = readFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8').trim()
      } catch {
        err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory`)
        code = 255
        continue
      }
    }
    out(valueOnly ? value : `${key} = ${value}`)
  }
  if (code === 0 && !write && positional.every((p) => !p.includes('='))) simulated('simulated kernel settings')
  return code
}

function apt(args: string[]): number {
  const positional = args.filter((a) => !a.startsWith('-'))
  const [verb, ...pkgs] = positional
  const simulate = args.some((a) => ['-s', '--simulate', '--dry-run', '--just-print', '--no-act'].includes(a))
  const state = readHostState(root)
  switch (verb) {
    case 'update':
      out('Hit:1 http://deb.debian.org/debian bookworm InRelease\nGet:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]\nGet:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]\nFetched 103 kB in 1s (98.2 kB/s)\nReading package lists... Done')
      if (command === 'apt') out(state.packages.upgradable.length > 0 ? `${state.packages.upgradable.length} packages can be upgraded. Run 'apt list --upgradable' to see them.` : 'All packages are up to date.')
      updateHostState(root, (s) => {
        s.packages.lastUpdate = new Date().toISOString()
      })
      did('package lists updated (simulated; the real host is unchanged)')
      return 0
    case 'list':
      if (args.includes('--upgradable')) {
        out('Listing... Done')
        for (const p of state.packages.upgradable) out(`${p.name}/${p.suite} ${p.to} amd64 [upgradable from: ${p.from}]`)
        simulated('simulated pending updates of the sandbox host')
        return 0
      }
      return notSimulated(`${command} list ${args.filter((a) => a !== 'list').join(' ')}`.trim())
    case 'upgrade':
    case 'dist-upgrade':
    case 'full-upgrade': {
      const list = state.packages.upgradable
      out('Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\nCalculating upgrade... Done')
      if (list.length === 0) {
        out('0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.')
        did('nothing to upgrade')
        return 0
      }
      out(`The following packages will be upgraded:\n  ${list.map((p) => p.name).join(' ')}\n${list.length} upgraded, 0 newly installed, 0 to remove and 0 not upgraded.`)
      if (simulate) {
        for (const p of list) out(`Inst ${p.name} [${p.from}] (${p.to} Debian:12/${p.suite} [amd64])`)
        simulated('apt -s: nothing changed')
        return 0
      }
      for (const p of list) out(`Unpacking ${p.name} (${p.to}) over (${p.from}) ...\nSetting up ${p.name} (${p.to}) ...`)
      updateHostState(root, (s) => {
        s.packages.upgradable = []
        s.packages.lastUpgrade = new Date().toISOString()
      })
      did(`upgraded ${list.length} packages on the simulated host (the real host is unchanged)`)
      return 0
    }
    case 'install':
    case 'reinstall':
    case 'remove':
    case 'purge':
    case 'autoremove':
      if (simulate) {
        simulated(`${command} -s ${verb}: nothing changed`)
        return 0
      }
      did(`${verb} ${pkgs.join(' ')} on the simulated host (the real host is unchanged)`)
      return 0
    default:
      return notSimulated(`${command} ${verb ?? ''}`.trim())
  }
}

// ---------------------------------------------------------------------------------------------

function s3Path(uri: string): string | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri)
  if (!m) return undefined
  const file = path.join(root, 's3', m[1]!, m[2]!)
  return isInside(file, path.join(root, 's3', m[1]!)) ? file : undefined
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  if (!statSync(dir).isDirectory()) return [dir]
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort()
}

function lsDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

function humanBytes(n: number): string {
  const units = ['Bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

function aws(args: string[]): number {
  const positional = args.filter((a, i) => !a.startsWith('-') && !['--profile', '--region', '--storage-class', '--sse', '--exclude', '--include', '--endpoint-url', '--output', '--query', '--acl'].includes(args[i - 1] ?? ''))
  const [service, op, ...paths] = positional
  if (args.includes('--version')) {
    out('aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12 (sandbox)')
    return 0
  }
  if (service === 'sts' && op === 'get-caller-identity') {
    out(JSON.stringify({ UserId: 'AIDASANDBOXEXAMPLE', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/excelapp-backup' }, null, 4))
    simulated('simulated AWS identity')
    return 0
  }
  if (service !== 's3') return notSimulated(`aws ${service ?? ''} ${op ?? ''}`.trim())
  const recursive = args.includes('--recursive')
  const dryRun = args.includes('--dryrun') || args.includes('--dry-run')
  const show = (p: string) => (p.startsWith(root) ? p : p)
  switch (op) {
    case 'ls': {
      const target = paths[0]
      if (!target) {
        for (const b of existsSync(path.join(root, 's3')) ? readdirSync(path.join(root, 's3')) : []) out(`${lsDate(statSync(path.join(root, 's3', b)).mtime)} ${b}`)
        simulated(`the local folder ${path.join(root, 's3')} plays S3`)
        return 0
      }
      const local = s3Path(target)
      if (!local) {
        err(`aws: bad S3 URI ${target}`)
        return 255
      }
      const bucketRoot = path.join(root, 's3', /^s3:\/\/([^/]+)/.exec(target)![1]!)
      const human = args.includes('--human-readable')
      let total = 0
      let count = 0
      if (recursive) {
        for (const f of listFiles(local.endsWith('/') || (existsSync(local) && statSync(local).isDirectory()) ? local : path.dirname(local)).filter((f) => f.startsWith(local))) {
          const st = statSync(f)
          total += st.size
          count++
          out(`${lsDate(st.mtime)} ${(human ? humanBytes(st.size) : String(st.size)).padStart(10)} ${path.relative(bucketRoot, f)}`)
        }
      } else {
        const dir = target.endsWith('/') || target.match(/^s3:\/\/[^/]+$/) ? local : path.dirname(local)
        const prefix = target.endsWith('/') || target.match(/^s3:\/\/[^/]+$/) ? '' : path.basename(local)
        if (!existsSync(dir)) {
          if (args.includes('--summarize')) out('\nTotal Objects: 0\n   Total Size: 0')
          return 1
        }
        for (const name of readdirSync(dir).sort()) {
          if (!name.startsWith(prefix)) continue
          const st = statSync(path.join(dir, name))
          if (st.isDirectory()) out(`                           PRE ${name}/`)
          else {
            total += st.size
            count++
            out(`${lsDate(st.mtime)} ${(human ? humanBytes(st.size) : String(st.size)).padStart(10)} ${name}`)
          }
        }
      }
      if (args.includes('--summarize')) out(`\nTotal Objects: ${count}\n   Total Size: ${human ? humanBytes(total) : total}`)
      simulated(`the local folder ${path.join(root, 's3')} plays S3`)
      return 0
    }
    case 'cp':
    case 'mv':
    case 'sync': {
      const [src, dst] = paths
      if (!src || !dst) {
        err(`usage: aws s3 ${op} <source> <destination>`)
        return 252
      }
      const srcLocal = src.startsWith('s3://') ? s3Path(src) : path.resolve(src)
      const dstLocal = dst.startsWith('s3://') ? s3Path(dst) : path.resolve(dst)
      if (!srcLocal || !dstLocal) {
        err('aws: bad S3 URI')
        return 255
      }
      if (!dst.startsWith('s3://') && !writableHere(dstLocal)) {
        err(`(sandbox) refusing to write ${dstLocal}: outside the sandbox folder (safety rule 5)`)
        return 1
      }
      if (op === 'mv' && !src.startsWith('s3://') && !writableHere(srcLocal)) {
        err(`(sandbox) refusing to move ${srcLocal}: outside the sandbox folder (safety rule 5)`)
        return 1
      }
      const verbWord = (from: string, to: string) => (from.startsWith('s3://') && to.startsWith('s3://') ? 'copy' : from.startsWith('s3://') ? 'download' : 'upload')
      const pairs: [string, string, string, string][] = []
      if (op === 'sync' || recursive) {
        for (const f of listFiles(srcLocal)) {
          const rel = path.relative(srcLocal, f)
          pairs.push([f, path.join(dstLocal, rel), src.replace(/\/?$/, '/') + rel, dst.replace(/\/?$/, '/') + rel])
        }
      } else {
        if (!existsSync(srcLocal) || statSync(srcLocal).isDirectory()) {
          err(`The user-provided path ${src} does not exist.`)
          return 1
        }
        const toDir = dst.endsWith('/') || (existsSync(dstLocal) && statSync(dstLocal).isDirectory())
        const target = toDir ? path.join(dstLocal, path.basename(srcLocal)) : dstLocal
        pairs.push([srcLocal, target, src, toDir ? dst.replace(/\/?$/, '/') + path.basename(srcLocal) : dst])
      }
      let n = 0
      for (const [from, to, fromShown, toShown] of pairs) {
        if (op === 'sync' && existsSync(to) && statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs) continue
        out(`${dryRun ? '(dryrun) ' : ''}${op === 'mv' ? 'move' : verbWord(src, dst)}: ${show(fromShown)} to ${toShown}`)
        if (!dryRun) {
          mkdirSync(path.dirname(to), { recursive: true })
          copyFileSync(from, to)
          if (op === 'mv') rmSync(from)
        }
        n++
      }
      if (op === 'sync' && args.includes('--delete')) {
        const wanted = new Set(pairs.map(([, to]) => to))
        for (const f of listFiles(dstLocal)) {
          if (wanted.has(f)) continue
          if (!dst.startsWith('s3://') && !writableHere(f)) continue
          out(`${dryRun ? '(dryrun) ' : ''}delete: ${dst.replace(/\/?$/, '/') + path.relative(dstLocal, f)}`)
          if (!dryRun) rmSync(f)
          n++
        }
      }
      if (!dryRun && n > 0) recordHistory(root, `aws s3 ${op} ${src} ${dst}`)
      simulated(`${n} object(s); the local folder ${path.join(root, 's3')} plays S3`)
      return 0
    }
    case 'rm': {
      const target = paths[0]
      const local = target ? s3Path(target) : undefined
      if (!target || !local) {
        err('aws: bad S3 URI')
        return 255
      }
      const files = recursive ? listFiles(local) : existsSync(local) && statSync(local).isFile() ? [local] : []
      const bucketRoot = path.join(root, 's3', /^s3:\/\/([^/]+)/.exec(target)![1]!)
      for (const f of files) {
        out(`${dryRun ? '(dryrun) ' : ''}delete: s3://${path.basename(bucketRoot)}/${path.relative(bucketRoot, f)}`)
        if (!dryRun) rmSync(f)
      }
      if (!dryRun && files.length > 0) recordHistory(root, `aws s3 rm ${target}`)
      simulated(`the local folder ${path.join(root, 's3')} plays S3`)
      return 0
    }
    case 'mb':
      mkdirSync(path.join(root, 's3', (paths[0] ?? '').replace(/^s3:\/\//, '').split('/')[0]!), { recursive: true })
      did(`make_bucket: ${paths[0]}`)
      return 0
    default:
      return notSimulated(`aws s3 ${op ?? ''}`.trim())
  }
}

// ---------------------------------------------------------------------------------------------

function bundlerAudit(args: string[]): number {
  if (args.includes('--update') || args.includes('update')) out('Updating ruby-advisory-db ...\nUpdated ruby-advisory-db\nruby-advisory-db:\n  advisories:\t1002 advisories\n  last updated:\t' + new Date().toISOString().slice(0, 10))
  out('No vulnerabilities found')
  simulated('simulated bundler-audit over the sandbox app\'s Gemfile.lock')
  return 0
}

function brakeman(): number {
  out(`== Brakeman Report ==

Application Path: /home/deploy/excelapp-rails
Rails Version: 8.0.1
Brakeman Version: 6.2.2
Scan Date: ${lsDate(new Date())} ${new Date().toTimeString().slice(9, 14)}
Duration: 4.21 seconds
Checks Run: BasicAuth, CSRFTokenForgeryCVE, ContentTag, CookieSerialization, CreateWith, CrossSiteScripting, DefaultRoutes, Deserialize, DetailedExceptions, DigestDoS, DynamicFinders, EOLRails, EOLRuby, EscapeFunction, Evaluation, Execute, FileAccess, FileDisclosure, ForgerySetting, HeaderDoS, I18nXSS, JRubyXML, JSONEncoding, JSONEntityEscape, JSONParsing, LinkTo, LinkToHref, MailTo, MassAssignment, MimeTypeDoS, ModelAttrAccessible, ModelAttributes, ModelSerialize, NestedAttributes, NestedAttributesBypass, NumberToCurrency, PageCachingCVE, Pathname, PermitAttributes, QuoteTableName, Ransack, Redirect, RegexDoS, Render, RenderDoS, RenderInline, ResponseSplitting, RouteDoS, SQL, SQLCVEs, SSLVerify, SafeBufferManipulation, SanitizeConfigCve, SanitizeMethods, SelectTag, SelectVulnerability, Send, SendFile, SessionManipulation, SessionSettings, SimpleFormat, SingleQuotes, SkipBeforeFilter, SprocketsPathTraversal, StripTags, SymbolDoSCVE, TemplateInjection, TranslateBug, UnsafeReflection, UnsafeReflectionMethods, ValidationRegex, VerbConfusion, WeakRSAKey, WithoutProtection, XMLDoS, YAMLParsing

== Overview ==

Controllers: 24
Models: 18
Templates: 61
Errors: 0
Security Warnings: 0

== Warning Types ==


No warnings found
`)
  simulated('simulated brakeman scan of the sandbox app')
  return 0
}

async function rails(args: string[]): Promise<number> {
  const [verb, ...rest] = args
  if (verb === '-v' || verb === '--version' || verb === 'version') {
    out('Rails 8.0.1')
    return 0
  }
  if (verb === 'runner' || verb === 'r') {
    const url = sandboxEnv('DATABASE_URL')
    const code = rest.join(' ')
    let ok = false
    let problem = ''
    if (url) {
      const { default: pg } = await import('pg')
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 4000 })
      try {
        await c.connect()
        await c.query('SELECT 1')
        ok = true
      } catch (e) {
        problem = (e as Error).message
      } finally {
        await c.end().catch(() => undefined)
      }
    } else problem = 'DATABASE_URL is not set'
    simulated(`rails runner: the sandbox has no Rails; it checked the database connection instead${problem ? ` (${problem})` : ''}`)
    if (/connection\.active\?/.test(code) || /'OK'/.test(code)) {
      out(ok ? 'OK' : 'FAIL')
      return 0
    }
    if (!ok) {
      err(`ActiveRecord::ConnectionNotEstablished: ${problem}`)
      return 1
    }
    return 0
  }
  if (verb === 'db:migrate:status') {
    out('\ndatabase: excelapp_rails_production\n\n Status   Migration ID    Migration Name\n--------------------------------------------------\n   up     20250719100000  Add ai usage records indexes')
    simulated('simulated migration status')
    return 0
  }
  if (verb === 'log:clear') {
    for (const f of readdirSync(path.join(root, 'log')).filter((f) => f.endsWith('.log'))) writeFileSync(path.join(root, 'log', f), '')
    did('truncated the sandbox logs (log:clear)')
    return 0
  }
  if (verb === 'assets:precompile' || verb === 'assets:clean' || verb === 'db:migrate' || verb === 'tmp:clear' || verb === 'cache:clear') {
    did(`rails ${verb} (simulated)`)
    return 0
  }
  return notSimulated(`rails ${verb ?? ''}`.trim())
}

async function bundle(args: string[]): Promise<number> {
  const [verb, ...rest] = args
  switch (verb) {
    case 'audit':
      return bundlerAudit(rest)
    case 'install':
      out('Fetching gem metadata from https://rubygems.org/.........\nBundle complete! 74 Gemfile dependencies, 168 gems now installed.\nBundled gems are installed into `./vendor/bundle`')
      did('bundle install (simulated)')
      return 0
    case 'outdated':
      out('Gem        Current  Latest  Requested  Groups\nnokogiri   1.16.7   1.18.1             default\nrack       3.1.8    3.1.10             default')
      simulated('simulated bundle outdated')
      return 0
    case 'exec': {
      const [tool, ...toolArgs] = rest
      if (tool === 'brakeman') return brakeman()
      if (tool === 'bundler-audit' || tool === 'bundle-audit') return bundlerAudit(toolArgs)
      if (tool === 'rails' || tool === 'rake') return rails(toolArgs)
      return notSimulated(`bundle exec ${tool ?? ''}`.trim())
    }
    case '-v':
    case '--version':
    case 'version':
      out('Bundler version 2.5.22')
      return 0
    default:
      return notSimulated(`bundle ${verb ?? ''}`.trim())
  }
}

function npm(args: string[]): number {
  if (args[0] !== 'audit') return passThrough('npm', args)
  const json = args.includes('--json')
  if (args[1] === 'fix' && !args.includes('--dry-run')) {
    out('\nup to date, audited 612 packages in 2s\n\nfound 0 vulnerabilities')
    did('npm audit fix (simulated)')
    return 0
  }
  if (json) out(JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 }, dependencies: { prod: 188, dev: 424, total: 612 } } }, null, 2))
  else out('found 0 vulnerabilities')
  simulated(`simulated npm audit of ${existsSync('package-lock.json') ? path.resolve('package-lock.json') : 'the current folder'} (no registry request)`)
  return 0
}

function crontab(args: string[]): number {
  const file = path.join(root, 'host', 'crontab')
  const opts = args.filter((a) => a.startsWith('-'))
  const positional = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-u')
  if (opts.includes('-l')) {
    if (!existsSync(file)) {
      err('no crontab for deploy')
      return 1
    }
    process.stdout.write(readFileSync(file, 'utf8'))
    simulated(`the simulated crontab (${file})`)
    return 0
  }
  if (opts.includes('-r')) {
    rmSync(file, { force: true })
    did('removed the simulated crontab (the real crontab is unchanged)')
    return 0
  }
  if (opts.includes('-e')) {
    const editor = process.env.VISUAL || process.env.EDITOR
    if (!process.stdin.isTTY || !editor) {
      err('(sandbox) crontab -e needs a terminal and $EDITOR; install a file with `crontab FILE` instead')
      return 1
    }
    mkdirSync(path.dirname(file), { recursive: true })
    if (!existsSync(file)) writeFileSync(file, '')
    const r = spawnSync(editor, [file], { stdio: 'inherit', shell: true })
    did('edited the simulated crontab')
    return r.status ?? 0
  }
  const source = positional[0]
  let text: string
  try {
    text = !source || source === '-' ? readFileSync(0, 'utf8') : readFileSync(source, 'utf8')
  } catch (e) {
    err(`crontab: ${(e as Error).message}`)
    return 1
  }
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
  did(`installed the simulated crontab (${text.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length} entries; the real crontab is unchanged)`)
  return 0
}

const SUDO_WITH_VALUE = ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '-R', '--user', '--group', '--host', '--prompt', '--close-from', '--chdir', '--role', '--type', '--other-user', '--command-timeout', '--chroot']

/** sudo [OPTIONS] [VAR=value…] COMMAND: runs COMMAND as we are (-u USER and -E change nothing here), with the assignments in its env. */
function sudo(args: string[]): number {
  let i = 0
  while (i < args.length) {
    const a = args[i]!
    if (a === '--') {
      i++
      break
    }
    if (!a.startsWith('-')) break
    if (SUDO_WITH_VALUE.includes(a)) i += 2
    else if (a === '-i' || a === '-s' || a === '--login' || a === '--shell') {
      err('(sandbox) sudo -i/-s would open a root shell; run the commands one by one instead')
      return 1
    } else i++
  }
  const env = { ...process.env }
  for (; i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]!); i++) {
    const eq = args[i]!.indexOf('=')
    env[args[i]!.slice(0, eq)] = args[i]!.slice(eq + 1)
  }
  const rest = args.slice(i)
  if (rest.length === 0) return 0
  const r = spawnSync(rest[0]!, rest.slice(1), { stdio: 'inherit', env })
  if (r.error) {
    err(`sudo: ${rest[0]}: command not found`)
    return 1
  }
  return r.status ?? 1
}

function ps(args: string[]): number {
  const simple = args.length > 0 && args.every((a) => /^-?(aux|ef|ax|e|A|elf|axu)$/.test(a) || a.startsWith('--sort') || args[args.indexOf('--sort') + 1] === a || a === 'ww' || a === '-ww')
  if (!simple) return passThrough('ps', args)
  out(formatPs(readHostState(root), args).trimEnd())
  simulated('simulated processes of the sandbox host')
  return 0
}

function journalctl(args: string[]): number {
  const u = unit(optionValue(args, '-u', '--unit'))
  const n = Number(optionValue(args, '-n', '--lines') ?? 50)
  if (args.some((a) => a.startsWith('--vacuum') || a === '--rotate')) {
    did(`journalctl ${args.join(' ')} (simulated)`)
    return 0
  }
  const file = u === 'formula-engine' ? 'formula_engine.log' : u === 'excelapp-rails' ? 'production.log' : undefined
  if (!file) {
    out('-- No entries --')
    simulated('simulated journal')
    return 0
  }
  const lines = readFileSync(path.join(root, 'log', file), 'utf8').trimEnd().split('\n').slice(-n)
  const tag = u === 'formula-engine' ? 'formula-engine[31407]' : 'puma[20114]'
  const now = new Date()
  out(lines.map((l) => `${now.toDateString().slice(4, 10)} ${now.toTimeString().slice(0, 8)} excelapp-prod-1 ${tag}: ${l}`).join('\n'))
  simulated(`the journal of ${u} (from the sandbox logs)`)
  return 0
}

async function gzipFile(file: string): Promise<void> {
  await pipeline(createReadStream(file), createGzip(), createWriteStream(`${file}.gz`))
  rmSync(file)
}

async function logrotate(args: string[]): Promise<number> {
  const debug = args.includes('-d') || args.includes('--debug')
  const logDir = path.join(root, 'log')
  const logs = readdirSync(logDir).filter((f) => f.endsWith('.log'))
  out(`reading config file ${path.join(root, 'host', 'logrotate.d', 'excelapp-rails')}\nrotating pattern: ${logDir}/*.log  after 1 days (30 rotations)\nempty log files are not rotated, old logs are removed`)
  for (const f of logs) {
    out(`considering log ${path.join(logDir, f)}\n  log needs rotating`)
    if (debug) continue
    const base = path.join(logDir, f)
    for (let i = 30; i >= 1; i--) {
      for (const ext of ['', '.gz']) {
        const from = `${base}.${i}${ext}`
        if (!existsSync(from)) continue
        if (i === 30) rmSync(from)
        else renameSync(from, `${base}.${i + 1}${ext}`)
      }
    }
    if (existsSync(`${base}.2`)) await gzipFile(`${base}.2`)
    renameSync(base, `${base}.1`)
    writeFileSync(base, '')
  }
  if (debug) {
    simulated('logrotate -d: nothing was rotated')
    return 0
  }
  out('running postrotate script')
  did(`rotated ${logs.length} logs in ${logDir}; excelapp-rails reloaded`)
  return 0
}

function nginx(args: string[]): number {
  if (args.includes('-t') || args.includes('-T')) {
    err('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful')
    simulated('simulated nginx')
    return 0
  }
  if (args.includes('-v') || args.includes('-V')) {
    err('nginx version: nginx/1.22.1')
    return 0
  }
  const s = optionValue(args, '-s')
  if (s) {
    did(`nginx -s ${s} (simulated)`)
    return 0
  }
  return notSimulated(`nginx ${args.join(' ')}`.trim())
}

function redisCli(args: string[]): number {
  const named = args.some((a) => ['-h', '-p', '-u', '-s', '--url', '--host', '--port', '--socket'].includes(a) || a.startsWith('--url=') || a.startsWith('redis://') || a.startsWith('rediss://'))
  const url = sandboxEnv('REDIS_URL')
  return passThrough('redis-cli', named || !url ? args : ['-u', url, ...args])
}

async function main(): Promise<number> {
  if (!root || !command) {
    err('usage: shim.mjs SANDBOX_DIR COMMAND ARGS…')
    return 2
  }
  switch (command) {
    case 'systemctl':
      return systemctl(argv)
    case 'service': {
      const [name, action] = argv.filter((a) => !a.startsWith('-'))
      if (argv.includes('--status-all')) return systemctl(['list-units'])
      if (!name || !action) {
        err('Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]')
        return 1
      }
      return systemctl([action, name])
    }
    case 'docker':
      return docker(argv)
    case 'sysctl':
      return sysctl(argv)
    case 'apt':
    case 'apt-get':
      return apt(argv)
    case 'aws':
      return aws(argv)
    case 'bundle':
      return bundle(argv)
    case 'bundler-audit':
    case 'bundle-audit':
      return bundlerAudit(argv)
    case 'brakeman':
      return brakeman()
    case 'npm':
      return npm(argv)
    case 'crontab':
      return crontab(argv)
    case 'sudo':
      return sudo(argv)
    case 'free':
      out(formatFree(readHostState(root), argv).trimEnd())
      simulated(`simulated memory of the sandbox host${activeFaults(readHostState(root)).includes('memory-pressure') ? ' (memory-pressure drill active)' : ''}`)
      return 0
    case 'df':
      out(formatDf(readHostState(root), argv).trimEnd())
      simulated('simulated disks of the sandbox host')
      return 0
    case 'top':
      out(formatTop(readHostState(root)).trimEnd())
      simulated('simulated CPU and processes of the sandbox host')
      return 0
    case 'uptime':
      out(formatUptime(readHostState(root)).trimEnd())
      simulated('simulated host')
      return 0
    case 'ps':
      return ps(argv)
    case 'journalctl':
      return journalctl(argv)
    case 'rails':
    case 'rake':
      return rails(argv)
    case 'logrotate':
      return logrotate(argv)
    case 'nginx':
      return nginx(argv)
    case 'redis-cli':
      return redisCli(argv)
    default:
      return notSimulated(command)
  }
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    err(`(sandbox) ${command}: ${e instanceof Error ? e.message : String(e)}`)
    process.exitCode = 1
  },
)
