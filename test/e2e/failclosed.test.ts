// Through the real binary: a shell step written in one of the forms issue 13 names tries to change
// a canary file in a temp folder. Run without a TTY and without --yes, each is blocked (exit 3)
// and the canary is intact; the same run with a read-only step passes.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXIT } from '../../src/runner/model/errors.js'
import { runCli, tempDir, writeRunbook } from '../helpers/cli.js'

const CANARY_TEXT = 'keep me'

/** [label, the step's code] — `$CANARY` is the canary file, `$DIR` its folder. */
const forms: [string, string][] = [
  ['mv', 'mv "$CANARY" "$CANARY.moved"'],
  ['> file', '> "$CANARY"'],
  ['cat /dev/null > file', 'cat /dev/null > "$CANARY"'],
  ['cp /dev/null file', 'cp /dev/null "$CANARY"'],
  ['ln -sfn', 'ln -sfn /dev/null "$CANARY"'],
  ['brace expansion', '{rm,-f,"$CANARY"}'],
  ['alias', 'shopt -s expand_aliases\nalias look=rm\nlook -f "$CANARY"'],
  ['trap', 'trap \'rm -f "$CANARY"\' EXIT\ndf -h /'],
  ['awk system()', 'awk \'BEGIN { system("rm -f " ENVIRON["CANARY"]) }\''],
  ['nice', 'nice -n 5 rm -f "$CANARY"'],
  ['taskset', 'taskset -c 0 rm -f "$CANARY"'],
  ['perl -e', 'perl -e \'unlink $ENV{CANARY}\''],
  ['python3 -c', 'python3 -c \'import os; os.remove(os.environ["CANARY"])\''],
  ['node -e', 'node -e \'require("fs").rmSync(process.env.CANARY)\''],
  ['command in a variable', 'CMD=rm; $CMD -f "$CANARY"'],
  ['eval', 'eval \'rm -f "$CANARY"\''],
  ['source', 'printf \'rm -f "$CANARY"\\n\' > "$RUNBOOK_TMP/x.sh"\nsource "$RUNBOOK_TMP/x.sh"'],
  ['bash < <(…)', 'bash < <(printf \'rm -f "$CANARY"\\n\')'],
  ['a write into a folder held in a variable', 'echo overwritten > "$DIR/canary.txt"'],
  ['find -delete behind brace expansion', 'find "$DIR" -name canary.txt {-delete,}'],
  ['sed -n with w', 'sed -n \'w \'"$CANARY" /dev/null'],
  ['PATH into the scratch folder', 'printf \'#!/bin/sh\\nrm -f "$CANARY"\\n\' > "$RUNBOOK_TMP/ls"\nchmod +x "$RUNBOOK_TMP/ls" 2>/dev/null\nPATH="$RUNBOOK_TMP:$PATH" ls'],
]

describe('fail-closed shell steps through the binary', () => {
  const dir = tempDir('rb-failclosed-sh-')
  const canary = path.join(dir, 'canary.txt')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const runStep = (id: string, code: string) => {
    writeFileSync(canary, CANARY_TEXT)
    rmSync(`${canary}.moved`, { force: true })
    const file = writeRunbook(dir, `${id}.md`, `---\nid: ${id}\ntitle: 카나리\n---\n# 카나리\n\n\`\`\`bash {id=attempt}\n${code}\n\`\`\`\n`)
    return runCli(['run', file, '--reports', path.join(dir, 'reports', id)], { env: { CANARY: canary, DIR: dir }, timeoutMs: 60_000 })
  }

  it.each(forms.map(([label, code], i) => [label, code, i] as const))('%s: blocked without a TTY and --yes, the canary intact', async (_label, code, i) => {
    const r = await runStep(`form-${i}`, code)
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(EXIT.blocked)
    expect(existsSync(canary)).toBe(true)
    expect(readFileSync(canary, 'utf8')).toBe(CANARY_TEXT)
  })

  it('the same run with a read-only step passes (the canary is not in the way)', async () => {
    const r = await runStep('reads', 'grep -c keep "$CANARY"\ndf -h / > /dev/null\necho "LINES=$(wc -l < "$CANARY")" >> "$RUNBOOK_OUTPUT"')
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(EXIT.ok)
    expect(readFileSync(canary, 'utf8')).toBe(CANARY_TEXT)
  })
})
