// The table of read-only commands, as data: command name → the reader that proves a use of it
// read-only (one family a file). A command not in this table is never proven read-only.
import { BUILTIN_READERS } from './builtins.js'
import { DATABASE_READERS } from './databases.js'
import type { Reader } from './reader.js'
import { SYSTEM_READERS } from './system.js'
import { TEXT_READERS } from './text.js'
import { TOOL_READERS } from './tools.js'
import { WRITER_READERS } from './writers.js'

export const READERS: Readonly<Record<string, Reader>> = {
  ...TEXT_READERS,
  ...SYSTEM_READERS,
  ...TOOL_READERS,
  ...DATABASE_READERS,
  ...BUILTIN_READERS,
  ...WRITER_READERS,
}

/** Where a command named by path may live to be the command its name says. */
const SYSTEM_BIN = /^\/(usr\/(local\/)?)?s?bin\/[^/]+$/

/**
 * The reader for a command word, if it is one of the table's commands: by its bare name, or by
 * a path in the system's bin folders (./ls or /tmp/x/ls is some other program).
 */
export function readerFor(commandWord: string): Reader | undefined {
  if (commandWord.includes('/') && !SYSTEM_BIN.test(commandWord)) return undefined
  const name = commandWord.slice(commandWord.lastIndexOf('/') + 1)
  return Object.hasOwn(READERS, name) ? READERS[name] : undefined
}

/** Names of the shell's builtins and the table's commands: a function with one of them shadows it. */
export function shadows(name: string): boolean {
  return Object.hasOwn(READERS, name)
}
