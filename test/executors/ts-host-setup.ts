// One TsHost per describe block for tests that run TS steps in the worker: the worker built, a temp
// folder (with a canary path in it) removed afterwards, and a request for a step's code.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { TsHost } from '../../src/runner/executors/ts/host.js'
import type { TsStepRequest } from '../../src/runner/executors/ts/protocol.js'
import { buildWorker } from './build-worker.js'
import { baseEnv } from './helpers.js'

export interface TsHostSetup {
  /** The host of the block, started in its beforeAll. */
  readonly host: TsHost
  tmp: string
  canary: string
  /** A request for `code`: the step's env is `env` (default CANARY=the canary), cwd the temp folder. */
  req(code: string, extra?: Partial<TsStepRequest>): TsStepRequest
}

export function useTsHost(options: { prefix: string; stepId: string; env?: Record<string, string> }): TsHostSetup {
  const tmp = mkdtempSync(join(tmpdir(), options.prefix))
  const canary = join(tmp, 'canary')
  const env = options.env ?? { CANARY: canary }
  let host: TsHost | undefined

  beforeAll(async () => {
    await buildWorker()
    host = new TsHost()
  })
  afterAll(async () => {
    await host?.close()
    rmSync(tmp, { recursive: true, force: true })
  })

  return {
    get host() {
      if (!host) throw new Error('the TsHost starts in beforeAll')
      return host
    },
    tmp,
    canary,
    req: (code, extra = {}) => ({ code, loader: 'ts', env: baseEnv(env), inputs: {}, state: {}, timeoutMs: 20_000, stepId: options.stepId, cwd: tmp, ...extra }),
  }
}
