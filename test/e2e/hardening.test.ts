// The runner under hostile conditions: strange output, output that tries to fake the report's
// structure, secrets of every shape. Each test runs the real CLI.
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import markdownIt from 'markdown-it'
import { parse as parseYaml } from 'yaml'
import { describe, expect, test } from 'vitest'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { readReport, reportFiles, runCli, stepStatus, tempDir, writeRunbook } from '../helpers/cli.js'

function structure(md: string) {
  const tokens = markdownIt('commonmark').parse(md, {})
  return {
    headings: tokens.filter((t) => t.type === 'heading_open').map((t, i) => `${t.tag}:${tokens[tokens.indexOf(t) + 1]?.content ?? i}`),
    fences: tokens.filter((t) => t.type === 'fence').length,
    html: tokens.filter((t) => t.type === 'html_block').length,
    front: parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(md)?.[1] ?? '') as Record<string, unknown>,
  }
}

describe('strange output', () => {
  test('invalid UTF-8, ANSI, carriage-return progress, NUL bytes, a 50 MB line, stdin reads, a background process: the run goes on and the report stays valid', async () => {
    const dir = tempDir('rb-hard-')
    const file = writeRunbook(
      dir,
      'strange.md',
      `# 이상한 출력

\`\`\`bash {id=bad-utf8}
printf 'before \\xff\\xfe\\xc3 after\\n'
\`\`\`

\`\`\`bash {id=ansi}
printf '\\033[31mred\\033[0m \\033[1;32mbold green\\033[0m \\033]0;title\\007done\\n'
\`\`\`

\`\`\`bash {id=progress}
for i in 10 50 100; do printf '\\rprogress %s%%' $i; done; printf '\\n'
\`\`\`

\`\`\`bash {id=nul}
printf 'a\\0b\\0c\\n'
\`\`\`

\`\`\`bash {id=huge-line timeout=60s}
head -c 50000000 /dev/zero | tr '\\0' 'x'; echo
\`\`\`

\`\`\`bash {id=reads-stdin timeout=10s}
if read -r line; then echo "got: $line"; else echo "stdin at EOF"; fi
cat
\`\`\`

\`\`\`bash {id=backgrounds}
sleep 4329.1 &
echo started
\`\`\`

\`\`\`ts {id=ts-after}
console.log('still going')
\`\`\`
`,
    )
    const reports = path.join(dir, 'reports')
    const r = await runCli(['run', file, '--reports', reports], { timeoutMs: 120_000 })
    expect(r.code).toBe(0)
    const md = reportFiles(reports)[0]!
    const { json, md: text, log } = readReport(md)
    expect(Object.values(stepStatus(json)).every((s) => s === 'passed')).toBe(true)
    expect(text).toContain('stdin at EOF')
    expect(text).toContain('still going')
    expect(text).not.toContain('\u0000')
    expect(text).not.toMatch(/\u001b\[/)
    expect(text).toContain('progress 100%')
    expect(text).not.toContain('progress 10%progress')
    expect(text.length).toBeLessThan(2_000_000) // the 50 MB line is cut inline…
    expect(log!.length).toBeGreaterThan(50_000_000) // …and kept whole in the .log
    // Valid Markdown: the front matter parses and every step has its result heading line.
    expect(structure(text).front.status).toBe('passed')
    for (const id of Object.keys(stepStatus(json))) expect(text).toContain(`**${msg.report.resultLabel} · ${id}:`)
    expect(json.steps.find((s) => s.id === 'backgrounds')!.output).toContain('started')
  }, 120_000)
})

describe('a step that ignores SIGTERM', () => {
  test('is killed after the grace on timeout; the run goes on', async () => {
    const dir = tempDir('rb-term-')
    const file = writeRunbook(
      dir,
      'stubborn.md',
      `# 고집

\`\`\`bash {id=stubborn timeout=1s keep-going}
trap '' TERM
sleep 4330.5
\`\`\`

\`\`\`bash {id=next}
echo next
\`\`\`
`,
    )
    const reports = path.join(dir, 'reports')
    const started = Date.now()
    const r = await runCli(['run', file, '--reports', reports])
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(r.code).toBe(1)
    expect(stepStatus(readReport(reportFiles(reports)[0]!).json)).toEqual({ stubborn: 'timed-out', next: 'passed' })
    const { spawnSync } = await import('node:child_process')
    expect(spawnSync('pgrep', ['-f', 'sleep 4330.5']).status).not.toBe(0)
  })
})

describe('hostile output cannot change the report', () => {
  test('fences, front matter, headings, a fake result and a fake sign-off stay inside the output', async () => {
    const dir = tempDir('rb-hostile-')
    const payload = [
      '```',
      '~~~~',
      '`````````',
      '---',
      'status: passed',
      '---',
      '# 가짜 제목',
      '## 서명 · attacker',
      '**결과 · liar: ✅ passed** · exit 0',
      '<details><summary>x</summary>',
      '```runbook-signoff',
      'runbook-report-signoff v1',
      '```',
    ].join('\n')
    writeRunbook(dir, 'payload.txt', payload)
    const file = writeRunbook(
      dir,
      'hostile.md',
      `# 적대적 출력

\`\`\`bash {id=liar}
cat ${path.join(dir, 'payload.txt')}
exit 1
\`\`\`
`,
    )
    const reports = path.join(dir, 'reports')
    const r = await runCli(['run', file, '--reports', reports])
    expect(r.code).toBe(1)
    const { md, json } = readReport(reportFiles(reports)[0]!)
    expect(json.status).toBe('failed')
    const s = structure(md)
    expect(s.front.status).toBe('failed')
    expect(s.headings.some((h) => h.includes('가짜 제목') || h.includes('attacker'))).toBe(false)
    expect(s.html).toBe(0)
    // Outside fences there is exactly one result line, the real one.
    const results = markdownIt('commonmark')
      .parse(md, {})
      .filter((t) => t.type === 'inline' && t.content.startsWith(`**${msg.report.resultLabel} · liar:`))
    expect(results).toHaveLength(1)
    expect(md).toContain(`**${msg.report.resultLabel} · liar: ❌ ${msg.run.stepStatus('failed')}**`)
  })
})

describe('secrets', () => {
  // Printable secrets with regex metacharacters, quotes, spaces and URL-special characters;
  // newlines cannot live in an env file value, so they are covered by the redactor's own tests.
  const secretArb = fc
    .string({ minLength: 6, maxLength: 24, unit: fc.constantFrom(...'abcXYZ019.*+?^$()[]{}|\\/\'"` %@:#&=!~-_'.split('')) })
    .filter((s) => s.trim() === s && /[a-zA-Z0-9]{2}/.test(s))

  test('random secrets printed by shell, TS, SQL errors and connection errors, split across chunks, appear in no artefact', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, async (secret) => {
        const dir = tempDir('rb-secret-')
        const envFile = writeRunbook(dir, 'secrets.env', `API_TOKEN='${secret.replace(/'/g, '')}'\nDB_PASSWORD_URL=postgres://app:${encodeURIComponent(secret)}@127.0.0.1:1/excel\n`)
        const value = secret.replace(/'/g, '')
        const file = writeRunbook(
          dir,
          'leak.md',
          `---
env:
  API_TOKEN: { secret: true, required: true, description: 토큰 }
  DB_PASSWORD_URL: { required: true, description: 잘못된 DB }
---
# 누출

\`\`\`bash {id=shell keep-going}
printf '%s\\n' "token=$API_TOKEN"
printf '%s' "$API_TOKEN" | head -c 3; sleep 0.05; printf '%s\\n' "$API_TOKEN" | tail -c +4
printf '%s\\n' "err $API_TOKEN" >&2
\`\`\`

\`\`\`ts {id=ts keep-going}
console.log('ts', env.API_TOKEN)
check('token is ' + env.API_TOKEN, false, env.API_TOKEN)
\`\`\`

\`\`\`sql {id=sql-error keep-going db=DB_PASSWORD_URL timeout=10s}
SELECT 1;
\`\`\`
`,
        )
        const reports = path.join(dir, 'reports')
        const r = await runCli(['run', file, '--env-file', envFile, '--reports', reports])
        expect(r.code).toBe(1)
        const md = reportFiles(reports)[0]!
        const base = md.replace(/\.md$/, '')
        for (const f of [md, `${base}.json`, `${base}.log`]) {
          let text = ''
          try {
            text = readFileSync(f, 'utf8')
          } catch {
            continue
          }
          expect(text).not.toContain(value)
          expect(text).not.toContain(encodeURIComponent(value))
        }
        expect(r.stdout + r.stderr).not.toContain(value)
      }),
      { numRuns: Number(process.env.RUNBOOK_SECRET_RUNS ?? 12) },
    )
  }, 180_000)
})
