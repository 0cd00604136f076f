// Until the runner imports the sandbox through src/sandbox/index.ts: the guard lives in guard/.
export { sandboxConnectionViolations, sandboxStepViolations, sandboxViolations, type GuardOptions } from './guard/index.js'
