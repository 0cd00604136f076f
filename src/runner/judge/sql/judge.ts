// The SQL judge: statements are judged by their parse trees, never by keywords, so comments and
// string literals never count. Writes, schema and role changes, row locks and function calls not
// proven read-only (functions.ts) make a step destructive; what would escape the runner's
// transaction, or make the server read later text differently from the judge, is refused. It also
// says which statements have effects a rollback cannot undo (they are never run as a preview).
import type { Detection } from '../../model/runbook.js'
import { msg } from '../../terminal/messages/index.js'
import { judgeFunction } from './functions.js'
import { loadParser, type Json, type PgParser } from './parser.js'
import { settingVerdict } from './settings.js'
import { parseSql, type Statement } from './statements.js'
import { LOCK_STRENGTH, READ_ONLY_STATEMENTS, ROW_WRITES, STATEMENT_PHRASES, TRANSACTION_KINDS } from './tables.js'
import { constValue, leadingWords, obj, relationName, statementName } from './tree.js'

/** What a statement does that a rollback does not undo, or what a preview should mention. */
export interface LineReason {
  line: number
  reason: string
}

interface Findings {
  parser: PgParser
  /** SQL given as text to a function is judged one level down (bounded). */
  depth: number
  /** Plain EXPLAIN: the planner may run function calls (constant folding), nothing else. */
  callsOnly?: boolean
  reasons: Set<string>
  refused: { line: number; message: string }[]
  irreversible: LineReason[]
  notes: LineReason[]
}

function findings(parser: PgParser, depth: number): Findings {
  return { parser, depth, reasons: new Set(), refused: [], irreversible: [], notes: [] }
}

function refuse(f: Findings, line: number, message: string): void {
  if (!f.refused.some((r) => r.line === line && r.message === message)) f.refused.push({ line, message })
}

function addLine(list: LineReason[], line: number, reason: string): void {
  if (!list.some((r) => r.line === line && r.reason === reason)) list.push({ line, reason })
}

/** Walks a parse tree for data-modifying statements, row locks and function calls. */
function walkTree(value: unknown, line: number, f: Findings, wrapperType?: string): void {
  if (Array.isArray(value)) {
    for (const v of value) walkTree(v, line, f)
    return
  }
  const node = obj(value)
  if (!node) return
  if (wrapperType) judgeNode(wrapperType, node, line, f)
  for (const [key, child] of Object.entries(node)) {
    if (/^[A-Z]/.test(key) && obj(child)) walkTree(child, line, f, key)
    else if (key === 'larg' || key === 'rarg') walkTree(child, line, f, 'SelectStmt')
    else if (typeof child === 'object' && child !== null) walkTree(child, line, f)
  }
}

/** One node of a tree: a row write, SELECT INTO or a row lock, or a function call. */
function judgeNode(type: string, node: Json, line: number, f: Findings): void {
  const says = msg.judge.sql
  if (f.callsOnly && type !== 'FuncCall') return
  switch (type) {
    case 'InsertStmt':
    case 'MergeStmt':
      // A column default's nextval() advances its sequence; a rollback leaves it advanced (harmless).
      if (f.depth === 0) addLine(f.notes, line, says.sequenceMayAdvance(relationName(node.relation)))
      return void f.reasons.add(type === 'InsertStmt' ? says.insertsRows(relationName(node.relation)) : says.mergesRows(relationName(node.relation)))
    case 'UpdateStmt':
      return void f.reasons.add(says.updatesRows(relationName(node.relation)))
    case 'DeleteStmt':
      return void f.reasons.add(says.deletesRows(relationName(node.relation)))
    case 'SelectStmt': {
      const into = obj(node.intoClause)
      if (into) f.reasons.add(says.selectInto(relationName(into.rel)))
      const locking = Array.isArray(node.lockingClause) ? node.lockingClause : []
      for (const l of locking) {
        const strength = obj(obj(l)?.LockingClause)?.strength
        f.reasons.add(says.rowLocks(LOCK_STRENGTH[String(strength)] ?? 'FOR UPDATE'))
      }
      return
    }
    case 'FuncCall':
      return judgeCall(node, line, f)
  }
}

/** A function call not proven read-only: a reason (or a refusal), and irreversible when it is. */
function judgeCall(node: Json, line: number, f: Findings): void {
  const verdict = judgeFunction(node, f.parser, (sql) => judgeText(sql, f))
  if (!verdict) return
  if (verdict.refused) refuse(f, line, verdict.reason)
  else f.reasons.add(verdict.reason)
  if (verdict.irreversible) addLine(f.irreversible, line, verdict.reason)
}

