// Runme's promptEnv: a shell step's literal `export NAME=value` lines are asked like inputs and the
// step runs with the values given (single-quoted: a value runs nothing), shown and recorded.
import { describe, expect, test } from 'vitest'
import { askExports, exportLines, promptEnvOn, withValues } from '../../src/runner/run/prompt-env.js'
import { planOf, recordingExecutors, walkInProcess } from './fakes.js'

describe('promptEnv', () => {
  test('Runme\'s spellings', () => {
    for (const on of ['true', 'yes', 'auto', '']) expect(promptEnvOn(on), on).toBe(true)
    for (const off of ['false', 'no', 'never', undefined]) expect(promptEnvOn(off), String(off)).toBe(false)
  })

  test('only literal exports are asked; expansions and commands are not', () => {
    const code = ['export GREETING=hello', "  export NAME='Kim Ops'", 'export EMPTY=', 'export CMD=$(whoami)', 'export HOME_DIR="$HOME"', 'echo "$GREETING"'].join('\n')
    expect(exportLines(code)).toEqual([
      { index: 0, name: 'GREETING', written: 'hello' },
      { index: 1, name: 'NAME', written: 'Kim Ops' },
      { index: 2, name: 'EMPTY', written: '' },
    ])
  })

  test('a value is single-quoted: it cannot run anything', () => {
    const lines = exportLines('export X=a\necho "$X"')
    const { code, shown } = withValues('export X=a\necho "$X"', lines, { X: "'; rm -rf / #" })
    expect(code).toBe(`export X=''\\''; rm -rf / #'\necho "$X"`)
    expect(shown).toEqual([`export X=''\\''; rm -rf / #'`])
  })

  test('asked at a terminal (default: the env, else the written value); without one the default is used', async () => {
    const asked: string[] = []
    const prompts = { askInput: async (spec: { name: string; default?: string }) => (asked.push(`${spec.name}=${spec.default}`), spec.name === 'A' ? 'typed' : spec.default ?? '') }
    const got = await askExports('export A=1\nexport B=2', 'true', { prompts, env: { B: 'from-env' }, description: (n) => n })
    expect(asked).toEqual(['A=1', 'B=from-env'])
    expect(got!.code).toBe("export A='typed'\nexport B='from-env'")
    expect((await askExports('export A=1', 'true', { prompts: null, env: {}, description: (n) => n }))!.code).toBe("export A='1'")
    expect(await askExports('export A=1', 'false', { prompts, env: {}, description: (n) => n })).toBeUndefined()
  })

  test('in a walk: the executor runs the code with the value given, the lines are shown and noted', async () => {
    const { runbook, plan } = await planOf('# P\n\n```sh {name=ask promptEnv=true}\nexport GREETING=hello\necho "$GREETING"\n```\n')
    const { executors, runs } = recordingExecutors()
    const { record, screen } = await walkInProcess(runbook, plan, { executors, settings: { auto: true } })
    expect(runs[0]!.planned.step.code).toBe("export GREETING='hello'\necho \"$GREETING\"\n")
    expect(screen()).toContain("export GREETING='hello'")
    expect(record.steps[0]!.notes.join('\n')).toContain("export GREETING='hello'")
  })
})
