// The sandbox's public surface: what the runner (the `sandbox` commands, `run --sandbox` and its
// rule-5 gate) may use of it. The runner imports the sandbox only through this file; the sandbox
// uses the runner only through src/runner/api.ts.
import path from 'node:path'

export { breakSandbox, down, healSandbox, reset, up, type DownResult, type Log, type SandboxDeps, type UpResult } from './sandbox.js'
export { renderStatus, sandboxStatus, type SandboxStatus } from './status.js'
export { FAULT_DESCRIPTIONS, FAULTS, isFault, type FaultName } from './fault-names.js'
export { sandboxDir } from './paths.js'
export { readEnvFileText } from './env-file.js'
export { SandboxError } from './errors.js'
export { sandboxConnectionViolations, sandboxStepViolations, sandboxViolations, type GuardOptions } from './guard/index.js'

/** The sandbox's env file (`runbook run --sandbox` reads it). */
export const sandboxEnvFile = (root: string): string => path.join(root, 'env')
