// docker on the simulated host: one container, formula-engine, played by the FormulaEngine
// stand-in (ps, logs, restart/stop/kill/start, inspect, images, stats, scan, info). Like the
// production image, the container has no HEALTHCHECK: docker knows no health status for it
// (`State` has no `Health`, `docker ps` shows no "(healthy)"), only the service's /health does.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { readHostState, updateHostState, type HostState } from '../../host.js'
import { readStandin, runningStandin } from '../../standins.js'
import { ago, did, err, notSimulated, optionValue, out, simulated, TOOL_EXIT, type ShimContext } from './context.js'
import { goTemplate, TemplateError } from './gotemplate.js'
import { restartFormulaEngine, setService } from './services.js'

const CONTAINER = 'formula-engine'
const CONTAINER_ID = '3f9c2a1b7d4e'
const IMAGE = 'excelapp/formula-engine:2.4.1'
/** Whether the image declares a HEALTHCHECK (production's does not). */
const HAS_HEALTHCHECK = false

export function containerState(ctx: ShimContext, state: HostState): { running: boolean; health?: string; status: string } {
  const running = Boolean(runningStandin(ctx.root, 'formula-engine')) && (state.services[CONTAINER]?.active ?? true)
  const since = state.services[CONTAINER]?.since ?? state.bootedAt
  if (!running) return { running, status: `Exited (0) ${ago(since, ctx.now())}` }
  const up = `Up ${ago(since, ctx.now()).replace(' ago', '')}`
  if (!HAS_HEALTHCHECK) return { running, status: up }
  const health = state.faults['formula-engine-down'] ? 'unhealthy' : 'healthy'
  return { running, health, status: `${up} (${health})` }
}

function inspectObject(ctx: ShimContext, state: HostState): Record<string, unknown> {
  const c = containerState(ctx, state)
  const port = readStandin(ctx.root, 'formula-engine')?.port ?? 3002
  return {
    Id: '3f9c2a1b7d4e8f60a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef01',
    Name: `/${CONTAINER}`,
    State: {
      Status: c.running ? 'running' : 'exited',
      Running: c.running,
      ExitCode: 0,
      StartedAt: state.services[CONTAINER]?.since ?? state.bootedAt,
      ...(c.health ? { Health: { Status: c.health, FailingStreak: state.faults['formula-engine-down'] ? 7 : 0 } } : {}),
    },
    Config: { Image: IMAGE, Env: ['NODE_ENV=production', 'PORT=3002'] },
    RestartCount: 0,
    HostConfig: { RestartPolicy: { Name: 'unless-stopped' }, Memory: 2147483648 },
    NetworkSettings: { Ports: { '3002/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  }
}

/** Runs a --format template; on a template error says what docker says and gives nothing. */
function templated(ctx: ShimContext, render: () => string[]): string[] | undefined {
  try {
    return render()
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e
    err(ctx, `Template parsing error: ${e.message}`)
    return undefined
  }
}

function ps(ctx: ShimContext, state: HostState, rest: string[]): number {
  const c = containerState(ctx, state)
  const all = rest.includes('-a') || rest.includes('--all')
  const port = readStandin(ctx.root, 'formula-engine')?.port ?? 3002
  const rows =
    c.running || all
      ? [{ ID: CONTAINER_ID, Image: IMAGE, Command: '"docker-entrypoint.s…"', CreatedAt: '3 weeks ago', Status: c.status, Ports: c.running ? `127.0.0.1:${port}->3002/tcp` : '', Names: CONTAINER, State: c.running ? 'running' : 'exited' }]
      : []
  const format = optionValue(rest, '--format')
  if (format) {
    const tpl = format.replace(/^table\s+/, '')
    if (format.startsWith('table')) out(ctx, tpl.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, k: string) => k.toUpperCase()))
    const rendered = templated(ctx, () => rows.map((r) => goTemplate(tpl, r)))
    if (!rendered) return TOOL_EXIT.failed
    for (const r of rendered) out(ctx, r)
  } else {
    out(ctx, 'CONTAINER ID   IMAGE                           COMMAND                  CREATED       STATUS                     PORTS                       NAMES')
    for (const r of rows) out(ctx, `${r.ID}   ${r.Image.padEnd(31)} ${r.Command.padEnd(24)} ${r.CreatedAt.padEnd(13)} ${r.Status.padEnd(26)} ${r.Ports.padEnd(27)} ${r.Names}`)
  }
  simulated(ctx, 'simulated containers of the sandbox host')
  return TOOL_EXIT.ok
}

function logs(ctx: ShimContext, rest: string[]): number {
  const file = path.join(ctx.root, 'log', 'formula_engine.log')
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l, i, a) => l !== '' || i < a.length - 1) : []
  const tail = optionValue(rest, '--tail', '-n')
  const shown = tail && tail !== 'all' ? lines.slice(-Number(tail)) : lines
  out(ctx, shown.join('\n'))
  if (rest.includes('-f') || rest.includes('--follow')) simulated(ctx, 'docker logs -f: showed the log so far (a step cannot follow forever)')
  simulated(ctx, `the FormulaEngine stand-in's log (${file})`)
  return TOOL_EXIT.ok
}

