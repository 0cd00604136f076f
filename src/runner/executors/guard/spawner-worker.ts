// The guarded spawner's own program: a small Node process started once per view inside bubblewrap
// (spawner.ts), which starts each step's process on request (a fork and exec, no new bwrap) and
// relays its output, input and exit over the runner's channel.
//
// It is shipped as the source of one self-contained function (`node -e "(…)(require)"`), so it runs
// the same from the bundle and from the TypeScript sources without a build step: the function may
// use nothing from outside its body but its `load` parameter (node -e's `require`: a parameter, so
// no bundler rewrites it) and Node's globals (process, Buffer).
//
// The channel is the spawner's stdin and stdout, which Node (libuv) creates as a Unix socket pair,
// not as pipes: a process of the view cannot reopen a socket through /proc/<pid>/fd (ENXIO), so a
// step cannot write requests or forge replies there. Frames, both ways: type (1 byte), request id
// (u32 BE), payload length (u32 BE), payload.
//   runner → spawner: S start (JSON {file, args, cwd, env, input}), I input bytes, E end of input,
//                     D detach (destroy the step's output pipes: something that escaped the group holds them)
//   spawner → runner: R ready (id 0, JSON {pid}), A request received, P started (JSON {pid}), F failed to start (JSON {message}),
//                     O stdout bytes, e stderr bytes, X exit (JSON {code, signal}), C pipes closed

/** Runs in the spawner process; see the file's comment for the protocol. */
export function spawnerMain(load: (id: string) => unknown): void {
  const { spawn } = load('node:child_process') as typeof import('node:child_process')
  type Child = import('node:child_process').ChildProcess
  const out = process.stdout
  const steps = new Map<number, Child>()
  let paused = false

  const send = (type: string, id: number, payload: Buffer | string = ''): void => {
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload
    const head = Buffer.alloc(9)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(id, 1)
    head.writeUInt32BE(body.length, 5)
    // Backpressure: a slow runner pauses every step's output instead of growing a buffer here.
    if (!out.write(body.length > 0 ? Buffer.concat([head, body]) : head) && !paused) {
      paused = true
      for (const c of steps.values()) c.stdout?.pause(), c.stderr?.pause()
      out.once('drain', () => {
        paused = false
        for (const c of steps.values()) c.stdout?.resume(), c.stderr?.resume()
      })
    }
  }

  const start = (id: number, req: { file: string; args: string[]; cwd?: string; env: Record<string, string>; input: boolean }): void => {
    // Received, not started yet: until this arrives the runner may safely use another spawner.
    send('A', id)
    // detached: the step leads a process group of its own, which the runner signals directly
    // (no PID namespace: pids are the same on both sides).
    const child = spawn(req.file, req.args, { cwd: req.cwd, env: req.env, stdio: [req.input ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: true })
    // spawn() returns once the program was executed (or failed to be): the pid goes out in the
    // same turn, so the runner knows the group to stop as early as it can.
    const started = child.pid !== undefined
    if (started) {
      steps.set(id, child)
      send('P', id, JSON.stringify({ pid: child.pid }))
      child.stdout!.on('data', (b: Buffer) => send('O', id, b))
      child.stderr!.on('data', (b: Buffer) => send('e', id, b))
      if (paused) child.stdout!.pause(), child.stderr!.pause()
    }
    child.stdin?.on('error', () => {}) // EPIPE: the step does not read its input
    child.once('error', (err) => {
      if (!started) send('F', id, JSON.stringify({ message: err.message }))
    })
    child.once('exit', (code, signal) => {
      if (started) send('X', id, JSON.stringify({ code, signal }))
    })
    child.once('close', () => {
      if (!started) return
      steps.delete(id)
      send('C', id)
    })
  }

  const handle = (type: string, id: number, body: Buffer): void => {
    if (type === 'S') return start(id, JSON.parse(body.toString('utf8')))
    const child = steps.get(id)
    if (!child) return
    if (type === 'I') child.stdin?.write(body)
    else if (type === 'E') child.stdin?.end()
    else if (type === 'D') child.stdout?.destroy(), child.stderr?.destroy()
  }

  let pending: Buffer = Buffer.alloc(0)
  process.stdin.on('data', (chunk: Buffer) => {
    pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk
    while (pending.length >= 9) {
      const len = pending.readUInt32BE(5)
      if (pending.length < 9 + len) break
      handle(pending.toString('latin1', 0, 1), pending.readUInt32BE(1), pending.subarray(9, 9 + len))
      pending = pending.subarray(9 + len)
    }
  })
  // The runner is gone (it exited, or was killed with -9: the kernel closed its end): each running
  // step's main process is killed and the spawner exits. This is bubblewrap's --die-with-parent, as
  // the direct path has it: what the step started stays in its group, which `resume` finds and stops.
  process.stdin.on('end', () => {
    for (const c of steps.values()) c.kill('SIGKILL')
    process.exit(0)
  })
  send('R', 0, JSON.stringify({ pid: process.pid }))
}
