// The fail-closed rule on functions, SQL given as text, settings and COPY, and what the judge tells
// a preview (effects a rollback does not undo, notes). Verdicts through the catalogue's phrases.
import { describe, expect, it } from 'vitest'
import { detectShell } from '../../src/runner/judge/shell.js'
import { detectSql, sqlPreviewFacts } from '../../src/runner/judge/sql.js'
import { CATALOG_READ_ONLY, HARMLESS_VOLATILE } from '../../src/runner/judge/sql/functions-readonly.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { expectJudged } from '../helpers/judge.js'

const says = msg.judge.sql
type Case = [label: string, sql: string, destructive: boolean, mention?: RegExp | string]

const functions: Case[] = [
  ['built-in immutable', "SELECT lower('X'), abs(-1), length('abc'), coalesce(NULL, 1)", false],
  ['built-in stable', "SELECT now(), current_setting('work_mem'), pg_backend_pid(), to_char(now(), 'YYYY')", false],
  ['aggregates and window functions', 'SELECT count(*), sum(x), row_number() OVER () FROM t GROUP BY x', false],
  ['listed volatile: clock, random, sizes', "SELECT random(), clock_timestamp(), timeofday(), pg_relation_size('t'), pg_total_relation_size('t')", false],
  ['listed volatile: blocking pids, recovery', 'SELECT pg_blocking_pids(pid), pg_is_in_recovery() FROM pg_stat_activity', false],
  ['pg_stat_statements()', 'SELECT * FROM pg_stat_statements(true)', false],
  ['SQL-syntax functions', "SELECT extract(year FROM now()), substring('abc' FROM 2), trim(' x '), now() AT TIME ZONE 'UTC'", false],
  ['user function', 'SELECT cleanup_sessions()', true, says.unknownFunction('cleanup_sessions')],
  ['user function in FROM', 'SELECT * FROM my_report(1)', true, says.unknownFunction('my_report')],
  ['user function in WHERE', 'SELECT 1 FROM t WHERE audit(t.id)', true, says.unknownFunction('audit')],
  ['public-qualified built-in name', "SELECT public.lower('x')", true, says.unknownFunction('public.lower')],
  ['other schema', 'SELECT app.now()', true, says.unknownFunction('app.now')],
  ['quoted name is not the built-in', 'SELECT "ABS"(1)', true, says.unknownFunction('ABS')],
  ['pg_catalog-qualified built-in', "SELECT pg_catalog.lower('x'), pg_catalog.now()", false],
  ['pg_terminate_backend', 'SELECT pg_terminate_backend(123)', true, says.call('pg_terminate_backend', says.terminatesBackend)],
  ['pg_catalog.pg_terminate_backend', 'SELECT pg_catalog.pg_terminate_backend(123)', true, says.call('pg_catalog.pg_terminate_backend', says.terminatesBackend)],
  ['pg_cancel_backend', 'SELECT pg_cancel_backend(123)', true, says.call('pg_cancel_backend', says.cancelsQuery)],
  ['setval', "SELECT setval('s', 1000)", true, says.call('setval', says.advancesSequence)],
  ['nextval', "SELECT nextval('s')", true, says.call('nextval', says.advancesSequence)],
  ['session advisory lock', 'SELECT pg_advisory_lock(1)', true, says.call('pg_advisory_lock', says.takesAdvisoryLock)],
  ['lo_import', "SELECT lo_import('/etc/passwd')", true, /lo_import/],
  ['pg_reload_conf', 'SELECT pg_reload_conf()', true, says.call('pg_reload_conf', says.reloadsConfiguration)],
  ['pg_rotate_logfile', 'SELECT pg_rotate_logfile()', true, /pg_rotate_logfile/],
  ['pg_switch_wal', 'SELECT pg_switch_wal()', true, /pg_switch_wal/],
  ['replication slot', "SELECT pg_create_physical_replication_slot('s')", true, /replication_slot/],
  ['pg_file_write', "SELECT pg_file_write('x', 'y', false)", true, /pg_file_write/],
  ['dblink_exec', "SELECT dblink_exec('dbname=x', 'SELECT 1')", true, says.call('dblink_exec', says.runsRemoteCommand)],
  ['dblink_connect', "SELECT dblink_connect('c', 'dbname=x')", true, says.call('dblink_connect', says.usesRemoteDatabase)],
  ['volatile pg_catalog not listed', 'SELECT pg_export_snapshot()', true, says.unknownFunction('pg_export_snapshot')],
  ['cursor_to_xml is not listed', "SELECT cursor_to_xml('c', 1, false, true, '')", true, says.unknownFunction('cursor_to_xml')],
  ['plain EXPLAIN still judges calls (constant folding)', 'EXPLAIN SELECT my_immutable(1)', true, says.unknownFunction('my_immutable')],
  ['plain EXPLAIN of a write with built-ins', "EXPLAIN DELETE FROM logs WHERE at < now() - interval '1 day'", false],
]

