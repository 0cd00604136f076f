// Words for sh: single-quoted, nothing inside is expanded (a `'` closes, is escaped, reopens).

export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** The word as it is when sh reads it as itself (no quoting needed), else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : shellQuote(word)
}
