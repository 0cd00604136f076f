// A stand-in HTTP service of the sandbox: `node standin.mjs app|formula-engine PORT SANDBOX_DIR`.
// The edge of standin/: the real clock, a random seed from it, the port and the signals.
import { EXIT } from '../../runner/api.js'
import { rng } from '../logs.js'
import { createStandinServer, startAppTraffic, type StandinOptions } from './standin/server.js'
import { watchSandboxFolder } from './standin/watchdog.js'

const [role, portText, root] = process.argv.slice(2)
if ((role !== 'app' && role !== 'formula-engine') || !portText || !root) {
  process.stderr.write('usage: standin.mjs app|formula-engine PORT SANDBOX_DIR\n')
  process.exit(EXIT.usage)
}

const options: StandinOptions = { role, root, now: () => new Date(), random: rng(Date.now() % 100_000) }
const server = createStandinServer(options)
server.keepAliveTimeout = 1000
server.listen(Number(portText), '127.0.0.1')
server.on('error', (e) => {
  process.stderr.write(`${role} stand-in: ${e.message}\n`)
  process.exit(EXIT.failed)
})
if (role === 'app') startAppTraffic(options)
watchSandboxFolder(root, role, () => process.exit(EXIT.ok))

const stop = () => {
  server.close()
  server.closeAllConnections()
  process.exit(EXIT.ok)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