const sqlText: Case[] = [
  ['query_to_xml of a read-only literal', "SELECT query_to_xml('SELECT count(*) FROM users', false, true, '')", false],
  ['query_to_xml of a write', "SELECT query_to_xml('DELETE FROM users RETURNING 1', false, true, '')", true, says.sqlTextNotReadOnly('query_to_xml', says.deletesRows('users'))],
  ['query_to_xml of a hidden terminate', "SELECT query_to_xml('SELECT pg_terminate_backend(1)', false, true, '')", true, /pg_terminate_backend/],
  ['query_to_xml of concatenated text', "SELECT query_to_xml('select pg_terminate_backend(' || pid || ')', false, true, '') FROM pg_stat_activity", true, says.sqlTextUnknown('query_to_xml')],
  ['query_to_xml of a column', 'SELECT query_to_xml(q, false, true, \'\') FROM queries', true, says.sqlTextUnknown('query_to_xml')],
  ['query_to_xml nested twice, read-only', "SELECT query_to_xml('SELECT query_to_xml(''SELECT 1'', false, true, '''')', false, true, '')", false],
  ['query_to_xml nested, hidden write', "SELECT query_to_xml('SELECT query_to_xml(''SELECT setval(''''s'''', 1)'', false, true, '''')', false, true, '')", true, /setval/],
  ['format %I.%I (the library\'s row counts)', "SELECT query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace", false],
  ['format %I in a literal position', "SELECT query_to_xml(format('SELECT ''%I''', relname), false, true, '') FROM pg_class", true, says.sqlTextUnknown('query_to_xml')],
  ['format %I as a function name', "SELECT query_to_xml(format('SELECT %I()', relname), false, true, '') FROM pg_class", true, /rb_placeholder/],
  ['format %I glued to another %I', "SELECT query_to_xml(format('SELECT 1 FROM %I%I', a, b), false, true, '') FROM t", true, says.sqlTextUnknown('query_to_xml')],
  ['format %s of a column', "SELECT query_to_xml(format('SELECT %s', x), false, true, '') FROM t", true, says.sqlTextUnknown('query_to_xml')],
  ['format %s of a CASE of literal formats', "SELECT query_to_xml(format('SELECT count(*) FROM t%s', CASE WHEN x THEN format(' WHERE a <= %L', y) ELSE '' END), false, true, '') FROM u", false],
  ['format with a width', "SELECT query_to_xml(format('SELECT %10s', 'x'), false, true, '')", true, says.sqlTextUnknown('query_to_xml')],
  ['format %L into a SET of the lexer', "SELECT query_to_xml(format('SET standard_conforming_strings = %L', v), false, true, '') FROM t", true, /standard_conforming_strings/],
  ['ts_stat of a literal', "SELECT * FROM ts_stat('SELECT to_tsvector(body) FROM docs')", false],
  ['ts_stat of a write', "SELECT * FROM ts_stat('WITH d AS (DELETE FROM docs RETURNING body) SELECT to_tsvector(body) FROM d')", true, /ts_stat/],
  ['dblink of a read-only literal', "SELECT * FROM dblink('dbname=x', 'SELECT 1') AS t(x int)", false],
  ['dblink of an INSERT', "SELECT * FROM dblink('dbname=x', 'INSERT INTO t VALUES (1) RETURNING 1') AS t(x int)", true, /dblink\(\)/],
  ['dblink of unparsable text', "SELECT * FROM dblink('dbname=x', 'SELEC 1') AS t(x int)", true, /dblink\(\)/],
]

