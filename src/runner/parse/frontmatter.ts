// Front matter: split off the `---` block, parse it as YAML keeping positions, and validate it
// against the schema of docs/runbook-format.md so that every problem names its line.
//
// The split is gray-matter's rule (a first line of `---`, a closing `---` or `...`); gray-matter
// itself parses with js-yaml, which throws positions away, so the YAML is parsed here with `yaml`.
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document, type Node } from 'yaml'
import { z } from 'zod'
import { parseDuration } from './duration.js'
import { cronProblem, isCalendarDate } from './cron.js'
import { readTomlFrontMatter, jsonProblem } from './frontmatter-format.js'
import { misspeltOf, RUNME_NO_MEANING_KEYS } from './runme.js'
import { msg } from '../terminal/messages/index.js'
import type { Diagnostic, EnvSpec, InputSpec, RunbookMeta, Schedule } from '../model/runbook.js'

export const SCHEDULES = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'on-demand', 'incident'] as const

const scalar = z.union([z.string(), z.number(), z.boolean()])
// Messages are functions so they are read in the language active when a runbook is parsed.
// A day of the calendar: the shape alone let 2025-02-30 and 2099-99-99 through.
const isoDate = z.string().superRefine((s, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) ctx.addIssue({ code: 'custom', message: msg.parse.expectedDate, input: s })
  else if (!isCalendarDate(s)) ctx.addIssue({ code: 'custom', message: msg.parse.notCalendarDate(s), input: s })
})
const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: () => msg.parse.expectedVarName })

const envSpecSchema = z.union([
  scalar,
  z.strictObject({
    default: scalar.optional(),
    required: z.boolean().optional(),
    secret: z.boolean().optional(),
    description: z.string().optional(),
  }),
])

const inputSpecSchema = z.strictObject({
  type: z.enum(['string', 'number', 'choice', 'file']).optional(),
  choices: z.array(scalar).optional(),
  default: scalar.optional(),
  description: z.string().optional(),
})

// Parsed by croner, limited to what crontab runs: `runbook cron` must never print a line cron rejects.
const cronSchema = z.string().superRefine((s, ctx) => {
  const problem = cronProblem(s)
  if (!problem) return
  const message =
    problem.kind === 'shape'
      ? msg.parse.expectedCron
      : problem.kind === 'extension'
        ? msg.parse.cronExtension(problem.token)
        : problem.kind === 'never'
          ? msg.parse.cronNever
          : msg.parse.cronInvalid(problem.reason)
  ctx.addIssue({ code: 'custom', message, input: s })
})

export const frontMatterSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u, { error: () => msg.parse.expectedId })
    .optional(),
  title: z.string().optional(),
  owner: z.string().optional(),
  schedule: z.enum(SCHEDULES).optional(),
  cron: cronSchema.optional(),
  review: z.strictObject({ last: isoDate.optional(), next: isoDate.optional() }).optional(),
  tags: z.array(z.string()).optional(),
  env: z.record(varName, envSpecSchema).optional(),
  inputs: z.record(varName, inputSpecSchema).optional(),
  requires: z.array(z.string()).optional(),
  defaults: z
    .strictObject({
      timeout: z.string().refine((s) => parseDuration(s) !== undefined, {
        error: () => msg.parse.expectedDuration,
      }),
    })
    .optional(),
  exclusive: z.boolean().optional(),
  approvals: z.number().int().min(1).max(10).optional(),
  // The document a runbook was derived from, with that document's own review dates: a runbook
  // can be freshly reviewed while its source is long overdue, and both must be visible.
  source: z
    .strictObject({
      guide: z.string().min(1),
      section: z.string().min(1).optional(),
      reviewed: isoDate.optional(),
      next: isoDate.optional(),
    })
    .optional(),
  // Runme's keys (docs/runbook-format.md): `shell` and `cwd` are each step's defaults; the rest
  // are accepted so a document written for Runme plans unchanged.
  runme: z.looseObject({ id: z.string().optional(), version: z.string().optional() }).optional(),
  shell: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  skipPrompts: z.boolean().optional(),
  category: z.union([z.string(), z.array(z.string())]).optional(),
  terminalRows: z.number().int().positive().optional(),
})

type FrontMatter = z.infer<typeof frontMatterSchema>

