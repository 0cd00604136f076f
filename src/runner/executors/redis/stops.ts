// Stopping a Redis step: the step's timeout or the run's abort closes the connection, which
// rejects the command in flight (a blocking BLPOP too), and the step ends timed out or interrupted.
import type { StepContext } from '../../model/run-record.js'
import { msg } from '../../terminal/messages/index.js'
import { StepStop, abortCause, formatTimeout, hasLimit } from '../step-stop.js'

export class RedisStops {
  /** Why the step was stopped, once it was. */
  reason: 'timeout' | 'abort' | null = null
  #wake: (() => void) | undefined
  #timer: NodeJS.Timeout | undefined
  readonly #onAbort = (): void => this.stop(abortCause(this.ctx.signal))

  /** `close` drops the step's connection. */
  constructor(
    private readonly ctx: StepContext,
    private readonly close: () => void,
  ) {
    ctx.signal.addEventListener('abort', this.#onAbort, { once: true })
  }

  stop(why: 'timeout' | 'abort'): void {
    if (this.reason) return
    this.reason = why
    this.close()
    this.#wake?.()
  }

  /** The step's timeout runs from here (not while the operator is asked). */
  startTimer(): void {
    if (hasLimit(this.ctx.timeoutMs)) this.#timer = setTimeout(() => this.stop('timeout'), this.ctx.timeoutMs)
  }

  /** A reply, or a rejection as soon as the step is stopped. */
  sent(reply: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#wake = () => reject(new Error('stopped'))
      reply.then(resolve, reject)
    })
  }

  /** The step's end after a stop, at a file line when known. */
  stopped(line: number | null): StepStop {
    const at = line === null ? '' : msg.executors.atLine(line)
    return this.reason === 'timeout'
      ? new StepStop('timed-out', `${at}${msg.executors.redisTimedOut(formatTimeout(this.ctx.timeoutMs))}`)
      : new StepStop('interrupted', `${at}${msg.executors.interrupted}`)
  }

  /** A stop that came while the operator was asked counts as an interruption. */
  throwIfStopped(): void {
    if (this.reason || this.ctx.signal.aborted) {
      this.reason ??= 'abort'
      throw this.stopped(null)
    }
  }

  end(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.ctx.signal.removeEventListener('abort', this.#onAbort)
  }
}
