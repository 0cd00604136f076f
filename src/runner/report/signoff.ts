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
      problems.push(msg.sign.malformedBlock(token.map[0] + 1))
      continue
    }
    blocks.push({ statement, text: statementText(statement), signature: `${signature}\n` })
  }
  return { blocks, problems }
}

export interface ArtefactHashes {
  json: string
  log: string
}

/**
 * Checks the structure of the sign-offs against the bytes of the Markdown: each block covers
 * exactly the bytes before it and is rendered exactly as `renderSignoffBlock` would (in any
 * language), blocks follow each other, and nothing follows the last. Signatures are checked
 * separately (ssh.ts).
 */
export function checkSignoffStructure(mdBytes: Buffer, blocks: Signoff[], hashes: ArtefactHashes): string[] {
  const problems: string[] = []
  let expectedStart: number | undefined
  for (const [i, block] of blocks.entries()) {
    const s = block.statement
    const who = msg.sign.who(i + 1, s.principal)
    if (s.mdBytes > mdBytes.length) {
      problems.push(msg.sign.coversTooMuch(who, s.mdBytes))
      continue
    }
    if (expectedStart !== undefined && s.mdBytes !== expectedStart) problems.push(msg.sign.insertedBefore(who))
    if (sha256(mdBytes.subarray(0, s.mdBytes)) !== s.mdSha256) problems.push(msg.sign.markdownChanged(who))
    const rendered = renderedAs(mdBytes, s.mdBytes, s, block.signature)
    if (!rendered) problems.push(msg.sign.blockChanged(who))
    if (s.jsonSha256 !== hashes.json) problems.push(msg.sign.jsonChanged(who))
    if (s.logSha256 !== hashes.log) problems.push(msg.sign.logChanged(who))
    expectedStart = s.mdBytes + (rendered ?? Buffer.from(renderSignoffBlock(s, block.signature))).length
  }
  if (expectedStart !== undefined && mdBytes.subarray(expectedStart).toString().trim() !== '') problems.push(msg.sign.addedAfter)
  return problems
}
