// TS/JS destructive detection: the step is transpiled with esbuild (syntax errors keep their
// original lines), parsed with acorn and walked: `$` templates are judged as shell, `sql`
// templates as SQL, `redis.<command>()` calls by the Redis command table, and fs deletions,
// process.kill, child_process calls and writing fetches directly.
import type { Detection } from '../model/runbook.js'
import { msg } from '../terminal/messages/index.js'
import { redisCommandReason, STATIC_REDIS_TABLE, type RedisCommandTable } from './redis.js'
import { detectShell, detectShellArgv, isSystemPath, PLACEHOLDER } from './shell.js'
import { detectSql } from './sql.js'
import { decodeVlq } from './sourcemap.js'

type AnyNode = any

interface Tools {
  transform: typeof import('esbuild').transform
  parse: typeof import('acorn').parse
  simple: typeof import('acorn-walk').simple
}

let toolsPromise: Promise<Tools> | undefined

function loadTools(): Promise<Tools> {
  toolsPromise ??= Promise.all([import('esbuild'), import('acorn'), import('acorn-walk')]).then(([esbuild, acorn, walk]) => ({
    transform: esbuild.transform,
    parse: acorn.parse,
    simple: walk.simple,
  }))
  return toolsPromise
}

// ---------------------------------------------------------------------------------------------
// Source maps: generated line/column → original line

/** Per generated line (0-based): [generated column, original line (0-based)] pairs. */
function decodeMappings(mappings: string): [number, number][][] {
  const lines: [number, number][][] = []
  let srcLine = 0
  for (const line of mappings.split(';')) {
    const segments: [number, number][] = []
    let col = 0
    for (const seg of line.split(',')) {
      if (!seg) continue
      const f = decodeVlq(seg)
      col += f[0] ?? 0
      if (f.length >= 4) {
        srcLine += f[2] ?? 0
        segments.push([col, srcLine])
      }
    }
    lines.push(segments)
  }
  return lines
}

class LineMap {
  private readonly lines: [number, number][][]
  constructor(
    map: string | undefined,
    private readonly shift: number,
  ) {
    let mappings = ''
    try {
      mappings = (JSON.parse(map ?? '{}') as { mappings?: string }).mappings ?? ''
    } catch {
      mappings = ''
    }
    this.lines = decodeMappings(mappings)
  }
  /** Original 1-based line of a generated position (line 1-based, column 0-based). */
  original(line: number, column: number): number {
    for (let l = line - 1; l >= 0; l--) {
      const segments = this.lines[l]
      if (!segments || segments.length === 0) continue
      let best = segments[0]!
      if (l === line - 1) for (const s of segments) if (s[0] <= column) best = s
      return Math.max(1, best[1] + 1 - this.shift)
    }
    return Math.max(1, line - this.shift)
  }
}

// ---------------------------------------------------------------------------------------------

interface Out {
  reasons: Set<string>
  syntaxErrors: { line: number; message: string }[]
  refused: { line: number; message: string }[]
}

