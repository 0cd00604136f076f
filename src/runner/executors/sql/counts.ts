// True counts of a destructive SQL step: the rows each statement changed, per table, from the
// server's statistics of the current transaction (`pg_stat_xact_user_tables`, which also holds
// the backend's counts of earlier transactions not yet flushed — a constant within a transaction
// block, so differences are exact), read before and after the statement — so rows changed through CTEs, ON DELETE CASCADE and triggers count, whatever
// the command tag says. What the statistics cannot see makes the count unknown, never zero:
// - TRUNCATE resets a table's counters: the rows its tables (and, with CASCADE, the tables that
//   reference them) held are counted with `count(*)` before it runs;
// - a table that vanished (DROP), was rewritten (its file node changed without a TRUNCATE we saw)
//   or lost a column (ALTER … DROP COLUMN) dropped data nobody counted;
// - with `track_counts` off every counter stays 0.
// Every catalog name is qualified with pg_catalog: the step may have changed search_path.
import type { SqlTableCount } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'
import type { SqlSession } from './session.js'

interface TableState {
  name: string
  ins: number
  upd: number
  del: number
  filenode: string | null
  dropped: number
}

export interface Snapshot {
  tracking: boolean
  tables: Map<string, TableState>
}

/** The statistics, file nodes and dropped columns of every user table, in one round trip. */
const SNAPSHOT_SQL = `SELECT pg_catalog.current_setting('track_counts') AS track,
  (SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_array(
     s.relid::pg_catalog.int8, pg_catalog.format('%I.%I', s.schemaname, s.relname),
     s.n_tup_ins, s.n_tup_upd, s.n_tup_del, pg_catalog.pg_relation_filenode(s.relid)::pg_catalog.text,
     (SELECT pg_catalog.count(*) FROM pg_catalog.pg_attribute a
       WHERE a.attrelid OPERATOR(pg_catalog.=) s.relid AND a.attisdropped))), '[]'::pg_catalog.json)
   FROM pg_catalog.pg_stat_xact_user_tables s) AS tables`

export async function snapshot(session: SqlSession): Promise<Snapshot> {
  const r = await session.control(SNAPSHOT_SQL)
  const row = r.rows[0] as { track: string; tables: [string, string, string, string, string, string | null, string][] }
  const tables = new Map<string, TableState>()
  for (const [relid, name, ins, upd, del, filenode, dropped] of row.tables) {
    tables.set(String(relid), { name, ins: Number(ins), upd: Number(upd), del: Number(del), filenode, dropped: Number(dropped) })
  }
  return { tracking: row.track === 'on', tables }
}

/** Tables a TRUNCATE empties, by oid, with the rows each holds now. */
export type Truncated = Map<string, { name: string; rows: number | null }>

