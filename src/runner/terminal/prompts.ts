// The questions an operator answers at a terminal, over @inquirer/prompts. Only ever used when
// stdin and stdout are TTYs: prompts on a pipe reject late and can leave exit code 0.
import { checkbox, confirm, input, password, select } from '@inquirer/prompts'
import type { InputSpec, EnvSpec } from '../model/runbook.js'

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
          { name: destructive ? '실행 (run) — 위험 단계' : '실행 (run)', value: 'run' },
          { name: '건너뛰기 (skip)', value: 'skip' },
          { name: '중단 (quit)', value: 'quit' },
        ],
        default: destructive ? 'skip' : 'run',
      }),
    confirmDestructive: (message) => confirm({ message, default: false }),
    typeStepId: async (message, stepId) => {
      const typed = await input({ message: `${message}\n  확인하려면 단계 id "${stepId}"를 입력하세요 (그 외 입력은 취소):` })
      return typed.trim() === stepId
    },
    afterFailure: (message) =>
      select<FailureAction>({
        message,
        choices: [
          { name: '다시 시도 (retry)', value: 'retry' },
          { name: '건너뛰고 계속 (skip)', value: 'skip' },
          { name: '중단 (abort)', value: 'abort' },
        ],
      }),
    afterInterrupt: () =>
      select<'quit' | 'continue'>({
        message: '단계를 중지했습니다. 어떻게 할까요?',
        choices: [
          { name: '런북 종료 (quit)', value: 'quit' },
          { name: '다음 단계로 계속 (continue)', value: 'continue' },
        ],
      }),
    commit: (message) =>
      select<boolean>({
        message,
        choices: [
          { name: '롤백 (roll back) — 아무것도 바꾸지 않음', value: false },
          { name: '커밋 (commit)', value: true },
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
        validate: (v) => (spec.type === 'number' && !Number.isFinite(Number(v)) ? '숫자를 입력하세요' : true),
      })
    },
    askEnv: (spec) => {
      const message = `${spec.name}${spec.description ? ` — ${spec.description}` : ''}`
      return spec.secret ? password({ message, mask: '*' }) : input({ message, required: true })
    },
    tick: async (items) => {
      const picked = await checkbox({
        message: '체크리스트: 완료한 항목을 고르세요 (스페이스로 선택, 엔터로 확정)',
        choices: items.map((name, i) => ({ name, value: i })),
      })
      return items.map((_, i) => picked.includes(i))
    },
  }
}