function stats(ctx: ShimContext, state: HostState): number {
  const down = Boolean(state.faults['formula-engine-down'])
  out(ctx, 'CONTAINER ID   NAME             CPU %     MEM USAGE / LIMIT   MEM %     NET I/O         BLOCK I/O   PIDS')
  if (containerState(ctx, state).running) out(ctx, `${CONTAINER_ID}   formula-engine   ${down ? '0.02%' : '1.87%'}     ${down ? '1.96GiB' : '350MiB'} / 2GiB   ${down ? '98.1%' : '17.1%'}     1.2GB / 980MB   0B / 0B     23`)
  simulated(ctx, 'simulated container stats')
  return TOOL_EXIT.ok
}

/** Verbs that act on the container: restart, stop, kill, start. */
async function lifecycle(ctx: ShimContext, verb: string): Promise<number> {
  if (verb === 'restart') {
    out(ctx, CONTAINER)
    did(ctx, `restarted container formula-engine; ${await restartFormulaEngine(ctx)}`)
    return TOOL_EXIT.ok
  }
  if (verb === 'start') {
    updateHostState(ctx.root, ctx.now(), (s) => {
      s.services[CONTAINER] = { active: true, since: ctx.now().toISOString() }
    })
    await setService(ctx, CONTAINER, true)
    out(ctx, CONTAINER)
    did(ctx, 'started container formula-engine')
    return TOOL_EXIT.ok
  }
  await setService(ctx, CONTAINER, false)
  out(ctx, CONTAINER)
  did(ctx, `${verb === 'kill' ? 'killed' : 'stopped'} container formula-engine (the FormulaEngine stand-in no longer answers)`)
  return TOOL_EXIT.ok
}

function fixedText(ctx: ShimContext, verb: string, names: string[]): number | undefined {
  const image = names[0] ?? 'excelapp-rails:latest'
  const texts: Record<string, [string, string]> = {
    images: [
      'REPOSITORY                 TAG       IMAGE ID       CREATED       SIZE\nexcelapp/formula-engine    2.4.1     9b1c0de4a2f1   3 weeks ago   412MB\nexcelapp-rails             latest    51e0a9c3d7b2   6 days ago    1.21GB',
      'simulated images',
    ],
    scan: [
      `Testing ${image}...\n\nOrganization:      excelapp\nPackage manager:   deb\nProject name:      docker-image|${image.split(':')[0]}\nDocker image:      ${image}\nPlatform:          linux/amd64\n\n✔ Tested 312 dependencies for known issues, no vulnerable paths found.`,
      'simulated image scan',
    ],
    info: ['Server: Docker Engine - Community\n Version:    24.0.7 (sandbox)\nContainers: 1\n Running: 1', 'simulated docker'],
  }
  const key = verb === 'version' ? 'info' : verb
  if (!Object.hasOwn(texts, key)) return undefined
  const text = texts[key]!
  out(ctx, text[0])
  simulated(ctx, text[1])
  return TOOL_EXIT.ok
}

export async function docker(ctx: ShimContext, args: string[]): Promise<number> {
  const [verb, ...rest] = args
  const state = readHostState(ctx.root, ctx.now())
  const names = rest.filter((a, i) => !a.startsWith('-') && !['--tail', '-n', '--since', '--format', '-f', '--filter', '--time', '-t'].includes(rest[i - 1] ?? ''))
  const needContainer = (): boolean => {
    const bad = names.find((n) => n !== CONTAINER && n !== CONTAINER_ID)
    if (bad || names.length === 0) {
      err(ctx, `Error response from daemon: No such container: ${bad ?? ''}`)
      return false
    }
    return true
  }
  switch (verb) {
    case 'ps':
      return ps(ctx, state, rest)
    case 'logs':
      return needContainer() ? logs(ctx, rest) : TOOL_EXIT.failed
    case 'restart':
    case 'stop':
    case 'kill':
    case 'start':
      return needContainer() ? lifecycle(ctx, verb) : TOOL_EXIT.failed
    case 'inspect': {
      if (!needContainer()) return TOOL_EXIT.failed
      const obj = inspectObject(ctx, state)
      const format = optionValue(rest, '--format', '-f')
      const text = format ? templated(ctx, () => [goTemplate(format, obj)]) : [JSON.stringify([obj], null, 4)]
      if (!text) return TOOL_EXIT.failed
      out(ctx, text[0]!)
      simulated(ctx, 'simulated container')
      return TOOL_EXIT.ok
    }
    case 'stats':
      return stats(ctx, state)
    default:
      return fixedText(ctx, verb ?? '', names) ?? notSimulated(ctx, `docker ${verb ?? ''}`.trim())
  }
}
