// The guarded spawner for real, as root: steps of one view are forked by one long-lived spawner
// inside bubblewrap (no bubblewrap start per step), and everything the direct path does still
// holds: the view (only scratch is writable), env and cwd, live output in order, stdin, exit codes,
// a timeout that stops the step's whole group, a spawner killed between or during steps, the
// runner's end of the channel closing (what its death looks like), and a channel a step cannot use.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { confinedArgv } from '../../src/runner/executors/guard/bwrap.js'
import { detectOsGuard } from '../../src/runner/executors/guard/detect.js'
import { closeSpawners, spawnerFor, spawnerPids, spawnerView, warmSpawner } from '../../src/runner/executors/guard/spawner.js'
import { runProcess } from '../../src/runner/executors/process.js'
import { signalGroup } from '../../src/runner/executors/process-group.js'
import { runShellStep } from '../../src/runner/executors/shell-step.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { baseEnv, collector, gone, running } from './helpers.js'

const root = mkdtempSync(join(tmpdir(), 'rb-spawner-'))
const scratch = join(root, 'scratch')
const outside = join(root, 'outside')
const canary = join(outside, 'canary')
let bwrap = ''

beforeAll(async () => {
  for (const d of [scratch, outside]) mkdirSync(d)
  const os = await detectOsGuard()
  if (!os.available) throw new Error(`the OS guard is needed for these tests: ${os.why}`)
  bwrap = os.bwrap
})
afterAll(() => {
  closeSpawners()
  rmSync(root, { recursive: true, force: true })
})

const confine = (argv: string[]) => confinedArgv(bwrap, argv, { scratch, writable: [], cwd: root })
/** A view's first step takes the direct path while its spawner starts in the background; the
 * tests start it first, so that each step goes through it. */
const warm = async () => expect(await warmSpawner(confine)).toBe(true)

async function step(code: string, extra: { timeoutMs?: number; onOutput?: (t: string, s: 'stdout' | 'stderr') => void } = {}) {
  const c = collector()
  const r = await runShellStep({
    code,
    shell: 'bash',
    env: baseEnv({ RUNBOOK_TMP: scratch, GREETING: 'hi' }),
    cwd: root,
    timeoutMs: extra.timeoutMs ?? 20_000,
    tmpDir: scratch,
    killGraceMs: 500,
    confine,
    onOutput: (t, s) => {
      c.onOutput(t, s)
      extra.onOutput?.(t, s)
    },
  })
  return { ...r, ...c.out }
}

/** The step's parent: the spawner (node -e "(function spawnerMain…") when it went through one. */
const PARENT = 'echo "ppid=$PPID"; tr "\\0" " " < /proc/$PPID/cmdline | head -c 40; echo'

