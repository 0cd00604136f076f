// lint(runbook, plan) → diagnostics: one case per rule, each found at the right line, each with a
// clean counterpart that passes; and the project's own runbooks lint clean.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { RUNBOOK_RULES, STEP_RULES } from '../src/runner/plan/lint.js'
import type { Diagnostic } from '../src/runner/model/runbook.js'
import { lineOf, lintText, ROOT } from './fixture-helpers.js'

const TODAY = '2025-06-01'

/** A runbook with the given front-matter lines and body. */
function doc(frontMatter: string, body: string): string {
  return `---\ntitle: Lint case\n${frontMatter ? frontMatter + '\n' : ''}---\n\n# Lint case\n\n${body}\n`
}
const step = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`

interface Case {
  name: string
  rule: string
  severity: 'error' | 'warning'
  bad: string
  /** Text on the line the diagnostic must point at (the first line containing it). */
  at: string
  message: RegExp
  clean: string[]
}

const CASES: Case[] = [
  {
    name: 'invalid YAML in the front matter',
    rule: 'front-matter-yaml',
    severity: 'error',
    bad: doc('owner: [unclosed', step('bash {id=a}', 'echo ok')),
    at: 'owner: [unclosed',
    message: /^invalid YAML in front matter: /,
    clean: [doc('owner: "[closed]"', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'front matter that is not a mapping',
    rule: 'front-matter-shape',
    severity: 'error',
    bad: `---\n- a list\n---\n\n${step('bash {id=a}', 'echo ok')}`,
    at: '- a list',
    message: /^front matter must be a mapping/,
    clean: [`---\ntitle: a mapping\n---\n\n${step('bash {id=a}', 'echo ok')}`],
  },
  {
    name: 'front matter that breaks the schema',
    rule: 'front-matter-schema',
    severity: 'error',
    bad: doc('owner: 운영팀\nschedule: sometimes', step('bash {id=a}', 'echo ok')),
    at: 'schedule: sometimes',
    message: /^schedule: expected one of daily, /,
    clean: [doc('owner: 운영팀\nschedule: daily', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'duplicate explicit step ids',
    rule: 'duplicate-id',
    severity: 'error',
    bad: doc('', step('bash {id=same}', 'echo one') + '\n' + step('sql {id=same}', 'SELECT 2;')),
    at: '```sql {id=same}',
    message: /^step id "same" is already used by the step at line 7; give each step its own id$/,
    clean: [
      doc('', step('bash {id=same}', 'echo one') + '\n' + step('sql {id=other}', 'SELECT 2;')),
      doc('', step('bash', 'echo one') + '\n' + step('sql', 'SELECT 2;')),
    ],
  },
  {
    name: 'an unknown attribute',
    rule: 'attributes',
    severity: 'error',
    bad: doc('', step('bash {id=a colour=red}', 'echo ok')),
    at: 'colour=red',
    message: /^unknown attribute "colour"/,
    clean: [doc('', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'a bad timeout value',
    rule: 'attributes',
    severity: 'error',
    bad: doc('', step('bash {id=a timeout=soon}', 'echo ok')),
    at: 'timeout=soon',
    message: /^bad timeout "soon": write a duration like 30s/,
    clean: [doc('', step('bash {id=a timeout=30s}', 'echo ok')), doc('', step('bash {id=a timeout=1m30s}', 'echo ok'))],
  },
  {
    name: 'a detected destructive shell step that is not declared',
    rule: 'undeclared-destructive',
    severity: 'error',
    bad: doc('', step('bash {id=wipe}', 'echo start\nrm -rf /tmp/excelapp-cache')),
    at: '```bash {id=wipe}',
    message: /^step "wipe" looks destructive \(rm deletes files\); declare it \{destructive\}, \{critical\}, or \{safe="why"\} if it is not$/,
    clean: [
      doc('', step('bash {id=wipe destructive}', 'rm -rf /tmp/excelapp-cache')),
      doc('', step('bash {id=wipe critical}', 'rm -rf /tmp/excelapp-cache')),
      doc('', step('bash {id=wipe safe="a scratch folder"}', 'rm -rf /tmp/excelapp-cache')),
      doc('', step('bash {id=wipe}', 'ls /tmp/excelapp-cache')),
    ],
  },
  {
    name: 'a detected destructive SQL step that is not declared',
    rule: 'undeclared-destructive',
    severity: 'error',
    bad: doc('', step('sql {id=purge}', "DELETE FROM sessions WHERE updated_at < now() - interval '30 days';")),
    at: '```sql {id=purge}',
    message: /^step "purge" looks destructive \(DELETE/,
    clean: [doc('', step('sql {id=purge destructive="old sessions"}', 'DELETE FROM sessions;')), doc('', step('sql {id=purge}', 'SELECT count(*) FROM sessions;'))],
  },
  {
    name: 'a detected destructive Redis step that is not declared',
    rule: 'undeclared-destructive',
    severity: 'error',
    bad: doc('', step('redis {id=flush}', 'PING\nFLUSHDB')),
    at: '```redis {id=flush}',
    message: /^step "flush" looks destructive \(FLUSHDB/,
    clean: [doc('', step('redis {id=flush destructive}', 'FLUSHDB')), doc('', step('redis {id=flush}', 'PING'))],
  },
  {
    name: 'a detected destructive TypeScript step that is not declared',
    rule: 'undeclared-destructive',
    severity: 'error',
    bad: doc('', step('ts {id=clean-tmp}', 'await $`rm -rf /tmp/excelapp-cache`')),
    at: '```ts {id=clean-tmp}',
    message: /^step "clean-tmp" looks destructive \(.*rm deletes files/,
    clean: [doc('', step('ts {id=clean-tmp destructive}', 'await $`rm -rf /tmp/excelapp-cache`')), doc('', step('ts {id=clean-tmp}', 'await $`ls /tmp`'))],
  },
  {
    name: 'shell that bash -n rejects',
    rule: 'bash-n',
    severity: 'error',
    bad: doc('', step('bash {id=broken}', 'echo ok\necho )\necho after')),
    at: 'echo )',
    message: /^bash -n rejects step "broken": syntax error near unexpected token `\)'$/,
    clean: [doc('', step('bash {id=broken}', 'echo ok\necho ")"\necho after')), doc('', step('bash {id=arrays}', 'x=(a b)\n[[ ${x[0]} == a ]] && echo "${x[@]}"'))],
  },
  {
    name: 'sh steps are checked with sh -n',
    rule: 'bash-n',
    severity: 'error',
    bad: doc('', step('sh {id=broken-sh}', 'if true; then\n  echo x\nfi fi')),
    at: 'fi fi',
    message: /^sh -n rejects step "broken-sh": \D/,
    clean: [doc('', step('sh {id=broken-sh}', 'if true; then\n  echo x\nfi'))],
  },
  {
    name: 'TypeScript that does not parse',
    rule: 'syntax',
    severity: 'error',
    bad: doc('', step('ts {id=broken-ts}', 'const x = 1\nconst y = ;\nconsole.log(x, y)')),
    at: 'const y = ;',
    message: /^TypeScript in step "broken-ts" does not parse: /,
    clean: [doc('', step('ts {id=broken-ts}', 'const x: number = 1\ninterface P { y: number }\nconst p = { y: x } satisfies P\nconsole.log(p as unknown)'))],
  },
  {
    name: 'JavaScript that does not parse',
    rule: 'syntax',
    severity: 'error',
    bad: doc('', step('js {id=broken-js}', 'console.log(1)\nconst = 1')),
    at: 'const = 1',
    message: /^JavaScript in step "broken-js" does not parse: /,
    clean: [doc('', step('js {id=broken-js}', 'console.log(1)\nconst a = 1'))],
  },
  {
    name: 'SQL that does not parse',
    rule: 'syntax',
    severity: 'error',
    bad: doc('', step('sql {id=broken-sql}', 'SELECT 1;\nSELEC 2;')),
    at: 'SELEC 2;',
    message: /^SQL in step "broken-sql" does not parse: syntax error at or near "SELEC"$/,
    clean: [doc('', step('sql {id=broken-sql}', 'SELECT 1;\nSELECT 2;'))],
  },
  ...(
    [
      ['BEGIN', 'BEGIN;', /^step "tx": BEGIN is refused: the runner owns the transaction/],
      ['COMMIT', 'COMMIT;', /^step "tx": COMMIT is refused/],
      ['ROLLBACK', 'ROLLBACK;', /^step "tx": ROLLBACK is refused/],
      ['START TRANSACTION', 'START TRANSACTION;', /^step "tx": START TRANSACTION is refused/],
      ['SET TRANSACTION', 'SET TRANSACTION READ WRITE;', /^step "tx": SET TRANSACTION is refused/],
      ['SET SESSION CHARACTERISTICS', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;', /^step "tx": SET SESSION CHARACTERISTICS is refused/],
      ['COPY … TO PROGRAM', "COPY users TO PROGRAM 'cat > /tmp/users';", /^step "tx": COPY … TO PROGRAM is refused/],
      ['COPY … FROM PROGRAM', "COPY users FROM PROGRAM 'curl -s http://x';", /^step "tx": COPY … FROM PROGRAM is refused/],
    ] as const
  ).map(
    ([name, sql, message]): Case => ({
      name: `SQL with ${name}`,
      rule: 'refused-sql',
      severity: 'error',
      bad: doc('', step('sql {id=tx}', `SELECT 1;\n${sql}`)),
      at: sql,
      message,
      clean: [doc('', step('sql {id=tx}', "SELECT 1;\nSET statement_timeout = '5s';\nCOPY users TO STDOUT;"))],
    }),
  ),
  {
    name: 'autocommit without destructive or critical',
    rule: 'autocommit-needs-destructive',
    severity: 'error',
    bad: doc('', step('sql {id=vacuum autocommit safe="vacuum only"}', 'VACUUM ANALYZE users;')),
    at: '```sql {id=vacuum',
    message: /^step "vacuum": autocommit runs without a transaction, so it must be declared \{destructive\} or \{critical\}$/,
    clean: [
      doc('', step('sql {id=vacuum autocommit destructive}', 'VACUUM ANALYZE users;')),
      doc('', step('sql {id=vacuum autocommit critical}', 'VACUUM ANALYZE users;')),
    ],
  },
  {
    name: 'autocommit on a step that is not SQL',
    rule: 'autocommit-needs-destructive',
    severity: 'error',
    bad: doc('', step('bash {id=sh-auto autocommit destructive}', 'echo hi')),
    at: '```bash {id=sh-auto',
    message: /^step "sh-auto": autocommit applies to sql steps only$/,
    clean: [doc('', step('bash {id=sh-auto destructive}', 'echo hi'))],
  },
  {
    name: 'declared both safe and destructive',
    rule: 'safe-and-destructive',
    severity: 'error',
    bad: doc('', step('bash {id=both safe="reads" destructive}', 'echo hi')),
    at: '```bash {id=both',
    message: /^step "both" is declared both safe and destructive; keep one$/,
    clean: [doc('', step('bash {id=both safe="reads"}', 'echo hi'))],
  },
  {
    name: 'a TS step that imports a module',
    rule: 'ts-import',
    severity: 'error',
    bad: doc('', step('ts {id=imports}', "const x = 1\nconst { parse } = await import('yaml')")),
    at: "const { parse } = await import('yaml')",
    message: /^step "imports" imports a module; steps cannot import/,
    clean: [doc('', step('ts {id=imports}', "// import('yaml') is not needed\nconst doc = YAML.parse('a: 1')\nconsole.log(doc.important)"))],
  },
  {
    name: 'max-rows on a step that is not SQL',
    rule: 'sql-only-attributes',
    severity: 'warning',
    bad: doc('', step('bash {id=rows max-rows=5}', 'echo hi')),
    at: '```bash {id=rows',
    message: /^step "rows": max-rows and max-display apply to sql steps only$/,
    clean: [doc('', step('sql {id=rows max-rows=5 max-display=10}', 'SELECT 1;'))],
  },
  {
    name: 'a required env var without a description',
    rule: 'env-description',
    severity: 'error',
    bad: doc('env:\n  APP_URL: http://localhost\n  DATABASE_URL: { required: true, secret: true }', step('bash {id=a}', 'echo ok')),
    at: 'DATABASE_URL:',
    message: /^required env DATABASE_URL needs a description/,
    clean: [
      doc('env:\n  DATABASE_URL: { required: true, secret: true, description: 운영 DB }', step('bash {id=a}', 'echo ok')),
      doc('env:\n  DATABASE_URL: { secret: true }', step('bash {id=a}', 'echo ok')),
    ],
  },
  {
    name: 'a required env var without a description, in a flow mapping',
    rule: 'env-description',
    severity: 'error',
    bad: doc('owner: 운영팀\nenv: { DATABASE_URL: { required: true } }', step('bash {id=a}', 'echo ok')),
    at: 'env: {',
    message: /^required env DATABASE_URL needs a description/,
    clean: [doc('owner: 운영팀\nenv: { DATABASE_URL: { required: true, description: DB } }', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'a choice input without choices',
    rule: 'choice-input',
    severity: 'error',
    bad: doc('inputs:\n  ticket: { description: 티켓 }\n  severity: { type: choice }', step('bash {id=a}', 'echo ok')),
    at: 'severity:',
    message: /^input severity is a choice but lists no choices$/,
    clean: [doc('inputs:\n  severity: { type: choice, choices: [P0, P1] }', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'review.next in the past (block mapping)',
    rule: 'review-overdue',
    severity: 'warning',
    bad: doc('review:\n  last: 2025-01-01\n  next: 2025-05-31', step('bash {id=a}', 'echo ok')),
    at: 'next: 2025-05-31',
    message: /^review was due on 2025-05-31; review the runbook and update review\.next$/,
    clean: [doc('review:\n  last: 2025-01-01\n  next: 2025-06-01', step('bash {id=a}', 'echo ok')), doc('review: { last: 2025-01-01 }', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'review.next in the past (flow mapping)',
    rule: 'review-overdue',
    severity: 'warning',
    bad: doc('owner: 운영팀\nreview: { last: 2024-01-01, next: 2024-12-31 }', step('bash {id=a}', 'echo ok')),
    at: 'review: {',
    message: /^review was due on 2024-12-31; /,
    clean: [doc('owner: 운영팀\nreview: { last: 2024-01-01, next: 2099-12-31 }', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'a runbook without steps or checklist items',
    rule: 'no-steps',
    severity: 'warning',
    bad: doc('', 'Only prose.\n\n```text\nshown\n```'),
    at: '---',
    message: /^no executable steps or checklist items$/,
    clean: [doc('', 'Only a checklist.\n\n- [ ] done'), doc('', step('redis {id=p}', 'PING'))],
  },
]

function ofRule(diagnostics: Diagnostic[], rule: string): Diagnostic[] {
  return diagnostics.filter((d) => d.rule === rule)
}

describe('every lint rule', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const found = ofRule(await lintText(c.bad, 'runbooks/case.md', TODAY), c.rule)
    expect(found, JSON.stringify(found)).toHaveLength(1)
    expect(found[0]).toMatchObject({ file: 'runbooks/case.md', line: lineOf(c.bad, c.at), severity: c.severity, rule: c.rule })
    expect(found[0]!.message).toMatch(c.message)
    for (const clean of c.clean) {
      const all = await lintText(clean, 'runbooks/case.md', TODAY)
      expect(all, clean).toEqual([])
    }
  })

  test('the cases cover every rule lint has', () => {
    const covered = new Set(CASES.map((c) => c.rule))
    for (const rule of [...Object.keys(STEP_RULES), ...Object.keys(RUNBOOK_RULES)]) expect(covered, rule).toContain(rule)
    for (const rule of ['front-matter-yaml', 'front-matter-shape', 'front-matter-schema', 'duplicate-id', 'attributes']) expect(covered).toContain(rule)
  })
})

describe('lint as a whole', () => {
  test('a shell syntax error is reported once, by bash -n', async () => {
    const text = doc('', step('bash {id=b}', 'if true; then\n  echo x'))
    const found = await lintText(text, 'x.md', TODAY)
    expect(found.map((d) => d.rule)).toEqual(['bash-n'])
    expect(found[0]!.line).toBe(lineOf(text, '```', 'echo x'))
  })

  test('diagnostics come sorted by line, parse problems first among equals', async () => {
    const text = doc(
      'review: { next: 2000-01-01 }\nenv:\n  A: { required: true }',
      step('bash {id=x colour=red}', 'rm -rf /tmp/x') + '\n' + step('sql {id=x}', 'BEGIN;'),
    )
    const found = await lintText(text, 'x.md', TODAY)
    expect(found.map((d) => d.line)).toEqual([...found.map((d) => d.line)].sort((a, b) => a - b))
    expect(found.map((d) => d.rule)).toEqual(['review-overdue', 'env-description', 'attributes', 'undeclared-destructive', 'duplicate-id', 'refused-sql'])
  })

  test('the same problem is not reported twice', async () => {
    const found = await lintText(doc('', step('sql {id=x}', 'BEGIN;\nBEGIN;')), 'x.md', TODAY)
    expect(found.filter((d) => d.rule === 'refused-sql')).toHaveLength(2)
    expect(new Set(found.map((d) => `${d.line}:${d.message}`)).size).toBe(found.length)
  })

  test('a skipped example is still linted (an operator may remove {skip})', async () => {
    const found = await lintText(doc('', step('bash {id=ex skip}', 'rm -rf /tmp/x')), 'x.md', TODAY)
    expect(found.map((d) => d.rule)).toEqual(['undeclared-destructive'])
  })
})

describe('the project\'s own runbooks', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist', 'cli.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT })
  })

  test('`runbook lint runbooks/` exits 0', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    delete env.FORCE_COLOR
    const result = spawnSync(process.execPath, ['bin/runbook', 'lint', 'runbooks/'], { cwd: ROOT, env, encoding: 'utf8' })
    expect(result.stdout.split('\n').filter((l) => / error: /.test(l))).toEqual([])
    expect(result.status, result.stdout + result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^\d+ runbooks? checked: 0 errors, \d+ warnings?\n$/)
  })
})
