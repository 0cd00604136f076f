// A choice answered by one key or by the arrows and Enter: `r` runs, `s` skips, `q` quits, `y`/`n`
// answer a yes/no question. Written over node:readline rather than the prompt library so that every
// word on screen (the hint line too) comes from the catalogue and Ctrl-C means what it means
// everywhere else: the walk stops (PromptInterrupted).
import { emitKeypressEvents } from 'node:readline'
import { msg } from './messages/index.js'

/** Ctrl-C at a question: the walk stops as it does for Ctrl-C during a step. */
export class PromptInterrupted extends Error {
  constructor() {
    super('interrupted at a prompt')
    this.name = 'PromptInterrupted'
  }
}

export interface KeyChoice<T> {
  /** One lowercase letter that picks this choice at once. */
  key: string
  name: string
  value: T
}

interface Key {
  name?: string
  ctrl?: boolean
  sequence?: string
}

export interface KeyPromptConfig<T> {
  message: string
  choices: KeyChoice<T>[]
  /** The choice Enter picks before any arrow is pressed. */
  default: T
}

/** Where the prompt reads keys and draws (the prompt library's context shape, so its test screen fits). */
export interface KeyPromptContext {
  input?: NodeJS.ReadableStream & { isTTY?: boolean; isRaw?: boolean; setRawMode?(mode: boolean): unknown }
  output?: NodeJS.WritableStream
}

/** How long after the question is drawn keys are taken as typed ahead and dropped. */
const TYPE_AHEAD_MS = 60

/** Asks `message`; resolves with the chosen value, rejects with PromptInterrupted on Ctrl-C. */
export function keyPrompt<T>(config: KeyPromptConfig<T>, context: KeyPromptContext = {}): Promise<T> {
  const input = context.input ?? process.stdin
  const output = context.output ?? process.stdout
  const { message, choices } = config
  let active = Math.max(0, choices.findIndex((c) => c.value === config.default))
  const hint = msg.run.keysHint(choices.map((c) => c.key).join('/'))
  // The question and its choices in one write: a redraw replaces all of it.
  const screen = () => [`? ${message}`, ...choices.map((c, i) => `${i === active ? '❯' : ' '} ${c.key}  ${c.name}`), `  ${hint}`].join('\n')
  let drawn = 0
  const draw = (text: string) => {
    output.write(`${drawn > 0 ? `\x1b[${drawn}A\r\x1b[0J` : ''}${text}\n`)
    drawn = text.split('\n').length
  }
  draw(screen())
  return new Promise<T>((resolve, reject) => {
    const wasRaw = Boolean(input.isRaw)
    if (input.isTTY) {
      emitKeypressEvents(input)
      input.setRawMode?.(true)
    }
    input.resume()
    // Keys typed before the question was on screen (while a step ran) arrive at once when the
    // terminal is read again: they must not answer it (a stray `y` is no consent). Ctrl-C counts.
    // Ready after some time AND after the event loop has polled the terminal at least once (a
    // loaded machine may read the typed-ahead keys late).
    let ready = !input.isTTY
    const since = Date.now()
    const arm = () =>
      setImmediate(() =>
        setImmediate(() => {
          if (Date.now() - since >= TYPE_AHEAD_MS) ready = true
          else setTimeout(arm, TYPE_AHEAD_MS)
        }),
      )
    if (!ready) arm()
    const finish = (end: () => void, shown: string) => {
      input.off('keypress', onKey)
      if (input.isTTY) input.setRawMode?.(wasRaw)
      input.pause()
      draw(`? ${message} ${shown}`)
      end()
    }
    const onKey = (_text: string | undefined, key: Key | undefined) => {
      const name = key?.name ?? ''
      if ((key?.ctrl && name === 'c') || key?.sequence === '\x03') return finish(() => reject(new PromptInterrupted()), msg.run.interruptedAnswer)
      if (!ready) return
      if (name === 'return' || name === 'enter') return finish(() => resolve(choices[active]!.value), choices[active]!.name)
      if (name === 'up' || name === 'down') {
        active = (active + (name === 'up' ? choices.length - 1 : 1)) % choices.length
        return draw(screen())
      }
      const picked = choices.find((c) => c.key === name.toLowerCase() && !key?.ctrl)
      if (picked) finish(() => resolve(picked.value), picked.name)
    }
    input.on('keypress', onKey)
  })
}
