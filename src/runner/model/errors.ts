// Errors the CLI turns into a one-line message and an exit code, never a stack trace.

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  blocked: 3,
  interrupted: 130,
} as const

export class RunbookError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message)
    this.name = 'RunbookError'
  }

  /** `file:line: message`, the form editors and CI logs link to. */
  get located(): string {
    if (!this.file) return this.message
    return this.line ? `${this.file}:${this.line}: ${this.message}` : `${this.file}: ${this.message}`
  }
}
