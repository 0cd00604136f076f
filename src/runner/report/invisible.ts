// Characters a JSON or YAML serializer leaves raw that make a file read differently in a terminal
// or an editor than what it holds.

/** DEL, C1 controls, bidi overrides and isolates, zero-width marks and a BOM inside a string,
 * written as `\\uXXXX` escapes (valid in JSON and in YAML's double-quoted strings): the parsed
 * data is the same, and what a reader sees is what it holds. */
const INVISIBLE = /[\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g

export function escapeInvisible(json: string): string {
  return json.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
