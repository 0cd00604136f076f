// Shared by the bench cases: run a command, measure wall time and peak RSS, alternate the
// baseline and ours over several rounds, print medians and ratios.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = path.join(ROOT, 'bin', 'runbook')
export const ROUNDS = Number(process.env.RB_BENCH_ROUNDS ?? 3)
const TIME = '/usr/bin/time'

export function tmp(prefix = 'rb-bench-') {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}

export function writeFile(dir, name, text) {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

/** Runs `cmd args` with stdout/stderr to /dev/null; resolves { wallMs, peakMiB, code }. */
export function measure(cmd, args, opts = {}) {
  const useTime = existsSync(TIME)
  const statFile = path.join(os.tmpdir(), `rb-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`)
  const file = useTime ? TIME : cmd
  const argv = useTime ? ['-f', '%e %M', '-o', statFile, cmd, ...args] : args
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(file, argv, { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['ignore', 'ignore', 'ignore'] })
    let peakKb = 0
    const poll = useTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
            if (m) peakKb = Math.max(peakKb, Number(m[1]))
          } catch {
            // exited
          }
        }, 20)
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - started
      if (poll) clearInterval(poll)
      if (useTime) {
        const line = readFileSync(statFile, 'utf8').trim().split('\n').pop() ?? ''
        peakKb = Number(line.split(' ')[1] ?? 0)
      }
      resolve({ wallMs, peakMiB: peakKb / 1024, code })
    })
  })
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * Runs each series once per round, alternating, and returns medians per series.
 * series: { name: string, run: () => Promise<{ wallMs, peakMiB, code }> }[]
 */
export async function alternate(series, rounds = ROUNDS) {
  const results = Object.fromEntries(series.map((s) => [s.name, []]))
  for (let r = 0; r < rounds; r++) {
    for (const s of series) {
      const m = await s.run()
      if (m.code !== 0 && !s.allowFailure) throw new Error(`${s.name} exited ${m.code}`)
      results[s.name].push(m)
    }
  }
  return Object.fromEntries(
    Object.entries(results).map(([name, ms]) => [name, { wallMs: median(ms.map((m) => m.wallMs)), peakMiB: median(ms.map((m) => m.peakMiB)) }]),
  )
}

export function report(title, medians, comparisons) {
  console.log(`\n${title}`)
  for (const [name, m] of Object.entries(medians)) {
    console.log(`  ${name.padEnd(34)} wall ${m.wallMs.toFixed(0).padStart(7)} ms   peak RSS ${m.peakMiB.toFixed(1).padStart(7)} MiB`)
  }
  for (const c of comparisons) {
    const ratio = c.value(medians)
    const verdict = c.target === undefined ? '' : ratio <= c.target ? `  ✔ target ≤ ${c.target}` : `  ✘ target ≤ ${c.target}`
    console.log(`  ${c.label.padEnd(34)} ${ratio.toFixed(2)}${c.unit ?? '×'}${verdict}`)
  }
}
