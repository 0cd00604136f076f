// SQL destructive detection by PostgreSQL's own parser (@pgsql/parser, libpg_query as WASM):
// statements are judged by their parse trees, never by keywords, so comments and string
// literals never count. Also splits a step into statements for the executor.
import type { Detection } from '../model/runbook.js'

type Json = Record<string, unknown>

interface ParseOk {
  ok: true
  stmts: { stmt: Json; stmt_location?: number; stmt_len?: number }[]
}
interface ParseFail {
  ok: false
  message: string
  /** 1-based position in characters (code points), when the parser says. */
  cursor?: number
}
type ParseOutcome = ParseOk | ParseFail

interface PgParser {
  parse(sql: string): ParseOutcome
  /** Token byte ranges and types, or null on a lexical error. */
  scan(sql: string): { start: number; end: number; type: number }[] | null
}

interface WasmModule {
  lengthBytesUTF8(s: string): number
  stringToUTF8(s: string, ptr: number, max: number): void
  UTF8ToString(ptr: number): string
  HEAPU32: Uint32Array
  _malloc(n: number): number
  _free(ptr: number): void
  _wasm_parse_query_detailed(ptr: number): number
  _wasm_free_detailed_result(ptr: number): void
  _wasm_scan(ptr: number): number
  _wasm_free_string(ptr: number): void
}

let parserPromise: Promise<PgParser> | undefined

/** The parser, loaded on first use (its import and first parse cost ~50–200 ms). */
function loadParser(): Promise<PgParser> {
  parserPromise ??= loadWasmParser().catch(() => loadPublicParser())
  return parserPromise
}

// The package's `parse` hides the error position and throws on any tree whose JSON contains
// "ERROR" (e.g. `WHERE level = 'ERROR'`), so we drive its WASM module's detailed entry point,
// which reports the cursor. The public API is the fallback should the module's shape change.
async function loadWasmParser(): Promise<PgParser> {
  const specifier = '@pgsql/parser/wasm/libpg-query.js'
  const imported = (await import(specifier)) as { default?: unknown }
  const factory = imported.default as () => Promise<WasmModule>
  const m = await factory()
  if (typeof m._wasm_parse_query_detailed !== 'function' || !m.HEAPU32) throw new Error('unexpected @pgsql/parser build')
  const withString = <T>(s: string, fn: (ptr: number) => T): T => {
    const len = m.lengthBytesUTF8(s) + 1
    const ptr = m._malloc(len)
    try {
      m.stringToUTF8(s, ptr, len)
      return fn(ptr)
    } finally {
      m._free(ptr)
    }
  }
  return {
    parse: (sql) =>
      withString(sql, (ptr): ParseOutcome => {
        const result = m._wasm_parse_query_detailed(ptr)
        if (!result) return { ok: false, message: 'the SQL parser failed' }
        try {
          // struct { int has_error; char* message, *funcname, *filename; int lineno, cursorpos; char* context, *data; size_t data_len }
          const heap = m.HEAPU32
          const base = result >>> 2
          if (heap[base]) {
            const raw = heap[base + 1] ? m.UTF8ToString(heap[base + 1]!) : 'syntax error'
            const message = oneLine(raw.replace(/^Parse error: /, '').replace(/ at line \d+, position \d+$/, ''))
            return { ok: false, message, cursor: heap[base + 5] || undefined }
          }
          const data = heap[base + 7] ? m.UTF8ToString(heap[base + 7]!) : '{"stmts":[]}'
          const tree = JSON.parse(data) as { stmts?: ParseOk['stmts'] }
          return { ok: true, stmts: tree.stmts ?? [] }
        } finally {
          m._wasm_free_detailed_result(result)
        }
      }),
    scan: (sql) =>
      withString(sql, (ptr) => {
        const result = m._wasm_scan(ptr)
        const text = m.UTF8ToString(result)
        m._wasm_free_string(result)
        return parseScanJson(text)
      }),
  }
}

async function loadPublicParser(): Promise<PgParser> {
  const pg = await import('@pgsql/parser')
  await pg.loadModule()
  return {
    parse: (sql) => {
      try {
        return { ok: true, stmts: (pg.parseSync(sql) as unknown as { stmts?: ParseOk['stmts'] }).stmts ?? [] }
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e)
        if (message.startsWith('{')) {
          const tree = JSON.parse(message) as { stmts?: ParseOk['stmts'] }
          return { ok: true, stmts: tree.stmts ?? [] }
        }
        // Lexical errors reach the package's JSON.parse as plain text.
        return { ok: false, message: e instanceof SyntaxError ? 'unterminated quoted string, identifier or comment' : oneLine(message) }
      }
    },
    scan: (sql) => {
      try {
        return pg.scanSync(sql).tokens.map((t) => ({ start: t.start, end: t.end, type: t.tokenType }))
      } catch (e) {
        return parseScanJson(e instanceof Error ? e.message : '')
      }
    },
  }
}

