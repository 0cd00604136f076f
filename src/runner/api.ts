// What the sandbox may use of the runner, and nothing else: the shell parser and the destructive
// judge (for safety rule 5), the env-file reader, the step types, the clock, the exit codes and
// the message catalogue. The sandbox imports the runner only through this file (and the runner the sandbox
// only through src/sandbox/index.ts), so either can be reorganised without reaching into the other.
export { detectShellArgv, knownEffects, loadSyntax, PLACEHOLDER, REDIRECT_DUP_OUT, WRITE_REDIRECTS, type ShNode, type ShSyntax } from './judge/shell.js'
export { readEnvFile } from './run/env.js'
export type { PlannedStep, StepKind } from './model/runbook.js'
export { systemClock, type Clock } from './model/clock.js'
export { EXIT } from './model/errors.js'
export { shellQuote } from './model/shell-quote.js'
export { msg } from './terminal/messages/index.js'
