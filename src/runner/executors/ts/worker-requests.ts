// What the worker asks the host while a step runs, and how the host answers: the `$` gate (may
// this command start? — the operator or policy decides, and a denial blocks the rest of the
// step), `$.sync` commands (run by the host, so their output streams live and a timeout can kill
// them while the worker blocks), and `confirm` questions. The step's timeout pauses while the
// operator is asked.
import { msg } from '../../terminal/messages/index.js'
import { errorText } from '../error-text.js'
import { runProcess, type OutputStream } from '../process.js'
import { replyToWorker, type LiveWorker } from './live-worker.js'
import type { ExactCommand, GateReply, HostToWorker, TsCommand, WorkerToHost } from './protocol.js'
import type { StepRun } from './step-run.js'

/** Calls a hook; one that throws must not break the step's bookkeeping. */
export function safely(fn: () => void): void {
  try {
    fn()
  } catch {
    // the hook's own problem
  }
}

/** The `$` gate: asks the step's hooks (with the exact line a `$` command will run), remembers a
 * denial, and wakes the blocked worker. */
export async function answerGate(live: LiveWorker, step: StepRun | undefined, command: string, reasons?: string[], exact?: ExactCommand): Promise<void> {
  let reply: GateReply
  if (!step) reply = { deny: msg.executors.stepEnded }
  else if (step.blocked) reply = { deny: step.blocked.reason }
  else {
    step.deadline.pause()
    try {
      const decision = await step.hooks.onCommand(command, reasons, exact)
      reply = decision === 'allow' ? { allow: true } : { deny: decision.deny || msg.executors.commandDenied }
    } catch (err) {
      reply = { deny: msg.executors.commandCheckFailed(errorText(err)) }
    } finally {
      step.deadline.resume()
    }
    if ('deny' in reply) step.blocked ??= { command, reason: reply.deny }
  }
  replyToWorker(live, reply)
}

/** Runs a `$.sync` command for the worker (already through the gate, in the step's view if it has
 * one) and hands back its output. */
export async function runExec(live: LiveWorker, step: StepRun | undefined, request: Extract<WorkerToHost, { t: 'exec' }>): Promise<void> {
  if (!step) {
    replyToWorker(live, { pid: 0, status: null, signal: null, stdout: new Uint8Array(), stderr: new Uint8Array(), error: msg.executors.stepEnded })
    return
  }
  const hooks = step.hooks
  safely(() => hooks.onOutput(`$ ${request.command}\n`, 'stdout'))
  const chunks: Record<OutputStream, Buffer[]> = { stdout: [], stderr: [] }
  // The host runs it, outside the worker: a guarded step's command goes into the same view.
  const [file, ...args] = step.req.confine ? step.req.confine([request.file, ...request.args]) : [request.file, ...request.args]
  const running = runProcess({
    file: file!,
    args,
    cwd: request.cwd,
    env: request.env,
    timeoutMs: 0,
    signal: step.execAbort.signal,
    input: request.input,
    onData: (chunk, stream) => chunks[stream].push(chunk),
    onOutput: (text, stream) => safely(() => hooks.onOutput(text, stream)),
  })
  step.execs.add(running)
  const res = await running
  step.execs.delete(running)
  const record: TsCommand = { command: request.command, exitCode: res.exitCode, durationMs: res.durationMs }
  step.commands.push(record)
  safely(() => hooks.onCommandEnd?.(record))
  replyToWorker(live, {
    pid: 0,
    status: res.exitCode,
    signal: res.signal,
    stdout: Buffer.concat(chunks.stdout),
    stderr: Buffer.concat(chunks.stderr),
    ...(res.error !== undefined ? { error: res.error } : {}),
  })
}

/** A `confirm(question)` of the step, answered by the operator (the worker does not block on it). */
export async function answerConfirm(live: LiveWorker, step: StepRun, id: number, question: string): Promise<void> {
  let answer: HostToWorker
  step.deadline.pause()
  try {
    answer = { t: 'confirmed', id, value: (await step.hooks.confirm(question)) === true }
  } catch (err) {
    answer = { t: 'confirmed', id, error: errorText(err) }
  } finally {
    step.deadline.resume()
  }
  if (live.step === step && !live.dead) live.worker.postMessage(answer)
}
