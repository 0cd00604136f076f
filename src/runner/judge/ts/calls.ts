// The TS judge's judgements of what a call does: `$` templates as shell, `sql` templates as SQL,
// `redis.<command>()` by the Redis command table, fs writes and deletions, child_process commands,
// process.kill and fetch's method.
import { msg } from '../../terminal/messages/index.js'
import { redisCommandReason } from '../redis.js'
import { detectShell, detectShellArgv, isSystemPath, PLACEHOLDER } from '../shell.js'
import { detectSql } from '../sql.js'
import { display, objectProperty, propertyName, rootName, staticString, templateText, type AnyNode } from './nodes.js'
import { FETCH_READS, FS_DELETE, FS_WRITE_FIRST, FS_WRITE_SECOND, PROMISE_MEMBERS, READ_FLAGS, REDIS_CALL, REDIS_CHAINS } from './vocabulary.js'
import type { Walk } from './walk-state.js'

const cannotProve = (why: string): string => msg.judge.ts.cannotProve(why)
const PLACEHOLDERS = new RegExp(PLACEHOLDER, 'g')

/** A placeholder where a command's name goes: at the start, or after a separator or a wrapper. */
const COMMAND_WORD_PLACEHOLDER = new RegExp(`(^|[|;&(\`\\n]|\\$\\(|\\b(?:sudo|env|exec|xargs|nohup|nice|time|command|builtin|eval|bash -c|sh -c))\\s*['"]?${PLACEHOLDER}`)

/** Whether a tagged template runs a shell command: `` $`…` ``, `` $.sync`…` ``, `` $({…})`…` ``, `` $`…`.pipe`…` ``. */
export function isShellTag(tag: AnyNode): boolean {
  return rootName(tag) === '$'
}

