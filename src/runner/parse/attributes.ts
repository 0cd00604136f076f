// Fence attributes: `ts {id=app-up destructive="restarts rails" timeout=10s requires=psql,jq}`,
// or Runme's JSON form `sh {"name":"app-up"}`. Attribute rules are data, so lint and docs agree.
import { parseDuration } from './duration.js'
import { misspeltOf, RUNME_NO_MEANING_ATTRIBUTES } from './runme.js'
import { msg } from '../terminal/messages/index.js'
import type { StepAttributes } from '../model/runbook.js'

type Kind = 'flag' | 'text' | 'flag-or-text' | 'list' | 'count' | 'duration' | 'any'

export const ATTRIBUTE_RULES: Record<string, { kind: Kind; key: keyof StepAttributes; help: string }> = {
  id: { kind: 'text', key: 'id', help: 'stable step id' },
  name: { kind: 'text', key: 'id', help: 'Runme spelling of id' },
  destructive: { kind: 'flag-or-text', key: 'destructive', help: 'changes the world: needs confirmation' },
  critical: { kind: 'flag', key: 'critical', help: 'destructive; the step id must be typed to confirm' },
  safe: { kind: 'text', key: 'safe', help: 'overrides a false positive of detection (give the reason)' },
  timeout: { kind: 'duration', key: 'timeout', help: 'stop the step after this long' },
  'continue-on-error': { kind: 'flag', key: 'continueOnError', help: 'a failure is tolerated: a warning, the run does not fail' },
  'keep-going': { kind: 'flag', key: 'keepGoing', help: 'the walk goes on after a failure; the failure still fails the run' },
  rechecks: { kind: 'text', key: 'rechecks', help: 'verifies an earlier step again: when this passes, its failure counts as fixed' },
  requires: { kind: 'list', key: 'requires', help: 'commands that must be on PATH' },
  probe: { kind: 'text', key: 'probe', help: 'read-only command; skip the step when it fails' },
  writes: { kind: 'list', key: 'writes', help: 'paths a read-only step writes (writable under the OS guard)' },
  leaves: { kind: 'list', key: 'leaves', help: 'files a half-done attempt leaves ($BACKUP_DIR/*.partial): listed in the record after it' },
  db: { kind: 'text', key: 'db', help: 'env var holding the PostgreSQL URL' },
  redis: { kind: 'text', key: 'redis', help: 'env var holding the Redis URL' },
  'max-rows': { kind: 'count', key: 'maxRows', help: 'refuse to commit above N affected rows' },
  'max-display': { kind: 'count', key: 'maxDisplay', help: 'rows shown in the report' },
  'redact-columns': { kind: 'list', key: 'redactColumns', help: 'SQL: columns masked in the recorded sample of changed rows' },
  autocommit: { kind: 'flag', key: 'autocommit', help: 'SQL outside a transaction' },
  cwd: { kind: 'text', key: 'cwd', help: 'working directory' },
  interactive: { kind: 'flag', key: 'interactive', help: 'needs the terminal' },
  skip: { kind: 'flag', key: 'skip', help: 'shown, never run' },
  quiet: { kind: 'flag', key: 'quiet', help: 'only records (state, notes): runs without its own question when read-only' },
  // Runme's cell attributes that mean something here (see runme.ts for the ones that do not).
  interpreter: { kind: 'text', key: 'interpreter', help: 'Runme: the shell that runs the step (bash or sh; others are refused)' },
  excludeFromRunAll: { kind: 'flag', key: 'excludeFromRunAll', help: 'Runme: skipped unless selected with --step' },
  background: { kind: 'flag', key: 'background', help: 'Runme: a background step; refused here (shown, never run)' },
  promptEnv: { kind: 'any', key: 'promptEnv', help: 'Runme: the step\'s `export NAME=value` lines asked like inputs (shell steps)' },
}

/** Our own attribute names: an unknown name close to one of them is a misspelling, not Runme's. */
const OWN_ATTRIBUTES = Object.keys(ATTRIBUTE_RULES)

export interface ParsedInfo {
  language: string
  attrs: StepAttributes
  /** Errors: the step cannot be read as written. */
  problems: string[]
  /** Names accepted and ignored (unknown, or Runme's with no meaning here): reported, never fatal. */
  warnings: { rule: 'unknown-attribute' | 'runme-no-meaning'; message: string }[]
}

