// A step's output as recorded inline: the first and last parts when it is long, so memory and
// report size stay bounded whatever a step prints. The .log keeps everything.
import { msg } from '../terminal/messages/index.js'

export const INLINE_HEAD = 4 * 1024
export const INLINE_TAIL = 28 * 1024

export class OutputCapture {
  private head = ''
  private tail = ''
  private total = 0
  private dropped = false

  add(text: string): void {
    this.total += Buffer.byteLength(text)
    if (this.head.length < INLINE_HEAD) {
      const room = INLINE_HEAD - this.head.length
      this.head += text.slice(0, room)
      text = text.slice(room)
    }
    if (text) {
      this.tail += text
      // Trim in batches, not per chunk, so a long stream costs amortised O(1) per byte.
      if (this.tail.length > INLINE_TAIL * 2) {
        this.tail = this.tail.slice(-INLINE_TAIL)
        this.dropped = true
      }
    }
  }

  get bytes(): number {
    return this.total
  }

  get truncated(): boolean {
    return this.dropped || this.tail.length > INLINE_TAIL
  }

  text(logName: string): string {
    if (!this.truncated) return this.head + this.tail
    const kept = this.tail.slice(-INLINE_TAIL)
    const cut = kept.indexOf('\n')
    const tail = cut !== -1 && cut < 1024 ? kept.slice(cut + 1) : kept
    return `${this.head}\n${msg.run.outputCut(logName)}\n${tail}`
  }
}
