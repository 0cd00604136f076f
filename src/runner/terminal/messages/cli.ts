// Messages of the interface: commands, their errors and usage lines, list/plan/read/cron/history output.
// Each entry is a string or a function of its values; `en` has exactly `ko`'s keys (the type
// says so), so a text cannot exist in one language only.

export const ko = {
  // Dispatch and usage errors
  unknownCommand: (name: string, commands: string) => `알 수 없는 명령 "${name}" (명령: ${commands})`,
  seeHelp: (message: string, command: string) => `${message}. 도움말: runbook ${command} --help`,
  internalError: (detail: string) => `내부 오류: ${detail}`,
  optionNeedsValue: (option: string) => `${option} 옵션에는 값이 필요합니다`,
  unknownOption: (option: string, command: string) => `알 수 없는 옵션 ${option} (명령 runbook ${command}). 도움말: runbook ${command} --help`,
  expectsKeyValue: (option: string, got: string) => `${option} 옵션은 KEY=VALUE 형식입니다. 받은 값: "${got}"`,
  targetOrSandbox: '--target NAME, --sandbox 중 하나만 쓰세요',
  badBoolean: (got: string, option: string, command: string) =>
    `옵션 값을 알 수 없음: "${got}" (명령 runbook ${command}). 쓸 수 있는 형식: ${option}, ${option}=true, ${option}=false, --no-${option.slice(2)}`,
  booleanBothWays: (option: string, command: string) => `옵션 ${option} 켜기와 끄기를 함께 줄 수 없습니다 (명령 runbook ${command})`,

  // list
  listHead: { id: 'id', title: '제목', schedule: '주기', nextRun: '다음 실행', owner: '담당', steps: '단계', destructive: '위험', review: '검토', lastRun: '마지막 실행' },
  noRunbooks: '런북이 없습니다.',
  invalidEntry: (id: string) => `${id} (오류: runbook lint 참고)`,
  never: '없음',
  reviewOverdue: (next: string) => `지남 (예정일 ${next})`,
  reviewDueSoon: (next: string) => `곧 (${next})`,
  reviewNext: (next: string) => `다음 ${next}`,

  // plan (and the labels read shares)
  planHead: { index: '#', step: '단계', kind: '종류', line: '줄', timeout: '제한 시간', safety: '안전' },
  noSteps: '실행할 단계가 없습니다.',
  safetySkip: '건너뜀 (예시)',
  safetyCritical: '치명적',
  safetyDestructive: '위험',
  safetyUndeclared: '위험 (탐지됨, 선언 없음)',
  safetyDeclaredSafe: '안전 (선언)',
  safetySafe: '안전',
  requires: (commands: string) => `필요한 명령: ${commands}`,
  probe: (command: string) => `사전 확인(probe): ${command}`,
  probeReadOnly: '(읽기 전용 확인됨)',
  probeRefused: (reasons: string) => `(실행 거부: 읽기 전용임을 확인할 수 없음 — ${reasons})`,
  environment: '환경 변수',
  inputs: '입력값',
  checklist: '체크리스트',
  required: '필수',
  secret: '비밀',

  // read
  owner: (owner: string) => `담당 ${owner}`,
  schedule: (schedule: string) => `주기 ${schedule}`,
  nextReview: (next: string) => `다음 검토 ${next}`,
  stepCount: (steps: number, destructive: number) => `단계 ${steps}개, 위험 단계 ${destructive}개`,
  shownOnly: (language: string) => `(${language}: 보기용, 실행하지 않음)`,

  // cron
  badTarget: (target: string) => `잘못된 대상 이름 "${target}": 글자, 숫자, ".", "_", "-"만 쓸 수 있습니다`,
  notScheduled: '잘못된 런북이라 일정에 넣지 않음 (runbook lint 참고)',
  cronWhereSandbox: '샌드박스 (--sandbox)',
  cronWhereTarget: (target: string) => `대상 ${target} (environments/${target}.env)`,
  cronWhereNone: '대상 없음 (cron 자체의 환경 변수를 씀)',
  cronTitle: (where: string) => `ExcelApp 런북 일정 (${where}): runbook cron 명령이 만든 crontab`,
  cronInstallNote: '설치 전에 지금 crontab 내용을 확인하세요 (crontab -l). runbook cron … | crontab - 명령은 기존 crontab 전체를 바꿉니다.',
  cronReportsNote: '각 실행의 보고서 위치: reports/<날짜>/ · 실행기 자체의 출력: reports/cron.log',
  cronNothing: 'cron 시각이 있는 런북이 없습니다.',
  cronUnattended: (inputs: string) => `무인 실행 불가: 기본값이 없는 입력 ${inputs}`,

  // history
  historyHead: { started: '시작', runbook: '런북', status: '상태', operator: '실행자', signoff: '서명', report: '보고서' },
  noRuns: '기록된 실행이 없습니다.',
  unsigned: '서명 없음',
  partialRun: (how: string) => `부분 실행: ${how}`,

  // run: signing right after an interactive run
  signNow: '보고서에 지금 서명할까요? (runbook sign)',
  signComment: '서명 의견 (없으면 엔터):',
  signedNow: (principal: string, report: string) => `✔ ${principal} 서명 완료: ${report}`,
  signFailed: (detail: string, report: string) => `서명하지 못했습니다: ${detail}\n  나중에: runbook sign ${report}`,

  // sign and verify
  signed: (report: string, principal: string) => `서명 완료: ${report} (서명자 ${principal})`,
  caveatRun: (status: string) => `실행 결과 ${status}`,
  caveatChecklist: (state: string) => `체크리스트 ${state}`,
  signoffLine: (signer: string, report: string, at: string, status: string, checklist: string) =>
    `${signer} 서명: ${report} · ${at} (실행 결과 ${status}, 체크리스트 ${checklist})`,
  approvals: (have: number, required: number) => `승인: ${have}/${required}`,
  verified: 'OK',
  verifiedDetail: '모든 해시와 서명이 맞습니다',
  verifyFailed: '실패',

  // sandbox
  sandboxLog: (message: string) => `샌드박스: ${message}`,
  sandboxFailed: (detail: string) => `샌드박스 오류: ${detail}`,
  sandboxUp: (seconds: string, root: string) => `ExcelApp 샌드박스 시작: ${seconds}초 (${root})`,
  sandboxGenerated: '데이터 생성함',
  sandboxNext: '다음: runbook run runbooks/daily/health-check.md --sandbox',
  sandboxDown: (root: string) => `ExcelApp 샌드박스 중지 (${root})`,
  sandboxStopped: (names: string) => `멈춘 것: ${names}`,
  sandboxPurged: '데이터 삭제함',
  sandboxReset: (seconds: string) => `ExcelApp 샌드박스 초기화: ${seconds}초`,
  drillStarted: (message: string) => `훈련 시작: ${message}`,
  healed: (faults: string) => `복구함: ${faults}`,
  noFaultActive: '활성화된 장애가 없었습니다',
  /** `faults` starts with its separator: a newline before a table, a space before a short list. */
  unknownFault: (name: string, faults: string) => `알 수 없는 장애 "${name}". 장애 목록:${faults}`,

  // verify: where the number of approvals came from
  approvalsUnknown: (have: number) => `승인: ${have}/?`,
  approvalsFromRunbook: (where: string) => `필요한 승인 수 출처: 커밋된 런북 ${where}`,
  approvalsFromVerifier: (why: string) => `필요한 승인 수 출처: 검증자 (--approvals)${why ? `. 런북의 값을 쓰지 못한 이유: ${why}` : ''}`,
  badApprovals: (value: string) => `--approvals 값은 정수여야 함 (범위 1–10): ${value}`,
  // The interface's language and the runbook a command is given
  badLanguage: (value: string) => `--lang 값이 잘못됨: "${value}" (ko 또는 en)`,
  noSuchRunbook: (name: string, dir: string) => `런북 없음: ${name} (파일도 아니고, ${dir} 폴더의 런북 id도 아님)`,
  historyTarget: '대상',
  cronNoEnvFile: (target: string, file: string) => `대상 ${target}: 환경 파일 없음 (${file}). 파일을 만들거나 --target으로 다른 대상을 고르세요`,
  interrupted: '중단됨 (Ctrl-C)',

  // list: the review of the document a runbook was derived from (issue 18)
  listSourceHead: '원본 검토',
  sourceOverdue: (next: string) => `원본 지남 (예정일 ${next})`,
  sourceDueSoon: (next: string) => `원본 곧 (${next})`,
  sourceNext: (next: string) => `원본 다음 ${next}`,
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export const en: typeof ko = {
  // Dispatch and usage errors
  unknownCommand: (name, commands) => `unknown command "${name}"; commands: ${commands}`,
  seeHelp: (message, command) => `${message}; see \`runbook ${command} --help\``,
  internalError: (detail) => `internal error: ${detail}`,
  optionNeedsValue: (option) => `${option} needs a value`,
  unknownOption: (option, command) => `unknown option ${option} for \`runbook ${command}\`; see \`runbook ${command} --help\``,
  expectsKeyValue: (option, got) => `${option} expects KEY=VALUE, got "${got}"`,
  targetOrSandbox: 'use either --target NAME or --sandbox, not both',
  badBoolean: (got, option, command) =>
    `\`runbook ${command}\`: "${got}" is not a value of ${option}; accepted: ${option}, ${option}=true, ${option}=false, --no-${option.slice(2)}`,
  booleanBothWays: (option, command) => `\`runbook ${command}\`: ${option} given both on and off`,

  // list
  listHead: { id: 'id', title: 'title', schedule: 'schedule', nextRun: 'next run', owner: 'owner', steps: 'steps', destructive: 'destructive', review: 'review', lastRun: 'last run' },
  noRunbooks: 'No runbooks found.',
  invalidEntry: (id) => `${id} (invalid: lint)`,
  never: 'never',
  reviewOverdue: (next) => `overdue since ${next}`,
  reviewDueSoon: (next) => `due ${next}`,
  reviewNext: (next) => `next ${next}`,

  // plan (and the labels read shares)
  planHead: { index: '#', step: 'step', kind: 'kind', line: 'line', timeout: 'timeout', safety: 'safety' },
  noSteps: 'No executable steps.',
  safetySkip: 'skip (example)',
  safetyCritical: 'CRITICAL',
  safetyDestructive: 'destructive',
  safetyUndeclared: 'destructive (detected, undeclared)',
  safetyDeclaredSafe: 'safe (declared)',
  safetySafe: 'safe',
  requires: (commands) => `requires ${commands}`,
  probe: (command) => `probe: ${command}`,
  probeReadOnly: '(proven read-only)',
  probeRefused: (reasons) => `(refused: not proven read-only — ${reasons})`,
  environment: 'Environment',
  inputs: 'Inputs',
  checklist: 'Checklist',
  required: 'required',
  secret: 'secret',

  // read
  owner: (owner) => `owner ${owner}`,
  schedule: (schedule) => `schedule ${schedule}`,
  nextReview: (next) => `next review ${next}`,
  stepCount: (steps, destructive) => `${plural(steps, 'step')}, ${destructive} destructive`,
  shownOnly: (language) => `(${language}: shown only, not run)`,

  // cron
  badTarget: (target) => `bad target name "${target}": use letters, digits, ".", "_" or "-"`,
  notScheduled: 'invalid runbook (see `runbook lint`); not scheduled',
  cronWhereSandbox: 'the sandbox (--sandbox)',
  cronWhereTarget: (target) => `target ${target} (environments/${target}.env)`,
  cronWhereNone: "no target (cron's own environment)",
  cronTitle: (where) => `ExcelApp runbook schedule (${where}): a crontab made by \`runbook cron\``,
  cronInstallNote: 'Check the current one with `crontab -l` before installing: `runbook cron … | crontab -` replaces the whole crontab.',
  cronReportsNote: "Each run's report goes to reports/<date>/, the runner's own output to reports/cron.log.",
  cronNothing: 'No runbook has a cron time.',
  cronUnattended: (inputs) => `cannot run unattended: no default for the input${inputs.includes(',') ? 's' : ''} ${inputs}`,

  // history
  historyHead: { started: 'started', runbook: 'runbook', status: 'status', operator: 'operator', signoff: 'sign-off', report: 'report' },
  noRuns: 'No runs recorded.',
  unsigned: 'unsigned',
  partialRun: (how) => `partial: ${how}`,

  // run: signing right after an interactive run
  signNow: 'Sign the report now? (runbook sign)',
  signComment: 'Sign-off comment (Enter for none):',
  signedNow: (principal, report) => `✔ signed by ${principal}: ${report}`,
  signFailed: (detail, report) => `could not sign: ${detail}\n  later: runbook sign ${report}`,

  // sign and verify
  signed: (report, principal) => `signed ${report} as ${principal}`,
  caveatRun: (status) => `run ${status}`,
  caveatChecklist: (state) => `checklist ${state}`,
  signoffLine: (signer, report, at, status, checklist) => `${signer} signed ${report} at ${at} (run ${status}, checklist ${checklist})`,
  approvals: (have, required) => `approvals: ${have}/${required}`,
  verified: 'OK',
  verifiedDetail: 'every hash and signature holds',
  verifyFailed: 'FAILED',

  // sandbox
  sandboxLog: (message) => `sandbox: ${message}`,
  sandboxFailed: (detail) => `sandbox: ${detail}`,
  sandboxUp: (seconds, root) => `ExcelApp sandbox up in ${seconds} s (${root})`,
  sandboxGenerated: 'data generated',
  sandboxNext: 'Next: runbook run runbooks/daily/health-check.md --sandbox',
  sandboxDown: (root) => `ExcelApp sandbox down (${root})`,
  sandboxStopped: (names) => `stopped ${names}`,
  sandboxPurged: 'data deleted',
  sandboxReset: (seconds) => `ExcelApp sandbox reset in ${seconds} s`,
  drillStarted: (message) => `drill: ${message}`,
  healed: (faults) => `healed: ${faults}`,
  noFaultActive: 'no fault was active',
  unknownFault: (name, faults) => `unknown fault "${name}"; faults:${faults}`,

  // verify: where the number of approvals came from
  approvalsUnknown: (have) => `approvals: ${have}/?`,
  approvalsFromRunbook: (where) => `approvals required by the committed runbook ${where}`,
  approvalsFromVerifier: (why) => `approvals required as given by the verifier (--approvals)${why ? `; the runbook's own number was not used: ${why}` : ''}`,
  badApprovals: (value) => `--approvals takes a whole number from 1 to 10, not ${value}`,
  badLanguage: (value) => `bad --lang "${value}" (ko or en)`,
  noSuchRunbook: (name, dir) => `no runbook ${name}: neither a file nor the id of a runbook under ${dir}`,
  historyTarget: 'target',
  cronNoEnvFile: (target, file) => `target ${target} has no env file (${file}): create it or choose another --target`,
  interrupted: 'interrupted (Ctrl-C)',

  // list: the review of the document a runbook was derived from (issue 18)
  listSourceHead: 'source review',
  sourceOverdue: (next) => `source overdue since ${next}`,
  sourceDueSoon: (next) => `source due ${next}`,
  sourceNext: (next) => `source next ${next}`,
}
