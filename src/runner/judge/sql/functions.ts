// Function calls, judged fail closed: a call is read-only only when the function is known to
// change nothing a rollback would not undo (functions-readonly.ts). Known side effects are named;
// SQL given as text is judged like a step of its own; anything else cannot be proven read-only.
import { msg } from '../../terminal/messages/index.js'
import { CATALOG_READ_ONLY, EXTENSION_READ_ONLY, HARMLESS_VOLATILE } from './functions-readonly.js'
import type { Json, PgParser } from './parser.js'
import { LEXER_SETTINGS, READ_ONLY_SETTINGS, settingVerdict } from './settings.js'
import { sqlTexts } from './sql-text.js'
import { SIDE_EFFECT_FUNCTIONS } from './tables.js'
import { callName, constValue } from './tree.js'

/** Why a call is not read-only; `irreversible` when a rollback would not undo it; `refused` in any step. */
export interface CallVerdict {
  reason: string
  irreversible: boolean
  refused?: boolean
}

/** Judges SQL text as a step of its own: the reasons it is not read-only (none when it is). */
export type JudgeText = (sql: string) => string[]

/** Functions that run SQL given as text, and which argument holds it (by argument count). */
const SQL_TEXT_ARGUMENT: Record<string, (argc: number) => number> = {
  query_to_xml: () => 0,
  query_to_xml_and_xmlschema: () => 0,
  query_to_xmlschema: () => 0,
  ts_stat: () => 0,
  // dblink(sql) on the unnamed connection, dblink(connection, sql[, fail_on_error])
  dblink: (argc) => (argc === 1 ? 0 : 1),
}

/** Side effects a rollback undoes: a notification is sent at commit, a transaction lock released. */
const TRANSACTIONAL = new Set(['pg_notify', 'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared', 'pg_try_advisory_xact_lock', 'pg_try_advisory_xact_lock_shared'])

/** A function call's verdict: undefined when it is read-only. */
export function judgeFunction(call: Json, parser: PgParser, judgeText: JudgeText): CallVerdict | undefined {
  const says = msg.judge.sql
  const { schema, name, parts } = callName(call)
  const shown = parts > 1 ? `${schema}.${name}` : name
  const args = Array.isArray(call.args) ? call.args : []
  // Known side effects are named whatever the schema (a copy elsewhere is no better).
  const hit = SIDE_EFFECT_FUNCTIONS.find(([re]) => re.test(name))
  if (hit) return { reason: says.call(shown, says[hit[1]]), irreversible: !TRANSACTIONAL.has(name) }
  const builtIn = parts === 1 || (parts === 2 && schema === 'pg_catalog')
  const textArg = SQL_TEXT_ARGUMENT[name]
  if (textArg && (builtIn || name === 'dblink')) return judgeSqlText(shown, args[textArg(args.length)], parser, judgeText)
  if (builtIn && name === 'set_config') return judgeSetConfig(args)
  if (builtIn && (CATALOG_READ_ONLY.has(name) || HARMLESS_VOLATILE.has(name))) return undefined
  if (parts === 1 && EXTENSION_READ_ONLY.has(name)) return undefined
  return { reason: says.unknownFunction(shown), irreversible: true }
}

/** SQL given as text: read-only when every text it can be is (judged as a step of its own). */
function judgeSqlText(shown: string, arg: unknown, parser: PgParser, judgeText: JudgeText): CallVerdict | undefined {
  const says = msg.judge.sql
  const texts = sqlTexts(arg, parser)
  if (!texts) return { reason: says.sqlTextUnknown(shown), irreversible: true }
  for (const text of texts) {
    const reasons = judgeText(text)
    if (reasons.length > 0) return { reason: says.sqlTextNotReadOnly(shown, reasons[0]!), irreversible: true }
  }
  return undefined
}

/** set_config(name, value, is_local): like SET of that name; a name the judge cannot read is not harmless. */
function judgeSetConfig(args: unknown[]): CallVerdict | undefined {
  const says = msg.judge.sql
  const setting = constValue(args[0])
  if (typeof setting !== 'string') return { reason: says.setConfigUnknown, irreversible: false }
  const name = setting.toLowerCase()
  if (READ_ONLY_SETTINGS.has(name)) return { reason: says.setConfigRefused(setting), irreversible: false, refused: true }
  if (LEXER_SETTINGS.has(name)) return { reason: says.lexerSettingRefused(`set_config('${setting}', …)`), irreversible: false, refused: true }
  if (settingVerdict(name) !== 'harmless') return { reason: says.settingChanged(`set_config('${setting}', …)`), irreversible: false }
  // A session-wide change outlives the statement that made it: only transaction-local is read-only.
  if (constValue(args[2]) !== true) return { reason: says.setConfigSession, irreversible: false }
  return undefined
}
