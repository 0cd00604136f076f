// Colours for one output of a command, at the level the io decided (plain when piped or NO_COLOR).
import { Chalk, type ChalkInstance } from 'chalk'
import type { Output } from './io.js'

export function chalkFor(output: Output): ChalkInstance {
  return new Chalk({ level: output.colorLevel })
}