function display(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** The root identifier of `a.b(…).c`, `$({…})`, `$.sync`. */
function rootName(node: AnyNode): string | undefined {
  while (node) {
    if (node.type === 'Identifier') return node.name as string
    if (node.type === 'MemberExpression') node = node.object
    else if (node.type === 'CallExpression') node = node.callee
    else if (node.type === 'ChainExpression') node = node.expression
    else return undefined
  }
  return undefined
}

function propertyName(member: AnyNode): string | undefined {
  if (member?.type !== 'MemberExpression') return undefined
  if (!member.computed && member.property.type === 'Identifier') return member.property.name as string
  if (member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value as string
  return undefined
}

/** A string known statically: literal, or template with expressions as PLACEHOLDER. */
function staticString(node: AnyNode): string | null {
  if (!node) return null
  if (node.type === 'Literal' && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value)
  if (node.type === 'TemplateLiteral') return templateText(node, () => PLACEHOLDER)
  return null
}

function templateText(quasi: AnyNode, placeholder: (i: number) => string): string {
  const quasis = quasi.quasis as AnyNode[]
  return quasis.map((q, i) => (q.value.cooked ?? q.value.raw) + (i < quasis.length - 1 ? placeholder(i) : '')).join('')
}

const FS_DELETE = /^(rm|rmSync|remove|removeSync|unlink|unlinkSync|rmdir|rmdirSync|emptyDir|emptyDirSync|emptydir|truncate|truncateSync|ftruncate|ftruncateSync)$/
const FS_WRITE_FIRST = /^(writeFile|writeFileSync|appendFile|appendFileSync|outputFile|outputFileSync|writeJson|writeJsonSync|outputJson|outputJsonSync|writeJSON|outputJSON|chmod|chmodSync|chown|chownSync|mkdir|mkdirSync|mkdirp|mkdirs|ensureDir|ensureFile)$/
const FS_WRITE_SECOND = /^(copy|copySync|copyFile|copyFileSync|cp|cpSync|move|moveSync|rename|renameSync|symlink|symlinkSync|link|linkSync|ensureSymlink|ensureLink)$/
const FS_NAMES = new Set(['fs', 'fse', 'fsp', 'fsExtra'])
const REDIS_CALL = new Set(['call', 'callBuffer', 'send_command', 'sendCommand'])

/** What the walk found, and the judgements of embedded code still to run (they are async). */
interface Walk {
  out: Out
  tasks: (() => Promise<void>)[]
  js: string
  lineOf: (node: AnyNode) => number
  redisTable: RedisCommandTable
}

/** Transpiles the step; a body that `return`s early (it runs inside a function) is wrapped. */
async function transpile(tools: Tools, code: string, loader: 'ts' | 'js'): Promise<{ js: string; lines: LineMap } | { errors: Out['syntaxErrors'] }> {
  const options = { loader, format: 'esm', sourcemap: 'external', sourcefile: `step.${loader}`, logLevel: 'silent' } as const
  try {
    const t = await tools.transform(code, options)
    return { js: t.code, lines: new LineMap(t.map, 0) }
  } catch (e) {
    try {
      const t = await tools.transform(`async function __step__() {\n${code}\n}`, options)
      return { js: t.code, lines: new LineMap(t.map, 1) }
    } catch {
      return { errors: esbuildErrors(e) }
    }
  }
}

/** Parses the transpiled code; a syntax error carries the step's own line. */
function parseJs(tools: Tools, js: string, lines: LineMap): { ast: AnyNode } | { error: { line: number; message: string } } {
  try {
    return { ast: tools.parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true, allowHashBang: true, locations: true }) }
  } catch (e: any) {
    const loc = e?.loc as { line: number; column: number } | undefined
    return { error: { line: loc ? lines.original(loc.line, loc.column) : 1, message: String(e?.message ?? e).replace(/ \(\d+:\d+\)$/, '') } }
  }
}

/** `$\`…\`` is judged as shell, `sql\`…\`` as SQL, with the template's lines. */
function judgeTemplate(node: AnyNode, w: Walk): void {
  const root = rootName(node.tag)
  const source = w.js.slice(node.quasi.start + 1, node.quasi.end - 1)
  const line = w.lineOf(node.quasi)
  const { out } = w
  if (root === '$') {
    const text = templateText(node.quasi, () => PLACEHOLDER)
    w.tasks.push(async () => {
      const label = `$\`${display(source)}\``
      const d = await detectShell(text)
      for (const r of d.reasons) out.reasons.add(`${label}: ${r}`)
      for (const e of d.syntaxErrors) out.syntaxErrors.push({ line: line + e.line - 1, message: msg.judge.ts.shellSyntax(label, e.message) })
    })
  } else if (root === 'sql') {
    const text = templateText(node.quasi, (i) => `$${i + 1}`)
    w.tasks.push(async () => {
      const label = `sql\`${display(source)}\``
      const d = await detectSql(text)
      for (const r of d.reasons) out.reasons.add(`${label}: ${r}`)
      for (const e of d.syntaxErrors) out.syntaxErrors.push({ line: line + e.line - 1, message: msg.judge.ts.sqlSyntax(label, e.message) })
      for (const r of d.refused) out.refused.push({ line: line + r.line - 1, message: `${label}: ${r.message}` })
    })
  }
}

/** `redis.<command>(…)` and `redis.call(name, …)`: judged by the Redis command table. */
function judgeRedisCall(method: string, args: AnyNode[], w: Walk): void {
  let argv: (string | null)[]
  if (REDIS_CALL.has(method)) {
    const first = args[0]?.type === 'NewExpression' ? args[0].arguments?.[0] : args[0]
    const rest = args[0]?.type === 'NewExpression' ? ((args[0].arguments?.[1]?.elements as AnyNode[] | undefined) ?? []) : args.slice(1)
    argv = [staticString(first), ...rest.map(staticString)]
  } else argv = [method.replace(/Buffer$/, ''), ...args.map(staticString)]
  const reason = redisCommandReason(
    argv.map((a) => (a?.includes(PLACEHOLDER) ? null : a)),
    w.redisTable,
  )
  if (reason) w.out.reasons.add(`redis.${method}(${args.length ? '…' : ''}): ${reason}`)
}

/** fs deletions anywhere, fs writes into system paths. */
function judgeFsCall(method: string, args: AnyNode[], w: Walk): void {
  const says = msg.judge.ts
  if (FS_DELETE.test(method)) w.out.reasons.add(/truncate/i.test(method) ? says.fsTruncates(`fs.${method}()`) : says.fsDeletes(`fs.${method}()`))
  else {
    const target = FS_WRITE_FIRST.test(method) ? staticString(args[0]) : FS_WRITE_SECOND.test(method) ? staticString(args[1]) : null
    if (target !== null && isSystemPath(target)) w.out.reasons.add(says.fsSystemPath(`fs.${method}()`, display(target.replace(new RegExp(PLACEHOLDER, 'g'), '…'))))
  }
}

