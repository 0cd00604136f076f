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

/** The language of the interface for this process (Korean until the operator's choice is wired). */
export function setLanguage(language: Language): void {
  active = language
}

export function language(): Language {
  return active
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
