// The TS judge's fail-closed rule: a name that carries effects (`$`, fs, process, redis, sql,
// fetch, os, …) may only be used in a shape the judge knows: the chain of member reads, calls and
// template tags that starts at the name is followed and judged as a whole. Anything else — the
// name passed on or renamed, a computed member, an assignment, an unknown member — cannot be
// proven read-only, and makes the step destructive. Names that run code, load modules or reach
// the global object are never proven; neither is a name the step neither declares nor knows.
import { msg } from '../../terminal/messages/index.js'
import { STATIC_REDIS_TABLE } from '../redis.js'
import { fetchReason, isShellTag, judgeFsWrite, opensForWriting, processKillReason } from './calls.js'
import { objectKeys, propertyName, rootName, type AnyNode } from './nodes.js'
import {
  CODE_FROM_STRING, FS_NAMES, FS_OPENS, FS_READS, GLOBAL_OBJECTS, MODULE_LOADERS, PLAIN_GLOBALS, PROCESS_READS, PROCESS_STREAM_MEMBERS,
  PROMISE_MEMBERS, REDIS_CALL, REDIS_CHAINS, SHARED_MEMORY, STEP_GLOBALS, ZX_OPTION_KEYS, ZX_READABLE, ZX_SETTABLE,
} from './vocabulary.js'
import type { Walk } from './walk-state.js'

const says = msg.judge.ts
const cannotProve = (why: string): string => says.cannotProve(why)

type Link = { kind: 'member'; name: string | undefined; node: AnyNode } | { kind: 'call'; node: AnyNode } | { kind: 'tag'; node: AnyNode }

/** The chain that starts at a name: member reads, calls and tags, up to where its value is used. */
interface Chain {
  links: Link[]
  /** The value is written to (assigned, updated, deleted), not only read. */
  written: boolean
}

function chainOf(ancestors: AnyNode[]): Chain {
  const links: Link[] = []
  let i = ancestors.length - 1
  let cur = ancestors[i]
  while (i > 0) {
    const p = ancestors[i - 1]
    if (p.type === 'ChainExpression' || p.type === 'ParenthesizedExpression') {
      // a wrapper: the same value
    } else if (p.type === 'MemberExpression' && p.object === cur) links.push({ kind: 'member', name: propertyName(p), node: p })
    else if ((p.type === 'CallExpression' || p.type === 'NewExpression') && p.callee === cur) links.push({ kind: 'call', node: p })
    else if (p.type === 'TaggedTemplateExpression' && p.tag === cur) links.push({ kind: 'tag', node: p })
    else break
    cur = p
    i--
  }
  const parent = ancestors[i - 1]
  const written =
    (parent?.type === 'AssignmentExpression' && parent.left === cur) ||
    (parent?.type === 'UpdateExpression' && parent.argument === cur) ||
    (parent?.type === 'UnaryExpression' && parent.operator === 'delete' && parent.argument === cur) ||
    ((parent?.type === 'ForOfStatement' || parent?.type === 'ForInStatement') && parent.left === cur)
  return { links, written }
}

/** `name.a.b()` as a reason's label. */
function label(name: string, links: Link[], upTo = links.length): string {
  let text = name
  for (const link of links.slice(0, upTo)) {
    if (link.kind === 'member') text += link.name === undefined ? '[…]' : `.${link.name}`
    else if (link.kind === 'call') text += '()'
    else text += '`…`'
  }
  return text
}

const isCalled = (links: Link[], i: number): boolean => links[i + 1]?.kind === 'call'

/** `$`: templates (plain, `.sync`, with a literal options object), and its settable options. */
function zxReason(links: Link[], written: boolean): string | null {
  const first = links[0]
  if (!first) return cannotProve(says.passedOn('$'))
  if (first.kind === 'tag') return written ? cannotProve(says.notKnownRead(label('$', links))) : null
  if (first.kind === 'call') {
    const options = first.node.arguments as AnyNode[]
    const keys = options.length === 1 && options[0].type === 'ObjectExpression' ? objectKeys(options[0]) : null
    const rest = links[1]
    const tagged = rest?.kind === 'tag' || (rest?.kind === 'member' && rest.name === 'sync' && links[2]?.kind === 'tag')
    if (keys === null || keys.some((k) => !ZX_OPTION_KEYS.has(k)) || !tagged) return cannotProve(says.zxOptions(label('$', links, 1)))
    return null
  }
  if (first.name === undefined) return cannotProve(says.computedMember(label('$', links, 1)))
  if (first.name === 'sync' && links[1]?.kind === 'tag') return null
  if (written) return links.length === 1 && ZX_SETTABLE.has(first.name) ? null : cannotProve(says.setsZxOption(label('$', links)))
  if (ZX_READABLE.has(first.name) && !links.some((l) => l.kind !== 'member')) return null
  return cannotProve(says.notKnownRead(label('$', links)))
}

