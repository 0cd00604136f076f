// The SQL judge: statements are judged by their parse trees, never by keywords, so comments and
// string literals never count. Writes, schema and role changes, row locks and side-effect
// functions make a step destructive; what would escape the runner's transaction is refused.
import type { Detection } from '../../model/runbook.js'
import { msg } from '../../terminal/messages/index.js'
import type { Json } from './parser.js'
import { parseSql, type Statement } from './statements.js'
import { LOCK_STRENGTH, READ_ONLY_SETTINGS, READ_ONLY_STATEMENTS, ROW_WRITES, SIDE_EFFECT_FUNCTIONS, STATEMENT_PHRASES, TRANSACTION_KINDS } from './tables.js'
import { constValue, funcName, leadingWords, obj, relationName, statementName } from './tree.js'

interface Findings {
  reasons: Set<string>
  refused: { line: number; message: string }[]
}

function refuse(f: Findings, line: number, message: string): void {
  if (!f.refused.some((r) => r.line === line && r.message === message)) f.refused.push({ line, message })
}

/** Walks a parse tree for data-modifying statements, row locks and side-effect functions. */
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
  switch (type) {
    case 'InsertStmt':
      return void f.reasons.add(says.insertsRows(relationName(node.relation)))
    case 'UpdateStmt':
      return void f.reasons.add(says.updatesRows(relationName(node.relation)))
    case 'DeleteStmt':
      return void f.reasons.add(says.deletesRows(relationName(node.relation)))
    case 'MergeStmt':
      return void f.reasons.add(says.mergesRows(relationName(node.relation)))
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

/** A function call: set_config of the read-only settings is refused; side effects flagged. */
function judgeCall(node: Json, line: number, f: Findings): void {
  const says = msg.judge.sql
  const name = funcName(node)
  const args = Array.isArray(node.args) ? node.args : []
  if (name === 'set_config') {
    const setting = constValue(args[0])
    if (typeof setting === 'string' && READ_ONLY_SETTINGS.has(setting.toLowerCase())) refuse(f, line, says.setConfigRefused(setting))
    const isLocal = constValue(args[2])
    if (isLocal !== true) f.reasons.add(says.setConfigSession)
    return
  }
  const hit = SIDE_EFFECT_FUNCTIONS.find(([re]) => re.test(name))
  if (hit) f.reasons.add(says.call(name, says[hit[1]]))
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
    case 'VariableSetStmt': {
      const name = String(body.name ?? '').toLowerCase()
      if (body.kind === 'VAR_RESET_ALL') refuse(f, st.line, says.resetAllRefused)
      else if (body.kind === 'VAR_SET_MULTI' && name === 'transaction') refuse(f, st.line, says.setTransactionRefused)
      else if (body.kind === 'VAR_SET_MULTI' && name === 'session characteristics') refuse(f, st.line, says.sessionCharacteristicsRefused)
      else if (READ_ONLY_SETTINGS.has(name)) refuse(f, st.line, says.readOnlySettingRefused(`${body.kind === 'VAR_RESET' ? 'RESET' : 'SET'} ${name}`))
      return 'done'
    }
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
      return 'done'
    }
    case 'CopyStmt':
      if (body.is_program) refuse(f, st.line, says.copyProgramRefused(body.is_from ? 'FROM' : 'TO'))
      else if (body.is_from) f.reasons.add(says.copyFrom(relationName(body.relation)))
      else if (typeof body.filename === 'string') f.reasons.add(says.copyToFile)
      return 'continue'
  }
  return 'continue'
}

function judgeStatement(st: Statement, f: Findings): void {
  if (judgeSpecial(st, f) === 'done') return
  if (!READ_ONLY_STATEMENTS.has(st.type) && !ROW_WRITES.has(st.type)) {
    const says = msg.judge.sql
    const name = statementName(st)
    const phrase = st.type === 'VacuumStmt' ? (name === 'VACUUM' ? 'rewritesStorage' : 'updatesStatistics') : (STATEMENT_PHRASES[st.type] ?? 'changesDatabase')
    f.reasons.add(says.statement(name, says[phrase]))
  }
  walkTree(st.node, st.line, f)
}

/**
 * Destructive detection of SQL: anything that writes or changes the database, schema, roles
 * or server settings, row locks, and side-effect functions a read-only transaction allows.
 * Transaction control, SET TRANSACTION and COPY … PROGRAM go to `refused`.
 */
export async function detectSql(code: string): Promise<Detection> {
  const parsed = await parseSql(code)
  const f: Findings = { reasons: new Set(), refused: [] }
  for (const st of parsed.statements) judgeStatement(st, f)
  return { destructive: f.reasons.size > 0, reasons: [...f.reasons], syntaxErrors: parsed.errors, refused: f.refused }
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
