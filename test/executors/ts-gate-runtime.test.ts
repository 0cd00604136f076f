// The worker's own layer under the judge: a step that reaches Function through a name the judge
// cannot follow (a computed 'constructor') finds nothing there; the canary stays.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TsHooks } from '../../src/runner/executors/ts/protocol.js'
import { baseEnv } from './helpers.js'
import { useTsHost } from './ts-host-setup.js'

const hooks = (): TsHooks & { stdout: string } => {
  const h = {
    stdout: '',
    onOutput(text: string) {
      h.stdout += text
    },
    async onCommand() {
      return { deny: 'no' } as const
    },
    async confirm() {
      return false
    },
  }
  return h
}

describe('function constructors in the TS worker', () => {
  const t = useTsHost({ prefix: 'rb-ts-ctor-', stepId: 'ctor' })
  const { canary, req } = t

  it.each([
    ['an arrow function', "const k = ['con', 'structor'].join('')\nconst F = (() => 0)[k]\nF('p', 'process.getBuiltinModule(\"fs\").rmSync(p)')(env.CANARY)"],
    ['an async function', "const k = ['con', 'structor'].join('')\nconst F = (async () => 0)[k]\nawait F('p', 'process.getBuiltinModule(\"fs\").rmSync(p)')(env.CANARY)"],
    ['a generator', "const k = ['con', 'structor'].join('')\nconst F = (function* () {})[k]\nF('p', 'process.getBuiltinModule(\"fs\").rmSync(p)')(env.CANARY).next()"],
    ['a built-in', "const k = ['con', 'structor'].join('')\nconst F = JSON.parse[k]\nF('p', 'process.getBuiltinModule(\"fs\").rmSync(p)')(env.CANARY)"],
    ['a class (its own constructor is itself, its constructor a function)', "const k = ['con', 'structor'].join('')\nclass A {}\nconst F = new A()[k][k]\nF('p', 'process.getBuiltinModule(\"fs\").rmSync(p)')(env.CANARY)"],
  ])('through %s: nothing to call, the canary stays', async (_label, code) => {
    writeFileSync(canary, 'keep me')
    const result = await t.host.run(req(code), hooks())
    expect(result.ok).toBe(false)
    expect(result.error).toMatch(/not a function/)
    expect(existsSync(canary)).toBe(true)
  })

  it('classes, instances and zx still work', async () => {
    const h = hooks()
    const result = await t.host.run(req("class A { n = 1 }\nconst a = new A()\nconsole.log(a.constructor.name, a.constructor === A, [].constructor === Array)\nconsole.log(typeof (async () => 0), String(await Promise.resolve(2)))"), h)
    expect(result.ok, result.error).toBe(true)
    expect(h.stdout).toContain('A true true')
    expect(h.stdout).toContain('function 2')
  })
})

describe("the step's env and the commands' environment", () => {
  const t = useTsHost({ prefix: 'rb-ts-env-', stepId: 'env', env: {} })
  const { canary, tmp } = t
  const script = join(tmp, 'startup.sh')

  it('writing env (BASH_ENV) does not reach the shell of a $ command; the canary stays', async () => {
    writeFileSync(canary, 'keep me')
    writeFileSync(script, `rm -f '${canary}'\n`)
    const h = { ...hooks(), onCommand: async () => 'allow' as const }
    const code = `env.BASH_ENV = env.SCRIPT\nenv.ENV = env.SCRIPT\nawait $\`true\``
    const result = await t.host.run(t.req(code, { env: baseEnv({ SCRIPT: script }) }), h)
    expect(result.ok, result.error).toBe(true)
    expect(existsSync(canary)).toBe(true)
  })
})
