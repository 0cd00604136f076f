// Commands that write files, and which of their words are the files they write: rm, touch, mkdir,
// truncate, chmod…, dd of=, tee, mv, cp, ln, install, sed -i, tar, unzip, sort -o, the
// compressors, find -delete/-exec. A table from command name to the rule that checks its targets.
import { PLACEHOLDER } from '../../runner/api.js'
import { deeper, type Ctx, type Scope } from './context.js'
import { checkPath } from './paths.js'
import { option, positionals } from './words.js'

type Rule = (name: string, args: string[], scope: Scope, ctx: Ctx) => void | Promise<void>

const eachPositional =
  (withValue = ''): Rule =>
  (name, args, scope, ctx) => {
    for (const p of positionals(args, withValue)) checkPath(p, name, scope, ctx)
  }

const ownership: Rule = (name, args, scope, ctx) => {
  const pos = positionals(args)
  const targets = args.some((a) => a.startsWith('--reference')) ? pos : pos.slice(1)
  for (const p of targets) checkPath(p, name, scope, ctx)
}

const copy: Rule = (name, args, scope, ctx) => {
  const target = option(args, '-t', '--target-directory')
  const pos = positionals(args, name === 'install' ? 'tmogS' : 'tS')
  if (target) checkPath(target, name, scope, ctx)
  else if (name === 'install' && args.includes('-d')) for (const p of pos) checkPath(p, name, scope, ctx)
  else if (pos.length >= 2) checkPath(pos[pos.length - 1]!, name, scope, ctx)
  else if (name === 'ln' && pos.length === 1) checkPath('.', name, scope, ctx)
}

const inPlace: Rule = (name, args, scope, ctx) => {
  const editsInPlace = args.some((a) => a === '--in-place' || a.startsWith('--in-place=') || (/^-[a-zA-Z]*i/.test(a) && !a.startsWith('--')))
  if (!editsInPlace) return
  const hasScriptOpt = args.some((a) => ['-e', '-f', '--expression', '--file', '-E'].includes(a) && name === 'sed') || (name === 'perl' && args.some((a) => /^-[a-zA-Z]*e$/.test(a)))
  const pos = positionals(args, name === 'sed' ? 'ef' : 'eIM')
  for (const p of hasScriptOpt ? pos : pos.slice(1)) checkPath(p, `${name} -i`, scope, ctx)
}

const attributes: Rule = (name, args, scope, ctx) => {
  for (const p of positionals(args, 'mMxX').filter((a) => !/^[+=-]/.test(a))) checkPath(p, name, scope, ctx)
}

const tar: Rule = (_name, args, scope, ctx) => {
  let flags = ''
  const rest = [...args]
  if (rest[0] && !rest[0].startsWith('-') && /^[a-zA-Z]+$/.test(rest[0])) flags = rest.shift()!
  for (const a of rest) if (/^-[a-zA-Z]+$/.test(a)) flags += a.slice(1)
  const long = (n: string) => rest.some((a) => a === `--${n}`)
  const creates = /[cru]/.test(flags) || long('create') || long('append') || long('update')
  const extracts = /x/.test(flags) || long('extract') || long('get')
  let file = option(rest, null, '--file')
  if (file === undefined && flags.includes('f')) {
    const fi = rest.findIndex((a) => /^-[a-zA-Z]*f$/.test(a))
    if (fi !== -1) file = rest[fi + 1]
    else if (args[0] && !args[0].startsWith('-') && args[0].includes('f')) file = positionals(rest)[0]
  }
  if (creates && file && file !== '-') checkPath(file, 'tar', scope, ctx)
  if (extracts) checkPath(option(rest, '-C', '--directory') ?? '.', 'tar -x →', scope, ctx)
  if (long('remove-files')) for (const p of positionals(rest, 'fCT').filter((p) => p !== file)) checkPath(p, 'tar --remove-files', scope, ctx)
}

const compressor: Rule = (name, args, scope, ctx) => {
  if (args.some((a) => /^-[a-zA-Z]*[ctl]/.test(a) || a === '--stdout' || a === '--to-stdout' || a === '--test' || a === '--list')) return
  for (const p of positionals(args, 'S')) checkPath(p, name, scope, ctx)
}

/** find: -delete and -fprint write under its roots; -exec runs a command on each file found. */
const find: Rule = async (_name, args, scope, ctx) => {
  const roots: string[] = []
  let k = 0
  while (k < args.length && !args[k]!.startsWith('-') && !['(', '!', ')'].includes(args[k]!)) roots.push(args[k++]!)
  if (roots.length === 0) roots.push('.')
  for (; k < args.length; k++) {
    const a = args[k]!
    if (a === '-delete') for (const r of roots) checkPath(r, 'find -delete', scope, ctx)
    else if (['-fprint', '-fprint0', '-fprintf', '-fls'].includes(a) && args[k + 1]) checkPath(args[++k]!, `find ${a}`, scope, ctx)
    else if (['-exec', '-execdir', '-ok', '-okdir'].includes(a)) {
      const inner: string[] = []
      for (k++; k < args.length && args[k] !== ';' && args[k] !== '+'; k++) inner.push(args[k]!)
      for (const r of roots) await ctx.argv(inner.map((w) => (w.includes('{}') ? w.replace('{}', r.endsWith('/') ? `${r}${PLACEHOLDER}` : `${r}/${PLACEHOLDER}`) : w)), scope, deeper(ctx))
    }
  }
}

const COMPRESSORS = ['gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', 'zstd', 'unzstd', 'lz4', 'pigz']

export const WRITERS: Readonly<Record<string, Rule>> = {
  ...Object.fromEntries(['rm', 'rmdir', 'unlink', 'shred', 'srm', 'touch', 'mkfifo'].map((n) => [n, eachPositional()])),
  mkdir: eachPositional('mZ'),
  mknod: eachPositional('mZ'),
  truncate: eachPositional('sr'),
  chmod: ownership,
  chown: ownership,
  chgrp: ownership,
  chattr: attributes,
  setfacl: attributes,
  dd: (_name, args, scope, ctx) => {
    for (const a of args) if (a.startsWith('of=')) checkPath(a.slice(3), 'dd of=', scope, ctx)
  },
  tee: eachPositional(),
  mv: (_name, args, scope, ctx) => {
    for (const p of positionals(args, 'tS')) checkPath(p, 'mv', scope, ctx)
    const target = option(args, '-t', '--target-directory')
    if (target) checkPath(target, 'mv', scope, ctx)
  },
  cp: copy,
  install: copy,
  ln: copy,
  sed: inPlace,
  perl: inPlace,
  tar,
  unzip: (_name, args, scope, ctx) => checkPath(option(args, '-d', null) ?? '.', 'unzip', scope, ctx),
  zip: (name, args, scope, ctx) => {
    const pos = positionals(args)
    if (pos[0]) checkPath(pos[0], name, scope, ctx)
  },
  split: (name, args, scope, ctx) => {
    const pos = positionals(args)
    if (pos[0]) checkPath(pos[1] ?? 'x', name, scope, ctx)
  },
  sort: (_name, args, scope, ctx) => {
    const o = option(args, '-o', '--output')
    if (o) checkPath(o, 'sort -o', scope, ctx)
  },
  ...Object.fromEntries(COMPRESSORS.map((n) => [n, compressor])),
  find,
  // logs through syslog, writes nothing of the host's files
  logger: () => undefined,
}