const settings: Case[] = [
  ['SET work_mem', "SET work_mem = '64MB'", false],
  ['SET LOCAL statement_timeout', "SET LOCAL statement_timeout = '5s'", false],
  ['SET TimeZone, DateStyle, application_name', "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'; SET application_name = 'x'", false],
  ['planner switch', 'SET enable_seqscan = off', false],
  ['RESET a harmless one', 'RESET work_mem', false],
  ['set_config harmless, local', "SELECT set_config('lock_timeout', '1s', true)", false],
  ['SET search_path', 'SET search_path = evil, public', true, says.searchPathChanged('SET search_path')],
  ['SET SCHEMA', "SET SCHEMA 'evil'", true, says.searchPathChanged('SET search_path')],
  ['SET ROLE', 'SET ROLE admin', true, says.roleChanged('SET role')],
  ['SET SESSION AUTHORIZATION', 'SET SESSION AUTHORIZATION admin', true, says.roleChanged('SET session_authorization')],
  ['RESET ROLE', 'RESET ROLE', true, says.roleChanged('RESET role')],
  ['an unlisted setting', "SET session_replication_role = 'replica'", true, says.settingChanged('SET session_replication_role')],
  ['set_config of search_path', "SELECT set_config('search_path', 'evil', true)", true, says.settingChanged("set_config('search_path', …)")],
  ['set_config of a name that is not a literal', "SELECT set_config(name, 'x', true) FROM t", true, says.setConfigUnknown],
]

const copy: Case[] = [
  ['COPY TO a server file', "COPY (SELECT 1) TO '/tmp/x'", true, says.copyToFile],
  ['COPY FROM a server file', "COPY t FROM '/tmp/x'", true, says.copyFrom('t')],
  ['COPY TO STDOUT', 'COPY (SELECT 1) TO STDOUT', false],
  ['COPY of a query calling a user function', 'COPY (SELECT f()) TO STDOUT', true, says.unknownFunction('f')],
]

describe('functions, fail closed', () => {
  for (const [label, sql, destructive, mention] of [...functions, ...sqlText, ...settings, ...copy])
    it(label, async () => expectJudged(await detectSql(sql), destructive, mention))
})

describe('refused in any step', () => {
  const lexer: [string, string, string][] = [
    ['SET standard_conforming_strings', 'SET standard_conforming_strings = off', 'SET standard_conforming_strings'],
    ['SET LOCAL backslash_quote', 'SET LOCAL backslash_quote = on', 'SET backslash_quote'],
    ['SET escape_string_warning', 'SET escape_string_warning = off', 'SET escape_string_warning'],
    ['RESET standard_conforming_strings', 'RESET standard_conforming_strings', 'RESET standard_conforming_strings'],
    ['SET NAMES', "SET NAMES 'SJIS'", 'SET client_encoding'],
    ['set_config of the lexer', "SELECT set_config('standard_conforming_strings', 'off', true)", "set_config('standard_conforming_strings', …)"],
  ]
  for (const [label, sql, shown] of lexer)
    it(label, async () => {
      const d = await detectSql(`SELECT 1;\n${sql};\nSELECT 'a\\' AS x`)
      expect(d.refused).toContainEqual({ line: 2, message: says.lexerSettingRefused(shown) })
    })
  it('in a destructive step too', async () => {
    const d = await detectSql("DELETE FROM t;\nSET standard_conforming_strings = off")
    expect(d.destructive).toBe(true)
    expect(d.refused).toEqual([{ line: 2, message: says.lexerSettingRefused('SET standard_conforming_strings') }])
  })
})

