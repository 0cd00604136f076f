// Redis command tables: what the judge knows of each command (flags and ACL categories), read
// from the built-in table's text or from a server's `COMMAND INFO` reply.

/** What a command table knows of one command (`config|set` names a subcommand). */
export interface RedisCommandSpec {
  flags: string[]
  categories: string[]
  /** A container command (CONFIG, CLIENT…): its subcommands are entries of their own. */
  container?: boolean
}

/** A command table: lowercase name (subcommands as `container|sub`) → flags and categories. */
export interface RedisCommandTable {
  get(name: string): RedisCommandSpec | undefined
}

/** Reads rows of `name flags categories` (comma-separated lists, `-` for none). */
export function parseTableText(text: string): Map<string, RedisCommandSpec> {
  const table = new Map<string, RedisCommandSpec>()
  for (const row of text.split('\n')) {
    const [name, flags, categories] = row.trim().split(' ')
    if (!name || flags === undefined || categories === undefined) continue
    table.set(name, {
      flags: flags === '-' ? [] : flags.split(','),
      categories: categories === '-' ? [] : categories.split(','),
    })
  }
  for (const name of table.keys()) {
    const parent = name.includes('|') ? table.get(name.split('|')[0]!) : undefined
    if (parent) parent.container = true
  }
  return table
}

/**
 * Converts ioredis' raw `COMMAND INFO` (or `COMMAND`) reply to a table. Each entry is
 * `[name, arity, flags[], firstKey, lastKey, step, aclCategories[], tips, keySpecs,
 * subcommands[]]`; unknown commands come back as null and are skipped.
 */
export function redisTableFromCommandInfo(reply: unknown[]): Map<string, RedisCommandSpec> {
  const table = new Map<string, RedisCommandSpec>()
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : [])
  const add = (entry: unknown): void => {
    if (!Array.isArray(entry) || entry.length < 3) return
    const name = String(entry[0]).toLowerCase()
    const subs = Array.isArray(entry[9]) ? entry[9] : []
    table.set(name, {
      flags: strings(entry[2]).map((f) => f.toLowerCase()),
      categories: strings(entry[6]),
      ...(subs.length > 0 ? { container: true } : {}),
    })
    for (const sub of subs) add(sub)
  }
  for (const entry of reply) add(entry)
  return table
}
