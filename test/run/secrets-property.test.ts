// Secrets never reach the terminal or any artefact, whatever they hold and however a step's output
// splits them: random secrets (regex metacharacters, quotes, backslashes, percent-encoding,
// multibyte text, 1–1000 characters) go through shell output split by colour codes, carriage
// returns, backspaces and chunk boundaries, SQL cells, Redis replies, connection errors, and
// `plan`/`read`/`--json`; none is found in what the terminal shows, the log, the events, the
// report's Markdown or its JSON.
import { Chalk } from 'chalk'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { planToJson, renderPlan } from '../../src/runner/cli/render-plan.js'
import { renderRead } from '../../src/runner/cli/render-read.js'
import { formatRedisReply, redisCell } from '../../src/runner/executors/redis/render.js'
import { displayText } from '../../src/runner/executors/sql/render.js'
import { hidePassword } from '../../src/runner/executors/targets.js'
import { cleanOutput } from '../../src/runner/report/markdown-text.js'
import { renderReportJson } from '../../src/runner/report/render-json.js'
import { renderReportMarkdown } from '../../src/runner/report/render-md.js'
import { redact, secretValues } from '../../src/runner/run/redact.js'
import type { StepContext, StepOutcome } from '../../src/runner/model/run-record.js'
import { planOf, recordingExecutors, walkInProcess } from './fakes.js'

const PIECES = ['.', '*', '+', '?', '^', '$', '(', ')', '[', ']', '{', '}', '|', '\\', '"', "'", '`', '%', '%40', '@', ':', '/', '&', '=', '#', ' ', '한', '글', '🔑', 'é', 'a', 'Z', '0', '9']
/** Secrets a reader could mistake for nothing else: not made only of what the runner itself writes
 * around masked text (`***`, `…`, `↵`, spaces, line breaks). */
const secretArb = fc
  .oneof(
    fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 60 }).map((a) => a.join('')),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1000 }),
    fc.string({ minLength: 1, maxLength: 40 }),
  )
  .filter((s) => /[^*…↵\s\p{C}]/u.test(s) && !/[\p{C}]/u.test(s.replace(/\p{Extended_Pictographic}\u{FE0F}?/gu, '')))

/** Where colour codes, a `\r` (rewriting the line to the secret) or backspaces split it. */
type Split = 'colour' | 'cr' | 'backspace' | 'plain'

function splitOutput(secret: string, how: Split, at: number): string {
  const chars = Array.from(secret)
  const k = Math.max(1, Math.min(chars.length - 1, at % Math.max(1, chars.length)))
  const head = chars.slice(0, k).join('')
  const tail = chars.slice(k).join('')
  switch (how) {
    case 'colour':
      return `key=\u001b[1;31m${head}\u001b[0m\u001b[32m${tail}\u001b[0m done\n`
    case 'cr':
      return `${'x'.repeat(chars.length + 6)}\rkey=${head}${tail}\n`
    case 'backspace':
      return `key=${head}Q\b${tail} done\n`
    case 'plain':
      return `key=${secret} done\n`
  }
}

/** Chunks cut at the given points (a secret may be split anywhere, even inside an escape). */
function chunks(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)
  const out: string[] = []
  let last = 0
  for (const p of points) {
    out.push(text.slice(last, p))
    last = p
  }
  out.push(text.slice(last))
  return out.filter(Boolean)
}

const RUNBOOK = '# 비밀\n\n```bash {id=leaky}\necho leak\n```\n\n```sql {id=cells}\nSELECT 1\n```\n\n```redis {id=reply}\nGET k\n```\n'

