// The stand-ins' ports: the running stand-in's, else the port of the last `up` when it is free,
// else a free one; FormulaEngine prefers its real port 3002 ($SANDBOX_FORMULA_ENGINE_PORT: a
// fixed port, or 0 for any free one).
import { msg } from '../runner/api.js'
import { SandboxError } from './errors.js'
import { canConnect, freePort } from './servers.js'
import { runningStandin, type Role } from './standins.js'

type Env = Record<string, string | undefined>

export const DEFAULT_FORMULA_ENGINE_PORT = 3002

async function portFree(port: number): Promise<boolean> {
  return !(await canConnect('127.0.0.1', port, 300))
}

async function formulaEnginePort(previous: number | undefined, env: Env): Promise<number> {
  const configured = env.SANDBOX_FORMULA_ENGINE_PORT?.trim()
  if (configured && configured !== '0') {
    const port = Number(configured)
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new SandboxError(msg.sandbox.portNotNumber(configured))
    if (!(await portFree(port))) throw new SandboxError(msg.sandbox.portTaken(port))
    return port
  }
  if (previous && (await portFree(previous))) return previous
  if (configured !== '0' && (await portFree(DEFAULT_FORMULA_ENGINE_PORT))) return DEFAULT_FORMULA_ENGINE_PORT
  return freePort()
}

export async function choosePort(root: string, role: Role, previous: number | undefined, env: Env): Promise<number> {
  const running = runningStandin(root, role)
  if (running) return running.port
  if (role === 'formula-engine') return formulaEnginePort(previous, env)
  if (previous && (await portFree(previous))) return previous
  return freePort()
}
