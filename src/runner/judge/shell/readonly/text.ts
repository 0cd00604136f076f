// Read-only text and file tools, with the argument rules that keep them read-only: sed without
// -i or w/e commands, awk without system(), pipes or output redirection, find without -delete,
// -fprint or an -exec of a writer, sort without -o, tar only listing, gzip only to stdout.
import { PLACEHOLDER } from '../words.js'
import { parseOptions } from '../options.js'
import { anyArgs, without, withoutOptions, type Reader } from './reader.js'
import { tarWrites, writable } from './writers.js'

/** A sed script made only of reading commands: p d q Q = l n N P D h H g G x { } ! and s/y without w/e. */
export function sedScriptReads(script: string): boolean {
  let i = 0
  const s = script
  const skipBlank = () => {
    while (i < s.length && /[\s;]/.test(s[i]!)) i++
  }
  const address = (): boolean => {
    if (s[i] === '$') i++
    else if (/\d/.test(s[i] ?? '')) while (/[\d~]/.test(s[i] ?? '')) i++
    else if (s[i] === '/' || s[i] === '\\') {
      const d = s[i] === '\\' ? s[++i]! : '/'
      for (i++; i < s.length && s[i] !== d; i++) if (s[i] === '\\') i++
      if (s[i] !== d) return false
      i++
      while (s[i] === 'I' || s[i] === 'M') i++
    }
    return true
  }
  /** s/re/repl/flags and y/a/b/: the delimited parts, then the flags (never w or e). */
  const delimited = (parts: number, flags: RegExp): boolean => {
    const d = s[i++]
    if (!d || d === '\n' || d === '\\') return false
    for (let n = 0; n < parts; n++) {
      for (; i < s.length && s[i] !== d; i++) if (s[i] === '\\') i++
      if (s[i] !== d) return false
      i++
    }
    while (i < s.length && flags.test(s[i]!)) i++
    return true
  }
  while (true) {
    skipBlank()
    if (i >= s.length) return true
    if (!address()) return false
    if (s[i] === ',') {
      i++
      if (s[i] === '+' || s[i] === '~') i++
      if (!address()) return false
    }
    while (s[i] === ' ' || s[i] === '!') i++
    const c = s[i++]
    if (c === undefined) return false
    if (c === 's') {
      if (!delimited(2, /[gpiImM0-9]/)) return false
    } else if (c === 'y') {
      if (!delimited(2, /$^/)) return false
    } else if (c === 'q' || c === 'Q') while (/\d/.test(s[i] ?? '')) i++
    else if (!'pdnNPDhHgGx=l{}'.includes(c)) return false
    if (i < s.length && !/[\s;}]/.test(s[i]!)) return false
  }
}

const sed: Reader = (h) => {
  const p = without(h, ['i', 'in-place', 'f', 'file'], { short: 'efl', long: ['expression', 'file', 'line-length'] })
  if (!p) return false
  const scripts = [...(p.opts.get('e') ?? []), ...(p.opts.get('expression') ?? [])]
  // Without -e the first positional is the script.
  if (scripts.length === 0) {
    const first = p.positionals[0]
    if (!first?.literal) return false
    scripts.push(first.value)
  }
  return scripts.every((s) => s !== null && !s.includes(PLACEHOLDER) && sedScriptReads(s))
}

/** An awk program that prints and computes only: no system(), no pipes, no print > file, no gawk extensions. */
export function awkProgramReads(program: string): boolean {
  const code = program.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\|\|/g, ' ')
  if (/\bsystem\s*\(|\||@|\bprintf?\b[^;{}\n]*>|\bclose\s*\(|\bfflush\b/.test(code)) return false
  return true
}

const awk: Reader = (h) => {
  const p = parseOptions(h.args, { short: 'Fv', long: ['field-separator', 'assign'] })
  for (const key of p.opts.keys()) if (!['F', 'v', 'field-separator', 'assign'].includes(key)) return false
  const program = p.positionals[0]
  return !!program?.literal && awkProgramReads(program.value)
}

/** find: only tests and printing (-fprint, -fls, -delete write); -exec/-ok commands are judged by the walk. */
const FIND_WITH_VALUE = new Set([
  'name', 'iname', 'path', 'ipath', 'wholename', 'iwholename', 'regex', 'iregex', 'lname', 'ilname', 'type', 'xtype',
  'size', 'mtime', 'mmin', 'atime', 'amin', 'ctime', 'cmin', 'used', 'newer', 'anewer', 'cnewer', 'user', 'group', 'uid',
  'gid', 'perm', 'maxdepth', 'mindepth', 'links', 'inum', 'samefile', 'printf', 'fstype', 'regextype', 'D',
])
const FIND_FLAGS = new Set([
  'empty', 'xdev', 'mount', 'follow', 'depth', 'daystart', 'print', 'print0', 'ls', 'prune', 'quit', 'true', 'false', 'not',
  'a', 'and', 'o', 'or', 'readable', 'writable', 'executable', 'nouser', 'nogroup', 'noleaf', 'ignore_readdir_race',
  'noignore_readdir_race', 'nowarn', 'warn', 'H', 'L', 'P',
])

const find: Reader = async (h) => {
  const args = h.args
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!
    if (w.braces) return false
    if (!w.literal || !w.value.startsWith('-') || w.value === '-') continue
    const name = w.value.slice(1)
    if (['exec', 'execdir', 'ok', 'okdir'].includes(name)) {
      const inner = []
      for (i++; i < args.length && args[i]!.value !== ';' && args[i]!.value !== '+'; i++) inner.push(args[i]!.value === '{}' ? { value: PLACEHOLDER, literal: false } : args[i]!)
      if (inner.length === 0) return false
      await h.run(inner, {}, `${h.ctx.prefix}find ${w.value}: `)
    } else if (FIND_WITH_VALUE.has(name) || /^newer[amctB][amctBt]$/.test(name)) i++
    else if (!FIND_FLAGS.has(name) && !/^O\d$/.test(name)) return false
  }
  return true
}

