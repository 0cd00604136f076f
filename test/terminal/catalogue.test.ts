// Every message of the catalogue, in both languages, called with sample values (a Hangul word that
// ends in a consonant and one that does not, an id, the numbers 1 and 2): Korean puts no particle
// right after an id or a number and the right one after Hangul; English plurals agree; English
// shows no Hangul but what it was given.
import { describe, expect, test } from 'vitest'
import { allMessages, type Language } from '../../src/runner/terminal/messages/index.js'
import { takesParticle, withParticle } from '../../src/runner/terminal/messages/korean.js'

type Sample = { text: string; number: number }
const SAMPLES: Sample[] = [
  { text: 'retention', number: 1 },
  { text: 'stage-2', number: 2 },
  { text: '작업', number: 1 },
  { text: '단계', number: 2 },
]

const NUMERIC = /^(n|count|line|lines|tries|left|have|required|files|errors|warnings|code|exitCode|pid|pgid|rows|rowCount|seconds|ms|bytes|size|total|more|max|limit|index|width|attempt|attempts|stopped|port|columns|signoffs|approvals|steps|destructive|need|got|found|done|minutes|days|skipped|failed|passed|remaining|kept|deleted|removed|level|status_code|number)$/i
const ARRAY = /^(reasons|names|ids|statements|violations|refusals|commands|choices|accepted|items|faults|keys|paths|checks|lines_|values|problems|missing|unknown|hosts|units|files_|list)$/i

/** The parameter names of a message function (types are gone once compiled). */
function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = fn.toString()
  const m = /^(?:async\s*)?(?:\(([^)]*)\)|([\w$]+))\s*=>/.exec(source) ?? /^[^(]*\(([^)]*)\)/.exec(source)
  const list = (m?.[1] ?? m?.[2] ?? '').split(',').map((p) => p.trim().replace(/[=\s].*$/, ''))
  return list.filter(Boolean)
}

function argFor(name: string, sample: Sample): unknown {
  if (NUMERIC.test(name)) return sample.number
  if (ARRAY.test(name) || /s$/.test(name)) return [sample.text]
  return sample.text
}

/** Calls a message with the sample; tries the other shapes of a value when the first one throws. */
function call(fn: (...args: unknown[]) => unknown, sample: Sample): string | undefined {
  const names = parameterNames(fn as never)
  const attempts: unknown[][] = [
    names.map((n) => argFor(n, sample)),
    names.map(() => sample.text),
    names.map(() => [sample.text]),
    names.map(() => sample.number),
  ]
  for (const args of attempts) {
    try {
      const out = fn(...args)
      if (typeof out === 'string') return out
    } catch {
      // another shape
    }
  }
  return undefined
}

interface Said {
  key: string
  sample: Sample
  text: string
}

function walk(value: unknown, key: string, out: Said[], counts: { functions: number; called: number }): void {
  if (typeof value === 'function') {
    counts.functions++
    let called = false
    for (const sample of SAMPLES) {
      const text = call(value as (...args: unknown[]) => unknown, sample)
      if (text !== undefined) {
        called = true
        out.push({ key, sample, text })
      }
    }
    if (called) counts.called++
  } else if (typeof value === 'string') {
    for (const sample of SAMPLES) out.push({ key, sample, text: value })
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, `${key}.${k}`, out, counts)
  }
}

function said(language: Language) {
  const out: Said[] = []
  const counts = { functions: 0, called: 0 }
  walk(allMessages[language], language, out, counts)
  return { out, counts }
}

const PARTICLES = '을|를|이|가|은|는|으로|로|와|과'
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('the Korean catalogue', () => {
  const { out, counts } = said('ko')

  test('every message is called (no message is left out of the check)', () => {
    expect(counts.called / counts.functions).toBeGreaterThan(0.97)
  })

  test('no particle right after an id or a number', () => {
    const wrong = out.filter(({ sample, text }) => {
      if (takesParticle(sample.text)) return false
      const after = (value: string) => new RegExp(`${escape(value)}(${PARTICLES})(?![가-힣])`).test(text)
      return after(sample.text) || after(String(sample.number))
    })
    expect(wrong.map((w) => `${w.key}: ${w.text}`)).toEqual([])
  })

  test('after Hangul, the particle that the last syllable takes', () => {
    const wrong = out.filter(({ sample, text }) => {
      if (!takesParticle(sample.text)) return false
      const m = new RegExp(`${escape(sample.text)}(${PARTICLES})(?![가-힣])`).exec(text)
      if (!m) return false
      const particle = m[1]!
      const base = ({ 을: '을', 를: '을', 이: '이', 가: '이', 은: '은', 는: '은', 으로: '으로', 로: '으로', 와: '과', 과: '과' } as const)[particle]!
      return withParticle(sample.text, base) !== `${sample.text}${particle}`
    })
    expect(wrong.map((w) => `${w.key}: ${w.text}`)).toEqual([])
  })
})

describe('the English catalogue', () => {
  const { out, counts } = said('en')

  test('every message is called', () => {
    expect(counts.called / counts.functions).toBeGreaterThan(0.97)
  })

  test('plurals agree: never "1 <plural>"', () => {
    const wrong = out.filter(({ sample, text }) => sample.number === 1 && /(^|[^\d.])1 (?!of\b)[a-z]+[^su's]s\b/.test(text))
    expect(wrong.map((w) => `${w.key}: ${w.text}`)).toEqual([])
  })

  test('no Hangul but what it was given', () => {
    const wrong = out.filter(({ sample, text }) => /[\u3131-\u318e\uac00-\ud7a3]/.test(text.split(sample.text).join('')))
    expect(wrong.map((w) => `${w.key}: ${w.text}`)).toEqual([])
  })
})

describe('withParticle', () => {
  test('follows the last syllable; 으로 takes 로 after ㄹ', () => {
    expect(withParticle('작업', '을')).toBe('작업을')
    expect(withParticle('단계', '을')).toBe('단계를')
    expect(withParticle('단계', '이')).toBe('단계가')
    expect(withParticle('보고서', '은')).toBe('보고서는')
    expect(withParticle('파일', '으로')).toBe('파일로')
    expect(withParticle('작업', '으로')).toBe('작업으로')
    expect(withParticle('서버', '으로')).toBe('서버로')
    expect(withParticle('운영팀', '과')).toBe('운영팀과')
    expect(() => withParticle('retention', '을')).toThrow()
  })
})
