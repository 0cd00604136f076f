// crontab on the simulated host: the deploy user's crontab is a file of the sandbox
// (host/crontab); -l, -r, -e and installing from a file or stdin. The real crontab is untouched.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { did, err, simulated, TOOL_EXIT, type ShimContext } from './context.js'

/** Where the text of a new crontab comes from: stdin by default (`crontab -`). */
export interface CronInput {
  readFile(source: string | 0): string
  isTTY: boolean
}

const realInput: CronInput = {
  readFile: (source) => readFileSync(source, 'utf8'),
  get isTTY() {
    return Boolean(process.stdin.isTTY)
  },
}

function edit(ctx: ShimContext, file: string, input: CronInput): number {
  const editor = ctx.env.VISUAL || ctx.env.EDITOR
  if (!input.isTTY || !editor) {
    err(ctx, '(sandbox) crontab -e needs a terminal and $EDITOR; install a file with `crontab FILE` instead')
    return TOOL_EXIT.failed
  }
  mkdirSync(path.dirname(file), { recursive: true })
  if (!existsSync(file)) writeFileSync(file, '')
  const r = spawnSync(editor, [file], { stdio: 'inherit', shell: true })
  did(ctx, 'edited the simulated crontab')
  return r.status ?? TOOL_EXIT.ok
}

export function crontab(ctx: ShimContext, args: string[], input: CronInput = realInput): number {
  const file = path.join(ctx.root, 'host', 'crontab')
  const opts = args.filter((a) => a.startsWith('-'))
  const positional = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-u')
  if (opts.includes('-l')) {
    if (!existsSync(file)) {
      err(ctx, 'no crontab for deploy')
      return TOOL_EXIT.failed
    }
    ctx.io.stdout(readFileSync(file, 'utf8'))
    simulated(ctx, `the simulated crontab (${file})`)
    return TOOL_EXIT.ok
  }
  if (opts.includes('-r')) {
    rmSync(file, { force: true })
    did(ctx, 'removed the simulated crontab (the real crontab is unchanged)')
    return TOOL_EXIT.ok
  }
  if (opts.includes('-e')) return edit(ctx, file, input)
  const source = positional[0]
  let text: string
  try {
    text = input.readFile(!source || source === '-' ? 0 : source)
  } catch (e) {
    err(ctx, `crontab: ${(e as Error).message}`)
    return TOOL_EXIT.failed
  }
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
  const entries = text.split('\n').filter((l) => l.trim() && !l.startsWith('#')).length
  did(ctx, `installed the simulated crontab (${entries} entries; the real crontab is unchanged)`)
  return TOOL_EXIT.ok
}