describe('what a preview must know (sqlPreviewFacts)', () => {
  it('names the statements whose effects a rollback does not undo, by line', async () => {
    const code = [
      "DELETE FROM t WHERE id = 1;",
      "SELECT setval('s', 1000);",
      "COPY (SELECT 1) TO '/tmp/x';",
      "SELECT dblink_exec('dbname=x', 'DELETE FROM t');",
      'SELECT pg_terminate_backend(1);',
      'SELECT cleanup();',
      "SELECT query_to_xml('SELECT ' || x, false, true, '') FROM t;",
      "SELECT pg_notify('c', 'x');",
      "SELECT set_config('search_path', 'x', true);",
    ].join('\n')
    const facts = await sqlPreviewFacts(code)
    expect(facts.irreversible).toEqual([
      { line: 2, reason: says.call('setval', says.advancesSequence) },
      { line: 3, reason: says.copyToFile },
      { line: 4, reason: says.call('dblink_exec', says.runsRemoteCommand) },
      { line: 5, reason: says.call('pg_terminate_backend', says.terminatesBackend) },
      { line: 6, reason: says.unknownFunction('cleanup') },
      { line: 7, reason: says.sqlTextUnknown('query_to_xml') },
    ])
  })
  it('DO blocks, CALL and LOAD run code the judge does not see: not previewable', async () => {
    const facts = await sqlPreviewFacts("DO $$ BEGIN PERFORM 1; END $$;\nCALL cleanup(1);\nLOAD 'x'")
    expect(facts.irreversible.map((r) => r.line)).toEqual([1, 2, 3])
  })
  it('row writes, DDL, notifications and transaction locks are undone by the rollback', async () => {
    const code = "UPDATE t SET a = 1;\nCREATE TABLE x (a int);\nSELECT pg_notify('c', 'x'), pg_advisory_xact_lock(1);\nCOPY t FROM STDIN"
    expect((await sqlPreviewFacts(code)).irreversible).toEqual([])
  })
  it('an INSERT notes that a sequence may advance', async () => {
    const facts = await sqlPreviewFacts('SELECT 1;\nINSERT INTO audit (msg) VALUES (1)')
    expect(facts).toEqual({ irreversible: [], notes: [{ line: 2, reason: says.sequenceMayAdvance('audit') }] })
  })
})

describe('psql in a shell step', () => {
  it('flags what a sql step refuses (psql would run it as written)', async () => {
    const d = await detectShell(`psql -c "SET standard_conforming_strings = off; SELECT 1"`)
    expect(d.destructive).toBe(true)
    expect(d.reasons.join('\n')).toContain(says.lexerSettingRefused('SET standard_conforming_strings'))
  })
  it('a call the judge cannot prove read-only makes it destructive; built-ins do not', async () => {
    expect((await detectShell(`psql -c "SELECT cleanup()"`)).reasons.join('\n')).toContain(says.unknownFunction('cleanup'))
    expect((await detectShell(`psql -c "SELECT now(), pg_size_pretty(pg_database_size(current_database()))"`)).destructive).toBe(false)
  })
})

describe('the allowlist', () => {
  it('holds the catalog read-only functions and the listed volatile ones, and none with effects', () => {
    expect(CATALOG_READ_ONLY.size).toBeGreaterThan(1500)
    for (const name of ['lower', 'now', 'count', 'xpath', 'pg_size_pretty', 'current_setting', 'pg_backend_pid']) expect(CATALOG_READ_ONLY.has(name)).toBe(true)
    for (const name of ['random', 'pg_database_size', 'pg_relation_size', 'pg_total_relation_size', 'pg_table_size', 'pg_indexes_size', 'pg_blocking_pids', 'clock_timestamp', 'timeofday'])
      expect(HARMLESS_VOLATILE.has(name)).toBe(true)
    const dangerous = ['pg_terminate_backend', 'pg_cancel_backend', 'setval', 'nextval', 'query_to_xml', 'ts_stat', 'set_config', 'pg_advisory_lock', 'lo_import', 'pg_reload_conf', 'pg_read_file', 'cursor_to_xml', 'dblink']
    for (const name of dangerous) expect([name, CATALOG_READ_ONLY.has(name) || HARMLESS_VOLATILE.has(name)]).toEqual([name, false])
  })
})