/** Splits a fence's info string into its language and attributes. */
export function parseInfo(info: string): ParsedInfo {
  const trimmed = info.trim()
  const language = (/^[^\s{]+/.exec(trimmed)?.[0] ?? '').toLowerCase()
  const rest = trimmed.slice(language.length).trim()
  const problems: string[] = []
  const warnings: ParsedInfo['warnings'] = []
  if (rest === '') return { language, attrs: {}, problems, warnings }
  if (!rest.startsWith('{') || !rest.endsWith('}')) {
    return { language, attrs: {}, problems: [msg.parse.needsBraces(rest)], warnings }
  }
  const pairs = /^\{\s*("|\}$)/.test(rest) ? parseJsonForm(rest, problems) : parseBraceForm(rest.slice(1, -1), problems)
  return { language, attrs: applyRules(pairs, problems, warnings), problems, warnings }
}

type Pair = [name: string, value: string | true]

function parseJsonForm(text: string, problems: string[]): Pair[] {
  try {
    const obj = JSON.parse(text) as unknown
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(msg.parse.notAnObject)
    return Object.entries(obj).map(([k, v]): Pair => [k, v === true ? true : String(v)])
  } catch (e) {
    problems.push(msg.parse.badJsonAttributes((e as Error).message))
    return []
  }
}

function parseBraceForm(text: string, problems: string[]): Pair[] {
  const pairs: Pair[] = []
  let i = 0
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++
    if (i >= text.length) break
    const nameMatch = /^[A-Za-z][\w-]*/.exec(text.slice(i))
    if (!nameMatch) {
      problems.push(msg.parse.unexpectedInAttributes(text.slice(i, i + 10)))
      break
    }
    const name = nameMatch[0]
    i += name.length
    if (text[i] !== '=') {
      pairs.push([name, true])
      continue
    }
    i++
    const quote = text[i]
    if (quote === '"' || quote === "'") {
      let value = ''
      let j = i + 1
      for (; j < text.length && text[j] !== quote; j++) {
        if (text[j] === '\\' && quote === '"' && j + 1 < text.length) j++
        value += text[j]
      }
      if (j >= text.length) {
        problems.push(msg.parse.unclosedQuote(quote, name))
        break
      }
      pairs.push([name, value])
      i = j + 1
    } else {
      const value = /^[^\s]*/.exec(text.slice(i))?.[0] ?? ''
      pairs.push([name, value])
      i += value.length
    }
  }
  return pairs
}

function applyRules(pairs: Pair[], problems: string[], warnings: ParsedInfo['warnings']): StepAttributes {
  const attrs: Record<string, unknown> = {}
  for (const [name, value] of pairs) {
    const rule = ATTRIBUTE_RULES[name]
    if (!rule) {
      if ((RUNME_NO_MEANING_ATTRIBUTES as readonly string[]).includes(name)) {
        warnings.push({ rule: 'runme-no-meaning', message: msg.parse.noMeaningHere(name) })
        continue
      }
      // A misspelt `critical` ignored would run the step without its typed confirmation.
      const near = misspeltOf(name, OWN_ATTRIBUTES)
      if (near !== undefined) problems.push(msg.parse.looksMisspelt(name, near))
      else warnings.push({ rule: 'unknown-attribute', message: msg.parse.unknownAttributeWarning(name) })
      continue
    }
    const parsed = convert(rule.kind, name, value, problems)
    if (parsed !== undefined) attrs[rule.key] = parsed
  }
  return attrs as StepAttributes
}

function convert(kind: Kind, name: string, value: string | true, problems: string[]): unknown {
  const asFlag = (v: string | true) => {
    if (v === true || v === 'true' || v === '') return true
    if (v === 'false') return false
    return undefined
  }
  switch (kind) {
    case 'any':
      return String(value)
    case 'flag': {
      const flag = asFlag(value)
      if (flag === undefined) problems.push(msg.parse.flagTakesNoValue(name, String(value)))
      return flag || undefined
    }
    case 'flag-or-text': {
      const flag = asFlag(value)
      if (flag === false) return undefined
      return flag ?? value
    }
    case 'text':
      if (value === true || value === '') {
        problems.push(msg.parse.needsValue(name, `${name}="…"`))
        return undefined
      }
      return value
    case 'list': {
      const example = name === 'redact-columns' ? `${name}=email,phone` : `${name}=psql,redis-cli`
      const list = value === true ? [] : value.split(',').map((s) => s.trim()).filter(Boolean)
      // An empty list says nothing; for the columns to mask it is a mistake worth a lint.
      if (value === true || (list.length === 0 && name === 'redact-columns')) {
        problems.push(msg.parse.needsValue(name, example))
        return undefined
      }
      return list
    }
    case 'count': {
      const n = value === true ? NaN : Number(value)
      if (!Number.isInteger(n) || n < 0) {
        problems.push(msg.parse.needsCount(name, value === true ? '' : value))
        return undefined
      }
      return n
    }
    case 'duration':
      if (value === true || parseDuration(value) === undefined) {
        problems.push(msg.parse.badDuration(name, value === true ? '' : value))
        return undefined
      }
      return value
  }
}
