// What planning itself may run. EXPLAIN executes nothing, but the planner evaluates IMMUTABLE
// functions whose arguments are constants (and STABLE ones to estimate selectivity), after views
// are expanded and SQL functions inlined. A user-defined function that lies about its volatility
// would run during the server check itself. So before a statement is planned, the catalog is
// asked which functions it can reach — called by name, behind the operators it names, through the
// views, rules and row-security policies of the relations it names (transitively), and through
// the bodies of SQL functions the planner may inline, and the casts to the types it names — and any
// of them that is outside pg_catalog, not an installed extension's, and not VOLATILE, is refused
// before anything is planned. So is a user cast function (a plan shows it only as `::type`), and
// every reached user function goes through the judge by name. An SQL function's body is read for
// the names of user functions (which are then reached too), views and user operators (refused:
// the catalog cannot follow them).
import { detectSql } from '../../judge/sql.js'
import { parseSql } from '../../judge/sql/statements.js'
import { msg } from '../../terminal/messages/index.js'
import type { SqlSession } from './session.js'

interface Named {
  relations: string[]
  functions: string[]
  operators: string[]
  /** Types named by `::type` / CAST: a cast's function does not show in a plan. */
  types: string[]
}

/** Relations, function names and operator names a parse tree names. */
function named(tree: unknown): Named {
  const out: Named = { relations: [], functions: [], operators: [], types: [] }
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (value === null || typeof value !== 'object') return
    const node = value as Record<string, unknown>
    if (typeof node.relname === 'string') {
      out.relations.push([node.schemaname, node.relname].filter((p): p is string => typeof p === 'string').map(quote).join('.'))
    }
    const fc = node.FuncCall as { funcname?: { String?: { sval?: string } }[] } | undefined
    const fname = fc?.funcname?.at(-1)?.String?.sval
    if (fname) out.functions.push(fname)
    const ae = node.A_Expr as { name?: { String?: { sval?: string } }[] } | undefined
    const op = ae?.name?.at(-1)?.String?.sval
    if (op && /^[+\-*/<>=~!@#%^&|`?]+$/.test(op)) out.operators.push(op)
    const tc = node.TypeCast as { typeName?: { names?: { String?: { sval?: string } }[] } } | undefined
    const type = tc?.typeName?.names?.at(-1)?.String?.sval
    if (type) out.types.push(type.toLowerCase())
    for (const v of Object.values(node)) walk(v)
  }
  walk(tree)
  return out
}

interface UserFunction {
  oid: string
  name: string
  proname: string
  volatile: string
  language: string
  body: string
  /** The function of a cast: it runs where the plan shows only `::type`. */
  cast: boolean
  /** What a `BEGIN ATOMIC` body depends on (its text is not kept): functions, operators' functions. */
  calls: string[]
  /** The same functions by qualified name (pg_catalog ones included), for the judge. */
  callNames: string[]
  /** A `BEGIN ATOMIC` body depends on a view. */
  usesView: boolean
}

/** A `BEGIN ATOMIC` / `RETURN` body as text (PostgreSQL 14 and later keep it parsed, not in prosrc). */
const SQL_BODY_14 = 'pg_catalog.pg_get_function_sqlbody(p.oid)'

const USER_OBJECTS = `
  WITH ext AS (SELECT d.objid FROM pg_catalog.pg_depend d WHERE d.deptype OPERATOR(pg_catalog.=) 'e'
                 AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass)
  SELECT p.oid::pg_catalog.int8::pg_catalog.text AS oid, pg_catalog.format('%I.%I', n.nspname, p.proname) AS name,
         pg_catalog.lower(p.proname) AS proname, p.provolatile::pg_catalog.text AS volatile, l.lanname AS language,
         COALESCE(NULLIF(p.prosrc, ''), SQL_BODY, '') AS body,
         EXISTS (SELECT FROM pg_catalog.pg_cast c WHERE c.castfunc OPERATOR(pg_catalog.=) p.oid) AS cast,
         ARRAY(SELECT d.refobjid::pg_catalog.int8::pg_catalog.text FROM pg_catalog.pg_depend d
                WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) p.oid
                  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
               UNION SELECT o.oprcode::pg_catalog.oid::pg_catalog.int8::pg_catalog.text FROM pg_catalog.pg_depend d
                 JOIN pg_catalog.pg_operator o ON o.oid OPERATOR(pg_catalog.=) d.refobjid
                WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) p.oid
                  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_operator'::pg_catalog.regclass) AS calls,
         ARRAY(SELECT pg_catalog.format('%I.%I', cn.nspname, cp.proname) FROM pg_catalog.pg_depend d
                 JOIN pg_catalog.pg_proc cp ON cp.oid OPERATOR(pg_catalog.=) d.refobjid
                 JOIN pg_catalog.pg_namespace cn ON cn.oid OPERATOR(pg_catalog.=) cp.pronamespace
                WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) p.oid
                  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass) AS "callNames",
         EXISTS (SELECT FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.refobjid
                  WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) p.oid
                    AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                    AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['v', 'm']::pg_catalog."char"[])) AS "usesView"
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
  WHERE n.nspname OPERATOR(pg_catalog.<>) ALL (ARRAY['pg_catalog', 'information_schema'])
    AND p.oid OPERATOR(pg_catalog.<>) ALL (SELECT objid FROM ext)`

/** Functions, operator functions and view dependencies reachable from what the statement names. */
const REACHABLE = `
  WITH RECURSIVE rels(oid) AS (
    SELECT r FROM pg_catalog.unnest($1::pg_catalog.text[]) AS x(n), LATERAL (SELECT pg_catalog.to_regclass(x.n)::pg_catalog.oid AS r) y
     WHERE r IS NOT NULL
    UNION
    SELECT d.refobjid FROM rels
      JOIN pg_catalog.pg_rewrite rw ON rw.ev_class OPERATOR(pg_catalog.=) rels.oid
      JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) rw.oid
     WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass),
  objs AS (
    SELECT d.refclassid, d.refobjid FROM rels
      JOIN pg_catalog.pg_rewrite rw ON rw.ev_class OPERATOR(pg_catalog.=) rels.oid
      JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) rw.oid
    UNION ALL
    SELECT d.refclassid, d.refobjid FROM rels
      JOIN pg_catalog.pg_policy po ON po.polrelid OPERATOR(pg_catalog.=) rels.oid
      JOIN pg_catalog.pg_depend d ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid OPERATOR(pg_catalog.=) po.oid)
  SELECT o.refobjid::pg_catalog.int8::pg_catalog.text AS oid FROM objs o WHERE o.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
  UNION SELECT op.oprcode::pg_catalog.oid::pg_catalog.int8::pg_catalog.text FROM objs o JOIN pg_catalog.pg_operator op ON op.oid OPERATOR(pg_catalog.=) o.refobjid
   WHERE o.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_operator'::pg_catalog.regclass
  UNION SELECT p.oid::pg_catalog.int8::pg_catalog.text FROM pg_catalog.pg_proc p WHERE pg_catalog.lower(p.proname) OPERATOR(pg_catalog.=) ANY ($2::pg_catalog.text[])
  UNION SELECT op.oprcode::pg_catalog.oid::pg_catalog.int8::pg_catalog.text FROM pg_catalog.pg_operator op WHERE op.oprname OPERATOR(pg_catalog.=) ANY ($3::pg_catalog.text[])
  UNION SELECT c.castfunc::pg_catalog.int8::pg_catalog.text FROM pg_catalog.pg_cast c
    JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) c.casttarget
   WHERE pg_catalog.lower(t.typname) OPERATOR(pg_catalog.=) ANY ($4::pg_catalog.text[])`

const USER_VIEWS_AND_OPERATORS = `
  SELECT ARRAY(SELECT pg_catalog.lower(c.relname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                WHERE c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['v', 'm']::pg_catalog."char"[])
                  AND n.nspname OPERATOR(pg_catalog.<>) ALL (ARRAY['pg_catalog', 'information_schema'])) AS views,
         ARRAY(SELECT o.oprname::pg_catalog.text FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.oprnamespace
                WHERE n.nspname OPERATOR(pg_catalog.<>) 'pg_catalog'
                  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.deptype OPERATOR(pg_catalog.=) 'e'
                                   AND d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_operator'::pg_catalog.regclass
                                   AND d.objid OPERATOR(pg_catalog.=) o.oid)) AS operators`

interface UserObjects {
  functions: Map<string, UserFunction>
  views: Set<string>
  operators: string[]
}

/** The user objects of the database, read once per step: a read-only step cannot change them. */
const catalogs = new WeakMap<SqlSession, UserObjects>()

async function userObjects(session: SqlSession): Promise<UserObjects> {
  let objects = catalogs.get(session)
  if (!objects) {
    const version = Number((await session.control(`SELECT pg_catalog.current_setting('server_version_num') AS v`)).rows[0].v)
    const query = USER_OBJECTS.replace('SQL_BODY', version >= 140000 ? SQL_BODY_14 : 'NULL')
    const functions = new Map(((await session.control(query)).rows as UserFunction[]).map((f) => [f.oid, f]))
    const extra = (await session.control(USER_VIEWS_AND_OPERATORS)).rows[0] as { views: string[]; operators: string[] }
    objects = { functions, views: new Set(extra.views), operators: extra.operators }
    catalogs.set(session, objects)
  }
  return objects
}

/** Why planning the statement could run a user function; empty when it cannot. */
export async function planTimeRefusals(session: SqlSession, text: string): Promise<string[]> {
  const { functions: user, views, operators } = await userObjects(session)
  if (user.size === 0) return []
  const parsed = await parseSql(text)
  const names = named(parsed.statements.map((s) => s.node))
  const args = [names.relations, names.functions.map((f) => f.toLowerCase()), names.operators, names.types]
  const reached = (await session.control(REACHABLE, args)).rows as { oid: string }[]
  const queue = reached.map((r) => user.get(r.oid)).filter((f): f is UserFunction => f !== undefined)
  const byName = new Map<string, UserFunction[]>()
  for (const f of user.values()) byName.set(f.proname, [...(byName.get(f.proname) ?? []), f])
  const seen = new Set<string>()
  const refusals: string[] = []
  const judgeNames: string[] = []
  while (queue.length > 0) {
    const f = queue.pop()!
    if (seen.has(f.oid)) continue
    seen.add(f.oid)
    if (f.volatile !== 'v') refusals.push(msg.executors.sqlCheckPlanTime(f.name, f.volatile === 'i' ? 'IMMUTABLE' : 'STABLE'))
    if (f.cast) refusals.push(msg.executors.sqlCheckCast(f.name))
    if (f.language !== 'sql') continue
    // An SQL function may be inlined: what its body names or depends on is reached too.
    for (const oid of f.calls) {
      const g = user.get(oid)
      if (g) queue.push(g)
    }
    if (f.usesView) refusals.push(msg.executors.sqlCheckInlinedView(f.name, '…'))
    judgeNames.push(...f.callNames)
    // Its text is SQL: the judge reads it as it reads a step.
    if (f.body.trim() !== '') {
      const d = await detectSql(sqlBodyText(f.body)).catch(() => null)
      if (!d || d.destructive || d.refused.length > 0 || d.syntaxErrors.length > 0) {
        const why = d ? [...d.reasons, ...d.refused.map((r) => r.message), ...d.syntaxErrors.map((e) => e.message)].join('; ') : msg.executors.sqlCheckUnparsable
        refusals.push(msg.executors.sqlCheckRefused(`${f.name}()`, why))
      }
    }
    const words = new Set((f.body.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? []).map((w) => w.toLowerCase()))
    for (const w of words) {
      for (const g of byName.get(w) ?? []) queue.push(g)
      if (views.has(w)) refusals.push(msg.executors.sqlCheckInlinedView(f.name, w))
    }
    for (const op of operators) if (f.body.includes(op)) refusals.push(msg.executors.sqlCheckInlinedOperator(f.name, op))
  }
  refusals.push(...(await judgeByName([...new Set([...[...seen].map((oid) => user.get(oid)!.name), ...judgeNames])])))
  return [...new Set(refusals)]
}

/** An SQL function's body as statements: `BEGIN ATOMIC … END` unwrapped, `RETURN x` as `SELECT x`. */
function sqlBodyText(body: string): string {
  const atomic = /^\s*BEGIN\s+ATOMIC\b([\s\S]*)\bEND\s*;?\s*$/i.exec(body)
  if (atomic) return atomic[1]!
  const ret = /^\s*RETURN\b([\s\S]*)$/i.exec(body)
  return ret ? `SELECT ${ret[1]}` : body
}

/** The reached user functions by name, as the judge sees a call (a view may hide them from the plan). */
async function judgeByName(names: string[]): Promise<string[]> {
  if (names.length === 0) return []
  const all = await detectSql(names.map((n) => `SELECT ${n}()`).join(';\n'))
  if (!all.destructive && all.refused.length === 0) return []
  const refusals: string[] = []
  for (const n of names) {
    const d = await detectSql(`SELECT ${n}()`)
    if (d.destructive || d.refused.length > 0) refusals.push(msg.executors.sqlCheckRefused(`${n}()`, [...d.reasons, ...d.refused.map((r) => r.message)].join('; ')))
  }
  return refusals
}