/** sort: -o writes, --compress-program runs a program. */
const sort = withoutOptions(['o', 'output', 'compress-program'], { short: 'kotST', long: ['key', 'output', 'field-separator', 'temporary-directory', 'buffer-size', 'parallel', 'files0-from', 'batch-size', 'compress-program', 'sort', 'random-source'] })

/** uniq [IN [OUT]]: a second file is written. */
const uniq: Reader = (h) => parseOptions(h.args, { short: 'fsw', long: ['skip-fields', 'skip-chars', 'check-chars', 'group', 'all-repeated'] }).positionals.length <= 1

/** tee writes only to the allowed targets (/dev/null, $RUNBOOK_OUTPUT, the scratch folder, inside
 * the declared writes= paths). */
const tee: Reader = (h) => {
  const p = parseOptions(h.args, {})
  for (const key of p.opts.keys()) if (!['a', 'append', 'i', 'ignore-interrupts', 'p'].includes(key)) return false
  return p.positionals.every((w) => writable(h, w))
}

/** tar: listing an archive (t), or creating one into a place the step may write (writers.ts);
 * never extracting or running programs. */
const tar: Reader = (h) => {
  let flags = ''
  const args = [...h.args]
  if (args[0]?.literal && /^[a-zA-Z]+$/.test(args[0].value)) flags += args.shift()!.value
  for (const w of args) {
    if (!w.literal || !w.value.startsWith('-')) continue
    if (w.value.startsWith('--')) {
      if (!/^--(list|file(=.*)?|gzip|gunzip|bzip2|xz|zstd|verbose|directory(=.*)?|wildcards|no-anchored|anchored|ignore-case|exclude(=.*)?|numeric-owner|full-time|utc)$/.test(w.value)) return false
    } else flags += w.value.slice(1)
  }
  return (/t/.test(flags) && /^[tvzjJfCa]*$/.test(flags.replace(/[^a-zA-Z]/g, ''))) || tarWrites(h)
}

/** gzip/gunzip/xz/…: only when writing to stdout (-c, or a filter with no file), testing or listing. */
const compressor: Reader = (h) =>
  parseOptions(h.args, { short: 'S', long: ['suffix'] }).positionals.every((w) => w.literal && w.value === '-') ||
  h.args.some((w) => w.literal && (/^-[a-zA-Z0-9]*[ctl]/.test(w.value) || ['--stdout', '--to-stdout', '--test', '--list'].includes(w.value)))

/** A tool whose positionals past the first are written (xxd IN OUT). */
const oneFile: Reader = (h) => parseOptions(h.args, { short: 'cglos', long: [] }).positionals.length <= 1

export const TEXT_READERS: Record<string, Reader> = {
  ...Object.fromEntries(
    [
      'cat', 'tac', 'head', 'tail', 'wc', 'cut', 'tr', 'grep', 'egrep', 'fgrep', 'zgrep', 'zegrep', 'zcat', 'bzcat', 'xzcat', 'zstdcat',
      'column', 'nl', 'paste', 'join', 'comm', 'diff', 'cmp', 'md5sum', 'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum',
      'b2sum', 'cksum', 'base64', 'base32', 'od', 'hexdump', 'strings', 'rev', 'fold', 'fmt', 'expand', 'unexpand', 'seq',
      'expr', 'basename', 'dirname', 'realpath', 'readlink', 'ls', 'stat', 'numfmt', 'jq', 'look',
    ].map((n) => [n, anyArgs]),
  ),
  sed, awk, gawk: awk, mawk: awk, nawk: awk, find, sort, uniq, tee, tar, xxd: oneFile,
  gzip: compressor, gunzip: compressor, bzip2: compressor, bunzip2: compressor, xz: compressor, unxz: compressor, zstd: compressor, unzstd: compressor, pigz: compressor,
  yq: withoutOptions(['i', 'inplace', 'split-exp', 's'], { short: 'opIe', long: ['output-format', 'input-format', 'expression', 'indent'] }),
  file: withoutOptions(['C', 'compile']),
  shuf: withoutOptions(['o', 'output', 'random-source'], { short: 'nio', long: ['head-count', 'input-range', 'output', 'random-source'] }),
  iconv: withoutOptions(['o', 'output'], { short: 'fto', long: ['from-code', 'to-code', 'output'] }),
}