export interface FrontMatterSplit {
  /** The front matter's text between the delimiters ('' when there is none), whatever its format. */
  yaml: string
  /** `---` holds YAML, or JSON when it starts with `{`; `+++` holds TOML (as Runme reads them). */
  format: 'yaml' | 'json' | 'toml'
  /** 1-based file line of the text's first line. */
  yamlLine: number
  /** Character offset where the body starts. */
  bodyOffset: number
  /** 1-based file line where the body starts. */
  bodyLine: number
  present: boolean
}

const NONE: FrontMatterSplit = { yaml: '', format: 'yaml', yamlLine: 1, bodyOffset: 0, bodyLine: 1, present: false }
const DELIMITERS = [
  { open: /^---[ \t]*\n/, close: /^(?:---|\.\.\.)[ \t]*$/m, format: 'yaml' as const },
  { open: /^\+\+\+[ \t]*\n/, close: /^\+\+\+[ \t]*$/m, format: 'toml' as const },
]

export function splitFrontMatter(source: string): FrontMatterSplit {
  const delimiter = DELIMITERS.find((d) => d.open.test(source))
  if (!delimiter) return NONE
  const start = source.indexOf('\n') + 1
  const rest = source.slice(start)
  const close = delimiter.close.exec(rest)
  // Without a closing delimiter it is a thematic break, not front matter (gray-matter agrees).
  if (!close) return NONE
  const text = rest.slice(0, close.index)
  const afterClose = start + close.index + close[0].length
  const bodyOffset = source[afterClose] === '\n' ? afterClose + 1 : afterClose
  const bodyLine = countLines(source.slice(0, bodyOffset)) + 1
  const format = delimiter.format === 'yaml' && text.trimStart().startsWith('{') ? 'json' : delimiter.format
  return { yaml: text, format, yamlLine: 2, bodyOffset, bodyLine, present: true }
}

function countLines(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return n
}

export interface ParsedFrontMatter {
  meta: RunbookMeta
  diagnostics: Diagnostic[]
}

/** Parses and validates front matter; problems become diagnostics, never exceptions. */
export function parseFrontMatter(split: FrontMatterSplit, file: string, fallbackId: string): ParsedFrontMatter {
  const diagnostics: Diagnostic[] = []
  const error = (line: number, rule: string, message: string) =>
    diagnostics.push({ file, line, severity: 'error', rule, message })

  let data: FrontMatter = {}
  if (split.present && split.yaml.trim() !== '') {
    if (split.format === 'toml') {
      const toml = readTomlFrontMatter(split.yaml, split.yamlLine)
      if ('problem' in toml) error(toml.problem.line, 'front-matter-toml', msg.parse.invalidToml(toml.problem.message))
      else data = validate(toml.data, (path, issue) => tomlLocations(toml.keyLine, path, issue), diagnostics, file)
      return { meta: toMeta(data, fallbackId), diagnostics }
    }
    const lineCounter = new LineCounter()
    // An error at the very end (an unclosed bracket or quote) belongs to the last line, not
    // to the closing `---`.
    const lastOffset = Math.max(0, split.yaml.trimEnd().length - 1)
    const toFileLine = (offset: number) => lineCounter.linePos(Math.min(offset, lastOffset)).line + split.yamlLine - 1
    // JSON is read as YAML (a superset) to keep positions, after JSON's own stricter rules passed.
    const json = split.format === 'json' ? jsonProblem(split.yaml) : undefined
    const doc = parseDocument(split.yaml, { lineCounter, prettyErrors: false, uniqueKeys: true })
    if (json) {
      error(toFileLine(json.offset), 'front-matter-json', msg.parse.invalidJson(json.message))
    } else if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        error(toFileLine(e.pos[0]), 'front-matter-yaml', msg.parse.invalidYaml(firstLine(e.message)))
      }
    } else if (doc.contents === null) {
      // Only comments: as good as empty.
    } else if (!isMap(doc.contents)) {
      const offset = doc.contents?.range?.[0] ?? 0
      error(toFileLine(offset), 'front-matter-shape', msg.parse.notMapping)
    } else {
      // Aliases are resolved only here: an alias without its anchor (`id: *x`) throws.
      let raw: unknown
      try {
        raw = doc.toJS({ maxAliasCount: 100 })
      } catch (e) {
        error(toFileLine(0), 'front-matter-yaml', msg.parse.invalidYaml(firstLine((e as Error).message)))
        return { meta: toMeta(data, fallbackId), diagnostics }
      }
      const locate = (path: (string | number)[], issue: Issue) =>
        issueLocations(doc, path, issue).map(({ key, offset }) => ({ key, line: toFileLine(offset) }))
      data = validate(raw, locate, diagnostics, file)
    }
  }

  return { meta: toMeta(data, fallbackId), diagnostics }
}

