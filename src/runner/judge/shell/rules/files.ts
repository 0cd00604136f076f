// Rules for files, disks and volumes: deleting, overwriting, editing in place, writing into
// system paths, formatting and partitioning.
import { has, parseOptions, values } from '../options.js'
import { isSystemPath } from '../paths.js'
import { always, isHelp, says, type Rule } from '../rule.js'
import { show, type Word } from '../words.js'

const find: Rule = async (h) => {
  const args = h.args
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value
    if (v === '-delete') h.says('find -delete', 'deletesFiles')
    else if (['-exec', '-execdir', '-ok', '-okdir'].includes(v)) {
      const inner: Word[] = []
      for (i++; i < args.length && args[i]!.value !== ';' && args[i]!.value !== '+'; i++) inner.push(args[i]!)
      await h.run(inner, {}, `${h.ctx.prefix}find ${v}: `)
    }
  }
}

/** mkfs, mkfs.ext4, mke2fs, mkswap (matched by pattern in the rule list). */
export const mkfs: Rule = (h) => h.says(h.name, 'formatsDevice')

const partition: Rule = (h) => {
  const p = parseOptions(h.args, {})
  if (has(p, 'l', 'list')) return
  if (h.name === 'parted' && h.args.some((a) => a.value === 'print')) return
  h.says(h.name, 'changesPartitions')
}

const dd: Rule = (h) => {
  if (!isHelp(h)) h.says('dd', h.args.some((a) => a.value.startsWith('of=')) ? 'writesRawDataToDevice' : 'writesRawData')
}

const tar: Rule = (h) => {
  if (h.args.some((a) => a.value === '--remove-files')) h.says('tar --remove-files', 'deletesArchivedFiles')
}

const sed: Rule = (h) => {
  for (const a of h.args) {
    if (!a.literal || !a.value.startsWith('-') || a.value.startsWith('--')) {
      if (a.value === '--in-place' || a.value.startsWith('--in-place=')) return h.says(`${h.name} -i`, 'editsInPlace')
      continue
    }
    for (const c of a.value.slice(1)) {
      if (c === 'i') return h.says(`${h.name} -i`, 'editsInPlace')
      if ('efl'.includes(c)) break
    }
  }
}

const perl: Rule = (h) => {
  if (h.args.some((a) => a.literal && /^-[a-zA-Z]*i/.test(a.value) && !a.value.startsWith('--'))) h.says('perl -i', 'editsInPlace')
}

const tee: Rule = (h) => {
  const p = parseOptions(h.args, {})
  const target = p.positionals.find((w) => isSystemPath(w.value))
  if (target) h.flag(says().writesSystemPathAt('tee', show(target.value)))
}

/** cp/mv/install/ln: the destination (and for mv the sources) in a system path. */
const copyLike: Rule = (h) => {
  const p = parseOptions(h.args, { short: h.name === 'install' ? 'tmogS' : 'tS', long: ['target-directory', 'suffix', 'mode', 'owner', 'group'] })
  const targets = values(p, 't', 'target-directory').filter((v): v is string => v !== null)
  const pos = p.positionals.map((w) => w.value)
  if (targets.length === 0 && pos.length >= 2) targets.push(pos[pos.length - 1]!)
  if (h.name === 'install' && has(p, 'd', 'directory')) targets.push(...pos)
  if (h.name === 'mv') targets.push(...pos)
  const hit = targets.find(isSystemPath)
  if (hit) h.flag(h.name === 'mv' ? says().movesInSystemPath(h.name, show(hit)) : says().writesSystemPathAt(h.name, show(hit)))
}

const perms: Rule = (h) => {
  const p = parseOptions(h.args, { long: ['reference', 'from'] })
  const [, ...paths] = p.positionals
  const hit = (h.name === 'chattr' ? p.positionals : paths).find((w) => isSystemPath(w.value))
  if (hit) h.flag(says().permissionsInSystemPath(`${h.name}${has(p, 'R', 'recursive') ? ' -R' : ''}`, show(hit.value)))
}

const rsync: Rule = (h) => {
  const del = h.args.find((a) => /^--(delete|del$|remove-source-files)/.test(a.value))
  if (del) h.says(`rsync ${show(del.value.replace(/=.*/, ''))}`, 'deletesFiles')
}

const mount: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'tosLUTOp', long: ['types', 'options', 'source', 'target', 'priority'] })
  if (p.positionals.length > 0 || has(p, 'a', 'all')) h.says(h.name, 'changesMounts')
}

export const FILES: Record<string, Rule> = {
  rm: always('deletesFiles'), rmdir: always('deletesDirectories'), unlink: always('deletesFiles'),
  shred: always('destroysContents'), srm: always('deletesFiles'),
  find, truncate: always('changesFileSizes'), dd, tar, sed, perl, tee,
  cp: copyLike, mv: copyLike, install: copyLike, ln: copyLike,
  chmod: perms, chown: perms, chgrp: perms, chattr: perms, setfacl: perms,
  rsync,
  fdisk: partition, sfdisk: partition, gdisk: partition, sgdisk: partition, cfdisk: partition, parted: partition,
  wipefs: always('erasesSignatures'),
  lvremove: always('changesLogicalVolumes'), vgremove: always('changesVolumeGroups'), pvremove: always('changesPhysicalVolumes'),
  lvresize: always('changesLogicalVolumes'), lvreduce: always('changesLogicalVolumes'), lvextend: always('changesLogicalVolumes'),
  mount, umount: mount, swapoff: mount, swapon: mount,
}
