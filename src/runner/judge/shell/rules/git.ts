// Rules for version control: git commands that change the working tree, history, refs,
// remotes or settings (reads and clones do not).
import { has, parseOptions, type Parsed } from '../options.js'
import type { H, Rule, ShellPhrase } from '../rule.js'

const GIT_READ = new Set([
  'status', 'log', 'diff', 'show', 'fetch', 'blame', 'grep', 'ls-files', 'ls-tree', 'ls-remote', 'rev-parse', 'rev-list',
  'describe', 'shortlog', 'cat-file', 'show-ref', 'for-each-ref', 'whatchanged', 'version', 'help', 'cherry', 'count-objects',
  'fsck', 'verify-commit', 'verify-tag', 'check-ignore', 'check-attr', 'name-rev', 'merge-base', 'diff-tree', 'diff-files',
  'diff-index', 'archive', 'format-patch', 'show-branch', 'var', 'clone', 'init', 'bundle', 'range-diff',
])

/** What a git verb does; others change the repository. */
const GIT_VERBS: Record<string, ShellPhrase> = {
  checkout: 'switchesOrOverwritesTree',
  switch: 'switchesTree',
  reset: 'resetsTree',
  clean: 'deletesUntracked',
  restore: 'overwritesTreeFiles',
  pull: 'pullsTree',
  merge: 'changesTreeAndHistory',
  rebase: 'rewritesHistory',
  'cherry-pick': 'changesTreeAndHistory',
  revert: 'changesTreeAndHistory',
  commit: 'changesHistory',
  push: 'changesRemote',
  rm: 'deletesFiles',
  mv: 'movesFiles',
  stash: 'changesTree',
  gc: 'prunesObjects',
  prune: 'prunesObjects',
  'filter-branch': 'rewritesHistory',
  'filter-repo': 'rewritesHistory',
  am: 'changesTreeAndHistory',
  apply: 'changesTree',
}

/** Verbs whose options or subcommands decide: 'done' when judged here, 'verb' to judge by the verb. */
function judgeSubcommand(h: H, v: string, sub: Parsed): 'done' | 'verb' {
  const subVerb = sub.positionals[0]?.value
  switch (v) {
    case 'branch':
      if (has(sub, 'd', 'D', 'delete', 'm', 'M', 'move', 'f', 'force', 'c', 'C', 'copy', 'u', 'set-upstream-to', 'unset-upstream')) h.says('git branch', 'changesBranches')
      return 'done'
    case 'tag':
      if (has(sub, 'd', 'delete', 'f', 'force')) h.says('git tag', 'changesTags')
      return 'done'
    case 'remote':
      if (subVerb && !['show', 'get-url', '-v'].includes(subVerb)) h.says(`git remote ${subVerb}`, 'changesRemotes')
      return 'done'
    case 'config':
      if (has(sub, 'unset', 'unset-all', 'add', 'replace-all', 'rename-section', 'remove-section', 'e', 'edit') || (sub.positionals.length >= 2 && !has(sub, 'get', 'get-all', 'get-regexp', 'l', 'list')))
        h.says('git config', 'changesSettings')
      return 'done'
    case 'stash':
      return subVerb === 'list' || subVerb === 'show' ? 'done' : 'verb'
    case 'reflog':
    case 'worktree':
    case 'submodule':
    case 'notes':
    case 'lfs':
      if (subVerb && !['show', 'list', 'status', 'summary', 'exists', 'ls-files', 'env', 'version'].includes(subVerb)) h.says(`git ${v} ${subVerb}`, 'changesRepository')
      return 'done'
    case 'clean':
      return has(sub, 'n', 'dry-run') ? 'done' : 'verb'
    case 'apply':
      return has(sub, 'check', 'stat', 'numstat', 'summary') ? 'done' : 'verb'
    case 'push':
      if (has(sub, 'f', 'force', 'force-with-lease', 'force-if-includes') || sub.positionals.some((w) => w.value.startsWith('+'))) {
        h.says('git push --force', 'overwritesRemoteHistory')
        return 'done'
      }
      return has(sub, 'n', 'dry-run') ? 'done' : 'verb'
  }
  return 'verb'
}

const git: Rule = (h) => {
  const p = parseOptions(h.args, { short: 'Cc', long: ['git-dir', 'work-tree', 'namespace', 'exec-path', 'config-env', 'super-prefix'], stopAtPositional: true })
  const [verb, ...rest] = p.positionals
  if (!verb?.literal || GIT_READ.has(verb.value)) return
  const v = verb.value
  const sub = parseOptions(rest, { short: 'mFC', long: ['message', 'file'] })
  if (judgeSubcommand(h, v, sub) === 'verb') h.says(`git ${v}`, GIT_VERBS[v] ?? 'changesRepository')
}

export const GIT: Record<string, Rule> = { git }
