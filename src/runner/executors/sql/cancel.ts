// Cancelling a running statement: PostgreSQL's CancelRequest on a separate socket, with the
// backend's process id and secret key (used by the sql executor and by the TS host for the
// statements of a worker it had to kill).
import net from 'node:net'

export interface PgBackendKey {
  host: string
  port: number
  processID?: number | null
  secretKey?: number | null
}

/** The CancelRequest code of the protocol (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80877102
const CANCEL_TIMEOUT_MS = 3000

/** Asks the server to cancel what the backend `key` runs (no effect on an idle backend). */
export function cancelBackend(key: PgBackendKey): Promise<void> {
  const { processID, secretKey } = key
  if (typeof processID !== 'number' || typeof secretKey !== 'number') return Promise.resolve()
  return new Promise((resolve) => {
    const host = key.host || 'localhost'
    const socket = host.startsWith('/') ? net.connect({ path: `${host}/.s.PGSQL.${key.port}` }) : net.connect({ host, port: key.port })
    const done = () => {
      socket.destroy()
      resolve()
    }
    socket.setTimeout(CANCEL_TIMEOUT_MS, done)
    socket.on('error', done)
    socket.on('close', done)
    socket.on('connect', () => {
      const packet = Buffer.alloc(16)
      packet.writeInt32BE(16, 0)
      packet.writeInt32BE(CANCEL_REQUEST_CODE, 4)
      packet.writeInt32BE(processID, 8)
      packet.writeInt32BE(secretKey | 0, 12)
      socket.end(packet)
    })
  })
}
