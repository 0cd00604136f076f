// Korean particles that depend on the word before them: 을/를, 이/가, 은/는, 과/와 follow whether
// its last syllable ends in a consonant (받침); 으로/로 also takes 로 after ㄹ. Only Hangul has a
// known ending: messages put no particle after ids, numbers or paths (see index.ts).

const PAIRS = { 을: ['을', '를'], 이: ['이', '가'], 은: ['은', '는'], 과: ['과', '와'], 으로: ['으로', '로'] } as const
export type Particle = keyof typeof PAIRS

/** The final consonant index of a Hangul syllable (0: none), or undefined for anything else. */
function finalConsonant(word: string): number | undefined {
  const code = word.trim().codePointAt(word.trim().length - 1)
  if (code === undefined || code < 0xac00 || code > 0xd7a3) return undefined
  return (code - 0xac00) % 28
}

/** `word` and its particle: `withParticle('단계', '을')` → `단계를`. */
export function withParticle(word: string, particle: Particle): string {
  const final = finalConsonant(word)
  const [afterConsonant, afterVowel] = PAIRS[particle]
  if (final === undefined) throw new Error(`no Korean particle after a word that does not end in Hangul: ${word}`)
  // ㄹ (8) takes 로, like a vowel.
  const consonant = particle === '으로' ? final !== 0 && final !== 8 : final !== 0
  return `${word}${consonant ? afterConsonant : afterVowel}`
}

/** Whether a particle can follow `word` (it ends in Hangul). */
export function takesParticle(word: string): boolean {
  return finalConsonant(word) !== undefined
}