/** SQL given as text, judged as a step of its own: the reasons it is not read-only. */
function judgeText(sql: string, outer: Findings): string[] {
  const says = msg.judge.sql
  if (outer.depth >= 3) return [says.sqlTextTooDeep]
  const parsed = outer.parser.parse(sql)
  if (!parsed.ok) return [says.sqlTextUnparsable(parsed.message)]
  const inner = findings(outer.parser, outer.depth + 1)
  for (const s of parsed.stmts) {
    const type = Object.keys(s.stmt)[0] ?? 'Unknown'
    judgeStatement({ node: s.stmt, type, text: sql, line: 1 }, inner)
  }
  return [...inner.refused.map((r) => r.message), ...inner.reasons]
}

/** SET and RESET: harmless settings only; the read-only mode and the lexer's settings are refused. */
function judgeSet(st: Statement, body: Json, f: Findings): void {
  const says = msg.judge.sql
  const name = String(body.name ?? '').toLowerCase()
  const shown = `${body.kind === 'VAR_RESET' ? 'RESET' : 'SET'} ${name}`
  if (body.kind === 'VAR_RESET_ALL') return refuse(f, st.line, says.resetAllRefused)
  if (body.kind === 'VAR_SET_MULTI' && name === 'transaction') return refuse(f, st.line, says.setTransactionRefused)
  if (body.kind === 'VAR_SET_MULTI' && name === 'session characteristics') return refuse(f, st.line, says.sessionCharacteristicsRefused)
  switch (settingVerdict(name)) {
    case 'harmless':
      return
    case 'read-only-mode':
      return refuse(f, st.line, says.readOnlySettingRefused(shown))
    case 'lexer':
      return refuse(f, st.line, says.lexerSettingRefused(shown))
    case 'search-path':
      return void f.reasons.add(says.searchPathChanged(shown))
    case 'role':
      return void f.reasons.add(says.roleChanged(shown))
    default:
      return void f.reasons.add(says.settingChanged(shown))
  }
}

/** Statements refused or judged by their options; whether the generic judgement follows. */
function judgeSpecial(st: Statement, f: Findings): 'done' | 'continue' {
  const says = msg.judge.sql
  const body = obj(st.node[st.type]) ?? {}
  switch (st.type) {
    case 'TransactionStmt': {
      const word = leadingWords(st.text, 1)
      const name = TRANSACTION_KINDS[String(body.kind)] ?? word
      refuse(f, st.line, says.transactionRefused(word && !name.startsWith(word) ? `${word} (${name})` : name))
      return 'done'
    }
    case 'VariableSetStmt':
      judgeSet(st, body, f)
      return 'done'
    case 'ExplainStmt': {
      const options = Array.isArray(body.options) ? body.options : []
      const analyze = options.some((o) => {
        const d = obj(obj(o)?.DefElem)
        if (d?.defname !== 'analyze') return false
        const v = constValue(d.arg) ?? (obj(obj(d.arg)?.String)?.sval as string | undefined)
        return v === undefined || v === true || /^(true|on|1)$/i.test(String(v))
      })
      // Plain EXPLAIN plans without running; EXPLAIN ANALYZE runs the statement.
      if (analyze) walkTree(body.query, st.line, f)
      else walkTree(body.query, st.line, { ...f, callsOnly: true })
      return 'done'
    }
    case 'CopyStmt': {
      const server = typeof body.filename === 'string' // a server file or program; absent: STDIN/STDOUT
      if (body.is_program) {
        refuse(f, st.line, says.copyProgramRefused(body.is_from ? 'FROM' : 'TO'))
        addLine(f.irreversible, st.line, says.copyProgramRefused(body.is_from ? 'FROM' : 'TO'))
      } else if (body.is_from) {
        f.reasons.add(says.copyFrom(relationName(body.relation)))
        if (server) addLine(f.irreversible, st.line, says.copyFromFile)
      } else if (server) {
        f.reasons.add(says.copyToFile)
        addLine(f.irreversible, st.line, says.copyToFile)
      }
      return 'continue'
    }
  }
  return 'continue'
}

