// logrotate on the simulated host: rotates the sandbox's logs as the app's logrotate.d entry
// says (daily, 30 rotations, delaycompress); -d only says what it would do.
import { createReadStream, createWriteStream, existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { did, out, simulated, TOOL_EXIT, type ShimContext } from './context.js'

const ROTATIONS = 30

async function gzipFile(file: string): Promise<void> {
  await pipeline(createReadStream(file), createGzip(), createWriteStream(`${file}.gz`))
  rmSync(file)
}

/** production.log → .1, .1 → .2 (then compressed), …, the 30th dropped; a new empty log. */
async function rotate(base: string): Promise<void> {
  for (let i = ROTATIONS; i >= 1; i--) {
    for (const ext of ['', '.gz']) {
      const from = `${base}.${i}${ext}`
      if (!existsSync(from)) continue
      if (i === ROTATIONS) rmSync(from)
      else renameSync(from, `${base}.${i + 1}${ext}`)
    }
  }
  if (existsSync(`${base}.2`)) await gzipFile(`${base}.2`)
  renameSync(base, `${base}.1`)
  writeFileSync(base, '')
}

export async function logrotate(ctx: ShimContext, args: string[]): Promise<number> {
  const debug = args.includes('-d') || args.includes('--debug')
  const logDir = path.join(ctx.root, 'log')
  const logs = readdirSync(logDir).filter((f) => f.endsWith('.log'))
  out(ctx, `reading config file ${path.join(ctx.root, 'host', 'logrotate.d', 'excelapp-rails')}\nrotating pattern: ${logDir}/*.log  after 1 days (${ROTATIONS} rotations)\nempty log files are not rotated, old logs are removed`)
  for (const f of logs) {
    out(ctx, `considering log ${path.join(logDir, f)}\n  log needs rotating`)
    if (!debug) await rotate(path.join(logDir, f))
  }
  if (debug) {
    simulated(ctx, 'logrotate -d: nothing was rotated')
    return TOOL_EXIT.ok
  }
  out(ctx, 'running postrotate script')
  did(ctx, `rotated ${logs.length} logs in ${logDir}; excelapp-rails reloaded`)
  return TOOL_EXIT.ok
}
