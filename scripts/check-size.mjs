// Size limits of the code base: no source file over 500 lines, no function over 120 lines.
// `node scripts/check-size.mjs [DIR…]` prints what is over and exits 1; a fast test runs it.
// Functions are found by transpiling each file with esbuild (types gone) and walking the JS with
// acorn; their lines are mapped back to the TypeScript through the source map (node:module's SourceMap).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { SourceMap } from 'node:module'
import path from 'node:path'
import { parse } from 'acorn'
import { simple } from 'acorn-walk'
import { transformSync } from 'esbuild'

export const MAX_FILE_LINES = 500
export const MAX_FUNCTION_LINES = 120

function* sourceFiles(dir) {
  if (statSync(dir).isFile()) {
    yield dir
    return
  }
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name)
    if (statSync(file).isDirectory()) yield* sourceFiles(file)
    else if (/\.(ts|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield file
  }
}

/** Problems of one file: too long, or functions too long (name and original lines). */
export function sizeProblems(file) {
  const text = readFileSync(file, 'utf8')
  const problems = []
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
  if (lines > MAX_FILE_LINES) problems.push(`${file}: ${lines} lines (max ${MAX_FILE_LINES})`)
  const { code, map } = transformSync(text, { loader: file.endsWith('.ts') ? 'ts' : 'js', sourcemap: 'external', format: 'esm', target: 'es2022' })
  const sourceMap = new SourceMap(JSON.parse(map))
  // The original line (1-based) of a generated one: its first mapping, or the nearest one above.
  const original = (generatedLine) => {
    for (let l = generatedLine - 1; l >= 0; l--) {
      const entry = sourceMap.findEntry(l, 0)
      if (entry && entry.generatedLine === l) return entry.originalLine + 1
    }
    return 1
  }
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true })
  const visit = (node, name) => {
    const from = original(node.loc.start.line)
    const to = original(node.loc.end.line)
    if (to - from + 1 > MAX_FUNCTION_LINES) problems.push(`${file}:${from}: function ${name} has ${to - from + 1} lines (max ${MAX_FUNCTION_LINES})`)
  }
  simple(ast, {
    FunctionDeclaration: (n) => visit(n, n.id?.name ?? '(anonymous)'),
    FunctionExpression: (n) => visit(n, n.id?.name ?? '(expression)'),
    ArrowFunctionExpression: (n) => visit(n, '(arrow)'),
    MethodDefinition: (n) => visit(n, n.key?.name ?? '(method)'),
  })
  return [...new Set(problems)]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src']
  const problems = dirs.flatMap((d) => [...sourceFiles(d)].flatMap(sizeProblems))
  for (const p of problems) console.log(p)
  process.exitCode = problems.length > 0 ? 1 : 0
}
