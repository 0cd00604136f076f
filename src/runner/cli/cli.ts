// The `runbook` executable: the process's arguments, folder and world handed to main(), its exit
// code set from what main() returns. Everything else is loaded only when needed, so
// `runbook --version` stays cheap.
import { main } from './main.js'
import { processIo } from './process-io.js'

process.exitCode = await main(process.argv.slice(2), process.cwd(), processIo())
