// The TS worker's side of its channels to the host, as a child process: every message to the
// host is written synchronously on fd 4 (length-prefixed V8 serialisation, so output and requests
// keep their order and a full pipe only makes the step wait); a request that must block — a
// command check, a `$.sync` command — then reads its answer from fd 5. The host's other messages
// (run, confirmed, close) arrive on the IPC channel.
import { readSync, writeSync } from 'node:fs'
import { deserialize, serialize } from 'node:v8'

const TO_HOST_FD = 4
const FROM_HOST_FD = 5
const nap = new Int32Array(new SharedArrayBuffer(4))

/** A pipe in non-blocking mode answers EAGAIN: wait a moment and try again. */
function retrying<T>(op: () => T): T {
  for (;;) {
    try {
      return op()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
      Atomics.wait(nap, 0, 0, 1)
    }
  }
}

function writeAll(buffer: Buffer): void {
  let offset = 0
  while (offset < buffer.length) offset += retrying(() => writeSync(TO_HOST_FD, buffer, offset, buffer.length - offset))
}

function readExactly(length: number, closed: string): Buffer {
  const buffer = Buffer.alloc(length)
  let offset = 0
  while (offset < length) {
    const n = retrying(() => readSync(FROM_HOST_FD, buffer, offset, length - offset, null))
    if (n === 0) throw new Error(closed)
    offset += n
  }
  return buffer
}

/** One frame: a 4-byte little-endian length, then the V8-serialised value. */
export function frame(value: unknown): Buffer {
  const body = serialize(value)
  const head = Buffer.alloc(4)
  head.writeUInt32LE(body.length, 0)
  return Buffer.concat([head, body])
}

/** Sends a message to the host (synchronously: it is on its way when this returns). */
export function postToHost(message: unknown): void {
  writeAll(frame(message))
}

/** Sends a request and blocks until the host answers it on the reply pipe. */
export function askHost<T>(message: unknown, closed: string): T {
  postToHost(message)
  const length = readExactly(4, closed).readUInt32LE(0)
  return deserialize(readExactly(length, closed)) as T
}

/** The host's asynchronous messages; the process ends when the host goes away. */
export function onHostMessage(handler: (message: unknown) => void): void {
  if (!process.send) throw new Error('ts-worker.js must run as a child process with an IPC channel')
  process.on('message', handler)
  process.on('disconnect', () => process.exit(0))
}
