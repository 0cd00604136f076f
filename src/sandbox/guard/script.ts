// A shell script, statement by statement: assignments feed the variables later words use,
// redirections that write are checked like any other target, and each simple command goes to
// the command rules (argv.ts).
import { msg, REDIRECT_DUP_OUT, WRITE_REDIRECTS, type ShNode } from '../../runner/api.js'
import { deeper, type Ctx, type Scope } from './context.js'
import { checkPath } from './paths.js'
import { wordValue } from './words.js'

// The redirection operators that write (>, >>, &>, &>>, >|, <>) and >& (a file unless a number)
// are the judge's (one table of the parser's token numbers).
const MAX_DEPTH = 8
const ASSIGNING_BUILTINS = ['read', 'mapfile', 'readarray', 'getopts', 'printf', 'let', 'export', 'declare', 'local', 'typeset']

/** Every name the script assigns somewhere (their values are unknown, not empty). */
function collectAssigned(file: ShNode, ctx: Ctx): Set<string> {
  const names = new Set<string>()
  ctx.syntax.Walk(file, (node) => {
    if (!node) return true
    const type = ctx.syntax.NodeType(node)
    if (type === 'Assign' && node.Name) names.add(String(node.Name.Value))
    else if (type === 'WordIter' && node.Name) names.add(String(node.Name.Value))
    else if (type === 'CallExpr') {
      const args = (node.Args ?? []) as ShNode[]
      const first = args[0]?.Parts?.[0]
      const cmd = first && ctx.syntax.NodeType(first) === 'Lit' ? String(first.Value) : ''
      if (ASSIGNING_BUILTINS.includes(cmd))
        for (const a of args.slice(1)) for (const p of a.Parts ?? []) if (ctx.syntax.NodeType(p) === 'Lit') for (const m of String(p.Value).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) names.add(m[0])
    }
    return true
  })
  return names
}

function statementsOf(file: ShNode, ctx: Ctx): ShNode[] {
  const statements: ShNode[] = []
  ctx.syntax.Walk(file, (node) => {
    if (node && ctx.syntax.NodeType(node) === 'Stmt') statements.push(node)
    return true
  })
  return statements
}

async function statement(stmt: ShNode, scope: Scope, ctx: Ctx): Promise<void> {
  const cmd = stmt.Cmd
  const type = cmd ? ctx.syntax.NodeType(cmd) : ''
  if (type === 'CallExpr' && (cmd.Args?.length ?? 0) === 0) {
    for (const a of (cmd.Assigns ?? []) as ShNode[]) if (a.Name) scope.vars.set(String(a.Name.Value), a.Value ? wordValue(a.Value, scope, ctx) : '')
  } else if (type === 'DeclClause') {
    for (const a of (cmd.Args ?? []) as ShNode[]) if (a.Name && !a.Naked) scope.vars.set(String(a.Name.Value), a.Value ? wordValue(a.Value, scope, ctx) : '')
  }
  for (const r of (stmt.Redirs ?? []) as ShNode[]) {
    const op = Number(r.Op)
    if (!r.Word) continue
    const target = wordValue(r.Word, scope, ctx)
    if (WRITE_REDIRECTS.has(op) || (op === REDIRECT_DUP_OUT && !/^(\d+|-)$/.test(target))) checkPath(target, '>', scope, ctx)
  }
  if (type === 'CallExpr' && (cmd.Args?.length ?? 0) > 0) {
    const argv = (cmd.Args as ShNode[]).map((a) => wordValue(a, scope, ctx))
    await ctx.argv(argv, scope, deeper(ctx))
  }
}

export async function analyzeShellCode(code: string, cwd: string | undefined, ctx: Ctx): Promise<void> {
  if (ctx.depth > MAX_DEPTH) return
  let file: ShNode
  try {
    file = ctx.syntax.NewParser().Parse(code, 'step.sh')
  } catch (e: any) {
    ctx.out.add(msg.sandbox.unparsable(typeof e?.Text === 'string' ? e.Text : String(e?.message ?? e)))
    return
  }
  const scope: Scope = { vars: new Map(Object.entries(ctx.env)), assigned: collectAssigned(file, ctx), cwd }
  for (const name of scope.assigned) if (!ctx.env[name]) scope.vars.delete(name)
  for (const stmt of statementsOf(file, ctx)) await statement(stmt, scope, ctx)
}
