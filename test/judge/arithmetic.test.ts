// Arithmetic on data: bash evaluates a variable's value as an expression in arithmetic, and an
// expression can index an array with a command substitution. The attack is shown real (bash runs it
// on a canary in a temp folder), then each form is judged unproven; integer-valued forms the
// library uses stay proven.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { detectShell } from '../../src/runner/judge/shell.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'rb-arith-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const canary = path.join(dir, 'canary')
const data = path.join(dir, 'data')
writeFileSync(data, `a[$(touch ${canary})]\n`)

const ATTACKS = [
  `read -r X < ${data}; (( X > 1 )) && echo big`,
  `X=$(cat ${data}); echo $(( X + 1 ))`,
  `X=$(cat ${data}); [[ $X -gt 1 ]] && echo big`,
  `X=$(head -n1 ${data}); let "Y = X + 1"`,
  `X=$(cat ${data}); A=(1 2); echo "\${A[X]}"`,
  `X=$(cat ${data}); declare -i Y=X`,
  `echo $(( $(cat ${data}) + 1 ))`,
]

describe('arithmetic on a value read from data', () => {
  test.each(ATTACKS)('bash runs the command hidden in the data, and the judge cannot prove it: %s', async (code) => {
    rmSync(canary, { force: true })
    try {
      execFileSync('bash', ['-c', code], { stdio: 'ignore' })
    } catch {
      // the arithmetic fails after running the substitution; what matters is the canary
    }
    expect(existsSync(canary), 'the attack is real').toBe(true)
    const d = await detectShell(code)
    expect(d.destructive).toBe(true)
    expect(d.reasons.join(' ')).toMatch(/\(\( /)
  })

  test.each([
    'COUNT=$(printf "%s" "$LINES" | grep -c . || true); if (( COUNT > 0 )); then echo "$COUNT"; fi',
    'status=0; tar -tzf x.tgz > /dev/null || status=$?; if (( status > 1 )); then exit "$status"; fi',
    'START=$(date +%s); echo "$(( $(date +%s) - START ))"',
    'N=$(wc -l < /etc/hostname); (( N > 0 ))',
    'for i in 1 2 3; do echo $(( i * 2 )); done',
    '(( DISK_LIMIT > 80 )) && echo over',
    `X=$(cat ${data}); [ "$X" -gt 1 ] 2> /dev/null || echo no`,
  ])('integer values and the test builtin stay proven: %s', async (code) => {
    const d = await detectShell(code)
    expect(d.reasons).toEqual([])
  })
})
