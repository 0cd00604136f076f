// The `runbook` executable: the process's arguments, folder and world handed to main(), its exit
// code set from what main() returns. `--version` is answered before anything else is loaded.
import { isVersionFlag, versionLine } from './version.js'

const argv = process.argv.slice(2)
if (isVersionFlag(argv[0])) process.stdout.write(versionLine())
else {
  const [{ main }, { processIo }] = await Promise.all([import('./main.js'), import('./process-io.js')])
  process.exitCode = await main(argv, process.cwd(), processIo())
}
