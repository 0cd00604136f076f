// TS/JS steps: their `$` templates are judged as shell scripts, and fs writes by their path when
// it is static (a literal, env.X, a template of those, path.join of those). What is only known
// at run time is left to the run-time check of TS commands and to the shims.
import { msg, PLACEHOLDER, shellQuote } from '../../runner/api.js'
import type { Ctx, Scope } from './context.js'
import { checkPath } from './paths.js'

const FS_WRITE = /^(writeFile|writeFileSync|appendFile|appendFileSync|outputFile|outputFileSync|writeJson|writeJsonSync|outputJson|outputJsonSync|rm|rmSync|remove|removeSync|unlink|unlinkSync|rmdir|rmdirSync|emptyDir|emptyDirSync|truncate|truncateSync|chmod|chmodSync|chown|chownSync|mkdir|mkdirSync|mkdirp|mkdirs|ensureDir|ensureFile|createWriteStream)$/
const FS_TWO = /^(copy|copySync|copyFile|copyFileSync|cp|cpSync|move|moveSync|rename|renameSync|symlink|symlinkSync|link|linkSync)$/
const FS_OWNERS = ['fs', 'fsp', 'fse', 'fsExtra', 'promises']


async function parse(code: string, loader: 'ts' | 'js'): Promise<any> {
  const [{ transform }, acorn] = await Promise.all([import('esbuild'), import('acorn')])
  let js: string
  try {
    js = (await transform(code, { loader, format: 'esm', logLevel: 'silent' })).code
  } catch {
    try {
      js = (await transform(`async function __step__() {\n${code}\n}`, { loader, format: 'esm', logLevel: 'silent' })).code
    } catch {
      return undefined // a syntax error: the step fails before it runs anything
    }
  }
  try {
    return acorn.parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true })
  } catch {
    return undefined
  }
}

/** Static values of a step's expressions: env.X, process.env.X, literals, templates, path.join. */
function evaluator(env: Record<string, string>) {
  const envValue = (node: any): string | undefined => {
    if (node?.type !== 'MemberExpression') return undefined
    const obj = node.object
    const isEnv = (obj.type === 'Identifier' && obj.name === 'env') || (obj.type === 'MemberExpression' && obj.object?.type === 'Identifier' && obj.object.name === 'process' && obj.property?.name === 'env')
    if (!isEnv) return undefined
    const key = !node.computed ? node.property.name : node.property.type === 'Literal' ? String(node.property.value) : undefined
    return key !== undefined ? env[key] : undefined
  }
  const staticString = (node: any): string | undefined => {
    if (!node) return undefined
    if (node.type === 'Literal' && typeof node.value === 'string') return node.value
    const e = envValue(node)
    if (e !== undefined) return e
    if (node.type === 'TemplateLiteral')
      return node.quasis.map((q: any, i: number) => (q.value.cooked ?? q.value.raw) + (i < node.expressions.length ? (envValue(node.expressions[i]) ?? PLACEHOLDER) : '')).join('')
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.callee.object?.name === 'path' && ['join', 'resolve'].includes(node.callee.property?.name))
      return node.arguments.map((a: any) => staticString(a) ?? PLACEHOLDER).join('/')
    return PLACEHOLDER
  }
  return { envValue, staticString }
}

function rootName(node: any): string | undefined {
  while (node) {
    if (node.type === 'Identifier') return node.name
    if (node.type === 'MemberExpression') node = node.object
    else if (node.type === 'CallExpression') node = node.callee
    else return undefined
  }
  return undefined
}

export async function analyzeTs(code: string, loader: 'ts' | 'js', cwd: string | undefined, ctx: Ctx): Promise<void> {
  const ast = await parse(code, loader)
  if (!ast) return
  const walk = await import('acorn-walk')
  const { envValue, staticString } = evaluator(ctx.env)
  const scripts: string[] = []
  const paths: [string, string][] = []
  walk.simple(ast, {
    TaggedTemplateExpression(node: any) {
      if (rootName(node.tag) !== '$') return
      const q = node.quasi
      const value = (i: number) => {
        const v = envValue(q.expressions[i])
        return v !== undefined ? shellQuote(v) : PLACEHOLDER
      }
      scripts.push(q.quasis.map((x: any, i: number) => (x.value.cooked ?? x.value.raw) + (i < q.expressions.length ? value(i) : '')).join(''))
    },
    CallExpression(node: any) {
      const callee = node.callee
      if (callee.type !== 'MemberExpression') return
      const fn = callee.property?.name
      const owner = rootName(callee.object)
      if (owner === 'process' && fn === 'kill') {
        ctx.out.add(msg.sandbox.processKill)
        return
      }
      if (!fn || !FS_OWNERS.includes(owner ?? '')) return
      if (FS_WRITE.test(fn)) paths.push([`fs.${fn}`, staticString(node.arguments[0]) ?? PLACEHOLDER])
      else if (FS_TWO.test(fn)) {
        paths.push([`fs.${fn} →`, staticString(node.arguments[1]) ?? PLACEHOLDER])
        if (/^(move|rename)/.test(fn)) paths.push([`fs.${fn}`, staticString(node.arguments[0]) ?? PLACEHOLDER])
      }
    },
  })
  const scope: Scope = { vars: new Map(Object.entries(ctx.env)), assigned: new Set(), cwd }
  for (const [what, p] of paths) checkPath(p, what, scope, ctx)
  for (const s of scripts) await ctx.shell(s, cwd, ctx)
}
