// parse(text) → Runbook: markdown-it's token stream decides what is a fence (CommonMark rules),
// front matter is validated with line numbers, and every step gets an id and its prose.
import { createHash } from 'node:crypto'
import path from 'node:path'
import markdownIt, { type MarkdownIt, type Token } from 'markdown-it'
import { parseInfo } from './attributes.js'
import { judgedShell } from './runme.js'
import { parseFrontMatter, splitFrontMatter } from './frontmatter.js'
import { slugify } from './slug.js'
import { msg } from '../terminal/messages/index.js'
import type {
  ChecklistItem,
  Diagnostic,
  DisplayBlock,
  Heading,
  Runbook,
  RunbookMeta,
  Segment,
  Step,
  StepAttributes,
  StepKind,
} from '../model/runbook.js'

export const STEP_KINDS: Record<string, StepKind> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  bash: 'shell',
  sh: 'shell',
  shell: 'shell',
  sql: 'sql',
  redis: 'redis',
}

let markdown: MarkdownIt | undefined
function markdownParser(): MarkdownIt {
  markdown ??= markdownIt('default', { html: true })
  return markdown
}

/** Strips a UTF-8 BOM and normalises CRLF and lone CR line endings to LF. */
export function normaliseText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

export function parseRunbook(raw: string | Buffer, file: string): Runbook {
  const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const source = normaliseText(typeof raw === 'string' ? raw : raw.toString('utf8'))
  const split = splitFrontMatter(source)
  const fallbackId = path.basename(file).replace(/\.(md|markdown)$/i, '')
  const { meta, diagnostics } = parseFrontMatter(split, file, fallbackId)

  const body = source.slice(split.bodyOffset)
  const bodyLines = body.split('\n')
  const tokens = markdownParser().parse(body, {})
  const toFileLine = (bodyIndex: number) => split.bodyLine + bodyIndex

  const headings: Heading[] = []
  const steps: Step[] = []
  const displays: DisplayBlock[] = []
  const checklist: ChecklistItem[] = []
  const segments: Segment[] = []
  let currentTitle = ''
  // Body line index just past the last heading or block: prose runs from here to the next one.
  let proseStart = 0

  const takeProse = (until: number): string => {
    const text = bodyLines.slice(proseStart, until).join('\n').trim()
    if (text) segments.push({ type: 'prose', markdown: text, line: toFileLine(firstNonBlank(bodyLines, proseStart)) })
    return text
  }

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    const map = token.map
    if (token.type === 'heading_open' && map) {
      takeProse(map[0])
      const heading: Heading = {
        level: Number(token.tag.slice(1)),
        text: inlineText(tokens[i + 1]),
        line: toFileLine(map[0]),
      }
      headings.push(heading)
      segments.push({ type: 'heading', heading })
      currentTitle = heading.text
      proseStart = map[1]
    } else if ((token.type === 'fence' || token.type === 'code_block') && map) {
      const prose = takeProse(map[0])
      const info = token.type === 'fence' ? parseInfo(token.info) : { language: '', attrs: {}, problems: [], warnings: [] }
      const kind = STEP_KINDS[info.language]
      const line = toFileLine(map[0])
      const endLine = toFileLine(map[1])
      if (kind) {
        for (const problem of info.problems) {
          diagnostics.push({ file, line, severity: 'error', rule: 'attributes', message: problem })
        }
        for (const w of info.warnings) diagnostics.push({ file, line, severity: 'warning', ...w })
        const attrs = withDocumentDefaults(info.attrs, kind, meta.runme)
        const shell = interpreterOf(attrs.interpreter, kind, (message) =>
          diagnostics.push({ file, line, severity: 'error', rule: 'interpreter', message }),
        )
        const step: Step = {
          index: steps.length,
          id: info.attrs.id ?? '',
          idExplicit: info.attrs.id !== undefined,
          title: currentTitle,
          // The executor picks bash or sh by the language: an interpreter decides it.
          language: shell ?? info.language,
          kind,
          code: token.content,
          line,
          codeLine: line + 1,
          endLine,
          attrs,
          prose,
        }
        steps.push(step)
        segments.push({ type: 'step', step })
      } else {
        const block: DisplayBlock = { language: info.language, code: token.content, line, endLine }
        displays.push(block)
        segments.push({ type: 'display', block })
      }
      proseStart = map[1]
    } else if (token.type === 'inline' && map && tokens[i - 1]?.type === 'paragraph_open' && tokens[i - 2]?.type === 'list_item_open') {
      const task = /^\[([ xX])\]\s+([\s\S]*)$/.exec(token.content)
      if (task) checklist.push({ text: task[2]!.trim(), checked: task[1] !== ' ', line: toFileLine(map[0]) })
    }
  }
  takeProse(bodyLines.length)

  assignIds(steps, file, diagnostics)
  const title = meta.title || headings.find((h) => h.level === 1)?.text || meta.id
  return {
    path: file,
    source,
    sha256,
    meta: { ...meta, title },
    bodyLine: split.bodyLine,
    headings,
    steps,
    displays,
    checklist,
    segments,
    diagnostics,
  }
}

/** Runme's front-matter `cwd` and `shell` are each step's defaults; a cell's own value wins. */
function withDocumentDefaults(attrs: StepAttributes, kind: StepKind, doc: RunbookMeta['runme']): StepAttributes {
  const out = { ...attrs }
  if (doc?.cwd !== undefined && out.cwd === undefined) out.cwd = doc.cwd
  if (doc?.shell !== undefined && kind === 'shell' && out.interpreter === undefined) out.interpreter = doc.shell
  return out
}

/** The shell an interpreter names; one the judge cannot judge is an error (fail closed: never run
 * code whose meaning the judge did not see). */
function interpreterOf(interpreter: string | undefined, kind: StepKind, fail: (message: string) => void): 'bash' | 'sh' | undefined {
  if (interpreter === undefined) return undefined
  if (kind !== 'shell') {
    fail(msg.parse.interpreterNotShell(interpreter))
    return undefined
  }
  const shell = judgedShell(interpreter)
  if (shell === undefined) fail(msg.parse.unknownInterpreter(interpreter))
  return shell
}

function firstNonBlank(lines: string[], from: number): number {
  let i = from
  while (i < lines.length && lines[i]!.trim() === '') i++
  return i
}

function inlineText(token: Token | undefined): string {
  if (!token) return ''
  if (!token.children) return token.content
  return token.children
    .filter((c) => c.type === 'text' || c.type === 'code_inline')
    .map((c) => c.content)
    .join('')
    .trim()
}

/** Explicit ids must be unique; derived ones take `-2`, `-3` … to stay unique. */
function assignIds(steps: Step[], file: string, diagnostics: Diagnostic[]): void {
  const taken = new Map<string, Step>()
  for (const step of steps.filter((s) => s.idExplicit)) {
    const first = taken.get(step.id)
    if (first) {
      diagnostics.push({
        file,
        line: step.line,
        severity: 'error',
        rule: 'duplicate-id',
        message: msg.parse.duplicateId(step.id, first.line),
      })
    } else taken.set(step.id, step)
  }
  for (const step of steps.filter((s) => !s.idExplicit)) {
    const base = slugify(step.title) || 'step'
    let id = base
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
    step.id = id
    taken.set(id, step)
  }
}