describe('no secret reaches the terminal or an artefact', () => {
  test('shell output split by colour codes, CR, backspaces and chunks; SQL cells; Redis replies; errors', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, fc.constantFrom<Split>('colour', 'cr', 'backspace', 'plain'), fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), async (secret, how, at, cuts) => {
        const seen = await artefacts(secret, how, at, cuts)
        // The same run with a stand-in no text holds: what the runner writes anyway (labels, the
        // runbook's own text) may contain a short secret; the secret's flow may not add to it.
        const background = await artefacts(standIn(secret), how, at, cuts)
        for (const where of Object.keys(seen) as (keyof typeof seen)[]) {
          expect(count(seen[where], secret), `${where} holds the secret ${JSON.stringify(secret)}`).toBeLessThanOrEqual(count(background[where], secret))
        }
        // A long secret in a cut cell leaves no long head of itself behind either.
        if (Array.from(secret).length >= 24) expect(seen.md.includes(secret.slice(0, 24))).toBe(false)
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  test('plan, read and plan --json show a secret default and a URL password as ***', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb.filter((s) => !/[\n"\\]/.test(s)), async (secret) => {
        const shown = await planViews(secret)
        const background = await planViews(standIn(secret))
        shown.forEach((text, i) => {
          expect(count(text, secret)).toBeLessThanOrEqual(count(background[i]!, secret))
          expect(count(text, encodeURIComponent(secret))).toBeLessThanOrEqual(count(background[i]!, encodeURIComponent(secret)))
        })
      }),
      { numRuns: 60 },
    )
  })

  test('the runner\'s own messages mask any URL\'s password, known or not', () => {
    expect(redact('could not connect to postgres://u:s3cr%40t@h:5432/db?sslpassword=x1&application_name=a', [])).toBe(
      'could not connect to postgres://u:***@h:5432/db?sslpassword=***&application_name=a',
    )
  })
})

/** Everything a reader can see of one run whose step prints, tabulates and quotes the secret. */
async function artefacts(secret: string, how: Split, at: number, cuts: number[]) {
  const { runbook, plan } = await planOf(RUNBOOK)
  const env = { API_TOKEN: secret, DATABASE_URL: `postgres://app:${encodeURIComponent(secret)}@db.local/app` }
  const secrets = secretValues(env, ['API_TOKEN'])
  const output = splitOutput(secret, how, at)
  const { executors } = recordingExecutors(async (ctx: StepContext): Promise<StepOutcome> => {
    if (ctx.planned.id === 'leaky') for (const c of chunks(output, cuts)) ctx.io.output(c, 'stdout')
    if (ctx.planned.id === 'cells') ctx.io.table({ title: 'cells', columns: ['v'], rows: [[displayText(`row ${secret} end`)], [displayText(secret.repeat(3))]], totalRows: 2 })
    if (ctx.planned.id === 'reply') ctx.io.output(`${formatRedisReply(Buffer.from(`v:${secret}`))}\n${redisCell(formatRedisReply(secret.repeat(2)))}\n`, 'stdout')
    return { status: 'failed', reason: hidePassword(`could not connect to ${env.DATABASE_URL}: password authentication failed`, '') }
  })
  const { record, events, screen, log } = await walkInProcess(runbook, plan, { executors, secrets, settings: { auto: true } })
  return {
    terminal: cleanOutput(screen()),
    rawTerminal: screen(),
    log: cleanOutput(log()),
    events: JSON.stringify(events),
    eventStrings: collectStrings(events).join('\n'),
    md: renderReportMarkdown(record, runbook),
    json: renderReportJson(record),
  }
}

/** `plan`, `read` and `plan --json` of a runbook whose env defaults hold the secret. */
async function planViews(secret: string): Promise<string[]> {
  const url = `postgres://app:${encodeURIComponent(secret)}@h/db?sslpassword=${encodeURIComponent(secret)}`
  const text = `---\ntitle: 비밀\nenv:\n  API_TOKEN: { default: ${JSON.stringify(secret)}, secret: true, description: 토큰 }\n  DB: { default: ${JSON.stringify(url)}, description: DB }\n---\n# 비밀\n\n\`\`\`bash {id=a}\necho hi\n\`\`\`\n`
  const { runbook, plan } = await planOf(text)
  const c = new Chalk({ level: 0 })
  return [renderPlan(plan, c), renderRead(runbook, plan, { c, highlight: (_l, code) => code, width: 100 }), JSON.stringify(planToJson(plan))]
}

/** A string as long as the secret, of characters no text here holds (private use). */
function standIn(secret: string): string {
  return Array.from(secret, () => '\uE000').join('')
}

function count(text: string, part: string): number {
  let n = 0
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + part.length)) n++
  return n
}

function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out)
  return out
}
