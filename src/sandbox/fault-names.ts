// The drills the sandbox can start, by name, and what each is (from the message catalogue, in the
// active language, read when used).
import { msg } from '../runner/api.js'

export const FAULTS = ['formula-engine-down', 'slow-app', 'db-lock', 'error-burst', 'disk-full', 'memory-pressure'] as const
export type FaultName = (typeof FAULTS)[number]

export function isFault(name: string): name is FaultName {
  return (FAULTS as readonly string[]).includes(name)
}

export const FAULT_DESCRIPTIONS: Readonly<Record<FaultName, string>> = Object.defineProperties(
  {},
  Object.fromEntries(FAULTS.map((f) => [f, { enumerable: true, get: () => msg.sandbox.fault(f) }])),
) as Record<FaultName, string>
