// Settings a step may change with SET, RESET or set_config(). A step that is not destructive may
// touch only harmless ones (limits, output formats, planner switches); the read-only mode and the
// lexer's settings are refused in any step; anything else makes the step destructive.

/** Settings that would change the read-only mode the runner relies on: refused. */
export const READ_ONLY_SETTINGS: ReadonlySet<string> = new Set(['default_transaction_read_only', 'transaction_read_only'])

/**
 * Settings that change how the server reads the text that follows (string literals, escapes, the
 * bytes of the statement): after them the server would read later statements differently from the
 * parser that judged them, so the judge cannot vouch for what follows. Refused in any step.
 */
export const LEXER_SETTINGS: ReadonlySet<string> = new Set(['standard_conforming_strings', 'backslash_quote', 'escape_string_warning', 'client_encoding'])

/**
 * Settings that change neither data, nor which code runs, nor who runs it: limits, formats and
 * planner costs. Not search_path (a schema's function could shadow a built-in), not role or
 * session_authorization (who the statements run as).
 */
const HARMLESS_SETTINGS: ReadonlySet<string> = new Set([
  'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'idle_session_timeout',
  'work_mem', 'maintenance_work_mem', 'temp_buffers', 'hash_mem_multiplier',
  'application_name', 'timezone', 'datestyle', 'intervalstyle', 'extra_float_digits', 'client_min_messages',
  'bytea_output', 'xmloption', 'xmlbinary', 'lc_messages', 'lc_monetary', 'lc_numeric', 'lc_time',
  'jit', 'random_page_cost', 'seq_page_cost', 'cpu_tuple_cost', 'cpu_index_tuple_cost', 'cpu_operator_cost',
  'effective_cache_size', 'effective_io_concurrency', 'default_statistics_target', 'from_collapse_limit',
  'join_collapse_limit', 'geqo', 'plan_cache_mode', 'parallel_setup_cost', 'parallel_tuple_cost',
  'max_parallel_workers_per_gather', 'track_io_timing', 'log_min_duration_statement',
])

/** Planner switches (`enable_seqscan`, `enable_hashjoin`…): the server knows no others of this form. */
const PLANNER_SWITCH = /^enable_[a-z_]+$/

export type SettingVerdict = 'harmless' | 'read-only-mode' | 'lexer' | 'search-path' | 'role' | 'other'

/** What changing a setting (lowercase name) means for the judge. */
export function settingVerdict(name: string): SettingVerdict {
  if (READ_ONLY_SETTINGS.has(name)) return 'read-only-mode'
  if (LEXER_SETTINGS.has(name)) return 'lexer'
  if (HARMLESS_SETTINGS.has(name) || PLANNER_SWITCH.test(name)) return 'harmless'
  if (name === 'search_path') return 'search-path'
  if (name === 'role' || name === 'session_authorization') return 'role'
  return 'other'
}
