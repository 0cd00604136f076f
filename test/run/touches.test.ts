// A destructive shell step shows what it will touch before the operator is asked: the files an
// `rm` glob or a `find … -delete` matches (found by read-only commands, run for real in a temp
// folder by the runner's probe runner), and the units, containers and hosts named literally. The
// preview deletes nothing, runs nothing that is not proven read-only, and says nothing when unsure.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { runProbe } from '../../src/runner/run/host.js'
import { findTouches } from '../../src/runner/run/touches.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { planOf, scriptedPrompts, walkInProcess } from './fakes.js'

function folder(files: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rb-touch-'))
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true })
    writeFileSync(path.join(dir, f), 'x')
  }
  return dir
}

/** Walks a one-step runbook at a terminal whose operator answers No: the preview is all that runs. */
async function preview(code: string, opts: { env?: Record<string, string>; attrs?: string; cwd?: string } = {}) {
  const { runbook, plan } = await planOf(`# 정리\n\n\`\`\`bash {id=clean destructive${opts.attrs ? ` ${opts.attrs}` : ''}}\n${code}\n\`\`\`\n`)
  const probes: string[] = []
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'rb-touch-scratch-'))
  const prompts = scriptedPrompts('no')
  const order: string[] = []
  const stepAction = prompts.stepAction
  prompts.stepAction = async (...args) => {
    order.push('asked')
    return stepAction(...args)
  }
  const { record, screen } = await walkInProcess(runbook, plan, {
    prompts,
    settings: { env: opts.env ?? {}, cwd: opts.cwd ?? scratch },
    probe: async (command, env) => {
      probes.push(command)
      order.push('preview')
      return runProbe(command, env, scratch)
    },
  })
  // Previews run before the first question, never after.
  expect(order).toContain('asked')
  expect(order.lastIndexOf('preview')).toBeLessThan(order.indexOf('asked'))
  expect(record.steps[0]!.status).toBe('declined')
  const shown = screen()
  // Whatever is shown comes before the question, right after the step's code.
  return { shown, probes, touched: shown.includes(msg.run.touchHeader) }
}

describe('files a destructive shell step would delete', () => {
  test('rm -f DIR/*.log: the matching files are listed before the question, none deleted', async () => {
    const dir = folder(['a.log', 'b.log', 'keep.txt'])
    const { shown } = await preview(`rm -f ${dir}/*.log`)
    expect(shown).toContain(msg.run.touchHeader)
    expect(shown).toContain(msg.run.touchFiles(`rm -f ${dir}/*.log`))
    expect(shown).toContain(`${dir}/a.log`)
    expect(shown).toContain(`${dir}/b.log`)
    expect(shown).not.toContain('keep.txt')
    for (const f of ['a.log', 'b.log', 'keep.txt']) expect(existsSync(path.join(dir, f)), f).toBe(true)
  })

  test("find DIR -name '*.log' -delete: the files find would delete, none deleted", async () => {
    const dir = folder(['a.log', 'sub/c.log', 'keep.txt'])
    const { shown } = await preview(`find ${dir} -name '*.log' -delete\necho done`)
    expect(shown).toContain(`${dir}/a.log`)
    expect(shown).toContain(`${dir}/sub/c.log`)
    expect(shown).not.toContain('keep.txt')
    for (const f of ['a.log', 'sub/c.log', 'keep.txt']) expect(existsSync(path.join(dir, f)), f).toBe(true)
  })

  test("the library's form: find \"$DIR\" … -mtime +\"$DAYS\" -print -delete with the step's env", async () => {
    const dir = folder(['db_1.sql.gz', 'db_2.sql.gz', 'other.txt'])
    const code = 'find "$BACKUP_DIR" -maxdepth 1 -type f -name "${DB_NAME}_*.sql.gz" -mtime +"$DAYS" -print -delete'
    const { shown } = await preview(code, { env: { BACKUP_DIR: dir, DB_NAME: 'db', DAYS: '-1' } })
    expect(shown).toContain(`${dir}/db_1.sql.gz`)
    expect(shown).toContain(`${dir}/db_2.sql.gz`)
    expect(shown).not.toContain('other.txt')
    expect(existsSync(path.join(dir, 'db_1.sql.gz'))).toBe(true)
  })

  test("relative globs are expanded in the step's cwd", async () => {
    const dir = folder(['x.log', 'y.log'])
    const { shown } = await preview('rm -- *.log', { attrs: `cwd=${dir}` })
    expect(shown).toContain('x.log')
    expect(shown).toContain('y.log')
  })

  test('at most 20 entries, then how many more', async () => {
    const dir = folder(Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, '0')}.log`))
    const { shown } = await preview(`rm -f "${dir}"/*.log`)
    expect(shown).toContain(`${dir}/f19.log`)
    expect(shown).not.toContain(`${dir}/f20.log`)
    expect(shown).toContain(msg.run.touchMore(5))
  })

  test('a pattern that matches nothing says so', async () => {
    const dir = folder(['keep.txt'])
    const { shown } = await preview(`rm -f ${dir}/*.log`)
    expect(shown).toContain(msg.run.touchNoFiles(`rm -f ${dir}/*.log`))
  })
})

describe('when unsure, nothing is shown and nothing unproven runs', () => {
  const CASES: [string, (dir: string) => string, Record<string, string>?][] = [
    ['a loop variable', (d) => `for f in ${d}/*.log; do rm -f "$f"; done`],
    ['a variable the script assigns', (d) => `D=${d}\nrm -f "$D"/*.log`],
    ['a variable the env does not set', () => 'rm -f "$NOT_SET"/*.log'],
    ['a change of directory first', (d) => `cd ${d}\nrm -f *.log`],
    ['a command substitution in the path', (d) => `rm -f "$(touch ${d}/CANARY; echo ${d})"/*.log`],
    ['find with -exec', (d) => `find ${d} -name '*.log' -exec rm {} \\;`],
    ['find on a folder that does not exist', (d) => `find ${d}/missing -name '*.log' -delete`],
    ['a command behind ||', (d) => `false || rm -f ${d}/*.log`],
    ['an unquoted variable holding spaces', (d) => 'rm -f $SPACED/*.log', { SPACED: 'a b' }],
    ['rm under sudo (the listing would not run as root)', (d) => `sudo rm -f ${d}/*.log`],
  ]
  test.each(CASES)('%s', async (_name, code, env) => {
    const dir = folder(['a.log'])
    const { touched } = await preview(code(dir), { env })
    expect(touched).toBe(false)
    expect(existsSync(path.join(dir, 'CANARY'))).toBe(false)
    expect(existsSync(path.join(dir, 'a.log'))).toBe(true)
  })
})

describe('units, containers and hosts named literally', () => {
  test('systemctl, docker and ssh arguments are listed without running anything', async () => {
    const code = 'sudo systemctl restart excelapp-rails.service excelapp-sidekiq\ndocker stop -t 10 formula-engine\nssh -p 22 deploy@web1 uptime'
    const { shown, probes } = await preview(code)
    expect(shown).toContain(`${msg.run.touchNamed('unit')} excelapp-rails.service, excelapp-sidekiq`)
    expect(shown).toContain(`${msg.run.touchNamed('container')} formula-engine`)
    expect(shown).toContain(`${msg.run.touchNamed('host')} deploy@web1`)
    expect(probes).toEqual([])
  })

  test('a name that is not literal is not guessed', async () => {
    expect(await findTouches('systemctl restart "$UNIT"\ndocker restart $(docker ps -q)', {})).toEqual([])
    expect(await findTouches('systemctl status app', {})).toEqual([])
  })
})