function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim()
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat
}

// The scanner's JSON escapes only `"` and `\` in token texts, so a multi-line comment makes
// it invalid JSON: read the numbers with a pattern instead.
function parseScanJson(text: string): { start: number; end: number; type: number }[] | null {
  if (!text.startsWith('{')) return null
  const tokens: { start: number; end: number; type: number }[] = []
  const re = /\{"start":(\d+),"end":(\d+),"text":"(?:[^"\\]|\\[\s\S])*","tokenType":(\d+)/g
  for (let m = re.exec(text); m; m = re.exec(text)) tokens.push({ start: Number(m[1]), end: Number(m[2]), type: Number(m[3]) })
  return tokens
}

/** Byte offsets (the parser's) to string indices and lines. */
class Source {
  readonly bytes: Buffer
  private readonly lineStarts: number[] = [0]
  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8')
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1)
  }
  index(byteOffset: number): number {
    return this.bytes.subarray(0, byteOffset).toString('utf8').length
  }
  /** Index of the 1-based code point position `cursor`. */
  indexOfCursor(cursor: number): number {
    let index = 0
    for (let n = 1; n < cursor && index < this.text.length; n++) index += (this.text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1
    return index
  }
  line(index: number): number {
    let lo = 0
    let hi = this.lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.lineStarts[mid]! <= index) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}

/** Index of the first character at or after `from` that is not whitespace or a comment. */
function skipTrivia(text: string, from: number, to = text.length): number {
  let i = from
  while (i < to) {
    if (/\s/.test(text[i]!)) i++
    else if (text.startsWith('--', i)) {
      const nl = text.indexOf('\n', i)
      i = nl === -1 ? to : nl + 1
    } else if (text.startsWith('/*', i)) {
      let depth = 0
      let j = i
      while (j < to) {
        if (text.startsWith('/*', j)) {
          depth++
          j += 2
        } else if (text.startsWith('*/', j)) {
          depth--
          j += 2
          if (depth === 0) break
        } else j++
      }
      i = j
    } else break
  }
  return Math.min(i, to)
}

interface Statement {
  node: Json
  type: string
  /** Statement text without leading comments and whitespace. */
  text: string
  line: number
}

interface ParsedSql {
  statements: Statement[]
  errors: { line: number; message: string }[]
}

function collect(source: Source, stmts: ParseOk['stmts'], byteBase: number, byteEnd: number, out: Statement[]): void {
  for (const s of stmts) {
    const startByte = byteBase + (s.stmt_location ?? 0)
    const endByte = s.stmt_len ? startByte + s.stmt_len : byteEnd
    const from = source.index(startByte)
    const to = source.index(endByte)
    const start = skipTrivia(source.text, from, to)
    const type = Object.keys(s.stmt)[0] ?? 'Unknown'
    out.push({
      node: s.stmt,
      type,
      text: source.text.slice(start, to).trimEnd(),
      line: source.line(start),
    })
  }
}

async function parseSql(code: string): Promise<ParsedSql> {
  const statements: Statement[] = []
  if (code.trim() === '') return { statements, errors: [] }
  const parser = await loadParser()
  const source = new Source(code)
  const whole = parser.parse(code)
  if (whole.ok) {
    collect(source, whole.stmts, 0, source.bytes.length, statements)
    return { statements, errors: [] }
  }
  const errorAt = (base: number, fail: ParseFail, end = code.length): { line: number; message: string } => {
    if (fail.cursor) return { line: source.line(base + new Source(code.slice(base)).indexOfCursor(fail.cursor)), message: fail.message }
    // No position (fallback parser): look for the token the message names, else the chunk start.
    const start = skipTrivia(code, base, end)
    const near = /at or near "([\s\S]*)"$/.exec(fail.message)?.[1]
    const at = near ? code.indexOf(near, start) : -1
    return { line: source.line(at !== -1 && at < end ? at : start), message: fail.message }
  }
  // A syntax error: split at top-level semicolons by the scanner and judge what still parses,
  // so that one bad statement neither hides the others nor loses its line.
  const tokens = parser.scan(code)
  if (!tokens) return { statements, errors: [errorAt(0, whole)] }
  const errors: { line: number; message: string }[] = []
  let depth = 0
  let chunkStart = 0
  const chunks: [number, number][] = []
  for (const t of tokens) {
    if (t.type === 40) depth++
    else if (t.type === 41) depth = Math.max(0, depth - 1)
    else if (t.type === 59 && depth === 0) {
      chunks.push([chunkStart, t.start])
      chunkStart = t.end
    }
  }
  chunks.push([chunkStart, source.bytes.length])
  for (const [a, b] of chunks) {
    const text = source.bytes.subarray(a, b).toString('utf8')
    if (text.trim() === '') continue
    const result = parser.parse(text)
    if (result.ok) collect(source, result.stmts, a, b, statements)
    else errors.push(errorAt(source.index(a), result, source.index(b)))
  }
  if (errors.length === 0) errors.push(errorAt(0, whole))
  return { statements, errors }
}