/** `$\`…\`` is judged as shell, `sql\`…\`` as SQL, with the template's lines. */
export function judgeTemplate(node: AnyNode, w: Walk): void {
  const root = rootName(node.tag)
  const source = w.js.slice(node.quasi.start + 1, node.quasi.end - 1)
  const line = w.lineOf(node.quasi)
  const { out } = w
  if (root === '$') {
    const text = templateText(node.quasi, () => PLACEHOLDER)
    const label = `$\`${display(source)}\``
    if (COMMAND_WORD_PLACEHOLDER.test(text)) out.reasons.add(cannotProve(msg.judge.ts.commandWordPlaceholder(label)))
    w.tasks.push(async () => {
      const d = await detectShell(text)
      for (const r of d.reasons) out.reasons.add(`${label}: ${r}`)
      for (const e of d.syntaxErrors) out.syntaxErrors.push({ line: line + e.line - 1, message: msg.judge.ts.shellSyntax(label, e.message) })
    })
  } else if (root === 'sql' && node.tag.type === 'Identifier') {
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
export function judgeRedisCall(method: string, args: AnyNode[], w: Walk): void {
  // then/catch/finally of a command's promise are not commands (references.ts refuses them on `redis` itself).
  if (REDIS_CHAINS.has(method) || PROMISE_MEMBERS.has(method)) return
  let argv: (string | null)[]
  if (REDIS_CALL.has(method)) {
    const first = args[0]?.type === 'NewExpression' ? args[0].arguments?.[0] : args[0]
    const rest = args[0]?.type === 'NewExpression' ? ((args[0].arguments?.[1]?.elements as AnyNode[] | undefined) ?? []) : args.slice(1)
    argv = [staticString(first), ...rest.map(staticString)]
  } else argv = [method.replace(/Buffer$/, ''), ...args.map(staticString)]
  const command = argv.map((a) => (a?.includes(PLACEHOLDER) ? null : a))
  const label = `redis.${method}(${args.length ? '…' : ''})`
  if (!command[0]) {
    w.out.reasons.add(cannotProve(msg.judge.ts.redisCommandUnknown(label)))
    return
  }
  const reason = redisCommandReason(command, w.redisTable)
  if (reason) w.out.reasons.add(`${label}: ${reason}`)
}

/** fs deletions and writes (into system paths named as such). */
export function judgeFsWrite(method: string, args: AnyNode[], w: Walk): boolean {
  const says = msg.judge.ts
  const call = `fs.${method}()`
  if (FS_DELETE.test(method)) {
    w.out.reasons.add(/truncate/i.test(method) ? says.fsTruncates(call) : says.fsDeletes(call))
    return true
  }
  const first = FS_WRITE_FIRST.test(method)
  if (!first && !FS_WRITE_SECOND.test(method) && !/^(write|append|createWriteStream|output|mk|copy|cp|move|rename|symlink|link|chmod|chown|lchown|lchmod|utimes|lutimes|futimes|fchmod|fchown|fsync|fdatasync|ensure)/.test(method)) return false
  const target = first ? staticString(args[0]) : FS_WRITE_SECOND.test(method) ? staticString(args[1]) : null
  if (target !== null && isSystemPath(target)) w.out.reasons.add(says.fsSystemPath(call, display(target.replace(PLACEHOLDERS, '…'))))
  else w.out.reasons.add(says.fsWrites(call))
  return true
}

/** `fs.open(path, flags)`, `fs.createReadStream(path, { flags })`: read-only only with a read flag. */
export function opensForWriting(method: string, args: AnyNode[]): boolean {
  const readFlag = (node: AnyNode): boolean => {
    if (node === undefined) return true
    const flag = staticString(node)
    return flag !== null && READ_FLAGS.has(flag)
  }
  if (method === 'createReadStream') {
    const options = args[1]
    if (options === undefined || (options.type === 'Literal' && typeof options.value === 'string')) return false
    if (options.type !== 'ObjectExpression') return true
    const flags = objectProperty(options, 'flags')
    const fd = objectProperty(options, 'fd')
    return flags === 'spread' || fd !== undefined || (flags !== undefined && !readFlag(flags))
  }
  return !readFlag(args[1])
}

/** exec/spawn/execFile of child_process: the command is judged as shell (for the reason's text). */
export function judgeChildProcess(fnName: string, args: AnyNode[], w: Walk): void {
  const first = staticString(args[0])
  if (first === null) return
  const label = `${fnName}(${JSON.stringify(display(first.replace(PLACEHOLDERS, '…'), 40))})`
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

/** fetch(url, init) and new Request(url, init): read-only with no method, or a literal GET or HEAD. */
export function fetchReason(use: string, args: AnyNode[]): string | null {
  const init = args[1]
  if (init === undefined) return args[0]?.type === 'SpreadElement' ? cannotProve(msg.judge.ts.fetchMethodUnknown(use)) : null
  if (init.type !== 'ObjectExpression') return cannotProve(msg.judge.ts.fetchMethodUnknown(use))
  const method = objectProperty(init, 'method')
  if (method === undefined) return null
  const value = method === 'spread' ? null : staticString(method)
  if (value === null || value.includes(PLACEHOLDER)) return cannotProve(msg.judge.ts.fetchMethodUnknown(use))
  const upper = value.toUpperCase()
  return FETCH_READS.has(upper) ? null : msg.judge.ts.fetchRequest(upper)
}

/** process.kill(pid, 0) only asks whether a process exists. */
export function processKillReason(args: AnyNode[]): string | null {
  const signal = args[1]
  if (signal?.type === 'Literal' && (signal.value === 0 || signal.value === '0')) return null
  return msg.judge.ts.processKill
}

/** A call's judgement by its callee, for the calls whose reasons name what they do. */
export function judgeCall(node: AnyNode, w: Walk): void {
  const callee = node.callee
  const args = node.arguments as AnyNode[]
  const method = propertyName(callee)
  const root = callee.type === 'MemberExpression' ? rootName(callee.object) : undefined
  if (root === 'redis' && method) return judgeRedisCall(method, args, w)
  const fnName = callee.type === 'Identifier' ? (callee.name as string) : method
  if (fnName && /^(exec|execSync|spawn|spawnSync|execFile|execFileSync)$/.test(fnName) && (callee.type === 'Identifier' || root === 'child_process' || root === 'cp'))
    judgeChildProcess(fnName, args, w)
}
