// The interface's words. Every text an operator reads (statuses, prompts, reasons, errors,
// sign/verify output) comes from this catalogue, one area a file, so that a language is a
// complete set and a text is changed in one place. Identifiers and status names in the JSON stay
// stable English and are not messages.
//
// Korean messages: put no particle (을/를, 이/가, …) right after a value that is not Hangul (an
// id, a number, a path); phrase the text so that none is needed, e.g. `단계 ${id}: 실행할까요?`.
import * as cli from './cli.js'
import * as executors from './executors.js'
import * as judge from './judge.js'
import * as lint from './lint.js'
import * as parse from './parse.js'
import * as report from './report.js'
import * as run from './run.js'
import * as sandbox from './sandbox.js'
import * as sign from './sign.js'

const catalogues = {
  ko: { cli: cli.ko, executors: executors.ko, judge: judge.ko, lint: lint.ko, parse: parse.ko, report: report.ko, run: run.ko, sandbox: sandbox.ko, sign: sign.ko },
  en: { cli: cli.en, executors: executors.en, judge: judge.en, lint: lint.en, parse: parse.en, report: report.en, run: run.en, sandbox: sandbox.en, sign: sign.en },
}

export type Language = keyof typeof catalogues
export type Messages = (typeof catalogues)['ko']

let active: Language = 'ko'
/** The language of the record (the report's words): the repository's, set from its settings. */
let record: Language = 'ko'

/** The language of the interface for this process (the operator's: see `chooseLanguage`). */
export function setLanguage(language: Language): void {
  active = language
}

export function language(): Language {
  return active
}

/** The language reports are written in (the project's `language:` setting; Korean by default). */
export function setRecordLanguage(language: Language): void {
  record = language
}

export function recordLanguage(): Language {
  return record
}

export function isLanguage(value: string | undefined): value is Language {
  return value === 'ko' || value === 'en'
}

/**
 * The operator's language: `--lang`, then RUNBOOK_LANG, then the locale (LC_ALL, LC_MESSAGES,
 * LANG: Korean for `ko_*`, else English). A value that is not a language is ignored here; the
 * CLI refuses a bad `--lang` itself.
 */
export function chooseLanguage(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): Language {
  if (isLanguage(flag)) return flag
  const setting = env.RUNBOOK_LANG?.trim().toLowerCase()
  if (isLanguage(setting)) return setting
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return /^ko([_.@-]|$)/i.test(locale) ? 'ko' : 'en'
}

/**
 * Runs `render` with the record's catalogue active: the report reads the same whoever ran it. The
 * render must be synchronous, so no other text is built in the wrong language meanwhile.
 */
export function inRecordLanguage<T>(render: () => T): T {
  const before = active
  active = record
  try {
    return render()
  } finally {
    active = before
  }
}

/**
 * The active catalogue: `msg.run.stepSkipped(id)`. Each area is read when used, so a language set
 * after import still applies.
 */
export const msg: Messages = Object.defineProperties(
  {},
  Object.fromEntries(Object.keys(catalogues.ko).map((area) => [area, { enumerable: true, get: () => catalogues[active][area as keyof Messages] }])),
) as Messages

/** Both catalogues, for tests that compare them. */
export const allMessages: Readonly<Record<Language, Messages>> = catalogues
