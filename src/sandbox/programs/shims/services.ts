// The simulated host's services as systemctl and docker change them: the host state says
// whether a service runs, and the two with a stand-in (the app, FormulaEngine) start, stop and
// restart it, so that their URLs answer as the real services would.
import { appendFileSync } from 'node:fs'
import path from 'node:path'
import { updateHostState } from '../../host.js'
import { readStandin, restartStandin, startStandin, stopStandin, type Role } from '../../standins.js'
import type { ShimContext } from './context.js'

/** The stand-in that plays a service, if one does. */
export function roleOf(service: string): Role | undefined {
  return service === 'excelapp-rails' ? 'app' : service === 'formula-engine' ? 'formula-engine' : undefined
}

/** A restart ends the app's drills (slow answers, grown workers) and replaces its stand-in. */
export async function restartRails(ctx: ShimContext): Promise<string> {
  updateHostState(ctx.root, ctx.now(), (s) => {
    delete s.faults['slow-app']
    delete s.faults['memory-pressure']
    s.memory.workerMb = 780
    s.memory.cacheMb = Math.max(s.memory.cacheMb, 1200)
    s.services['excelapp-rails'] = { active: true, since: ctx.now().toISOString() }
  })
  const info = await restartStandin(ctx.root, 'app', ctx.now())
  return `app stand-in pid ${info.pid} on 127.0.0.1:${info.port}`
}

export async function restartFormulaEngine(ctx: ShimContext): Promise<string> {
  const now = ctx.now()
  updateHostState(ctx.root, ctx.now(), (s) => {
    delete s.faults['formula-engine-down']
    s.services['formula-engine'] = { active: true, since: now.toISOString() }
  })
  appendFileSync(path.join(ctx.root, 'log', 'formula_engine.log'), `${now.toISOString()} INFO  [formula-engine] listening on :3002 (workers=4, version=2.4.1)\n`)
  const info = await restartStandin(ctx.root, 'formula-engine', now)
  return `FormulaEngine stand-in pid ${info.pid} on 127.0.0.1:${info.port}`
}

export async function setService(ctx: ShimContext, name: string, active: boolean): Promise<void> {
  updateHostState(ctx.root, ctx.now(), (s) => {
    s.services[name] = { active, since: ctx.now().toISOString() }
  })
  const role = roleOf(name)
  if (!role) return
  if (active) {
    const port = readStandin(ctx.root, role)?.port
    if (port) await startStandin(ctx.root, role, port, ctx.now())
  } else await stopStandin(ctx.root, role)
}