/** exec/spawn/execFile of child_process: the command is judged as shell. */
function judgeChildProcess(fnName: string, args: AnyNode[], w: Walk): void {
  const first = staticString(args[0])
  if (first === null) return
  const label = `${fnName}(${JSON.stringify(display(first.replace(new RegExp(PLACEHOLDER, 'g'), '…'), 40))})`
  const { out } = w
  if (/^exec(Sync)?$/.test(fnName)) {
    w.tasks.push(async () => {
      for (const r of (await detectShell(first)).reasons) out.reasons.add(`${label}: ${r}`)
    })
  } else {
    const list = args[1]?.type === 'ArrayExpression' ? (args[1].elements as AnyNode[]).map(staticString) : []
    w.tasks.push(async () => {
      for (const r of (await detectShellArgv([first, ...list])).reasons) out.reasons.add(`${label}: ${r}`)
    })
  }
}

/** fetch(url, { method: 'DELETE' | 'PUT' | 'PATCH' }). */
function judgeFetch(args: AnyNode[], w: Walk): void {
  const init = args[1]
  if (init?.type !== 'ObjectExpression') return
  for (const prop of init.properties as AnyNode[]) {
    const key = prop.key?.name ?? prop.key?.value
    const value = staticString(prop.value)?.toUpperCase()
    if (key === 'method' && value && ['DELETE', 'PUT', 'PATCH'].includes(value)) w.out.reasons.add(msg.judge.ts.fetchRequest(value))
  }
}

/** A call: which judgement applies, by its callee. */
function judgeCall(node: AnyNode, w: Walk): void {
  const callee = node.callee
  const args = node.arguments as AnyNode[]
  const method = propertyName(callee)
  const root = callee.type === 'MemberExpression' ? rootName(callee.object) : undefined
  if (root === 'redis' && method) return judgeRedisCall(method, args, w)
  if (method && root && (FS_NAMES.has(root) || (callee.object.type === 'MemberExpression' && propertyName(callee.object) === 'promises' && rootName(callee.object) === 'fs')))
    return judgeFsCall(method, args, w)
  if (root === 'process' && method === 'kill' && callee.object.type === 'Identifier') {
    const signal = args[1]
    if (signal?.type === 'Literal' && (signal.value === 0 || signal.value === '0')) return
    w.out.reasons.add(msg.judge.ts.processKill)
    return
  }
  const fnName = callee.type === 'Identifier' ? (callee.name as string) : method
  if (fnName && /^(exec|execSync|spawn|spawnSync|execFile|execFileSync)$/.test(fnName) && (callee.type === 'Identifier' || root === 'child_process' || root === 'cp'))
    return judgeChildProcess(fnName, args, w)
  if (callee.type === 'Identifier' && callee.name === 'fetch') judgeFetch(args, w)
}

/**
 * Destructive detection of a TS/JS step: the commands of `$` templates, `sql` templates,
 * `redis` calls (by the given command table), fs deletions and process.kill. Syntax errors
 * carry the step's own lines.
 */
export async function detectTs(code: string, loader: 'ts' | 'js', redisTable: RedisCommandTable = STATIC_REDIS_TABLE): Promise<Detection> {
  const out: Out = { reasons: new Set(), syntaxErrors: [], refused: [] }
  const result = (): Detection => ({ destructive: out.reasons.size > 0, reasons: [...out.reasons], syntaxErrors: out.syntaxErrors, refused: out.refused })
  if (code.trim() === '') return result()
  const tools = await loadTools()
  const transpiled = await transpile(tools, code, loader)
  if ('errors' in transpiled) {
    out.syntaxErrors.push(...transpiled.errors)
    return result()
  }
  const { js, lines } = transpiled
  const parsed = parseJs(tools, js, lines)
  if ('error' in parsed) {
    out.syntaxErrors.push(parsed.error)
    return result()
  }
  const w: Walk = { out, tasks: [], js, lineOf: (node) => lines.original(node.loc.start.line, node.loc.start.column), redisTable }
  tools.simple(parsed.ast, {
    TaggedTemplateExpression: (node: AnyNode) => judgeTemplate(node, w),
    CallExpression: (node: AnyNode) => judgeCall(node, w),
  })
  for (const task of w.tasks) await task()
  out.syntaxErrors.sort((a, b) => a.line - b.line)
  return result()
}

function esbuildErrors(e: unknown): { line: number; message: string }[] {
  const errors = (e as { errors?: { text: string; location?: { line: number } | null }[] })?.errors
  if (!Array.isArray(errors) || errors.length === 0) return [{ line: 1, message: e instanceof Error ? e.message : String(e) }]
  return errors.map((err) => ({ line: err.location?.line ?? 1, message: err.text }))
}
