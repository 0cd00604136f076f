// The questions an operator answers at a terminal, over @inquirer/prompts. Only ever used when
// stdin and stdout are TTYs: prompts on a pipe reject late and can leave exit code 0.
import { checkbox, confirm, input, password, select } from '@inquirer/prompts'
import type { InputSpec, EnvSpec } from '../model/runbook.js'
import { msg } from './messages/index.js'

export type StepAction = 'run' | 'skip' | 'quit'
export type FailureAction = 'retry' | 'skip' | 'abort'

export interface Prompts {
  stepAction(message: string, destructive: boolean): Promise<StepAction>
  confirmDestructive(message: string): Promise<boolean>
  typeStepId(message: string, stepId: string): Promise<boolean>
  afterFailure(message: string): Promise<FailureAction>
  afterInterrupt(): Promise<'quit' | 'continue'>
  commit(message: string): Promise<boolean>
  confirm(message: string): Promise<boolean>
  askInput(spec: InputSpec): Promise<string>
  askEnv(spec: EnvSpec): Promise<string>
  tick(items: string[]): Promise<boolean[]>
}

export function inquirerPrompts(): Prompts {
  return {
    stepAction: (message, destructive) =>
      select<StepAction>({
        message,
        choices: [
          { name: destructive ? msg.run.choiceRunDestructive : msg.run.choiceRun, value: 'run' },
          { name: msg.run.choiceSkip, value: 'skip' },
          { name: msg.run.choiceQuit, value: 'quit' },
        ],
        default: destructive ? 'skip' : 'run',
      }),
    confirmDestructive: (message) => confirm({ message, default: false }),
    typeStepId: async (message, stepId) => {
      const typed = await input({ message: msg.run.typeStepId(message, stepId) })
      return typed.trim() === stepId
    },
    afterFailure: (message) =>
      select<FailureAction>({
        message,
        choices: [
          { name: msg.run.choiceRetry, value: 'retry' },
          { name: msg.run.choiceSkipContinue, value: 'skip' },
          { name: msg.run.choiceAbort, value: 'abort' },
        ],
      }),
    afterInterrupt: () =>
      select<'quit' | 'continue'>({
        message: msg.run.afterInterrupt,
        choices: [
          { name: msg.run.choiceEndRunbook, value: 'quit' },
          { name: msg.run.choiceContinue, value: 'continue' },
        ],
      }),
    commit: (message) =>
      select<boolean>({
        message,
        choices: [
          { name: msg.run.choiceRollBack, value: false },
          { name: msg.run.choiceCommit, value: true },
        ],
        default: false,
      }),
    confirm: (message) => confirm({ message, default: false }),
    askInput: async (spec) => {
      const message = spec.description ? `${spec.name} — ${spec.description}` : spec.name
      if (spec.type === 'choice' && spec.choices) {
        return select({ message, choices: spec.choices.map((c) => ({ name: c, value: c })), default: spec.default })
      }
      return input({
        message,
        default: spec.default,
        required: true,
        validate: (v) => (spec.type === 'number' && !Number.isFinite(Number(v)) ? msg.run.enterNumber : true),
      })
    },
    askEnv: (spec) => {
      const message = `${spec.name}${spec.description ? ` — ${spec.description}` : ''}`
      return spec.secret ? password({ message, mask: '*' }) : input({ message, required: true })
    },
    tick: async (items) => {
      const picked = await checkbox({
        message: msg.run.tickChecklist,
        choices: items.map((name, i) => ({ name, value: i })),
      })
      return items.map((_, i) => picked.includes(i))
    },
  }
}
