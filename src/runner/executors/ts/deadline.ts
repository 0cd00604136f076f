// A TS step's timeout that pauses while the operator is asked something (a command check or
// `confirm`), so a step is not timed out while a question is on screen. Monotonic time only.
import { hasLimit } from '../step-stop.js'

export class Deadline {
  #remaining: number
  #since = 0
  #timer: NodeJS.Timeout | undefined
  #paused = 0
  #cleared = false
  readonly #onExpire: () => void

  constructor(ms: number, onExpire: () => void) {
    this.#remaining = hasLimit(ms) ? ms : Infinity
    this.#onExpire = onExpire
    this.#arm()
  }

  #arm(): void {
    if (this.#cleared || this.#remaining === Infinity) return
    this.#since = performance.now()
    this.#timer = setTimeout(this.#onExpire, Math.max(0, this.#remaining))
  }

  pause(): void {
    if (this.#paused++ > 0 || !this.#timer) return
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#remaining -= performance.now() - this.#since
  }

  resume(): void {
    if (this.#paused === 0 || --this.#paused > 0) return
    if (!this.#timer) this.#arm()
  }

  clear(): void {
    this.#cleared = true
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
