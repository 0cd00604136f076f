// Redis commands that can stall a big server (KEYS…), found in a step's code for a lint warning
// that names the better command. Advice, not safety: `redis` steps are read exactly (the step's own
// splitter); redis-cli lines of shell steps and `redis.<command>(…)` calls of TS steps are found
// line by line, which is enough to point at the line.
import { redisSlowAdvice } from './judge.js'
import { splitAll } from './split.js'

export interface SlowRedisCommand {
  /** 1-based line in the step's code. */
  line: number
  command: string
  better: string
}

/** redis-cli options that take a value (the next word), so the command is the first other word. */
const CLI_VALUE_OPTIONS = new Set([
  '-h', '-p', '-s', '-a', '-u', '-n', '-r', '-i', '-d', '-D', '-t', '-e',
  '--user', '--pass', '--askpass', '--rdb', '--functions-rdb', '--pipe-timeout', '--eval', '--pattern', '--count',
  '--quoted-pattern', '--cluster', '--cacert', '--cacertdir', '--cert', '--key', '--sni', '--tls-ciphers',
  '--tls-ciphersuites', '--memkeys-samples', '--lru-test', '--intrinsic-latency',
])

/** The command words after `redis-cli` on a shell line, or null when there is no command. */
function redisCliArgv(rest: string): string[] | null {
  const words = splitAll(rest.split(/[|;&]/)[0] ?? '').commands[0]?.argv ?? []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (CLI_VALUE_OPTIONS.has(w)) i++
    else if (!w.startsWith('-')) return words.slice(i)
  }
  return null
}

/** The slow commands of a step's code, by the step's kind. */
export function findSlowRedisCommands(kind: string, code: string): SlowRedisCommand[] {
  const found: SlowRedisCommand[] = []
  const add = (line: number, argv: readonly (string | null)[]) => {
    const advice = redisSlowAdvice(argv)
    if (advice) found.push({ line, ...advice })
  }
  if (kind === 'redis') {
    for (const c of splitAll(code).commands) add(c.line, c.argv)
    return found
  }
  code.split('\n').forEach((text, index) => {
    if (kind === 'shell') {
      for (const m of text.matchAll(/(?:^|[\s;&|(`$])redis-cli\b(.*)$/g)) {
        const argv = redisCliArgv(m[1] ?? '')
        if (argv) add(index + 1, argv)
      }
    } else if (kind === 'ts' || kind === 'js') {
      for (const m of text.matchAll(/\bredis\s*\.\s*(?:call\s*\(\s*['"`](\w+)['"`]|(\w+)\s*\()/g)) add(index + 1, [m[1] ?? m[2] ?? null])
    }
  })
  return found
}
