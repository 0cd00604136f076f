// The report's JSON twin: the RunRecord, pretty-printed with a stable key order, so the same
// record always gives the same bytes (signatures and diffs depend on it) whatever order the
// events set its fields in.
import { escapeInvisible } from './invisible.js'
import type { RunRecord } from '../model/run-record.js'

/** Keys of the record's own types, in the order they are declared (`run-types.ts`); any other
 * key (free-form `inputs`, `state`, fields added later) follows, sorted. */
const KEY_ORDER = [
  'schemaVersion',
  'runId',
  'runbook',
  'id',
  'title',
  'path',
  'sha256',
  'gitCommit',
  'gitDirty',
  'target',
  'operator',
  'host',
  'started',
  'finished',
  'status',
  'options',
  'dryRun',
  'yes',
  'auto',
  'step',
  'from',
  'inputs',
  'state',
  'steps',
  'language',
  'kind',
  'line',
  'destructive',
  'declared',
  'reasons',
  'exitCode',
  'durationMs',
  'attempts',
  'reason',
  'consent',
  'by',
  'who',
  'at',
  'how',
  'checks',
  'name',
  'ok',
  'detail',
  'notes',
  'tables',
  'columns',
  'rows',
  'totalRows',
  'commands',
  'command',
  'statements',
  'sql',
  'rowCount',
  'check',
  'table',
  'inserted',
  'updated',
  'deleted',
  'truncated',
  'uncounted',
  'masked',
  'output',
  'outputBytes',
  'outputTruncated',
  'checklist',
  'text',
  'checked',
  'resumes',
  'fromStep',
]
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]))

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => {
    const ra = RANK.get(a) ?? Number.MAX_SAFE_INTEGER
    const rb = RANK.get(b) ?? Number.MAX_SAFE_INTEGER
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0
  })
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v)]))
}

export function renderReportJson(record: RunRecord): string {
  return `${escapeInvisible(JSON.stringify(ordered(record), null, 2))}\n`
}

