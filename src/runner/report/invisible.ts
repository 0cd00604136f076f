// Characters a JSON or YAML serializer leaves raw that make a file read differently in a terminal
// or an editor than what it holds: the characters `read`, `plan` and lint mark (parse/control-chars.ts).
import { BEYOND_C0 } from '../parse/control-chars.js'

/** DEL, C1 controls, bidi overrides and isolates, zero-width marks and a BOM inside a string,
 * written as `\\uXXXX` escapes (valid in JSON and in YAML's double-quoted strings): the parsed
 * data is the same, and what a reader sees is what it holds. */
const INVISIBLE = new RegExp(`[${BEYOND_C0}]`, 'g')

export function escapeInvisible(json: string): string {
  return json.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
