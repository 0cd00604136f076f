// The output stream as a reader sees it: escapes gone even when a chunk cuts one, live text passed
// on at once, a line rewritten by `\r` or backspaces given as its final state.
import { describe, expect, test } from 'vitest'
import { createVisibleStream } from '../../src/runner/run/visible.js'

function through(chunks: string[]): { parts: string[]; all: string } {
  const v = createVisibleStream()
  const parts = chunks.map((c) => v.push(c))
  parts.push(v.flush())
  return { parts, all: parts.join('') }
}

describe('visible output', () => {
  test('colour codes are removed, also when a chunk ends inside one', () => {
    expect(through(['pa\u001b[3', '1mss\u001b[0m\n']).all).toBe('pass\n')
    expect(through(['\u001b]0;title\u0007ok\n']).all).toBe('ok\n')
  })

  test('a line without \\r or backspace is passed on as it comes (a prompt stays live)', () => {
    const { parts } = through(['Continue? ', '[y/N] ', '\n'])
    expect(parts.slice(0, 2)).toEqual(['Continue? ', '[y/N] '])
  })

  test('a line rewritten by \\r or backspaces is held to its end and given as its final state', () => {
    expect(through(['10%\r', '50%\r', '100%\n']).all).toBe('100%\n')
    expect(through(['pa', 'X\bss\n']).all).toBe('pa\rpass\n')
    expect(through(['xxxxxx\rpass\n']).all).toBe('passxx\n')
  })

  test('an unfinished rewritten line is given at the end', () => {
    expect(through(['working\rdone']).all).toBe('doneing')
  })
})
