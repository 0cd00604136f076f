// Sign-offs: a statement that names the signer and the sha256 of every artefact, signed with the
// operator's SSH key, appended to the report's Markdown. Pure: building, rendering and finding
// sign-off blocks; the ssh-keygen calls live in ssh.ts.
//
// Each block covers exactly the Markdown bytes before it (`md_bytes`, `md_sha256`), so any edited
// byte above it, or anything inserted between blocks, fails verification. Blocks are found as
// top-level fences with the info string `runbook-signoff` (markdown-it decides), so a step that
// prints a fake sign-off, which the report always puts inside a longer fence, is never taken for
// one.
import { createHash } from 'node:crypto'
import markdownIt from 'markdown-it'
import { allMessages, msg, type Messages } from '../terminal/messages/index.js'

export const SIGNOFF_NAMESPACE = 'runbook-report@excelapp'
export const SIGNOFF_INFO = 'runbook-signoff'
const VERSION = 'runbook-report-signoff v1'

export interface SignoffStatement {
  report: string
  runId: string
  runbook: string
  status: string
  checklist: string
  signer: string
  principal: string
  signedAt: string
  comment: string
  mdBytes: number
  mdSha256: string
  jsonSha256: string
  logSha256: string
}

export interface Signoff {
  statement: SignoffStatement
  /** The exact statement text that was signed. */
  text: string
  signature: string
  /** 1-based line of the block's opening fence. */
  line: number
  /** 0-based index of the first line after the block's closing fence (markdown-it's map end). */
  endLine: number
}

const FIELDS: [keyof SignoffStatement, string][] = [
  ['report', 'report'],
  ['runId', 'run_id'],
  ['runbook', 'runbook'],
  ['status', 'status'],
  ['checklist', 'checklist'],
  ['signer', 'signer'],
  ['principal', 'principal'],
  ['signedAt', 'signed_at'],
  ['comment', 'comment'],
  ['mdBytes', 'md_bytes'],
  ['mdSha256', 'md_sha256'],
  ['jsonSha256', 'json_sha256'],
  ['logSha256', 'log_sha256'],
]

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

/** One line per field; values are single-line (newlines in a comment become spaces). */
export function statementText(s: SignoffStatement): string {
  const lines = FIELDS.map(([key, label]) => `${label}: ${String(s[key]).replace(/[\r\n]+/g, ' ')}`)
  return `${VERSION}\n${lines.join('\n')}\n`
}

export function parseStatement(text: string): SignoffStatement | undefined {
  const lines = text.split('\n')
  if (lines[0] !== VERSION) return undefined
  const values = new Map<string, string>()
  for (const line of lines.slice(1)) {
    const i = line.indexOf(': ')
    if (i > 0) values.set(line.slice(0, i), line.slice(i + 2))
  }
  const out: Record<string, string | number> = {}
  for (const [key, label] of FIELDS) {
    const v = values.get(label)
    if (v === undefined) return undefined
    out[key] = key === 'mdBytes' ? Number(v) : v
  }
  const statement = out as unknown as SignoffStatement
  return statementText(statement) === text ? statement : undefined
}

export function principalOf(operator: string): string {
  return /<([^<>\s]+@[^<>\s]+)>/.exec(operator)?.[1] ?? operator.trim()
}

/** The Markdown appended for one sign-off, in the words of `words` (the active language's by
 * default). Starts with a blank line so it never joins the text above. The status and the
 * checklist state are the statement's own values, as signed. */
export function renderSignoffBlock(statement: SignoffStatement, signature: string, words: Messages['sign'] = msg.sign): string {
  const text = statementText(statement)
  const body = `${text}\n${signature.trim()}\n`
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1))
  const plain = [
    statement.status !== 'passed' ? words.signedWithStatus(statement.status) : '',
    statement.checklist.startsWith('unfinished') ? words.checklistUnfinished(statement.checklist) : '',
  ]
    .filter(Boolean)
    .join(' ')
  return (
    `\n${words.blockHeading(escapeInline(statement.signer))}\n\n` +
    `${escapeInline(statement.signedAt)} · ${statement.comment ? escapeInline(statement.comment) : words.noComment}` +
    `${plain ? `\n\n${plain}` : ''}\n\n` +
    `${fence}${SIGNOFF_INFO}\n${body}${fence}\n`
  )
}