type Locate = (path: (string | number)[], issue: Issue) => { key?: string; line: number }[]

/** Checks the data against the schema; what is invalid becomes a diagnostic at its line and what
 * is valid is kept, so later stages still see the id, env and inputs. */
function validate(raw: unknown, locate: Locate, diagnostics: Diagnostic[], file: string): FrontMatter {
  const report = (line: number, severity: Diagnostic['severity'], rule: string, message: string) =>
    diagnostics.push({ file, line, severity, rule, message })
  const topLine = (key: string) => locate([], { code: 'unrecognized_keys', keys: [key], path: [], message: '', input: undefined })[0]?.line ?? 1
  const present = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
  for (const key of RUNME_NO_MEANING_KEYS) {
    if (key in present) report(topLine(key), 'warning', 'runme-no-meaning', msg.parse.noMeaningHere(key))
  }
  if ('skipPrompts' in present) report(topLine('skipPrompts'), 'warning', 'runme-no-meaning', msg.parse.skipPromptsIgnored)
  // The input is reported so a wrong type can say what it received.
  const result = frontMatterSchema.safeParse(raw, { reportInput: true })
  if (result.success) return result.data
  for (const issue of flattenUnions(result.error.issues)) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    for (const { key, line } of locate(path, issue)) {
      const where = [...path, ...(key === undefined ? [] : [key])].join('.')
      // An unknown top-level key is another tool's (a warning), unless it looks like one of ours
      // misspelt: ignoring `aprovals: 2` would drop a safety rule.
      if (issue.code === 'unrecognized_keys' && path.length === 0 && key !== undefined) {
        const near = misspeltOf(key, TOP_KEYS)
        if (near !== undefined) report(line, 'error', 'front-matter-schema', msg.parse.looksMisspelt(key, near))
        else report(line, 'warning', 'unknown-key', msg.parse.unknownTopKeyWarning(key))
      } else report(line, 'error', 'front-matter-schema', describeIssue(where, issue, key))
    }
  }
  return salvage(raw)
}

/** TOML has no positions after parsing: a key is found by its line (`key =` or `[table]`). */
function tomlLocations(keyLine: (path: string[]) => number, path: (string | number)[], issue: Issue): { key?: string; line: number }[] {
  const names = path.filter((p): p is string => typeof p === 'string')
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ key, line: keyLine([...names, key]) }))
  return [{ line: keyLine(names) }]
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

type Issue = z.core.$ZodIssue

/** zod reports a failed union (an env var is a value or a mapping) as one vague "Invalid input";
 * report the problems of the branch the value's shape chose instead, or the types expected. */
function flattenUnions(issues: readonly Issue[], prefix: PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path]
    if (issue.code !== 'invalid_union') return [{ ...issue, path }]
    const branch = issue.errors.find((b) => !b.some(wrongShape))
    if (branch) return flattenUnions(branch, path)
    const expected = [...new Set(issue.errors.flat().flatMap(expectedTypes))]
    return [{ ...issue, path, message: expected.length ? msg.parse.expectedTypes(expected) : issue.message }]
  })
}

/** A branch failed on the value's type itself, not on something inside it. */
function wrongShape(issue: Issue): boolean {
  if (issue.path.length > 0) return false
  return issue.code === 'invalid_type' || (issue.code === 'invalid_union' && issue.errors.every((b) => b.some(wrongShape)))
}

function expectedTypes(issue: Issue): string[] {
  if (issue.code === 'invalid_type') return [issue.expected]
  if (issue.code === 'invalid_union') return issue.errors.flat().flatMap(expectedTypes)
  return []
}