function judgeStatement(st: Statement, f: Findings): void {
  if (judgeSpecial(st, f) === 'done') return
  if (!READ_ONLY_STATEMENTS.has(st.type) && !ROW_WRITES.has(st.type)) {
    const says = msg.judge.sql
    const name = statementName(st)
    const phrase = st.type === 'VacuumStmt' ? (name === 'VACUUM' ? 'rewritesStorage' : 'updatesStatistics') : (STATEMENT_PHRASES[st.type] ?? 'changesDatabase')
    const reason = says.statement(name, says[phrase])
    f.reasons.add(reason)
    // Code the judge does not see (a block, a procedure, a library): fail closed for previews too.
    if (RUNS_UNSEEN_CODE.has(st.type)) addLine(f.irreversible, st.line, reason)
  }
  walkTree(st.node, st.line, f)
}

/** Statements that run code the judge cannot read. */
const RUNS_UNSEEN_CODE = new Set(['DoStmt', 'CallStmt', 'LoadStmt'])

/**
 * Destructive detection of SQL: anything that writes or changes the database, schema, roles
 * or settings that are not harmless, row locks, and calls not proven read-only. Transaction
 * control, SET TRANSACTION, the read-only mode, the lexer's settings and COPY … PROGRAM go to
 * `refused`.
 */
export async function detectSql(code: string): Promise<Detection> {
  const { f, errors } = await judgeAll(code)
  return { destructive: f.reasons.size > 0, reasons: [...f.reasons], syntaxErrors: errors, refused: f.refused }
}

async function judgeAll(code: string): Promise<{ f: Findings; errors: { line: number; message: string }[] }> {
  const parsed = await parseSql(code)
  const f = findings(await loadParser(), 0)
  for (const st of parsed.statements) judgeStatement(st, f)
  return { f, errors: parsed.errors }
}

/**
 * What a preview must know of the code, per statement line (1-based in the code): effects a
 * rollback does not undo (calls not proven read-only, COPY with a server file or program,
 * dblink_exec…: such statements are never run as a preview), and notes for the preview (a
 * sequence an INSERT may advance).
 */
export async function sqlPreviewFacts(code: string): Promise<{ irreversible: LineReason[]; notes: LineReason[] }> {
  const { f } = await judgeAll(code)
  return { irreversible: f.irreversible, notes: f.notes }
}

/** The statement that cannot run inside a transaction block, as named in a reason. */
function autocommitOnly(st: Statement): string | undefined {
  const body = obj(st.node[st.type]) ?? {}
  const concurrently = (params: unknown) => Array.isArray(params) && params.some((p) => obj(obj(p)?.DefElem)?.defname === 'concurrently')
  if (st.type === 'VacuumStmt' && body.is_vacuumcmd) return 'VACUUM'
  if (st.type === 'IndexStmt' && body.concurrent) return 'CREATE INDEX CONCURRENTLY'
  if (st.type === 'ReindexStmt' && concurrently(body.params)) return 'REINDEX CONCURRENTLY'
  if (st.type === 'ReindexStmt' && /DATABASE|SYSTEM/.test(String(body.kind))) return `REINDEX ${String(body.kind).replace(/^REINDEX_OBJECT_/, '')}`
  if (st.type === 'DropStmt' && body.concurrent) return 'DROP INDEX CONCURRENTLY'
  if (st.type === 'CreatedbStmt') return 'CREATE DATABASE'
  if (st.type === 'DropdbStmt') return 'DROP DATABASE'
  if (st.type === 'AlterSystemStmt') return 'ALTER SYSTEM'
  if (st.type === 'CreateTableSpaceStmt') return 'CREATE TABLESPACE'
  if (st.type === 'DropTableSpaceStmt') return 'DROP TABLESPACE'
  if (st.type === 'DiscardStmt' && body.target === 'DISCARD_ALL') return 'DISCARD ALL'
  if (st.type === 'ClusterStmt' && !body.relation) return msg.judge.sql.clusterWithoutTable
  return undefined
}

/**
 * Reasons why statements of the code cannot run inside a transaction block (so they need the
 * step's `autocommit` attribute). Syntax errors are ignored here: detection reports them.
 */
export async function sqlAutocommitOnly(code: string): Promise<string[]> {
  const parsed = await parseSql(code)
  const reasons = new Set<string>()
  for (const st of parsed.statements) {
    const what = autocommitOnly(st)
    if (what) reasons.add(msg.judge.sql.autocommitOnly(what, st.line))
  }
  return [...reasons]
}