describe('the guarded spawner', () => {
  beforeEach(warm)

  it('forks each step in the view from one spawner: env, cwd, outputs, exit code; only scratch is writable', async () => {
    writeFileSync(canary, 'intact\n')
    const code = [
      PARENT,
      'echo "$GREETING from $(pwd) tmp=$TMPDIR"',
      'echo a > "$RUNBOOK_TMP/a" && echo scratch-ok',
      'echo K=v >> "$RUNBOOK_OUTPUT"',
      `if echo x > ${canary} 2>/dev/null; then echo canary-written; fi`,
      'exit 3',
    ].join('\n')
    const first = await step(code)
    const second = await step(code)
    for (const r of [first, second]) {
      expect(r.exitCode, r.stderr).toBe(3)
      expect(r.stdout).toContain('spawnerMain')
      expect(r.stdout).toContain(`hi from ${root} tmp=${scratch}`)
      expect(r.stdout).toContain('scratch-ok')
      expect(r.stdout).not.toContain('canary-written')
      expect(r.outputs).toEqual({ K: 'v' })
    }
    // one spawner, not one bubblewrap per step
    const ppid = (s: string) => /ppid=(\d+)/.exec(s)?.[1]
    expect(ppid(first.stdout)).toBe(ppid(second.stdout))
    expect(spawnerPids()).toContain(Number(ppid(first.stdout)))
    expect(readFileSync(join(scratch, 'a'), 'utf8')).toBe('a\n')
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
  })

  it('is itself inside the view: the mount namespace of the steps, no capability, no_new_privs', async () => {
    await step('true')
    const [pid] = spawnerPids()
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    expect(status).toMatch(/CapEff:\s+0+\n/)
    expect(status).toMatch(/NoNewPrivs:\s+1/)
    const r = await step('readlink /proc/self/ns/mnt /proc/self/ns/user')
    expect(r.stdout).toBe(`${readlinkSync(`/proc/${pid}/ns/mnt`)}\n${readlinkSync(`/proc/${pid}/ns/user`)}\n`)
    expect(readlinkSync(`/proc/${pid}/ns/mnt`)).not.toBe(readlinkSync('/proc/self/ns/mnt'))
  })

  it('a step cannot use the channel: the spawner stdin/stdout are sockets, not reopenable through /proc', async () => {
    writeFileSync(canary, 'intact\n')
    // A forged start request for an unconfined write would need the channel; it also would run in the view.
    const r = await step(
      [
        'set +e',
        'printf "S\\0\\0\\0\\x63\\0\\0\\0\\x02{}" > /proc/$PPID/fd/0 ; echo "inject=$?"',
        'printf "X" > /proc/$PPID/fd/1 ; echo "forge=$?"',
        `echo changed > /proc/$PPID/root${canary} ; echo "spawner-root=$?"`,
        `gp=$(awk '{print $4}' /proc/$PPID/stat); echo changed > /proc/$gp/root${canary} ; echo "monitor-root=$?"`,
      ].join('\n'),
    )
    for (const attempt of ['inject', 'forge', 'spawner-root', 'monitor-root']) expect(r.stdout).toMatch(new RegExp(`${attempt}=[1-9]`))
    expect(readFileSync(canary, 'utf8')).toBe('intact\n')
    expect((await step('echo still-fine')).stdout).toBe('still-fine\n')
  })

  it('streams output live and in order, stdout and stderr apart', async () => {
    const seen: string[] = []
    let firstAt = 0
    const started = Date.now()
    const r = await step('for i in 1 2 3 4 5; do echo "out $i"; echo "err $i" >&2; sleep 0.1; done', {
      onOutput: (t) => {
        if (!firstAt) firstAt = Date.now()
        seen.push(t)
      },
    })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe([1, 2, 3, 4, 5].map((i) => `out ${i}\n`).join(''))
    expect(r.stderr).toBe([1, 2, 3, 4, 5].map((i) => `err ${i}\n`).join(''))
    expect(seen.length).toBeGreaterThanOrEqual(5)
    expect(firstAt - started).toBeLessThan(r.durationMs - 200) // the first line came long before the end
  })

  it('relays large output whole (backpressure, frames split across reads)', async () => {
    const r = await step('head -c 3000000 /dev/zero | tr "\\0" "x"; echo; echo done >&2')
    expect(r.stdout.length).toBe(3_000_001)
    expect(r.stdout.replace(/x/g, '')).toBe('\n')
    expect(r.stderr).toBe('done\n')
  })

  it('feeds stdin', async () => {
    const launch = spawnerFor(confine)!
    const r = await runProcess({
      file: 'unused-direct-path',
      args: [],
      env: baseEnv(),
      timeoutMs: 10_000,
      input: 'line one\nline two\n',
      spawner: { launch, file: 'bash', args: ['--noprofile', '--norc', '-c', 'echo "ppid=$PPID"; tac'] },
      ...collectInto((out) => (stdout = out)),
    })
    expect(r.exitCode).toBe(0)
    expect(stdout).toMatch(/^ppid=\d+\nline two\nline one\n$/)
    expect(spawnerPids()).toContain(Number(/ppid=(\d+)/.exec(stdout)![1]))
  })

  it('does not wait for output pipes held by a process that escaped the group', async () => {
    const marker = `sleep 5${process.pid}.3`
    const started = Date.now()
    const r = await step(`setsid ${marker} & echo done`)
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('done\n')
    expect(Date.now() - started).toBeLessThan(3000)
    // it escaped on purpose: the test stops it, by pid
    for (const pid of spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL')
    expect((await step('echo next')).stdout).toBe('next\n')
  })

  it('a timeout stops the step and every process of its group', async () => {
    const marker = `spawner-timeout-${process.pid}`
    const r = await step(`(exec -a ${marker} sleep 30) & trap '' TERM; sleep 30`, { timeoutMs: 400 })
    expect(r.timedOut).toBe(true)
    expect(await gone(marker)).toBe(true)
  })

  it('stops what a step left in its group once it exits', async () => {
    const marker = `spawner-leftover-${process.pid}`
    const r = await step(`(exec -a ${marker} sleep 30) & echo started`)
    expect(r.exitCode).toBe(0)
    expect(r.leftoverKilled).toBeGreaterThanOrEqual(1)
    expect(await gone(marker)).toBe(true)
  })

  it('a spawner killed between steps is replaced; one killed during a step ends that step (no hang)', async () => {
    const before = await step(PARENT)
    const old = Number(/ppid=(\d+)/.exec(before.stdout)![1])
    expect(spawnerPids()).toEqual([old])
    process.kill(old, 'SIGKILL')
    // the next step never waits: it runs (bubblewrap per step) while a new spawner starts
    const meanwhile = await step(PARENT)
    expect(meanwhile.exitCode, meanwhile.stderr).toBe(0)
    expect(meanwhile.stdout).not.toContain(`ppid=${old}\n`)
    await warm()
    const after = await step(PARENT)
    expect(after.exitCode, after.stderr).toBe(0)
    const replacement = Number(/ppid=(\d+)/.exec(after.stdout)![1])
    expect(replacement).not.toBe(old)
    expect(after.stdout).toContain('spawnerMain')
    expect(spawnerPids()).toEqual([replacement])

    const marker = `spawner-orphan-${process.pid}`
    const started = Date.now()
    const during = await step(`(exec -a ${marker} sleep 30) & kill -KILL $PPID; sleep 30`)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(during.exitCode).toBeNull()
    expect(during.error).toBe(msg.executors.spawnerStopped)
    expect(await gone(marker)).toBe(true) // the step's group, orphaned, is still stopped by the runner
    expect((await step('echo next')).stdout).toBe('next\n')
    await warm()
    expect((await step(PARENT)).stdout).toContain('spawnerMain')
  })

  it('when the runner end of the channel closes (the runner died), the spawner kills each running step and exits', async () => {
    const marker = `spawner-parent-gone-${process.pid}`
    const running_ = step(`exec -a ${marker} sleep 30`)
    while (!running(marker)) await new Promise((r) => setTimeout(r, 20))
    const [pid] = spawnerPids()
    closeSpawners()
    expect(await gone(marker)).toBe(true)
    expect(await gone(`^${pid}$`)).toBe(true)
    const r = await running_
    expect(r.exitCode).toBeNull()
    expect(r.error).toBe(msg.executors.spawnerStopped)
  })

  it('a runner killed with -9 takes its running step with it (the main process, as --die-with-parent did)', async () => {
    const marker = `sleep 4${process.pid}.7`
    const file = join(root, 'killed.md')
    // the first two steps run directly while the run's spawner starts; the third goes through it
    writeFileSync(file, `# killed\n\n\`\`\`bash\ntrue\n\`\`\`\n\n\`\`\`bash\nsleep 2\n\`\`\`\n\n\`\`\`bash\necho started; ${marker}; echo never\n\`\`\`\n`)
    const bin = fileURLToPath(new URL('../../bin/runbook', import.meta.url))
    const runner = spawn(process.execPath, [bin, 'run', file, '--auto', '--reports', join(root, 'reports')], { stdio: 'ignore' })
    const parentOf = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]!
    // the step's main process: the one whose parent is a spawner (not bubblewrap)
    let main: string | undefined
    const until = Date.now() + 15_000
    while (!main && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50))
      const pids = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)
      main = pids.find((p) => {
        try {
          return readFileSync(`/proc/${parentOf(p)}/cmdline`, 'utf8').includes('spawnerMain')
        } catch {
          return false
        }
      })
    }
    expect(main).toBeDefined()
    const spawner = parentOf(main!)
    runner.kill('SIGKILL')
    const alive = (pid: string) => existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    const gonePid = async (pid: string) => {
      for (let i = 0; i < 60 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50))
      return !alive(pid)
    }
    expect(await gonePid(main!)).toBe(true)
    expect(await gonePid(spawner)).toBe(true)
    signalGroup(Number(main), 'SIGKILL') // what the step started stays in its group, for resume to stop; here, the test does
  }, 30_000)

  it('keeps the direct path when confine does not have the expected shape', () => {
    expect(spawnerView((argv) => ['env', ...argv])).toBeUndefined()
    const view = spawnerView(confine)!
    expect(view.argv).not.toContain('--die-with-parent')
    expect(view.argv).not.toContain('--chdir')
    expect(view.setenv).toEqual({ TMPDIR: scratch })
  })
})

let stdout = ''
function collectInto(done: (out: string) => void) {
  let out = ''
  return { onOutput: (t: string) => done((out += t)) }
}
