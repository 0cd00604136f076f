// Commands that write, proven when every place they write is one a read-only step may write to:
// the scratch folder (and for output options /dev/null and $RUNBOOK_OUTPUT), or a path inside the
// step's declared `writes=` paths (declared.ts) — mkdir, mv within those folders, pg_dump -f,
// tar creating an archive with -f. Anything else they do falls to their rules (rules/files.ts…).
import { insideDeclared } from '../declared.js'
import { optionValueWords, parseOptions, unknownOption, type OptionSpec } from '../options.js'
import type { H } from '../rule.js'
import { PLACEHOLDER, word, type Word } from '../words.js'
import type { Reader } from './reader.js'

/** An output a read-only step may write: an allowed target, or a file inside a declared path. */
export function writable(h: H, w: Word | undefined): boolean {
  return w !== undefined && (w.target !== undefined || insideDeclared(h.ctx, w))
}

/** A path a step may create or move: below the scratch folder or inside a declared path (never
 * /dev/null or $RUNBOOK_OUTPUT, nor the scratch folder itself). `root`: a declared path itself. */
function ownPath(h: H, w: Word, root = false): boolean {
  if (w.target === 'scratch') return w.value !== PLACEHOLDER
  return insideDeclared(h.ctx, w, root)
}

function onlyOptions(h: H, spec: OptionSpec, allowed: string[]): Word[] | undefined {
  const p = parseOptions(h.args, spec)
  for (const key of p.opts.keys()) if (!allowed.includes(key)) return undefined
  return p.positionals
}

/** mkdir [-p] [-m MODE] DIR…: every DIR inside a declared path (or the path itself) or the scratch folder. */
const mkdir: Reader = (h) => {
  const dirs = onlyOptions(h, { short: 'm', long: ['mode'] }, ['p', 'parents', 'v', 'verbose', 'm', 'mode'])
  return !!dirs && dirs.length > 0 && dirs.every((w) => ownPath(h, w, true))
}

/** mv SRC DEST within the declared paths (or the scratch folder): a file renamed where the step
 * said it writes; replacing a file there is part of what was declared. */
const mv: Reader = (h) => {
  const paths = onlyOptions(h, {}, ['f', 'force', 'n', 'no-clobber', 'v', 'verbose', 'T', 'no-target-directory'])
  return !!paths && paths.length === 2 && paths.every((w) => ownPath(h, w))
}

/** pg_dump / pg_dumpall: to stdout, or -f / --file into a place the step may write. */
const dumpTo =
  (spec: OptionSpec): Reader =>
  (h) =>
    !unknownOption(parseOptions(h.args, spec)) && optionValueWords(h.args, spec, ['f', 'file']).every((w) => writable(h, w))

const TAR_SPEC: OptionSpec = { short: 'fC', long: ['file', 'directory', 'exclude', 'warning', 'format'] }
const TAR_ALLOWED = ['c', 'create', 'z', 'gzip', 'j', 'bzip2', 'J', 'xz', 'zstd', 'v', 'verbose', 'f', 'file', 'C', 'directory', 'exclude', 'exclude-vcs', 'numeric-owner', 'one-file-system', 'warning', 'ignore-failed-read', 'totals', 'format', 'h', 'dereference']

/** tar creating an archive (-c) with exactly one -f into a place the step may write; it reads the
 * files it archives, runs no program (no -I, --to-command, --checkpoint-action) and removes nothing. */
const tarCreate = (h: H): boolean => {
  const args = [...h.args]
  // Old style (`tar czf FILE …`): the same as a dash cluster when only its last letter takes a value.
  const first = args[0]
  if (first?.literal && /^[a-zA-Z]+$/.test(first.value)) {
    if (/[fC]./.test(first.value)) return false
    args[0] = word(`-${first.value}`)
  }
  const p = parseOptions(args, TAR_SPEC)
  for (const key of p.opts.keys()) if (!TAR_ALLOWED.includes(key)) return false
  if (!p.opts.has('c') && !p.opts.has('create')) return false
  const archives = optionValueWords(args, TAR_SPEC, ['f', 'file'])
  return archives.length === 1 && writable(h, archives[0]) && archives[0]!.value !== '-'
}

export const WRITER_READERS: Record<string, Reader> = {
  mkdir,
  mv,
  pg_dump: dumpTo({ short: 'fdhpUFnNtTEZj', long: ['file', 'dbname', 'host', 'port', 'username', 'format', 'schema', 'table', 'exclude-table', 'encoding', 'compress', 'jobs'] }),
  pg_dumpall: dumpTo({ short: 'fdhpUl', long: ['file', 'dbname', 'host', 'port', 'username', 'database'] }),
}

/** tar: listing (readonly/text.ts) or creating as above. */
export const tarWrites = tarCreate
