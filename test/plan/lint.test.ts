// lint(runbook, plan) → diagnostics: one case per rule, each found at the right line, each with a
// clean counterpart that passes. (`runbook lint` over the project's own runbooks: test/cli/lint.test.ts.)
import { describe, expect, test } from 'vitest'
import { RUNBOOK_RULES, STEP_RULES } from '../../src/runner/plan/lint.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import type { Diagnostic } from '../../src/runner/model/runbook.js'
import { lineOf, lintText } from '../fixture-helpers.js'

const TODAY = '2025-06-01'

/** A runbook with the given front-matter lines and body. */
function doc(frontMatter: string, body: string): string {
  return `---\ntitle: Lint case\n${frontMatter ? frontMatter + '\n' : ''}---\n\n# Lint case\n\n${body}\n`
}
const step = (info: string, code: string) => `\`\`\`${info}\n${code}\n\`\`\`\n`

/** Stands for text a case does not pin down (a parser's or a detector's own words). */
const ANY = '\u0000'
/** A catalogue text as a whole-message pattern. */
const pattern = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').split(ANY).join('.*')}$`)

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
    message: pattern(msg.parse.invalidYaml(ANY)),
    clean: [doc('owner: "[closed]"', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'front matter that is not a mapping',
    rule: 'front-matter-shape',
    severity: 'error',
    bad: `---\n- a list\n---\n\n${step('bash {id=a}', 'echo ok')}`,
    at: '- a list',
    message: pattern(msg.parse.notMapping),
    clean: [`---\ntitle: a mapping\n---\n\n${step('bash {id=a}', 'echo ok')}`],
  },
  {
    name: 'front matter that breaks the schema',
    rule: 'front-matter-schema',
    severity: 'error',
    bad: doc('owner: 운영팀\nschedule: sometimes', step('bash {id=a}', 'echo ok')),
    at: 'schedule: sometimes',
    message: pattern(`schedule: ${msg.parse.expectedOneOf(['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'on-demand', 'incident'])}`),
    clean: [doc('owner: 운영팀\nschedule: daily', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'duplicate explicit step ids',
    rule: 'duplicate-id',
    severity: 'error',
    bad: doc('', step('bash {id=same}', 'echo one') + '\n' + step('sql {id=same}', 'SELECT 2;')),
    at: '```sql {id=same}',
    message: pattern(msg.parse.duplicateId('same', 7)),
    clean: [
      doc('', step('bash {id=same}', 'echo one') + '\n' + step('sql {id=other}', 'SELECT 2;')),
      doc('', step('bash', 'echo one') + '\n' + step('sql', 'SELECT 2;')),
    ],
  },
  {
    name: 'an unknown attribute (another tool\'s: ignored)',
    rule: 'unknown-attribute',
    severity: 'warning',
    bad: doc('', step('bash {id=a colour=red}', 'echo ok')),
    at: 'colour=red',
    message: pattern(msg.parse.unknownAttributeWarning('colour')),
    clean: [doc('', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'an attribute that looks like ours misspelt',
    rule: 'attributes',
    severity: 'error',
    bad: doc('', step('bash {id=a critcal}', 'echo ok')),
    at: 'critcal',
    message: pattern(msg.parse.looksMisspelt('critcal', 'critical')),
    clean: [doc('', step('bash {id=a critical}', 'echo ok'))],
  },
  {
    name: 'a bad timeout value',
    rule: 'attributes',
    severity: 'error',
    bad: doc('', step('bash {id=a timeout=soon}', 'echo ok')),
    at: 'timeout=soon',
    message: pattern(msg.parse.badDuration('timeout', 'soon')),
    clean: [doc('', step('bash {id=a timeout=30s}', 'echo ok')), doc('', step('bash {id=a timeout=1m30s}', 'echo ok'))],
  },
  {
    name: 'a detected destructive shell step that is not declared',
    rule: 'undeclared-destructive',
    severity: 'error',
    bad: doc('', step('bash {id=wipe}', 'echo start\nrm -rf /tmp/excelapp-cache')),
    at: '```bash {id=wipe}',
    message: pattern(msg.lint.undeclaredDestructive('wipe', `rm${ANY}`)),
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
    message: pattern(msg.lint.undeclaredDestructive('purge', `DELETE${ANY}`)),
    clean: [doc('', step('sql {id=purge destructive="old sessions"}', 'DELETE FROM sessions;')), doc('', step('sql {id=purge}', 'SELECT count(*) FROM sessions;'))],
  },
  {
    name: 'a detected destructive Redis step that is not declared',
    rule: 'undeclared-destructive',
    severity: 'error',
    bad: doc('', step('redis {id=flush}', 'PING\nFLUSHDB')),
    at: '```redis {id=flush}',
    message: pattern(msg.lint.undeclaredDestructive('flush', `FLUSHDB${ANY}`)),
    clean: [doc('', step('redis {id=flush destructive}', 'FLUSHDB')), doc('', step('redis {id=flush}', 'PING'))],
  },
  {
    name: 'a detected destructive TypeScript step that is not declared',
    rule: 'undeclared-destructive',
    severity: 'error',
    bad: doc('', step('ts {id=clean-tmp}', 'await $`rm -rf /tmp/excelapp-cache`')),
    at: '```ts {id=clean-tmp}',
    message: pattern(msg.lint.undeclaredDestructive('clean-tmp', `${ANY}rm${ANY}`)),
    clean: [doc('', step('ts {id=clean-tmp destructive}', 'await $`rm -rf /tmp/excelapp-cache`')), doc('', step('ts {id=clean-tmp}', 'await $`ls /tmp`'))],
  },
  {
    name: 'shell that bash -n rejects',
    rule: 'bash-n',
    severity: 'error',
    bad: doc('', step('bash {id=broken}', 'echo ok\necho )\necho after')),
    at: 'echo )',
    message: pattern(msg.lint.shellRejects('bash', 'broken', "syntax error near unexpected token `)'")),
    clean: [doc('', step('bash {id=broken}', 'echo ok\necho ")"\necho after')), doc('', step('bash {id=arrays}', 'x=(a b)\n[[ ${x[0]} == a ]] && echo "${x[@]}"'))],
  },
  {
    name: 'sh steps are checked with sh -n',
    rule: 'bash-n',
    severity: 'error',
    bad: doc('', step('sh {id=broken-sh}', 'if true; then\n  echo x\nfi fi')),
    at: 'fi fi',
    message: pattern(msg.lint.shellRejects('sh', 'broken-sh', ANY)),
    clean: [doc('', step('sh {id=broken-sh}', 'if true; then\n  echo x\nfi'))],
  },
  {
    name: 'TypeScript that does not parse',
    rule: 'syntax',
    severity: 'error',
    bad: doc('', step('ts {id=broken-ts}', 'const x = 1\nconst y = ;\nconsole.log(x, y)')),
    at: 'const y = ;',
    message: pattern(msg.lint.doesNotParse('TypeScript', 'broken-ts', ANY)),
    clean: [doc('', step('ts {id=broken-ts}', 'const x: number = 1\ninterface P { y: number }\nconst p = { y: x } satisfies P\nconsole.log(p as unknown)'))],
  },
  {
    name: 'JavaScript that does not parse',
    rule: 'syntax',
    severity: 'error',
    bad: doc('', step('js {id=broken-js}', 'console.log(1)\nconst = 1')),
    at: 'const = 1',
    message: pattern(msg.lint.doesNotParse('JavaScript', 'broken-js', ANY)),
    clean: [doc('', step('js {id=broken-js}', 'console.log(1)\nconst a = 1'))],
  },
  {
    name: 'SQL that does not parse',
    rule: 'syntax',
    severity: 'error',
    bad: doc('', step('sql {id=broken-sql}', 'SELECT 1;\nSELEC 2;')),
    at: 'SELEC 2;',
    message: pattern(msg.lint.doesNotParse('SQL', 'broken-sql', `${ANY}"SELEC"`)),
    clean: [doc('', step('sql {id=broken-sql}', 'SELECT 1;\nSELECT 2;'))],
  },
  ...(
    [
      // The refusal's own words are the SQL judge's; lint names the step and keeps them.
      ['BEGIN', 'BEGIN;', pattern(msg.lint.refused('tx', `${ANY}BEGIN${ANY}`))],
      ['COMMIT', 'COMMIT;', pattern(msg.lint.refused('tx', `${ANY}COMMIT${ANY}`))],
      ['ROLLBACK', 'ROLLBACK;', pattern(msg.lint.refused('tx', `${ANY}ROLLBACK${ANY}`))],
      ['START TRANSACTION', 'START TRANSACTION;', pattern(msg.lint.refused('tx', `${ANY}START TRANSACTION${ANY}`))],
      ['SET TRANSACTION', 'SET TRANSACTION READ WRITE;', pattern(msg.lint.refused('tx', `${ANY}SET TRANSACTION${ANY}`))],
      ['SET SESSION CHARACTERISTICS', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;', pattern(msg.lint.refused('tx', `${ANY}SET SESSION CHARACTERISTICS${ANY}`))],
      ['COPY … TO PROGRAM', "COPY users TO PROGRAM 'cat > /tmp/users';", pattern(msg.lint.refused('tx', `${ANY}TO PROGRAM${ANY}`))],
      ['COPY … FROM PROGRAM', "COPY users FROM PROGRAM 'curl -s http://x';", pattern(msg.lint.refused('tx', `${ANY}FROM PROGRAM${ANY}`))],
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
    message: pattern(msg.lint.autocommitNeedsDestructive('vacuum')),
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
    message: pattern(msg.lint.autocommitSqlOnly('sh-auto')),
    clean: [doc('', step('bash {id=sh-auto destructive}', 'echo hi'))],
  },
  {
    name: 'declared both safe and destructive',
    rule: 'safe-and-destructive',
    severity: 'error',
    bad: doc('', step('bash {id=both safe="reads" destructive}', 'echo hi')),
    at: '```bash {id=both',
    message: pattern(msg.lint.safeAndDestructive('both')),
    clean: [doc('', step('bash {id=both safe="reads"}', 'echo hi'))],
  },
  {
    name: 'a TS step that imports a module',
    rule: 'ts-import',
    severity: 'error',
    bad: doc('', step('ts {id=imports}', "const x = 1\nconst { parse } = await import('yaml')")),
    at: "const { parse } = await import('yaml')",
    message: pattern(msg.lint.tsImport('imports')),
    clean: [doc('', step('ts {id=imports}', "// import('yaml') is not needed\nconst doc = YAML.parse('a: 1')\nconsole.log(doc.important)"))],
  },
  {
    name: 'max-rows on a step that is not SQL',
    rule: 'sql-only-attributes',
    severity: 'warning',
    bad: doc('', step('bash {id=rows max-rows=5}', 'echo hi')),
    at: '```bash {id=rows',
    message: pattern(msg.lint.sqlOnlyAttributes('rows')),
    clean: [doc('', step('sql {id=rows max-rows=5 max-display=10}', 'SELECT 1;'))],
  },
  {
    name: 'rechecks naming a step that does not come earlier',
    rule: 'rechecks-earlier-step',
    severity: 'error',
    bad: doc('', step('bash {id=recheck rechecks=detect}', 'echo hi') + step('bash {id=detect}', 'echo hi')),
    at: '```bash {id=recheck',
    message: pattern(msg.lint.rechecksUnknown('recheck', 'detect')),
    clean: [doc('', step('bash {id=detect keep-going}', 'echo hi') + step('bash {id=recheck rechecks=detect}', 'echo hi'))],
  },
  {
    name: 'rechecks naming the step itself',
    rule: 'rechecks-earlier-step',
    severity: 'error',
    bad: doc('', step('bash {id=self rechecks=self}', 'echo hi')),
    at: '```bash {id=self',
    message: pattern(msg.lint.rechecksUnknown('self', 'self')),
    clean: [doc('', step('bash {id=self}', 'echo hi'))],
  },
  {
    name: 'keep-going and continue-on-error on one step',
    rule: 'keep-going-or-continue',
    severity: 'error',
    bad: doc('', step('bash {id=both keep-going continue-on-error}', 'echo hi')),
    at: '```bash {id=both',
    message: pattern(msg.lint.keepGoingAndContinue('both')),
    clean: [doc('', step('bash {id=both keep-going}', 'echo hi')), doc('', step('bash {id=both continue-on-error}', 'echo hi'))],
  },
  {
    name: 'quiet on a destructive step: a question cannot be left out there',
    rule: 'quiet-needs-read-only',
    severity: 'error',
    bad: doc('', step('bash {id=cleanup quiet}', 'rm -rf "$RUNBOOK_TMP/old"')),
    at: '```bash {id=cleanup',
    message: pattern(msg.lint.quietDestructive('cleanup')),
    clean: [doc('', step('bash {id=cleanup quiet}', 'echo recorded')), doc('', step('ts {id=mark quiet}', "state.done = true\nnote('stage done')"))],
  },
  {
    name: 'KEYS in a redis step: a warning naming SCAN',
    rule: 'redis-slow-command',
    severity: 'warning',
    bad: doc('', step('redis {id=sessions}', 'DBSIZE\nKEYS session:*')),
    at: 'KEYS session:*',
    message: pattern(msg.judge.redis.slowCommand('sessions', 'KEYS', 'SCAN')),
    clean: [doc('', step('redis {id=sessions}', 'DBSIZE\nSCAN 0 MATCH session:* COUNT 1000\nGET "KEYS *"'))],
  },
  {
    name: 'KEYS through redis-cli in a shell step',
    rule: 'redis-slow-command',
    severity: 'warning',
    bad: doc('', step('bash {id=count}', 'echo start\nredis-cli -h cache -n 2 keys "session:*" | wc -l')),
    at: 'redis-cli -h cache',
    message: pattern(msg.judge.redis.slowCommand('count', 'KEYS', 'SCAN')),
    clean: [doc('', step('bash {id=count}', "redis-cli -h cache -n 2 --scan --pattern 'session:*' | wc -l\nredis-cli -p 6380 DBSIZE"))],
  },
  {
    name: 'redis.keys in a TS step',
    rule: 'redis-slow-command',
    severity: 'warning',
    bad: doc('', step('ts {id=count}', "note('x')\nconst keys = await redis.keys('session:*')")),
    at: 'redis.keys',
    message: pattern(msg.judge.redis.slowCommand('count', 'KEYS', 'SCAN')),
    clean: [doc('', step('ts {id=count}', "const [next, keys] = await redis.scan('0', 'MATCH', 'session:*')"))],
  },
  {
    name: 'redact-columns on a step that is not SQL',
    rule: 'sql-only-attributes',
    severity: 'warning',
    bad: doc('', step('bash {id=rows redact-columns=email}', 'echo hi')),
    at: '```bash {id=rows',
    message: pattern(msg.lint.sqlOnlyAttributes('rows')),
    clean: [doc('', step('sql {id=rows destructive redact-columns=email}', 'DELETE FROM t;'))],
  },
  {
    name: 'a required env var without a description',
    rule: 'env-description',
    severity: 'error',
    bad: doc('env:\n  APP_URL: http://localhost\n  DATABASE_URL: { required: true, secret: true }', step('bash {id=a}', 'echo ok')),
    at: 'DATABASE_URL:',
    message: pattern(msg.lint.envDescription('DATABASE_URL')),
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
    message: pattern(msg.lint.envDescription('DATABASE_URL')),
    clean: [doc('owner: 운영팀\nenv: { DATABASE_URL: { required: true, description: DB } }', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'a choice input without choices',
    rule: 'choice-input',
    severity: 'error',
    bad: doc('inputs:\n  ticket: { description: 티켓 }\n  severity: { type: choice }', step('bash {id=a}', 'echo ok')),
    at: 'severity:',
    message: pattern(msg.lint.choiceWithoutChoices('severity')),
    clean: [doc('inputs:\n  severity: { type: choice, choices: [P0, P1] }', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'review.next in the past (block mapping)',
    rule: 'review-overdue',
    severity: 'warning',
    bad: doc('review:\n  last: 2025-01-01\n  next: 2025-05-31', step('bash {id=a}', 'echo ok')),
    at: 'next: 2025-05-31',
    message: pattern(msg.lint.reviewOverdue('2025-05-31')),
    clean: [doc('review:\n  last: 2025-01-01\n  next: 2025-06-01', step('bash {id=a}', 'echo ok')), doc('review: { last: 2025-01-01 }', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'review.next in the past (flow mapping)',
    rule: 'review-overdue',
    severity: 'warning',
    bad: doc('owner: 운영팀\nreview: { last: 2024-01-01, next: 2024-12-31 }', step('bash {id=a}', 'echo ok')),
    at: 'review: {',
    message: pattern(msg.lint.reviewOverdue('2024-12-31')),
    clean: [doc('owner: 운영팀\nreview: { last: 2024-01-01, next: 2099-12-31 }', step('bash {id=a}', 'echo ok'))],
  },
  {
    name: 'the source document is past its own review date, while the runbook is current',
    rule: 'source-overdue',
    severity: 'warning',
    bad: doc('review: { last: 2025-05-01, next: 2099-12-31 }\nsource: { guide: docs/guide/g.md, section: "백업", reviewed: 2025-01-19, next: 2025-04-19 }', step('bash {id=a}', 'echo ok')),
    at: 'source: {',
    message: pattern(msg.lint.sourceOverdue('docs/guide/g.md', '2025-04-19')),
    clean: [
      doc('source: { guide: docs/guide/g.md, reviewed: 2025-01-19, next: 2025-06-01 }', step('bash {id=a}', 'echo ok')),
      doc('source: { guide: docs/guide/g.md }', step('bash {id=a}', 'echo ok')),
    ],
  },
  {
    name: 'a probe that is not proven read-only',
    rule: 'probe-not-read-only',
    severity: 'error',
    bad: doc('', step('bash {id=a destructive probe="rm -f /tmp/rb-lint-probe"}', 'echo ok')),
    at: '```bash {id=a',
    message: pattern(msg.lint.probeNotReadOnly('a', 'rm -f /tmp/rb-lint-probe', ANY)),
    clean: [doc('', step('bash {id=a probe="test -d /tmp"}', 'echo ok'))],
  },
  {
    name: 'an escape byte in a step that hides what runs',
    rule: 'control-characters',
    severity: 'error',
    bad: doc('', step('bash {id=a}', 'echo one\nrm -f /tmp/rb-lint-x\u001b[2K\u001b[1Gdf -h /')),
    at: 'rm -f /tmp/rb-lint-x',
    message: pattern(msg.lint.controlChars('a', '␛ ␛', '21, 25')),
    clean: [doc('', step('bash {id=a}', "echo one\n\tprintf '\\033[1m%s\\n' bold"))],
  },
  {
    name: 'a bidi override in a step',
    rule: 'control-characters',
    severity: 'error',
    bad: doc('', step('bash {id=a}', 'echo one\necho "abc\u202Edef"')),
    at: 'echo "abc',
    message: pattern(msg.lint.controlChars('a', 'U+202E', '10')),
    clean: [doc('', step('bash {id=a}', 'echo "한글 abc"'))],
  },
  {
    name: 'a runbook without steps or checklist items',
    rule: 'no-steps',
    severity: 'warning',
    bad: doc('', 'Only prose.\n\n```text\nshown\n```'),
    at: '---',
    message: pattern(msg.lint.noSteps),
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
    expect(found.map((d) => d.rule)).toEqual(['review-overdue', 'env-description', 'unknown-attribute', 'undeclared-destructive', 'duplicate-id', 'refused-sql'])
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