/** `"schema"."table"` of a parsed RangeVar, resolved the way the statement resolves it. */
function rangeVarText(rv: Record<string, unknown>): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`
  return [rv.catalogname, rv.schemaname, rv.relname].filter((p): p is string => typeof p === 'string').map(quote).join('.')
}

/** Counts the rows a TRUNCATE statement (parse tree `node`) is about to remove, CASCADE included. */
export async function countTruncated(session: SqlSession, node: Record<string, unknown>): Promise<Truncated> {
  const relations = (Array.isArray(node.relations) ? node.relations : []).map((r) => (r as { RangeVar: Record<string, unknown> }).RangeVar)
  const names = relations.map(rangeVarText)
  const only = relations.map((rv) => rv.inh !== true)
  const cascade = node.behavior === 'DROP_CASCADE'
  // The named tables, their inheritance children unless ONLY, and with CASCADE every table that
  // references them, transitively (with their children: counting too many only refuses sooner).
  const r = await session.control(
    `WITH RECURSIVE named AS (
       SELECT pg_catalog.to_regclass(n)::pg_catalog.oid AS oid, o AS just FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.bool[])) AS x(n, o)),
     edges(parent, child, fk) AS (
       SELECT c.confrelid, c.conrelid, true FROM pg_catalog.pg_constraint c WHERE c.contype OPERATOR(pg_catalog.=) 'f'
       UNION ALL SELECT i.inhparent, i.inhrelid, false FROM pg_catalog.pg_inherits i),
     closure(oid, just) AS (
       SELECT oid, just FROM named
       UNION SELECT e.child, false FROM edges e JOIN closure ON e.parent OPERATOR(pg_catalog.=) closure.oid
         WHERE (e.fk AND $3) OR (NOT e.fk AND NOT closure.just))
     SELECT DISTINCT closure.oid::pg_catalog.int8 AS oid, pg_catalog.format('%I.%I', n.nspname, cl.relname) AS name,
            pg_catalog.row_security_active(closure.oid) OR NOT pg_catalog.has_table_privilege(closure.oid, 'SELECT') AS hidden
     FROM closure JOIN pg_catalog.pg_class cl ON cl.oid OPERATOR(pg_catalog.=) closure.oid
     JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) cl.relnamespace`,
    [names, only, cascade],
  )
  const truncated: Truncated = new Map()
  for (const row of r.rows as { oid: string; name: string; hidden: boolean }[]) {
    // Row security would hide from count(*) rows that TRUNCATE removes all the same; without
    // SELECT there is no count(*) at all (the TRUNCATE itself may still be allowed).
    if (row.hidden) {
      truncated.set(String(row.oid), { name: row.name, rows: null })
      continue
    }
    const counted = await session.control(`SELECT pg_catalog.count(*) AS n FROM ONLY ${row.name}`)
    truncated.set(String(row.oid), { name: row.name, rows: Number((counted.rows[0] as { n: string }).n) })
  }
  return truncated
}

/** Rows changed per table between two snapshots, or why they cannot be known. */
export function tableCounts(before: Snapshot, after: Snapshot, truncated: Truncated): { tables: SqlTableCount[] } | { unknown: string } {
  const says = msg.executors
  if (!before.tracking || !after.tracking) return { unknown: says.sqlCountsTrackOff }
  const tables: SqlTableCount[] = []
  for (const [oid, was] of before.tables) {
    const now = after.tables.get(oid)
    if (!now) return { unknown: says.sqlCountsDropped(was.name) }
    if (now.dropped > was.dropped) return { unknown: says.sqlCountsDroppedColumn(was.name) }
    const emptied = truncated.get(oid)
    if (emptied) {
      if (emptied.rows === null) return { unknown: says.sqlCountsHidden(was.name) }
      // The TRUNCATE reset the transaction's part of the counters (the view also holds this
      // backend's counts not yet flushed from earlier transactions): only growth is counted.
      const grew = (a: number, b: number) => Math.max(0, b - a)
      tables.push({ table: was.name, inserted: grew(was.ins, now.ins), updated: grew(was.upd, now.upd), deleted: grew(was.del, now.del), truncated: emptied.rows })
      continue
    }
    if (now.filenode !== was.filenode) return { unknown: says.sqlCountsRewritten(was.name) }
    const count = { table: was.name, inserted: now.ins - was.ins, updated: now.upd - was.upd, deleted: now.del - was.del }
    if (count.inserted < 0 || count.updated < 0 || count.deleted < 0) return { unknown: says.sqlCountsRewritten(was.name) }
    if (count.inserted || count.updated || count.deleted) tables.push(count)
  }
  // Tables created by the statement: everything in them is new.
  for (const [oid, now] of after.tables) {
    if (before.tables.has(oid)) continue
    if (now.ins || now.upd || now.del) tables.push({ table: now.name, inserted: now.ins, updated: now.upd, deleted: now.del })
  }
  return { tables }
}

/** Rows a table count adds up to, for max-rows. */
export function rowsChanged(c: SqlTableCount): number {
  return c.inserted + c.updated + c.deleted + (c.truncated ?? 0)
}