/** fs, fs.promises: reads only; writes and deletions say what they do. */
function fsReason(name: string, links: Link[], written: boolean, w: Walk): string | null {
  let i = 0
  if (links[0]?.kind === 'member' && links[0].name === 'promises') i = 1
  const link = links[i]
  if (!link) return cannotProve(says.passedOn(label(name, links)))
  if (link.kind !== 'member') return cannotProve(says.notKnownRead(label(name, links, i + 1)))
  if (link.name === undefined) return cannotProve(says.computedMember(label(name, links, i + 1)))
  if (written) return cannotProve(says.notKnownRead(label(name, links)))
  const args = isCalled(links, i) ? ((links[i + 1] as { node: AnyNode }).node.arguments as AnyNode[]) : []
  if (judgeFsWrite(link.name, args, w)) return null // the reason is already added
  if (FS_OPENS.has(link.name)) return !isCalled(links, i) || opensForWriting(link.name, args) ? says.fsOpenWrites(`fs.${link.name}()`) : null
  if (FS_READS.has(link.name)) return links[i + 1] === undefined || isCalled(links, i) ? null : cannotProve(says.notKnownRead(label(name, links, i + 2)))
  return cannotProve(says.notKnownRead(label(name, links, i + 1)))
}

/** process: reading env, cwd, platform, …; process.kill(pid, 0); writing to stdout and stderr. */
function processReason(links: Link[], written: boolean): string | null {
  const first = links[0]
  if (!first) return cannotProve(says.passedOn('process'))
  if (first.kind !== 'member') return cannotProve(says.changesProcess(label('process', links, 1)))
  if (first.name === undefined) return cannotProve(says.computedMember(label('process', links, 1)))
  if (written) return cannotProve(says.changesProcess(label('process', links)))
  if (first.name === 'kill' && isCalled(links, 0)) return processKillReason((links[1] as { node: AnyNode }).node.arguments as AnyNode[])
  if ((first.name === 'stdout' || first.name === 'stderr') && links[1]?.kind === 'member' && PROCESS_STREAM_MEMBERS.has(links[1].name ?? '')) return null
  if (first.name === 'env') return links[1]?.kind === 'call' ? cannotProve(says.changesProcess(label('process', links, 2))) : null
  if (PROCESS_READS.has(first.name)) return null
  return cannotProve(says.changesProcess(label('process', links, 1)))
}

/** redis: commands (judged by the table where the call is judged), pipelines, MULTI; never the raw client. */
function redisReason(links: Link[], written: boolean, w: Walk): string | null {
  if (links.length === 0) return cannotProve(says.passedOn('redis'))
  if (written) return cannotProve(says.redisRaw(label('redis', links)))
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!
    if (link.kind !== 'member') continue
    if (link.name === undefined) return cannotProve(says.computedMember(label('redis', links, i + 1)))
    if (PROMISE_MEMBERS.has(link.name) && i > 0) return null // the chain's promise: the rest is the answer
    const command = link.name.replace(/Buffer$/, '').toLowerCase()
    const known = REDIS_CHAINS.has(link.name) || REDIS_CALL.has(link.name) || w.redisTable.get(command) !== undefined || STATIC_REDIS_TABLE.get(command) !== undefined
    if (!known || !isCalled(links, i)) return cannotProve(says.redisRaw(label('redis', links, i + 1)))
    if (link.name === 'sendCommand' || link.name === 'send_command') return cannotProve(says.redisCommandUnknown(label('redis', links, i + 2)))
  }
  return null
}

/** sql: tagged templates (judged as SQL), and sql.begin(fn). */
function sqlReason(links: Link[]): string | null {
  const first = links[0]
  if (first?.kind === 'tag') return null
  if (first?.kind === 'member' && first.name === 'begin' && isCalled(links, 0)) return null
  return cannotProve(first ? says.notKnownRead(label('sql', links, 1)) : says.passedOn('sql'))
}

