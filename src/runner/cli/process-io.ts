// The real world for the commands: this process's streams, environment and clock.
import { isClosedStreamError } from '../terminal/console-view.js'
import { colorLevel } from '../terminal/style.js'
import type { CommandIo, Output } from './io.js'

function outputOf(stream: NodeJS.WriteStream): Output {
  // A reader that went away (`| head`) ends no command: what was not shown is in the report.
  let closed = false
  stream.on('error', (e) => {
    if (!isClosedStreamError(e)) throw e
    closed = true
  })
  return {
    write: (text) => {
      if (!closed && !stream.destroyed) stream.write(text)
    },
    colorLevel: colorLevel(process.env, Boolean(stream.isTTY)),
    get columns() {
      return stream.isTTY ? stream.columns : undefined
    },
    stream,
  }
}

export function processIo(): CommandIo {
  return {
    stdout: outputOf(process.stdout),
    stderr: outputOf(process.stderr),
    env: process.env,
    now: () => new Date(),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  }
}

