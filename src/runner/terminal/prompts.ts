// The questions an operator answers at a terminal. Only ever used when stdin and stdout are TTYs:
// prompts on a pipe reject late and can leave exit code 0. Choices are answered by one key or by
// the arrows (key-prompt.ts); text, secrets and the checklist go through @inquirer/prompts with the
// catalogue's words. Ctrl-C at any of them rejects with PromptInterrupted: the walk stops, the
// report is saved with the run `interrupted`, exit 130 (one model for every prompt and every step).
import { checkbox, input, password, select } from '@inquirer/prompts'
import type { InputSpec, EnvSpec } from '../model/runbook.js'
import { keyPrompt, PromptInterrupted, type KeyChoice } from './key-prompt.js'
import { msg } from './messages/index.js'

export { PromptInterrupted } from './key-prompt.js'

/** `view`: show the whole of a folded step's code, then ask again. */
export type StepAction = 'run' | 'skip' | 'quit' | 'view'
export type FailureAction = 'retry' | 'skip' | 'abort'

export interface Prompts {
  /** `folded`: the step's code was shown in part; offer to see it whole. */
  stepAction(message: string, destructive: boolean, folded?: boolean): Promise<StepAction>
  confirmDestructive(message: string): Promise<boolean>
  /** A critical step: the operator types its id (three tries); false when every try was wrong. */
  typeStepId(message: string, stepId: string): Promise<boolean>
  afterFailure(message: string): Promise<FailureAction>
  commit(message: string): Promise<boolean>
  confirm(message: string): Promise<boolean>
  askInput(spec: InputSpec): Promise<string>
  askEnv(spec: EnvSpec): Promise<string>
  tick(items: string[]): Promise<boolean[]>
  /** Why a step is skipped (optional: empty for none). */
  skipReason?(): Promise<string>
}

export const STEP_ID_TRIES = 3

/** The prompt library's Ctrl-C (ExitPromptError) as the walk's. */
async function guarded<T>(question: Promise<T>): Promise<T> {
  try {
    return await question
  } catch (e) {
    if ((e as Error | undefined)?.name === 'ExitPromptError') throw new PromptInterrupted()
    throw e
  }
}

/** Whether an error is Ctrl-C at a prompt (the walk stops) rather than a failed question. */
export function isPromptInterrupted(e: unknown): e is PromptInterrupted {
  return e instanceof PromptInterrupted
}

const yesNo = (): KeyChoice<boolean>[] => [
  { key: 'y', name: msg.run.answerYes, value: true },
  { key: 'n', name: msg.run.answerNo, value: false },
]

/** The prompt library's hint lines and words, from the catalogue. */
const theme = () => ({
  style: { keysHelpTip: (keys: [string, string][]) => keys.map(([key, action]) => `${msg.run.keyName(key)} ${msg.run.keyAction(action)}`).join(' • ') },
})

export function inquirerPrompts(): Prompts {
  const yn = (message: string) => keyPrompt({ message, choices: yesNo(), default: false })
  return {
    stepAction: (message, destructive, folded) =>
      keyPrompt<StepAction>({
        message,
        choices: [
          { key: 'r', name: destructive ? msg.run.choiceRunDestructive : msg.run.choiceRun, value: 'run' },
          { key: 's', name: msg.run.choiceSkip, value: 'skip' },
          { key: 'q', name: msg.run.choiceQuit, value: 'quit' },
          ...(folded ? [{ key: 'v', name: msg.run.choiceViewCode, value: 'view' as const }] : []),
        ],
        default: destructive ? 'skip' : 'run',
      }),
    confirmDestructive: yn,
    typeStepId: async (message, stepId) => {
      // The question once; each try only asks for the id again.
      process.stdout.write(`${message}\n`)
      for (let left = STEP_ID_TRIES; left > 0; left--) {
        const typed = await guarded(input({ message: msg.run.typeStepId(stepId) }))
        if (typed.trim() === stepId) return true
        if (left > 1) process.stdout.write(`${msg.run.stepIdMismatch(typed.trim(), left - 1)}\n`)
      }
      process.stdout.write(`${msg.run.stepIdGaveUp(STEP_ID_TRIES)}\n`)
      return false
    },
    afterFailure: (message) =>
      keyPrompt<FailureAction>({
        message,
        choices: [
          { key: 'r', name: msg.run.choiceRetry, value: 'retry' },
          { key: 's', name: msg.run.choiceSkipContinue, value: 'skip' },
          { key: 'q', name: msg.run.choiceAbort, value: 'abort' },
        ],
        default: 'retry',
      }),
    commit: (message) =>
      keyPrompt<boolean>({
        message,
        choices: [
          { key: 'n', name: msg.run.choiceRollBack, value: false },
          { key: 'y', name: msg.run.choiceCommit, value: true },
        ],
        default: false,
      }),
    confirm: yn,
    askInput: async (spec) => {
      const message = spec.description ? `${spec.name} — ${spec.description}` : spec.name
      if (spec.type === 'choice' && spec.choices) {
        return guarded(select({ message, choices: spec.choices.map((c) => ({ name: c, value: c })), default: spec.default, theme: theme() }))
      }
      return guarded(
        input({
          message,
          default: spec.default,
          // The library's own "required" speaks English: the check is ours.
          validate: (v) => (v === '' ? msg.run.valueRequired : spec.type === 'number' && !Number.isFinite(Number(v)) ? msg.run.enterNumber : true),
        }),
      )
    },
    askEnv: (spec) => {
      const message = `${spec.name}${spec.description ? ` — ${spec.description}` : ''}`
      const validate = (v: string) => (v === '' ? msg.run.valueRequired : true)
      return guarded(spec.secret ? password({ message, mask: '*', validate }) : input({ message, validate }))
    },
    tick: async (items) => {
      const picked = await guarded(
        checkbox({
          message: msg.run.tickChecklist,
          choices: items.map((name, i) => ({ name, value: i })),
          theme: theme(),
        }),
      )
      return items.map((_, i) => picked.includes(i))
    },
    skipReason: async () => (await guarded(input({ message: msg.run.skipReasonPrompt }))).trim(),
  }
}

/** The sign-off questions after a run, with the same keys and the same Ctrl-C. */
export function signoffPrompts(): { confirm(message: string): Promise<boolean>; input(message: string): Promise<string> } {
  return {
    confirm: (message) => keyPrompt({ message, choices: yesNo(), default: false }),
    input: async (message) => guarded(input({ message })),
  }
}
