// Data of the SQL judge: statement types that change nothing, how statements and side-effect
// functions are named in a reason (keys of the catalogue's `msg.judge.sql`), and the settings a
// step may not touch.
import type { ko } from '../../terminal/messages/judge/sql.js'

/** A phrase of the catalogue (what a statement or function does). */
export type SqlPhrase = { [K in keyof typeof ko]: (typeof ko)[K] extends string ? K : never }[keyof typeof ko]

/** Statement types that neither write nor change anything (their contents are still walked). */
export const READ_ONLY_STATEMENTS = new Set([
  'SelectStmt',
  'ExplainStmt',
  'VariableShowStmt',
  'VariableSetStmt',
  'DeclareCursorStmt',
  'FetchStmt',
  'ClosePortalStmt',
  'ListenStmt',
  'UnlistenStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'DeallocateStmt',
  'DiscardStmt',
  'TransactionStmt',
  'CopyStmt',
  'ConstraintsSetStmt',
])

/** Statements whose rows the tree walk names (with their table). */
export const ROW_WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'])

/** Names for statement types whose first words would not say it well. */
export const STATEMENT_NAMES: Record<string, string> = {
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  ViewStmt: 'CREATE VIEW',
  CreateTableAsStmt: 'CREATE TABLE AS',
  TruncateStmt: 'TRUNCATE',
  ReindexStmt: 'REINDEX',
  ClusterStmt: 'CLUSTER',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  AlterSystemStmt: 'ALTER SYSTEM',
  CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE',
  CommentStmt: 'COMMENT',
  SecLabelStmt: 'SECURITY LABEL',
  DoStmt: 'DO',
  CallStmt: 'CALL',
  LockStmt: 'LOCK',
  NotifyStmt: 'NOTIFY',
  CheckPointStmt: 'CHECKPOINT',
  LoadStmt: 'LOAD',
}

/** What a statement type does; the others `changesDatabase`. */
export const STATEMENT_PHRASES: Record<string, SqlPhrase> = {
  TruncateStmt: 'emptiesTables',
  DoStmt: 'runsCodeBlock',
  CallStmt: 'runsProcedure',
  LockStmt: 'takesTableLocks',
  NotifyStmt: 'sendsNotification',
  CheckPointStmt: 'forcesCheckpoint',
  LoadStmt: 'loadsLibrary',
  ReindexStmt: 'rebuildsIndexes',
  ClusterStmt: 'rewritesTables',
  RefreshMatViewStmt: 'rewritesMatView',
  AlterSystemStmt: 'changesServerSettings',
  GrantStmt: 'changesPrivileges',
  GrantRoleStmt: 'changesRoleMemberships',
  CreateRoleStmt: 'changesRoles',
  AlterRoleStmt: 'changesRoles',
  AlterRoleSetStmt: 'changesRoleSettings',
  DropRoleStmt: 'changesRoles',
  AlterDatabaseSetStmt: 'changesDatabaseSettings',
}

/** Functions with side effects, named in a reason (a read-only transaction allows most of them). */
export const SIDE_EFFECT_FUNCTIONS: [RegExp, SqlPhrase][] = [
  [/^pg_terminate_backend$/, 'terminatesBackend'],
  [/^pg_cancel_backend$/, 'cancelsQuery'],
  [/^pg_reload_conf$/, 'reloadsConfiguration'],
  [/^pg_(try_)?advisory_(xact_)?lock(_shared)?$/, 'takesAdvisoryLock'],
  [/^pg_notify$/, 'sendsNotification'],
  [/^pg_rotate_logfile$/, 'rotatesLog'],
  [/^pg_switch_wal$/, 'switchesWal'],
  [/^pg_create_restore_point$/, 'createsRestorePoint'],
  [/^(setval|nextval)$/, 'advancesSequence'],
  [/^lo_(unlink|import|export|create|creat|from_bytea|put|truncate)$/, 'changesLargeObjects'],
  [/^dblink_exec$/, 'runsRemoteCommand'],
  [/^dblink_/, 'usesRemoteDatabase'],
  [/^pg_stat_(statements_)?reset/, 'resetsStatistics'],
  [/^pg_promote$/, 'promotesStandby'],
  [/^pg_wal_replay_(pause|resume)$/, 'pausesWalReplay'],
  [/^pg_(create_(physical|logical)|drop|copy_(physical|logical))_replication_slot$/, 'changesReplicationSlots'],
  [/^pg_(backup_start|backup_stop|start_backup|stop_backup)$/, 'startsOrStopsBackup'],
  [/^pg_logical_emit_message$/, 'writesWalMessage'],
  [/^pg_file_(write|rename|unlink|sync)$/, 'writesServerFiles'],
  [/^pg_log_backend_memory_contexts$/, 'writesServerLog'],
]

export const LOCK_STRENGTH: Record<string, string> = {
  LCS_FORUPDATE: 'FOR UPDATE',
  LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
  LCS_FORSHARE: 'FOR SHARE',
  LCS_FORKEYSHARE: 'FOR KEY SHARE',
}

export const TRANSACTION_KINDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
}
