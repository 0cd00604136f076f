// `runbook ARGV` as a function: dispatches to a command and turns every error into a one-line
// message and an exit code from EXIT. The entry (cli.ts) gives it the process; tests give fakes.
import { renderUsage, runCommand } from 'citty'
import { rejectBadBooleans, rejectUnknownFlags } from './args.js'
import { definitions, type AnyCommand } from './definitions.js'
import { EXIT, RunbookError, type ExitCode } from '../model/errors.js'
import { chooseLanguage, isLanguage, msg, setLanguage, setRecordLanguage } from '../terminal/messages/index.js'
import { settingsLanguage } from '../report/settings.js'
import type { CommandIo } from './io.js'
import { isVersionFlag, VERSION, versionLine } from './version.js'

const DESCRIPTION = 'Executable runbooks for ExcelApp operations (every command takes --lang ko|en: the language of the terminal)'

export async function main(argv: string[], cwd: string, io: CommandIo): Promise<ExitCode> {
  try {
    return await dispatch(argv, cwd, io)
  } catch (error) {
    return reportError(error, argv[0], io)
  }
}

async function dispatch(args: string[], cwd: string, io: CommandIo): Promise<ExitCode> {
  const { lang, argv } = takeLang(args)
  // The terminal speaks the operator's language; the reports speak the repository's.
  setLanguage(chooseLanguage(lang, io.env))
  if (lang !== undefined && !isLanguage(lang)) throw new RunbookError(msg.cli.badLanguage(lang), EXIT.usage)
  const [name, ...rest] = argv
  if (isVersionFlag(name)) {
    io.stdout.write(versionLine())
    return EXIT.ok
  }
  const { commands, result } = definitions(cwd, io)
  const root: AnyCommand = { meta: { name: 'runbook', version: VERSION, description: DESCRIPTION }, subCommands: commands }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await showUsage(io, root)
    return name ? EXIT.ok : EXIT.usage
  }
  // Read once a command is named: a broken settings file does not hide the usage.
  setRecordLanguage(settingsLanguage(cwd))
  const load = commands[name]
  if (!load) throw new RunbookError(msg.cli.unknownCommand(name, Object.keys(commands).join(', ')), EXIT.usage)
  const command = await load()
  if (rest.includes('--help') || rest.includes('-h')) {
    await showUsage(io, ...(await helpTarget(command, name, rest, root)))
    return EXIT.ok
  }
  rejectUnknownFlags(rest, (command.args ?? {}) as never, name)
  rejectBadBooleans(rest, (command.args ?? {}) as never, name)
  await runCommand(command, { rawArgs: rest })
  return result()?.exitCode ?? EXIT.ok
}

/** `--lang ko|en` (or `--lang=…`), accepted by every command: taken out before the command parses. */
export function takeLang(args: string[]): { lang?: string; argv: string[] } {
  const argv: string[] = []
  let lang: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') {
      argv.push(...args.slice(i))
      break
    }
    if (arg === '--lang') {
      lang = args[i + 1] ?? ''
      i++
    } else if (arg.startsWith('--lang=')) lang = arg.slice('--lang='.length)
    else argv.push(arg)
  }
  return { lang, argv }
}

/** A RunbookError is `file:line: message` and its code; citty's usage errors are usage errors; anything else is a bug. */
export function reportError(error: unknown, command: string | undefined, io: CommandIo): ExitCode {
  if (error instanceof RunbookError) {
    io.stderr.write(`runbook: ${error.located}\n`)
    return error.exitCode
  }
  // Ctrl-C at a question before a walk started (an input, an env value) or after it ended.
  if (error instanceof Error && error.name === 'PromptInterrupted') {
    io.stderr.write(`runbook: ${msg.cli.interrupted}\n`)
    return EXIT.interrupted
  }
  if (error instanceof Error && error.name === 'CLIError') {
    io.stderr.write(`runbook: ${msg.cli.seeHelp(error.message, command ?? '')}\n`)
    return EXIT.usage
  }
  const detail = error instanceof Error ? (io.env.RUNBOOK_DEBUG ? (error.stack ?? error.message) : error.message) : String(error)
  io.stderr.write(`runbook: ${msg.cli.internalError(detail)}\n`)
  return EXIT.internal
}

/** citty colours its usage unless NO_COLOR is exactly "1", even into a pipe; follow our rule. */
async function showUsage(io: CommandIo, command: AnyCommand, parent?: AnyCommand): Promise<void> {
  const { stripVTControlCharacters } = await import('node:util')
  const usage = await renderUsage(command, parent)
  io.stdout.write(`${io.stdout.colorLevel === 0 ? stripVTControlCharacters(usage) : usage}\n\n`)
}

/**
 * The command `--help` is about: `sandbox up --help` is `up`'s (citty's subcommands, nested), shown
 * under a parent named by the path (`runbook sandbox`).
 */
async function helpTarget(command: AnyCommand, name: string, rest: string[], root: AnyCommand): Promise<[AnyCommand, AnyCommand]> {
  const resolve = async <T>(v: T | (() => T | Promise<T>) | Promise<T>): Promise<T> => (typeof v === 'function' ? (v as () => T | Promise<T>)() : v)
  let trail = `runbook ${name}`
  let parent: AnyCommand = root
  let words = rest
  for (;;) {
    const subs = command.subCommands ? await resolve(command.subCommands) : undefined
    const i = words.findIndex((w) => !w.startsWith('-'))
    const sub = i === -1 || !subs ? undefined : subs[words[i]!]
    if (!sub) return [command, parent]
    parent = { meta: { name: trail } }
    trail = `${trail} ${words[i]}`
    command = await resolve(sub)
    words = words.slice(i + 1)
  }
}