function issueLocations(doc: Document, path: (string | number)[], issue: Issue): { key?: string; offset: number }[] {
  if (issue.code === 'unrecognized_keys') {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path, true)
    return issue.keys.map((key) => ({ key, offset: keyOffset(parent, key) ?? nodeOffset(parent) }))
  }
  // Walk down as far as the path exists; a missing key is reported at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const sub = path.slice(0, depth)
    if (depth > 0) {
      const parent = depth === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true)
      const key = sub[sub.length - 1]
      const valueNode = doc.getIn(sub, true) as Node | undefined
      if (valueNode && valueNode.range) return [{ offset: valueNode.range[0] }]
      const at = typeof key === 'string' ? keyOffset(parent, key) : undefined
      if (at !== undefined) return [{ offset: at }]
    } else return [{ offset: nodeOffset(doc.contents) }]
  }
  return [{ offset: 0 }]
}

function keyOffset(parent: unknown, key: string): number | undefined {
  if (!isMap(parent)) return undefined
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key.range?.[0]
  }
  return undefined
}

function nodeOffset(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range?.[0] ?? 0
}

const TOP_KEYS = Object.keys(frontMatterSchema.shape)
const KNOWN_KEYS = TOP_KEYS.join(', ')

function describeIssue(where: string, issue: Issue, key: string | undefined): string {
  if (issue.code === 'unrecognized_keys') {
    const top = !where.includes('.')
    return top ? msg.parse.unknownTopKey(key ?? '', KNOWN_KEYS) : msg.parse.unknownKey(where)
  }
  if (issue.code === 'invalid_key') {
    return msg.parse.badName(where, issue.issues[0]?.message ?? issue.message)
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `${where}: ${msg.parse.expectedOneOf(issue.values.map(String))}`
  }
  return `${where || msg.parse.frontMatter}: ${issueText(issue)}`
}

/** zod's own texts are English; the issues a front matter can have are said in the catalogue's words. */
function issueText(issue: Issue): string {
  if (issue.code === 'invalid_type') return msg.parse.wrongType(issue.expected, typeOf(issue.input))
  if (issue.code === 'too_small') return msg.parse.belowMinimum(String(issue.minimum), issue.inclusive !== false)
  if (issue.code === 'too_big') return msg.parse.aboveMaximum(String(issue.maximum), issue.inclusive !== false)
  return issue.message
}

/** A value's type in zod's words (`array`, `null`, …). */
function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan'
  return typeof value
}

/** Keeps each top-level key that is valid on its own, so one bad key does not hide the rest. */
function salvage(raw: unknown): FrontMatter {
  if (!raw || typeof raw !== 'object') return {}
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    const field = (frontMatterSchema.shape as Record<string, z.ZodType>)[key]
    if (field?.safeParse(value).success) out[key] = value
  }
  return out as FrontMatter
}

function toMeta(data: FrontMatter, fallbackId: string): RunbookMeta {
  const env: EnvSpec[] = Object.entries(data.env ?? {}).map(([name, spec]) =>
    typeof spec === 'object'
      ? {
          name,
          default: spec.default === undefined ? undefined : String(spec.default),
          required: spec.required ?? false,
          secret: spec.secret ?? false,
          description: spec.description,
        }
      : { name, default: String(spec), required: false, secret: false },
  )
  const inputs: InputSpec[] = Object.entries(data.inputs ?? {}).map(([name, spec]) => ({
    name,
    type: spec.type ?? (spec.choices ? 'choice' : 'string'),
    choices: spec.choices?.map(String),
    default: spec.default === undefined ? undefined : String(spec.default),
    description: spec.description,
  }))
  return {
    id: data.id ?? fallbackId,
    title: data.title ?? '',
    owner: data.owner,
    schedule: data.schedule as Schedule | undefined,
    cron: data.cron,
    review: data.review,
    tags: data.tags ?? [],
    env,
    inputs,
    requires: data.requires ?? [],
    defaults: { timeoutMs: data.defaults ? parseDuration(data.defaults.timeout) : undefined },
    exclusive: data.exclusive ?? false,
    approvals: data.approvals ?? 1,
    ...(data.source ? { source: data.source } : {}),
    ...(data.shell !== undefined || data.cwd !== undefined ? { runme: { shell: data.shell, cwd: data.cwd } } : {}),
  }
}
