// A step's output inside the gutter at a terminal: long and wide lines wrap where the terminal
// would, with the gutter on every continuation; a `\r` puts the gutter back.
import { describe, expect, test } from 'vitest'
import stringWidth from 'string-width'
import { inGutter } from '../../src/runner/terminal/gutter.js'

const G = '  │ '
const start = { atLineStart: true, column: 0 }

describe('output in the gutter', () => {
  test('every line starts with the gutter; the state carries a line across chunks', () => {
    const first = inGutter('one\ntw', G, start, 80)
    const second = inGutter('o\nthree\n', G, first.state, 80)
    expect(first.out + second.out).toBe(`${G}one\n${G}two\n${G}three\n`)
    expect(second.state).toEqual({ atLineStart: true, column: 0 })
  })

  test('a line wider than the terminal wraps inside the gutter, wide (Korean) characters counted as two', () => {
    const { out } = inGutter(`${'a'.repeat(25)}\n${'가'.repeat(15)}\n`, G, start, 10)
    const lines = out.split('\n').filter(Boolean)
    for (const line of lines) {
      expect(line.startsWith(G)).toBe(true)
      expect(stringWidth(line.slice(G.length))).toBeLessThanOrEqual(10)
    }
    expect(lines.map((l) => l.slice(G.length)).join('')).toBe('a'.repeat(25) + '가'.repeat(15))
  })

  test('a carriage return keeps the gutter (a rewritten progress line)', () => {
    expect(inGutter('50%\r100%\n', G, start, 80).out).toBe(`${G}50%\r${G}100%\n`)
  })

  test('without a width nothing is wrapped', () => {
    expect(inGutter('x'.repeat(300), G, start, undefined).out).toBe(G + 'x'.repeat(300))
  })
})