/** fetch and Request: called, with a method that only reads. */
function fetchUseReason(name: string, links: Link[]): string | null {
  const first = links[0]
  if (first?.kind !== 'call') return cannotProve(first ? says.notKnownRead(label(name, links, 1)) : says.passedOn(name))
  return fetchReason(`${name}()`, first.node.arguments as AnyNode[])
}

/** os: everything reads, except setPriority. */
function osReason(links: Link[], written: boolean): string | null {
  const first = links[0]
  if (!first) return cannotProve(says.passedOn('os'))
  if (first.kind !== 'member') return cannotProve(says.notKnownRead(label('os', links, 1)))
  if (first.name === undefined) return cannotProve(says.computedMember(label('os', links, 1)))
  if (written) return cannotProve(says.notKnownRead(label('os', links)))
  return first.name === 'setPriority' ? says.osChanges('os.setPriority()') : null
}

const EFFECTFUL = new Set(['$', 'fs', 'process', 'redis', 'sql', 'fetch', 'Request', 'os'])

/** A computed member anywhere in the chain of a name with effects hides what is reached (only
 * `process.env[name]` reads a value by a computed name). */
function hiddenMember(name: string, links: Link[]): string | null {
  const at = links.findIndex((l) => l.kind === 'member' && l.name === undefined)
  if (at < 0) return null
  if (name === 'process' && at === 1 && links[0]?.kind === 'member' && links[0].name === 'env' && links.slice(2).every((l) => l.kind === 'member')) return null
  return cannotProve(says.computedMember(label(name, links, at + 1)))
}

/** The judgement of one reference to a global name (`declared`: names the step binds itself). */
export function judgeReference(name: string, ancestors: AnyNode[], declared: Set<string>, w: Walk): string | null {
  const { links, written } = chainOf(ancestors)
  if (CODE_FROM_STRING.has(name)) return cannotProve(says.codeFromString(name))
  if (MODULE_LOADERS.has(name)) return cannotProve(says.loadsModule(name))
  if (GLOBAL_OBJECTS.has(name)) return cannotProve(says.globalObject(name))
  if (SHARED_MEMORY.has(name)) return cannotProve(says.sharedMemory(name))
  if (EFFECTFUL.has(name)) {
    const hidden = hiddenMember(name, links)
    if (hidden) return hidden
  }
  if (name === '$') return zxReason(links, written)
  if (FS_NAMES.has(name) && (name === 'fs' || !declared.has(name))) return fsReason(name, links, written, w)
  if (name === 'process') return processReason(links, written)
  if (name === 'redis') return redisReason(links, written, w)
  if (name === 'sql') return sqlReason(links)
  if (name === 'fetch' || name === 'Request') return fetchUseReason(name, links)
  if (name === 'os') return osReason(links, written)
  if (declared.has(name) || STEP_GLOBALS.has(name) || PLAIN_GLOBALS.has(name)) return null
  // A name that is no global at all only throws a ReferenceError; a global not known to be plain
  // (navigator, BroadcastChannel, …) may lead anywhere.
  return name in globalThis ? cannotProve(says.unknownGlobal(name)) : null
}

/** A member anywhere: one that reaches constructors or prototypes, or a computed one that is called. */
export function judgeMember(node: AnyNode, parent: AnyNode | undefined, protoKeys: Set<string>): string | null {
  const name = propertyName(node)
  if (name !== undefined && protoKeys.has(name)) return cannotProve(says.prototypeTouch(`.${name}`))
  if (name === undefined && node.computed && parent?.type === 'CallExpression' && parent.callee === node) return cannotProve(says.computedMember(`${rootName(node) ?? '…'}[…]()`))
  return null
}

/** `.pipe(target)`: a `$` command is judged as one; any other target may be a file. */
export function judgePipe(node: AnyNode): string | null {
  const callee = node.callee
  if (propertyName(callee) !== 'pipe') return null
  const target = (node.arguments as AnyNode[])[0]
  if (target?.type === 'TaggedTemplateExpression' && isShellTag(target.tag)) return null
  return cannotProve(says.pipeTarget('.pipe()'))
}
