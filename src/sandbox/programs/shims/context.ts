// What every simulated command gets: the sandbox folder, its own name, the clock, where to write,
// and the few helpers they share (marking what is simulated, recording the host's history,
// passing a call through to the real program). The shim entry builds it from process.argv;
// tests build it with a fake clock and captured output.
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { recordHistory } from '../../host.js'
import { isInside } from '../../paths.js'

export interface ShimIO {
  stdout(text: string): void
  stderr(text: string): void
}

export interface ShimContext {
  /** The sandbox folder. */
  root: string
  /** The name the command was called by (`apt` or `apt-get`, `rails` or `rake`). */
  command: string
  /** The whole argument list of the call (recorded in the host's history). */
  argv: string[]
  env: NodeJS.ProcessEnv
  now(): Date
  io: ShimIO
}

/** Exit codes of the simulated tools, as the real ones use them. */
export const TOOL_EXIT = { ok: 0, failed: 1, usage: 2, notFound: 127 } as const

export type Shim = (ctx: ShimContext, args: string[]) => number | Promise<number>

const line = (s: string) => (s.endsWith('\n') ? s : `${s}\n`)

export const out = (ctx: ShimContext, s: string): void => ctx.io.stdout(line(s))
export const err = (ctx: ShimContext, s: string): void => ctx.io.stderr(line(s))

/** A simulated action: said on stdout, recorded in the host's history. */
export function did(ctx: ShimContext, s: string): void {
  out(ctx, `(sandbox) ${s}`)
  recordHistory(ctx.root, `${ctx.command} ${ctx.argv.join(' ')}`.trim(), ctx.now())
}

/** A simulated read: the marker goes to stderr so pipes see the real format. */
export const simulated = (ctx: ShimContext, what: string): void => err(ctx, `(sandbox) ${what}`)

export function notSimulated(ctx: ShimContext, what: string): number {
  err(ctx, `(sandbox) ${what} is not simulated in the sandbox; nothing was run`)
  return TOOL_EXIT.failed
}

/** A value of the sandbox's env: the call's own env first, then the sandbox's env file. */
export function sandboxEnv(ctx: ShimContext, name: string): string | undefined {
  if (ctx.env[name]) return ctx.env[name]
  try {
    const text = readFileSync(path.join(ctx.root, 'env'), 'utf8')
    for (const l of text.split('\n')) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l)
      if (m && m[1] === name) return m[2]!.replace(/^'(.*)'$/, '$1')
    }
  } catch {
    // no env file: not up
  }
  return undefined
}

/** The next program of that name on PATH after the shim folder (for pass-through). */
function realProgram(ctx: ShimContext, name: string): string | undefined {
  const bin = path.join(ctx.root, 'bin')
  for (const dir of (ctx.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || path.resolve(dir) === bin) continue
    const file = path.join(dir, name)
    try {
      if (statSync(file).isFile()) return file
    } catch {
      // not here
    }
  }
  return undefined
}

export function passThrough(ctx: ShimContext, name: string, args: string[]): number {
  const real = realProgram(ctx, name)
  if (!real) {
    err(ctx, `${name}: command not found`)
    return TOOL_EXIT.notFound
  }
  const r = spawnSync(real, args, { stdio: 'inherit', env: ctx.env })
  return r.status ?? TOOL_EXIT.failed
}

/** Whether a simulated command may write there: the sandbox folder and the temp folders. */
export function writableHere(ctx: ShimContext, p: string): boolean {
  const abs = path.resolve(p)
  const tmpRoots = [os.tmpdir(), '/tmp', '/var/tmp'].map((d) => path.resolve(d))
  return isInside(abs, ctx.root) || tmpRoots.some((t) => isInside(abs, t))
}

/** `--name value` or `--name=value` (the first of the names given). */
export function optionValue(args: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    for (const n of names) {
      if (a === n) return args[i + 1]
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1)
    }
  }
  return undefined
}

/** `12s ago`, `5min ago`, `3h ago`, `4 days ago` as systemd and docker say it. */
export function ago(iso: string, now: Date): string {
  const s = Math.max(1, Math.round((now.getTime() - Date.parse(iso)) / 1000))
  if (s < 120) return `${s}s ago`
  if (s < 7200) return `${Math.round(s / 60)}min ago`
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`
  return `${Math.round(s / 86_400)} days ago`
}

/** `2026-11-25 09:12:01` in local time, as `aws s3 ls` and brakeman print it. */
export function lsDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}