/** A SQL syntax error, with its 1-based line in the code. */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'SqlSyntaxError'
  }
}

/**
 * The statements of a SQL step, each with its 1-based start line (leading comments dropped),
 * so that the executor can run them one at a time. Throws SqlSyntaxError on a syntax error.
 */
export async function splitSql(code: string): Promise<{ text: string; line: number }[]> {
  const parsed = await parseSql(code)
  const first = parsed.errors[0]
  if (first) throw new SqlSyntaxError(first.message, first.line)
  return parsed.statements.map((s) => ({ text: s.text, line: s.line }))
}

// ---------------------------------------------------------------------------------------------
// Judgement

/** Statement types that neither write nor change anything (their contents are still walked). */
const READ_ONLY_STATEMENTS = new Set([
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

/** Names for statement types whose first words would not say it well. */
const STATEMENT_NAMES: Record<string, string> = {
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

const STATEMENT_VERBS: Record<string, string> = {
  TruncateStmt: 'empties tables',
  DoStmt: 'runs a code block',
  CallStmt: 'runs a procedure',
  LockStmt: 'takes table locks',
  NotifyStmt: 'sends a notification',
  CheckPointStmt: 'forces a checkpoint',
  LoadStmt: 'loads a library into the server',
  ReindexStmt: 'rebuilds indexes',
  ClusterStmt: 'rewrites tables',
  RefreshMatViewStmt: 'rewrites a materialized view',
  AlterSystemStmt: 'changes server settings',
  GrantStmt: 'changes privileges',
  GrantRoleStmt: 'changes role memberships',
  CreateRoleStmt: 'changes roles',
  AlterRoleStmt: 'changes roles',
  AlterRoleSetStmt: 'changes role settings',
  DropRoleStmt: 'changes roles',
  AlterDatabaseSetStmt: 'changes database settings',
}

/** Side-effect functions that a read-only transaction still allows. */
const SIDE_EFFECT_FUNCTIONS: [RegExp, string][] = [
  [/^pg_terminate_backend$/, 'terminates a backend'],
  [/^pg_cancel_backend$/, 'cancels a running query'],
  [/^pg_reload_conf$/, 'reloads the server configuration'],
  [/^pg_(try_)?advisory_(xact_)?lock(_shared)?$/, 'takes an advisory lock'],
  [/^pg_notify$/, 'sends a notification'],
  [/^pg_rotate_logfile$/, 'rotates the server log'],
  [/^pg_switch_wal$/, 'switches the WAL file'],
  [/^pg_create_restore_point$/, 'creates a restore point'],
  [/^(setval|nextval)$/, 'advances a sequence'],
  [/^lo_(unlink|import|export|create|creat|from_bytea|put|truncate)$/, 'changes large objects or server files'],
  [/^dblink_exec$/, 'runs a command on a remote database'],
  [/^pg_stat_(statements_)?reset/, 'resets statistics'],
  [/^pg_promote$/, 'promotes a standby'],
  [/^pg_wal_replay_(pause|resume)$/, 'pauses or resumes WAL replay'],
  [/^pg_(create_(physical|logical)|drop|copy_(physical|logical))_replication_slot$/, 'changes replication slots'],
  [/^pg_(backup_start|backup_stop|start_backup|stop_backup)$/, 'starts or stops a backup'],
  [/^pg_logical_emit_message$/, 'writes a WAL message'],
  [/^pg_file_(write|rename|unlink|sync)$/, 'writes server files'],
  [/^pg_log_backend_memory_contexts$/, 'writes to the server log'],
]

const READ_ONLY_SETTINGS = new Set(['default_transaction_read_only', 'transaction_read_only'])

const LOCK_STRENGTH: Record<string, string> = {
  LCS_FORUPDATE: 'FOR UPDATE',
  LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
  LCS_FORSHARE: 'FOR SHARE',
  LCS_FORKEYSHARE: 'FOR KEY SHARE',
}

const TRANSACTION_KINDS: Record<string, string> = {
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

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined
}

function relationName(v: unknown): string {
  const r = obj(v)
  if (!r || typeof r.relname !== 'string') return 'a table'
  return typeof r.schemaname === 'string' ? `${r.schemaname}.${r.relname}` : r.relname
}

function funcName(call: Json): string {
  const parts = Array.isArray(call.funcname) ? call.funcname : []
  const last = obj(obj(parts[parts.length - 1])?.String)?.sval
  return typeof last === 'string' ? last.toLowerCase() : ''
}

/** A constant's value: string, boolean, number, or undefined when not a constant. */
function constValue(v: unknown): string | boolean | number | undefined {
  let node = obj(v)
  if (node?.TypeCast) node = obj(obj(node.TypeCast)?.arg)
  const c = obj(node?.A_Const)
  if (!c) return undefined
  if (c.sval) return String(obj(c.sval)?.sval ?? '')
  if (c.boolval) return obj(c.boolval)?.boolval === true
  if (c.ival) return Number(obj(c.ival)?.ival ?? 0)
  return undefined
}

/** First words of a statement (uppercased), to name it in a reason. */
function leadingWords(text: string, count: number): string {
  return text
    .split(/\s+/)
    .slice(0, count)
    .join(' ')
    .replace(/[;(].*$/, '')
    .toUpperCase()
}

function statementName(st: Statement): string {
  const body = obj(st.node[st.type]) ?? {}
  switch (st.type) {
    case 'VacuumStmt':
      return body.is_vacuumcmd ? 'VACUUM' : 'ANALYZE'
    case 'GrantStmt':
    case 'GrantRoleStmt':
      return body.is_grant ? 'GRANT' : 'REVOKE'
    case 'CreateTableAsStmt':
      return body.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS'
    case 'DropStmt': {
      const what = typeof body.removeType === 'string' ? body.removeType.replace(/^OBJECT_/, '').replace(/_/g, ' ') : ''
      return `DROP ${what}`.trim()
    }
  }
  return STATEMENT_NAMES[st.type] ?? leadingWords(st.text, /^(CREATE|ALTER|DROP)$/i.test(st.text.split(/\s+/)[0] ?? '') ? 2 : 1)
}

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

function judgeNode(type: string, node: Json, line: number, f: Findings): void {
  switch (type) {
    case 'InsertStmt':
      f.reasons.add(`INSERT writes rows into ${relationName(node.relation)}`)
      break
    case 'UpdateStmt':
      f.reasons.add(`UPDATE changes rows in ${relationName(node.relation)}`)
      break
    case 'DeleteStmt':
      f.reasons.add(`DELETE deletes rows from ${relationName(node.relation)}`)
      break
    case 'MergeStmt':
      f.reasons.add(`MERGE writes rows into ${relationName(node.relation)}`)
      break
    case 'SelectStmt': {
      const into = obj(node.intoClause)
      if (into) f.reasons.add(`SELECT INTO creates table ${relationName(into.rel)}`)
      const locking = Array.isArray(node.lockingClause) ? node.lockingClause : []
      for (const l of locking) {
        const strength = obj(obj(l)?.LockingClause)?.strength
        f.reasons.add(`SELECT ${LOCK_STRENGTH[String(strength)] ?? 'FOR UPDATE'} takes row locks`)
      }
      break
    }
    case 'FuncCall': {
      const name = funcName(node)
      const args = Array.isArray(node.args) ? node.args : []
      if (name === 'set_config') {
        const setting = constValue(args[0])
        if (typeof setting === 'string' && READ_ONLY_SETTINGS.has(setting.toLowerCase()))
          refuse(f, line, `set_config('${setting}', …) is refused: it would change the transaction's read-only mode`)
        const isLocal = constValue(args[2])
        if (isLocal !== true) f.reasons.add(`set_config() changes a setting for the whole session`)
        break
      }
      const hit = SIDE_EFFECT_FUNCTIONS.find(([re]) => re.test(name))
      if (hit) f.reasons.add(`${name}() ${hit[1]}`)
      break
    }
  }
}

function judgeStatement(st: Statement, f: Findings): void {
  const body = obj(st.node[st.type]) ?? {}
  switch (st.type) {
    case 'TransactionStmt': {
      const word = leadingWords(st.text, 1)
      const name = TRANSACTION_KINDS[String(body.kind)] ?? word
      const shown = word && !name.startsWith(word) ? `${word} (${name})` : name
      refuse(f, st.line, `${shown} is refused: the runner owns the transaction (it commits or rolls back the step)`)
      return
    }
    case 'VariableSetStmt': {
      const name = String(body.name ?? '').toLowerCase()
      if (body.kind === 'VAR_RESET_ALL') refuse(f, st.line, 'RESET ALL is refused: it could undo the read-only transaction settings')
      else if (body.kind === 'VAR_SET_MULTI' && name === 'transaction')
        refuse(f, st.line, 'SET TRANSACTION is refused: it could make the read-only transaction writable')
      else if (body.kind === 'VAR_SET_MULTI' && name === 'session characteristics')
        refuse(f, st.line, 'SET SESSION CHARACTERISTICS is refused: it could make transactions writable')
      else if (READ_ONLY_SETTINGS.has(name))
        refuse(f, st.line, `${body.kind === 'VAR_RESET' ? 'RESET' : 'SET'} ${name} is refused: it would change the transaction's read-only mode`)
      return
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
      return
    }
    case 'CopyStmt': {
      if (body.is_program) {
        refuse(f, st.line, `COPY … ${body.is_from ? 'FROM' : 'TO'} PROGRAM is refused: it runs a program on the database server`)
      } else if (body.is_from) f.reasons.add(`COPY FROM writes rows into ${relationName(body.relation)}`)
      else if (typeof body.filename === 'string') f.reasons.add('COPY TO a file writes a file on the database server')
      break
    }
  }
  if (!READ_ONLY_STATEMENTS.has(st.type) && !['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'].includes(st.type)) {
    const name = statementName(st)
    const verb =
      st.type === 'VacuumStmt'
        ? name === 'VACUUM'
          ? 'rewrites table storage'
          : 'updates planner statistics'
        : (STATEMENT_VERBS[st.type] ?? 'changes the database')
    f.reasons.add(`${name} ${verb}`)
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

/**
 * Reasons why statements of the code cannot run inside a transaction block (so they need the
 * step's `autocommit` attribute). Syntax errors are ignored here: detection reports them.
 */
export async function sqlAutocommitOnly(code: string): Promise<string[]> {
  const parsed = await parseSql(code)
  const reasons = new Set<string>()
  for (const st of parsed.statements) {
    const body = obj(st.node[st.type]) ?? {}
    const concurrently = (params: unknown) =>
      Array.isArray(params) && params.some((p) => obj(obj(p)?.DefElem)?.defname === 'concurrently')
    let why: string | undefined
    if (st.type === 'VacuumStmt' && body.is_vacuumcmd) why = 'VACUUM'
    else if (st.type === 'IndexStmt' && body.concurrent) why = 'CREATE INDEX CONCURRENTLY'
    else if (st.type === 'ReindexStmt' && concurrently(body.params)) why = 'REINDEX CONCURRENTLY'
    else if (st.type === 'ReindexStmt' && /DATABASE|SYSTEM/.test(String(body.kind))) why = `REINDEX ${String(body.kind).replace(/^REINDEX_OBJECT_/, '')}`
    else if (st.type === 'DropStmt' && body.concurrent) why = 'DROP INDEX CONCURRENTLY'
    else if (st.type === 'CreatedbStmt') why = 'CREATE DATABASE'
    else if (st.type === 'DropdbStmt') why = 'DROP DATABASE'
    else if (st.type === 'AlterSystemStmt') why = 'ALTER SYSTEM'
    else if (st.type === 'CreateTableSpaceStmt') why = 'CREATE TABLESPACE'
    else if (st.type === 'DropTableSpaceStmt') why = 'DROP TABLESPACE'
    else if (st.type === 'DiscardStmt' && body.target === 'DISCARD_ALL') why = 'DISCARD ALL'
    else if (st.type === 'ClusterStmt' && !body.relation) why = 'CLUSTER without a table'
    if (why) reasons.add(`${why} (line ${st.line}) cannot run inside a transaction block`)
  }
  return [...reasons]
}
