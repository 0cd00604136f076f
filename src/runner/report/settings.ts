// The project's settings: `.runbook/settings.yaml` in the runbook repository. Read by the stages
// that need one value each (`reports.group`: access.ts; `language`: the record's language).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { EXIT, RunbookError } from '../model/errors.js'
import { isLanguage, msg, type Language } from '../terminal/messages/index.js'

export const SETTINGS_FILE = path.join('.runbook', 'settings.yaml')

/** The settings as parsed (an empty object when there is no file); a broken file is a usage error. */
export function readSettings(cwd: string): Record<string, unknown> {
  const file = path.join(cwd, SETTINGS_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return {}
  }
  let value: unknown
  try {
    value = parse(text)
  } catch (e) {
    throw new RunbookError(msg.report.settingsInvalid(file, (e as Error).message), EXIT.usage)
  }
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {}
}

/** The language the project's reports are written in: `language: ko|en`, Korean by default. */
export function settingsLanguage(cwd: string): Language {
  const value = readSettings(cwd).language
  if (value === undefined || value === null) return 'ko'
  if (typeof value !== 'string' || !isLanguage(value)) throw new RunbookError(msg.report.settingsInvalid(path.join(cwd, SETTINGS_FILE), 'language (ko | en)'), EXIT.usage)
  return value
}
