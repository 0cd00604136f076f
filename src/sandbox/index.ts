// The sandbox's public surface: what the runner (the `sandbox` commands, `run --sandbox` and its
// rule-5 gate) may use of it. The runner imports the sandbox only through this file; the sandbox
// uses the runner only through src/runner/api.ts. Importing it is cheap: the commands' work
// (servers' clients, data, stand-ins) is loaded when one of them runs.
import path from 'node:path'
import type * as Commands from './sandbox.js'
import type * as Status from './status.js'

export type { DownResult, Log, SandboxDeps, UpResult } from './sandbox.js'
export type { SandboxStatus } from './status.js'
export { renderStatus } from './status-text.js'
export { FAULT_DESCRIPTIONS, FAULTS, isFault, type FaultName } from './fault-names.js'
export { sandboxDir } from './paths.js'
import { layout as sandboxLayout } from './paths.js'
/** What plays remote services in the sandbox (the S3 bucket) and the log of simulated actions: the
 * network of a sandbox run, so the runner's OS guard keeps them writable for steps that are not
 * destructive (an upload). */
export const sandboxRemoteDirs = (root: string): string[] => [sandboxLayout(root).s3, sandboxLayout(root).history]
export { SandboxError } from './errors.js'
export { sandboxConnectionViolations, sandboxStepViolations, sandboxViolations, type GuardOptions } from './guard/index.js'

const commands = () => import('./sandbox.js')

/** Brings the sandbox up (idempotent): servers, data, files, shims, stand-ins, env file. */
export const up: typeof Commands.up = async (...args) => (await commands()).up(...args)
/** Stops what `up` started; `purge` also deletes the data and the folder. */
export const down: typeof Commands.down = async (...args) => (await commands()).down(...args)
/** Restores the data, the files and the simulated host as after the first `up`. */
export const reset: typeof Commands.reset = async (...args) => (await commands()).reset(...args)
/** Starts a drill; says what it did. */
export const breakSandbox: typeof Commands.breakSandbox = async (...args) => (await commands()).breakSandbox(...args)
/** Ends the drill named, or all of them. */
export const healSandbox: typeof Commands.healSandbox = async (...args) => (await commands()).healSandbox(...args)
/** Servers, stand-ins, faults and the simulated host, as data. */
export const sandboxStatus: typeof Status.sandboxStatus = async (...args) => (await import('./status.js')).sandboxStatus(...args)

/** The sandbox's env file (`runbook run --sandbox` reads it). */
export const sandboxEnvFile = (root: string): string => path.join(root, 'env')
