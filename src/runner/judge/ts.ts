// TS/JS destructive detection, failing closed: the step is transpiled with esbuild (syntax errors
// keep their original lines), parsed with acorn and walked. `$` templates are judged as shell,
// `sql` templates as SQL, `redis.<command>()` calls by the Redis command table; every other use
// of a name with effects must have a shape the judge knows to be read-only (ts/references.ts),
// or the step cannot be proven read-only and counts as destructive.
import type { Detection } from '../model/runbook.js'
import { msg } from '../terminal/messages/index.js'
import { STATIC_REDIS_TABLE, type RedisCommandTable } from './redis.js'
import { judgeCall, judgeTemplate } from './ts/calls.js'
import { LineMap } from './ts/lines.js'
import type { AnyNode } from './ts/nodes.js'
import { judgeMember, judgePipe, judgeReference } from './ts/references.js'
import { PROTOTYPE_KEYS } from './ts/vocabulary.js'
import type { Out, Walk } from './ts/walk-state.js'

interface Tools {
  transform: typeof import('esbuild').transform
  parse: typeof import('acorn').parse
  fullAncestor: typeof import('acorn-walk').fullAncestor
}

let toolsPromise: Promise<Tools> | undefined

function loadTools(): Promise<Tools> {
  toolsPromise ??= Promise.all([import('esbuild'), import('acorn'), import('acorn-walk')]).then(([esbuild, acorn, walk]) => ({
    transform: esbuild.transform,
    parse: acorn.parse,
    fullAncestor: walk.fullAncestor,
  }))
  return toolsPromise
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

/** Every name the step binds itself (anywhere: scopes do not matter to names judged by name). */
function declaredNames(tools: Tools, ast: AnyNode): Set<string> {
  const declared = new Set<string>()
  tools.fullAncestor(ast, (node: AnyNode, _state: unknown, _ancestors: AnyNode[], type: string) => {
    if (type === 'VariablePattern' && node.type === 'Identifier') declared.add(node.name as string)
  })
  declared.delete('__step__')
  return declared
}

/** One walk over every node: references, members, calls, templates and module loads. */
function walkStep(tools: Tools, ast: AnyNode, w: Walk): void {
  const declared = declaredNames(tools, ast)
  const add = (reason: string | null): void => {
    if (reason) w.out.reasons.add(reason)
  }
  tools.fullAncestor(ast, (node: AnyNode, _state: unknown, ancestors: AnyNode[], type: string) => {
    switch (node.type) {
      case 'Identifier':
        if (type !== 'VariablePattern' && node.name !== '__step__') add(judgeReference(node.name as string, ancestors, declared, w))
        return
      case 'MemberExpression':
        return add(judgeMember(node, ancestors[ancestors.length - 2], PROTOTYPE_KEYS))
      case 'CallExpression':
        judgeCall(node, w)
        return add(judgePipe(node))
      case 'TaggedTemplateExpression':
        return judgeTemplate(node, w)
      case 'ImportExpression':
      case 'ImportDeclaration':
        return add(msg.judge.ts.cannotProve(msg.judge.ts.loadsModule(node.type === 'ImportExpression' ? 'import()' : 'import')))
      case 'MetaProperty':
        if (node.meta?.name === 'import') add(msg.judge.ts.cannotProve(msg.judge.ts.loadsModule('import.meta')))
        return
      default:
        return
    }
  })
}

/**
 * Destructive detection of a TS/JS step: the commands of `$` templates, `sql` templates,
 * `redis` calls (by the given command table), fs writes, and every use the judge cannot prove
 * read-only. Syntax errors carry the step's own lines.
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
  walkStep(tools, parsed.ast, w)
  for (const task of w.tasks) await task()
  out.syntaxErrors.sort((a, b) => a.line - b.line)
  return result()
}

function esbuildErrors(e: unknown): { line: number; message: string }[] {
  const errors = (e as { errors?: { text: string; location?: { line: number } | null }[] })?.errors
  if (!Array.isArray(errors) || errors.length === 0) return [{ line: 1, message: e instanceof Error ? e.message : String(e) }]
  return errors.map((err) => ({ line: err.location?.line ?? 1, message: err.text }))
}
