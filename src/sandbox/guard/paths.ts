// Where a path a step writes lies: inside the sandbox folder or a temp folder, outside, or not
// knowable before the step runs. Symlinks are followed, so a link inside the sandbox that points
// outside is judged by its target.
import { existsSync, realpathSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { msg, PLACEHOLDER } from '../../runner/api.js'
import type { Ctx, Scope } from './context.js'

const DEVICES = /^\/dev\/(null|zero|full|random|urandom|stdin|stdout|stderr|tty|fd\/\d+)$|^\/proc\/self\/fd\/\d+$/

/** Resolves the symlinks of the longest existing ancestor of `p`. */
export function realish(p: string): string {
  let head = p
  const tail: string[] = []
  while (!existsSync(head)) {
    const up = path.dirname(head)
    if (up === head) break
    tail.unshift(path.basename(head))
    head = up
  }
  try {
    return path.join(realpathSync(head), ...tail)
  } catch {
    return p
  }
}

export function inside(p: string, root: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/** The sandbox folder and the temp folders, as given and resolved. */
export function allowedRoots(root: string): string[] {
  const roots = [root, os.tmpdir(), '/tmp', '/var/tmp', '/dev/shm']
  return [...new Set(roots.flatMap((r) => [path.resolve(r), realish(path.resolve(r))]))]
}

type Verdict = 'inside' | 'outside' | 'unknown'

/** Where a path (PLACEHOLDER for what is unknown) lies: in the sandbox or a temp folder, outside, or unknown. */
export function judgePath(raw: string, scope: Scope, ctx: Ctx): { verdict: Verdict; shown: string } {
  const shown = raw.replace(new RegExp(PLACEHOLDER, 'g'), '…')
  if (raw === '' || raw === '-') return { verdict: 'unknown', shown }
  const cut = raw.indexOf(PLACEHOLDER)
  if (cut === 0) return { verdict: 'unknown', shown }
  let known = cut === -1 ? raw : raw.slice(0, raw.lastIndexOf('/', cut) + 1)
  if (!known.startsWith('/')) {
    if (!scope.cwd) return { verdict: 'unknown', shown }
    known = path.join(scope.cwd, known)
  }
  if (cut === -1 && DEVICES.test(path.normalize(known))) return { verdict: 'inside', shown }
  const abs = realish(path.resolve(known))
  const ok = ctx.allowed.some((root) => inside(abs, root))
  return { verdict: ok ? 'inside' : 'outside', shown: raw.startsWith('/') ? shown : path.join(scope.cwd ?? '', shown) }
}

/** Records a finding when `raw` lies outside; `what` says which command writes it. */
export function checkPath(raw: string, what: string, scope: Scope, ctx: Ctx): void {
  const { verdict, shown } = judgePath(raw, scope, ctx)
  if (verdict === 'outside') ctx.out.add(msg.sandbox.outside(what, shown, ctx.root))
}
