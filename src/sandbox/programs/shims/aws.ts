// aws on the simulated host: `sts get-caller-identity` and `s3` (ls, cp, mv, sync, rm, mb), where
// a local folder of the sandbox (s3/BUCKET) plays the bucket. Local writes stay in the sandbox.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { recordHistory } from '../../host.js'
import { isInside } from '../../paths.js'
import { did, err, lsDate, notSimulated, out, simulated, TOOL_EXIT, writableHere, type ShimContext } from './context.js'

/** The aws CLI's codes: 252 for a usage error, 255 for a bad S3 URI. */
const AWS_EXIT = { usage: 252, badUri: 255 } as const

const OPTIONS_WITH_VALUE = ['--profile', '--region', '--storage-class', '--sse', '--exclude', '--include', '--endpoint-url', '--output', '--query', '--acl']

interface S3Call {
  ctx: ShimContext
  args: string[]
  paths: string[]
  recursive: boolean
  dryRun: boolean
}

const s3Root = (ctx: ShimContext) => path.join(ctx.root, 's3')
const playsS3 = (ctx: ShimContext) => simulated(ctx, `the local folder ${s3Root(ctx)} plays S3`)

/** The local file of `s3://bucket/key` (undefined when the URI is not one, or leaves its bucket). */
function s3Path(ctx: ShimContext, uri: string): string | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri)
  if (!m) return undefined
  const file = path.join(s3Root(ctx), m[1]!, m[2]!)
  return isInside(file, path.join(s3Root(ctx), m[1]!)) ? file : undefined
}

const bucketRoot = (ctx: ShimContext, uri: string) => path.join(s3Root(ctx), /^s3:\/\/([^/]+)/.exec(uri)![1]!)

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  if (!statSync(dir).isDirectory()) return [dir]
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort()
}

