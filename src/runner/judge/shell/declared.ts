// A step's declared `writes=` paths as the shell judge uses them: a write whose target is a path
// inside one of them is proven (like a write into the scratch folder), the rest stays unproven.
// Pure and lexical: the judge compares path templates (words.ts `pathTemplate`), never values, so
// it needs no env. `$BACKUP_DIR/x.sql` in the code is inside `writes=$BACKUP_DIR` whatever the
// value, because the runner resolves both from the same env (guard/writes.ts refuses a declared
// path that is unset, empty, `/`, a system root or the reports folder before the step starts).
//
// Strict on purpose:
// - a target's path must be literal text plus double-quoted `"$NAME"` parts; `$(…)`, globs,
//   unquoted expansions, `${X:-…}` and a leading `~` leave it unproven; so does any `..` segment,
//   and a variable in the part after the declared path (its value could hold `/../`);
// - a declared path counts only when it is absolute or starts with `$NAME` (`writes=backups`
//   is relative to a cwd the judge does not know);
// - a declared variable the script could change (assigned, read, unset, declared — any use of
//   its name that is not `$NAME` / `${NAME…}`, or an arithmetic assignment through an expansion)
//   gives no proof; neither does a script that changes directory (cd/pushd/popd) when a declared
//   variable's value might be relative.
// Overwriting an existing file inside a declared path is part of what was declared. Symlinks are
// not followed (the judge reads code, not the disk): one planted inside a declared folder is for
// the OS guard to hold, which binds only the declared folders' real paths.
import type { Ctx } from './rule.js'
import { VAR_CLOSE, VAR_OPEN, type Word } from './words.js'

export interface DeclaredWrites {
  /** The usable declared paths, as normalised templates. */
  paths: string[]
}

const VAR_RE = new RegExp(`${VAR_OPEN}([A-Za-z_][A-Za-z0-9_]*)${VAR_CLOSE}`, 'g')

/** `//` collapsed, `/./` removed, no trailing `/`. */
function normalise(p: string): string {
  let s = p.replace(/\/{2,}/g, '/').replace(/\/\.(?=\/|$)/g, '')
  if (s.length > 1) s = s.replace(/\/$/, '')
  return s
}

const hasDotDot = (p: string): boolean => /(^|\/)\.\.(\/|$)/.test(p)

/** A writes= entry (`$NAME`, `${NAME}`, literal text) as a template; undefined when not usable. */
function entryTemplate(entry: string): string | undefined {
  let bad = false
  const t = entry.trim().replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced?: string, bare?: string) => `${VAR_OPEN}${braced ?? bare}${VAR_CLOSE}`)
  if (/[$`*?[\]{}~\\]/.test(t)) bad = true
  const p = normalise(t)
  if (bad || hasDotDot(p) || !(p.startsWith('/') || p.startsWith(VAR_OPEN)) || p === '/') return undefined
  return p
}

const varsOf = (template: string): string[] => [...template.matchAll(VAR_RE)].map((m) => m[1]!)

/** Whether the script may change `name`: any use of it that is not an expansion. */
function touched(code: string, name: string): boolean {
  const re = new RegExp(`(^|[^A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, 'g')
  for (const m of code.matchAll(re)) {
    const at = m.index + m[1]!.length
    const before = code.slice(Math.max(0, at - 3), at)
    if (!/(\$|\$\{|\$\{[!#])$/.test(before)) return true
  }
  return false
}

/** `(( $n = 1 ))`, `let "$n+=1"`, `(( $n++ ))`: assigns the variable whose name is in n. */
const DYNAMIC_ASSIGNMENT = /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?["']?\s*(([-+*/%&|^]|<<|>>)?=(?!=)|\+\+|--)/
const CHANGES_DIRECTORY = /(^|[^A-Za-z0-9_-])(cd|pushd|popd)(?![A-Za-z0-9_-])/

/** The declared paths the judge may use for `code`; undefined when none is usable. */
export function declaredWrites(entries: readonly string[] | undefined, code: string): DeclaredWrites | undefined {
  if (!entries?.length) return undefined
  const dynamic = DYNAMIC_ASSIGNMENT.test(code)
  const movesAround = CHANGES_DIRECTORY.test(code)
  const paths: string[] = []
  for (const entry of entries) {
    const template = entryTemplate(entry)
    if (template === undefined) continue
    const vars = varsOf(template)
    if (vars.length > 0 && (dynamic || movesAround || vars.some((v) => touched(code, v)))) continue
    if (!paths.includes(template)) paths.push(template)
  }
  return paths.length > 0 ? { paths } : undefined
}

/**
 * Whether `w` names a path inside a declared one. `root`: the declared path itself counts too
 * (mkdir -p "$BACKUP_DIR"); otherwise only paths strictly below it (a file written there).
 */
export function insideDeclared(ctx: Ctx, w: Word | undefined, root = false): boolean {
  const declared = ctx.writes?.paths
  if (!declared || w?.path === undefined) return false
  const target = normalise(w.path)
  if (hasDotDot(target)) return false
  return declared.some((d) => {
    if (target === d) return root
    if (!target.startsWith(`${d}/`)) return false
    // After the declared path: literal text only (a variable there could hold `/../`).
    return !target.slice(d.length).includes(VAR_OPEN)
  })
}
