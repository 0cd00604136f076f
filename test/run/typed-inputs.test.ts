// Inputs keep their declared type: a `number` input is a number in the record, the JSON report and
// the Markdown report's front matter; shell steps still get it as text in INPUT_<NAME>.
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { EXIT } from '../../src/runner/model/errors.js'
import { runRunbook, type RunOptions } from '../../src/runner/run/run.js'
import { inputsAsEnv } from '../../src/runner/run/inputs.js'
import { readReport, tempDir, writeRunbook } from '../helpers/cli.js'
import { fixedClock, OPERATOR, sink } from './fakes.js'

const body = `---
inputs:
  count: { type: number, description: how many }
  ratio: { type: number, default: 0.5 }
  label: { type: string, default: "007" }
  level: { choices: [1, 2, 3], default: 2 }
---
# typed

\`\`\`bash {id=show}
echo "$INPUT_COUNT $INPUT_RATIO $INPUT_LABEL $INPUT_LEVEL"
\`\`\`

\`\`\`ts {id=typed}
check('count is a number', typeof inputs.count === 'number', typeof inputs.count)
check('label is text', typeof inputs.label === 'string', typeof inputs.label)
\`\`\`
`

function run(opts: Partial<RunOptions>) {
  const dir = tempDir('rb-typed-inputs-')
  const file = writeRunbook(dir, 'typed.md', body)
  return runRunbook({ file, reports: path.join(dir, 'reports'), prompts: null, operator: OPERATOR, out: sink(), now: fixedClock, ...opts })
}

describe('typed inputs', () => {
  test('a number input is a number in the record, the JSON and the report; strings and choices stay text', async () => {
    const r = await run({ inputs: { count: '3' } })
    expect(r.exitCode).toBe(EXIT.ok)
    const expected = { count: 3, ratio: 0.5, label: '007', level: '2' }
    expect(r.record.inputs).toEqual(expected)
    const { json, md } = readReport(r.reportPath)
    expect(json.inputs).toEqual(expected)
    expect(typeof json.inputs.count).toBe('number')
    const front = parseYaml(md.split('\n---\n')[0]!.replace(/^---\n/, '')) as { inputs: Record<string, unknown> }
    expect(front.inputs).toEqual(expected)
    expect(r.record.steps[0]!.output).toBe('3 0.5 007 2\n')
    // A TypeScript step sees the number (the worker is dist/: npm test builds first).
    expect(r.record.steps[1]!.status, JSON.stringify(r.record.steps[1])).toBe('passed')
  })

  test('a given number is recorded as the number it spells (" 1e3 " → 1000)', async () => {
    const r = await run({ inputs: { count: ' 1e3 ', ratio: '-2' } })
    expect(r.record.inputs).toMatchObject({ count: 1000, ratio: -2 })
  })

  test('inputsAsEnv spells every value as text', () => {
    expect(inputsAsEnv({ count: 3, label: 'x' })).toEqual({ INPUT_COUNT: '3', INPUT_LABEL: 'x' })
  })
})