/** The bytes of a sign-off block as written, when they are its rendering in some language. */
function renderedAs(mdBytes: Buffer, at: number, statement: SignoffStatement, signature: string): Buffer | undefined {
  for (const words of Object.values(allMessages).map((m) => m.sign)) {
    const rendered = Buffer.from(renderSignoffBlock(statement, signature, words))
    if (mdBytes.subarray(at, at + rendered.length).equals(rendered)) return rendered
  }
  return undefined
}

/** The rendering of a block, in some language, that ends exactly at `end`. */
function renderedEndingAt(mdBytes: Buffer, end: number, statement: SignoffStatement, signature: string): Buffer | undefined {
  for (const words of Object.values(allMessages).map((m) => m.sign)) {
    const rendered = Buffer.from(renderSignoffBlock(statement, signature, words))
    if (end >= rendered.length && mdBytes.subarray(end - rendered.length, end).equals(rendered)) return rendered
  }
  return undefined
}

function longestBacktickRun(text: string): number {
  let best = 0
  for (const m of text.matchAll(/`+/g)) best = Math.max(best, m[0].length)
  return best
}

function escapeInline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|#~&$])/g, '\\$1')
}

/** The sign-off blocks of a report, in order, with their byte offsets. */
export function findSignoffs(md: string): { blocks: Signoff[]; problems: string[] } {
  const problems: string[] = []
  const blocks: Signoff[] = []
  const tokens = markdownIt('commonmark').parse(md, {})
  for (const token of tokens) {
    if (token.type !== 'fence' || token.level !== 0 || token.info.trim() !== SIGNOFF_INFO || !token.map) continue
    const [textPart, ...rest] = token.content.split('\n\n')
    const signature = rest.join('\n\n').trim()
    const statement = parseStatement(`${textPart}\n`)
    if (!statement || !signature.startsWith('-----BEGIN SSH SIGNATURE-----')) {
      const bad = statement ? (textPart ?? '').split('\n').length + 2 : firstBadStatementLine(textPart ?? '')
      problems.push(msg.sign.malformedBlock(token.map[0] + 1 + bad))
      continue
    }
    blocks.push({ statement, text: statementText(statement), signature: `${signature}\n`, line: token.map[0] + 1, endLine: token.map[1] })
  }
  return { blocks, problems }
}

/** 1-based line, within a block's content, of the first statement line that is not as a valid
 * statement would have it (the version line, a label out of order, a value that does not round-trip). */
function firstBadStatementLine(text: string): number {
  const lines = text.split('\n')
  if (lines[0] !== VERSION) return 1
  for (const [i, [key, label]] of FIELDS.entries()) {
    const line = lines[i + 1]
    if (line === undefined || !line.startsWith(`${label}: `)) return i + 2
    const value = line.slice(label.length + 2)
    if (key === 'mdBytes' && String(Number(value)) !== value) return i + 2
  }
  return FIELDS.length + 2
}

/** 1-based file line of a statement field inside a block (the line after the fence is the version). */
export function fieldLine(block: Signoff, key: keyof SignoffStatement): number {
  return block.line + 2 + FIELDS.findIndex(([k]) => k === key)
}

export interface ArtefactHashes {
  json: string
  log: string
  /** What the report itself says, for the statement fields that must agree with it. */
  facts?: Pick<SignoffStatement, 'runId' | 'runbook' | 'status' | 'checklist'>
  /** Blocks (0-based) whose signature fails with a key allowed for their principal: their signed
   * statement text was changed, so a line that disagrees with it names the statement's line. */
  restated?: ReadonlySet<number>
}

/**
 * Checks the structure of the sign-offs against the bytes of the Markdown: each block covers
 * exactly the bytes before it and is rendered exactly as `renderSignoffBlock` would (in any
 * language), blocks follow each other, and not one byte follows the last (not even whitespace:
 * `sign` appends a block that ends the file). Signatures are checked separately (ssh.ts).
 */
export function checkSignoffStructure(mdBytes: Buffer, blocks: Signoff[], hashes: ArtefactHashes): string[] {
  const problems: string[] = []
  const lineStarts = lineOffsets(mdBytes)
  let expectedStart: number | undefined
  for (const [i, block] of blocks.entries()) {
    const s = block.statement
    const who = msg.sign.who(i + 1, s.principal)
    // Where the block really ends: after its closing fence, as markdown-it found it.
    const end = lineStarts[block.endLine] ?? mdBytes.length
    if (s.mdBytes > mdBytes.length) {
      problems.push(msg.sign.coversTooMuch(who, s.mdBytes))
      expectedStart = end
      continue
    }
    if (expectedStart !== undefined && s.mdBytes !== expectedStart) problems.push(msg.sign.insertedBefore(who))
    if (sha256(mdBytes.subarray(0, s.mdBytes)) !== s.mdSha256) problems.push(msg.sign.markdownChanged(who))
    // The block as sign rendered it, where it claims to start, or where it ends when text above
    // it grew or shrank (the block itself is then intact; the hashes name the change).
    let rendered = renderedAs(mdBytes, s.mdBytes, s, block.signature)
    let start = s.mdBytes
    if (!rendered) {
      rendered = renderedEndingAt(mdBytes, end, s, block.signature)
      if (rendered) start = end - rendered.length
    }
    const fields = fieldProblems(block, who, hashes.facts)
    problems.push(...fields)
    // A statement value that disagrees with the report names its own line; otherwise the first
    // line that differs from the rendering.
    if (!rendered && fields.length === 0) problems.push(msg.sign.blockChanged(who, changedLine(mdBytes, s.mdBytes, end, block, hashes.restated?.has(i) ?? false)))
    if (s.jsonSha256 !== hashes.json) problems.push(msg.sign.jsonChanged(who))
    if (s.logSha256 !== hashes.log) problems.push(msg.sign.logChanged(who))
    expectedStart = rendered ? start + rendered.length : end
  }
  if (expectedStart !== undefined && expectedStart < mdBytes.length) {
    problems.push(msg.sign.addedAfter(lineAt(mdBytes, expectedStart), mdBytes.length - expectedStart))
  }
  return problems
}

function fieldProblems(block: Signoff, who: string, facts: ArtefactHashes['facts']): string[] {
  if (!facts) return []
  const keys = ['runId', 'runbook', 'status', 'checklist'] as const
  return keys
    .filter((key) => block.statement[key] !== facts[key])
    .map((key) => msg.sign.fieldChanged(who, fieldLine(block, key), FIELDS.find(([k]) => k === key)![1], block.statement[key], facts[key]))
}

/** Byte offset of the start of each line (index 0 is line 1). */
function lineOffsets(bytes: Buffer): number[] {
  const starts = [0]
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) starts.push(i + 1)
  return starts
}

/** 1-based line of a byte offset. */
function lineAt(bytes: Buffer, offset: number): number {
  let n = 1
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) n++
  return n
}

/**
 * The file line where a block's bytes first differ from its rendering, in the language whose
 * rendering agrees longest: the changed line itself when a visible line (heading, time, comment)
 * was edited and the signature holds. When the signature fails, the signed statement was edited:
 * the line of the statement value that the visible line no longer agrees with (signer, signed_at,
 * comment). A status or checklist value names its line earlier (fieldProblems).
 */
function changedLine(mdBytes: Buffer, start: number, end: number, block: Signoff, restated: boolean): number {
  const statement = block.statement
  const actual = mdBytes.subarray(start, Math.max(start, end))
  let agree = 0
  for (const words of Object.values(allMessages).map((m) => m.sign)) {
    const rendered = Buffer.from(renderSignoffBlock(statement, block.signature, words))
    let k = 0
    while (k < actual.length && k < rendered.length && actual[k] === rendered[k]) k++
    agree = Math.max(agree, k)
  }
  if (restated) {
    // The block's lines: '' (it starts with a newline), the heading, '', `signed_at · comment`.
    const lines = actual.toString().split('\n')
    const index = actual.subarray(0, agree).toString().split('\n').length - 1
    if (index === 1) return fieldLine(block, 'signer')
    if (index === 3) {
      const shownTime = lines[3]?.split(' · ')[0]
      return fieldLine(block, shownTime === escapeInline(statement.signedAt) ? 'comment' : 'signedAt')
    }
  }
  return lineAt(mdBytes, start + agree)
}