export function humanBytes(n: number): string {
  const units = ['Bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

function ls(call: S3Call): number {
  const { ctx, args, recursive } = call
  const target = call.paths[0]
  if (!target) {
    for (const b of existsSync(s3Root(ctx)) ? readdirSync(s3Root(ctx)) : []) out(ctx, `${lsDate(statSync(path.join(s3Root(ctx), b)).mtime)} ${b}`)
    playsS3(ctx)
    return TOOL_EXIT.ok
  }
  const local = s3Path(ctx, target)
  if (!local) {
    err(ctx, `aws: bad S3 URI ${target}`)
    return AWS_EXIT.badUri
  }
  const human = args.includes('--human-readable')
  const size = (n: number) => (human ? humanBytes(n) : String(n)).padStart(10)
  let total = 0
  let count = 0
  const object = (f: string, name: string) => {
    const st = statSync(f)
    total += st.size
    count++
    out(ctx, `${lsDate(st.mtime)} ${size(st.size)} ${name}`)
  }
  if (recursive) {
    const dir = local.endsWith('/') || (existsSync(local) && statSync(local).isDirectory()) ? local : path.dirname(local)
    for (const f of listFiles(dir).filter((f) => f.startsWith(local))) object(f, path.relative(bucketRoot(ctx, target), f))
  } else {
    const whole = target.endsWith('/') || /^s3:\/\/[^/]+$/.test(target)
    const dir = whole ? local : path.dirname(local)
    const prefix = whole ? '' : path.basename(local)
    if (!existsSync(dir)) {
      if (args.includes('--summarize')) out(ctx, '\nTotal Objects: 0\n   Total Size: 0')
      return TOOL_EXIT.failed
    }
    for (const name of readdirSync(dir).sort()) {
      if (!name.startsWith(prefix)) continue
      if (statSync(path.join(dir, name)).isDirectory()) out(ctx, `                           PRE ${name}/`)
      else object(path.join(dir, name), name)
    }
  }
  if (args.includes('--summarize')) out(ctx, `\nTotal Objects: ${count}\n   Total Size: ${human ? humanBytes(total) : total}`)
  playsS3(ctx)
  return TOOL_EXIT.ok
}

/** [local from, local to, shown from, shown to] of each object a cp/mv/sync moves. */
type Pair = [string, string, string, string]

function transferPairs(call: S3Call, op: string, src: string, dst: string, srcLocal: string, dstLocal: string): Pair[] | string {
  if (op === 'sync' || call.recursive) {
    return listFiles(srcLocal).map((f) => {
      const rel = path.relative(srcLocal, f)
      return [f, path.join(dstLocal, rel), src.replace(/\/?$/, '/') + rel, dst.replace(/\/?$/, '/') + rel]
    })
  }
  if (!existsSync(srcLocal) || statSync(srcLocal).isDirectory()) return `The user-provided path ${src} does not exist.`
  const toDir = dst.endsWith('/') || (existsSync(dstLocal) && statSync(dstLocal).isDirectory())
  const target = toDir ? path.join(dstLocal, path.basename(srcLocal)) : dstLocal
  return [[srcLocal, target, src, toDir ? dst.replace(/\/?$/, '/') + path.basename(srcLocal) : dst]]
}

/** What --delete of a sync removes: objects at the destination that the source does not have. */
function syncDeletes(call: S3Call, pairs: Pair[], dst: string, dstLocal: string): number {
  const { ctx, dryRun } = call
  const wanted = new Set(pairs.map(([, to]) => to))
  let n = 0
  for (const f of listFiles(dstLocal)) {
    if (wanted.has(f)) continue
    if (!dst.startsWith('s3://') && !writableHere(ctx, f)) continue
    out(ctx, `${dryRun ? '(dryrun) ' : ''}delete: ${dst.replace(/\/?$/, '/') + path.relative(dstLocal, f)}`)
    if (!dryRun) rmSync(f)
    n++
  }
  return n
}

function transfer(call: S3Call, op: string): number {
  const { ctx, args, dryRun } = call
  const [src, dst] = call.paths
  if (!src || !dst) {
    err(ctx, `usage: aws s3 ${op} <source> <destination>`)
    return AWS_EXIT.usage
  }
  const srcLocal = src.startsWith('s3://') ? s3Path(ctx, src) : path.resolve(src)
  const dstLocal = dst.startsWith('s3://') ? s3Path(ctx, dst) : path.resolve(dst)
  if (!srcLocal || !dstLocal) {
    err(ctx, 'aws: bad S3 URI')
    return AWS_EXIT.badUri
  }
  if (!dst.startsWith('s3://') && !writableHere(ctx, dstLocal)) {
    err(ctx, `(sandbox) refusing to write ${dstLocal}: outside the sandbox folder (safety rule 5)`)
    return TOOL_EXIT.failed
  }
  if (op === 'mv' && !src.startsWith('s3://') && !writableHere(ctx, srcLocal)) {
    err(ctx, `(sandbox) refusing to move ${srcLocal}: outside the sandbox folder (safety rule 5)`)
    return TOOL_EXIT.failed
  }
  const pairs = transferPairs(call, op, src, dst, srcLocal, dstLocal)
  if (typeof pairs === 'string') {
    err(ctx, pairs)
    return TOOL_EXIT.failed
  }
  const verb = op === 'mv' ? 'move' : src.startsWith('s3://') && dst.startsWith('s3://') ? 'copy' : src.startsWith('s3://') ? 'download' : 'upload'
  let n = 0
  for (const [from, to, fromShown, toShown] of pairs) {
    if (op === 'sync' && existsSync(to) && statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs) continue
    out(ctx, `${dryRun ? '(dryrun) ' : ''}${verb}: ${fromShown} to ${toShown}`)
    if (!dryRun) {
      mkdirSync(path.dirname(to), { recursive: true })
      copyFileSync(from, to)
      if (op === 'mv') rmSync(from)
    }
    n++
  }
  if (op === 'sync' && args.includes('--delete')) n += syncDeletes(call, pairs, dst, dstLocal)
  if (!dryRun && n > 0) recordHistory(ctx.root, `aws s3 ${op} ${src} ${dst}`, ctx.now())
  simulated(ctx, `${n} object(s); the local folder ${s3Root(ctx)} plays S3`)
  return TOOL_EXIT.ok
}

function remove(call: S3Call): number {
  const { ctx, recursive, dryRun } = call
  const target = call.paths[0]
  const local = target ? s3Path(ctx, target) : undefined
  if (!target || !local) {
    err(ctx, 'aws: bad S3 URI')
    return AWS_EXIT.badUri
  }
  const files = recursive ? listFiles(local) : existsSync(local) && statSync(local).isFile() ? [local] : []
  const bucket = bucketRoot(ctx, target)
  for (const f of files) {
    out(ctx, `${dryRun ? '(dryrun) ' : ''}delete: s3://${path.basename(bucket)}/${path.relative(bucket, f)}`)
    if (!dryRun) rmSync(f)
  }
  if (!dryRun && files.length > 0) recordHistory(ctx.root, `aws s3 rm ${target}`, ctx.now())
  playsS3(ctx)
  return TOOL_EXIT.ok
}

export function aws(ctx: ShimContext, args: string[]): number {
  const positional = args.filter((a, i) => !a.startsWith('-') && !OPTIONS_WITH_VALUE.includes(args[i - 1] ?? ''))
  const [service, op, ...paths] = positional
  if (args.includes('--version')) {
    out(ctx, 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12 (sandbox)')
    return TOOL_EXIT.ok
  }
  if (service === 'sts' && op === 'get-caller-identity') {
    out(ctx, JSON.stringify({ UserId: 'AIDASANDBOXEXAMPLE', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/excelapp-backup' }, null, 4))
    simulated(ctx, 'simulated AWS identity')
    return TOOL_EXIT.ok
  }
  if (service !== 's3') return notSimulated(ctx, `aws ${service ?? ''} ${op ?? ''}`.trim())
  const call: S3Call = { ctx, args, paths, recursive: args.includes('--recursive'), dryRun: args.includes('--dryrun') || args.includes('--dry-run') }
  switch (op) {
    case 'ls':
      return ls(call)
    case 'cp':
    case 'mv':
    case 'sync':
      return transfer(call, op)
    case 'rm':
      return remove(call)
    case 'mb':
      mkdirSync(path.join(s3Root(ctx), (paths[0] ?? '').replace(/^s3:\/\//, '').split('/')[0]!), { recursive: true })
      did(ctx, `make_bucket: ${paths[0]}`)
      return TOOL_EXIT.ok
    default:
      return notSimulated(ctx, `aws s3 ${op ?? ''}`.trim())
  }
}
