// The real world for the commands: this process's streams, environment and clock.
import { colorLevel } from '../terminal/style.js'
import type { CommandIo, Output } from './io.js'

function outputOf(stream: NodeJS.WriteStream): Output {
  return {
    write: (text) => void stream.write(text),
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

