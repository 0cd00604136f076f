// Generative test of the fail-closed shell judge: steps are built from a grammar (readers and
// writers, wrappers, expansions, redirections, variables, shell structure); every step the judge
// calls read-only is then really run with bash in a fresh temp folder holding canary files, and no
// canary may change. The run is held by bubblewrap: the whole filesystem read-only except that
// temp folder, every namespace unshared and every capability dropped, so that a judge bug cannot
// touch this machine.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { detectShell } from '../../src/runner/judge/shell.js'

const BWRAP = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-all', '--cap-drop', 'ALL', 'true']).status === 0

// f1, f2: canary files; d: a canary folder; the step runs in the folder that holds them.
const readers = [
  'cat f1', 'head -n 1 f1', 'tail -n 1 f2', 'wc -l f1 f2', 'grep -c a f1', 'sort f1', 'uniq f1', 'cut -c1 f1', 'ls -la',
  'stat f1', "sed -n '1p' f1", "awk '{ print $1 }' f1", 'find . -name f1', 'echo hi', "printf '%s\\n' x", 'true',
  'date +%s', 'test -f f1', '[ -d d ]', 'xxd f1', 'tr a b < f1', 'tee /dev/null < f1', 'md5sum f1', 'du -s .', 'df -h .',
  'find . -type f -exec cat {} +', 'gzip -c f1', 'tar -tf t.tar',
]
const writers = [
  'rm -f f1', 'mv f1 f3', 'cp f2 f1', 'ln -sf f2 f1', 'touch f3', 'truncate -s 0 f1', 'dd if=/dev/zero of=f1 count=1',
  "sed -i 's/a/b/' f1", 'sort -o f1 f2', 'uniq f2 f1', 'tee f1 < f2', 'find . -name f1 -delete', 'find . -name f1 -exec rm {} +',
  "perl -i -pe 's/a/b/' f1", "python3 -c 'open(\"f1\", \"w\")'", "awk 'BEGIN { system(\"rm f1\") }'", "awk '{ print > \"f1\" }' f2",
  'gzip f1', 'tar -cf f1 f2', 'xxd f2 f1', "sed -n 'w f1' f2", ': > f1', 'chmod 000 f1', 'mkdir d/e', 'rmdir d', 'split -l 1 f1',
  'install f2 f1', "sed 's/.*/rm f1/e' f2", 'find . -name f1 -fprint f2', 'tar -xf t.tar', 'touch -d 2000-01-01 f1',
]
const wrap = (cmd: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    cmd,
    `env LC_ALL=C ${cmd}`,
    `timeout 5 ${cmd}`,
    `nice -n 1 ${cmd}`,
    `command ${cmd}`,
    `stdbuf -oL ${cmd}`,
    `bash -c '${cmd.replace(/'/g, `'\\''`)}'`,
    `eval '${cmd.replace(/'/g, `'\\''`)}'`,
    `if true; then ${cmd}; fi`,
    `( ${cmd} )`,
    `{ ${cmd}; }`,
    `run() { ${cmd}; }; run`,
    `X=$(${cmd})`,
  )
/** Ways to hide or rebuild a command: a variable, a substitution, brace expansion, xargs. */
const expansions = fc.constantFrom('CMD=rm; $CMD -f f1', '$(echo rm) -f f1', '{rm,-f,f1}', 'echo f1 | xargs rm', 'X=f1; rm "$X"', 'F=f1; : > "$F"', 'D=.; echo x > "$D/f1"', "`printf 'rm'` f1", 'set -- rm f1; "$@"')
const redirect = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('', ' > /dev/null', ' 2>&1', ' >&2', ' > "$RUNBOOK_TMP/out"', ' >> "$RUNBOOK_OUTPUT"') },
  { weight: 2, arbitrary: fc.constantFrom(' > f1', ' >> f2', ' 2> f1', ' &> f1', ' >| f1', ' <> f1', ' > "$RUNBOOK_TMP/../work/f1"') },
)
const command = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...readers).chain(wrap) },
  { weight: 3, arbitrary: fc.constantFrom(...writers).chain(wrap) },
  { weight: 1, arbitrary: expansions },
)
const joiner = fc.constantFrom('; ', ' && ', ' || ', ' | ', '\n')
const step = fc
  .array(fc.tuple(command, redirect, joiner), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([c, r, j], i) => `${c}${r}${i < parts.length - 1 ? j : ''}`).join(''))

/** Every file under `dir` with its type, mode and contents. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, name)
    const st = statSync(p, { throwIfNoEntry: false })
    if (!st) {
      out[name] = 'dangling'
      continue
    }
    out[name] = `${st.isDirectory() ? 'dir' : 'file'} ${st.mode.toString(8)} ${st.isFile() ? readFileSync(p, 'base64') : ''}`
  }
  return out
}

function canaries(): { root: string; work: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rb-gen-'))
  const work = path.join(root, 'work')
  mkdirSync(work)
  mkdirSync(path.join(root, 'scratch'))
  writeFileSync(path.join(work, 'f1'), 'alpha\nbeta\n')
  writeFileSync(path.join(work, 'f2'), 'gamma\n')
  mkdirSync(path.join(work, 'd'))
  spawnSync('tar', ['-cf', 't.tar', 'f2'], { cwd: work })
  chmodSync(path.join(work, 'f1'), 0o644)
  return { root, work }
}

/** Runs bash in bubblewrap: only `root` is writable; no network, no capabilities. */
function runHeld(code: string, root: string, work: string): void {
  spawnSync(
    'bwrap',
    ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--bind', root, root, '--unshare-all', '--die-with-parent', '--cap-drop', 'ALL', '--chdir', work, 'bash', '-c', code],
    { env: { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C', RUNBOOK_TMP: path.join(root, 'scratch'), RUNBOOK_OUTPUT: path.join(root, 'output') }, input: '', timeout: 5_000, stdio: ['pipe', 'ignore', 'ignore'] },
  )
}

describe('generated shell steps', () => {
  it.skipIf(!BWRAP)('no step judged read-only changes a canary (run under bubblewrap)', async () => {
    const tally = { judged: 0, readOnly: 0 }
    await fc.assert(
      fc.asyncProperty(step, async (code) => {
        tally.judged++
        const d = await detectShell(code)
        if (d.destructive || d.syntaxErrors.length > 0) return
        tally.readOnly++
        const { root, work } = canaries()
        try {
          const before = snapshot(work)
          runHeld(code, root, work)
          expect(snapshot(work), `judged read-only, yet it changed a canary:\n${code}`).toEqual(before)
        } finally {
          rmSync(root, { recursive: true, force: true })
        }
      }),
      { numRuns: 400 },
    )
    console.log(`generated ${tally.judged} steps, ${tally.readOnly} judged read-only and run under bubblewrap with no canary changed`)
    // The grammar must exercise both sides, or the property says nothing.
    expect(tally.readOnly).toBeGreaterThan(20)
    expect(tally.judged - tally.readOnly).toBeGreaterThan(100)
  }, 60_000)

  it.skipIf(!BWRAP)('the harness sees a change when there is one (a writer run the same way)', () => {
    const { root, work } = canaries()
    try {
      const before = snapshot(work)
      runHeld('rm -f f1; echo x >> f2', root, work)
      expect(snapshot(work)).not.toEqual(before)
      // and bubblewrap holds: the rest of the filesystem is read-only
      runHeld(`echo x > ${path.join(os.tmpdir(), `rb-gen-escape-${process.pid}`)}`, root, work)
      expect(statSync(path.join(os.tmpdir(), `rb-gen-escape-${process.pid}`), { throwIfNoEntry: false })).toBeUndefined()
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
