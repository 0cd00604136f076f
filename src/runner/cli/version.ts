// The version line `runbook --version` prints; its own module so the entry can answer without
// loading anything else (scripts and health checks call it often).
import pkg from '../../../package.json' with { type: 'json' }

export const VERSION = pkg.version
export const isVersionFlag = (arg: string | undefined) => arg === '--version' || arg === '-v'
export const versionLine = () => `${VERSION}\n`
