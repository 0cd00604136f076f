// Messages of the interface: the walk: step headers, prompts, gate reasons, statuses, summaries.
// Each entry is a string or a function of its values; `en` has exactly `ko`'s keys (the type
// says so), so a text cannot exist in one language only.
import type { RunStatus, StepStatus } from '../../model/run-record.js'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

export const ko = {
  // Statuses as the operator reads them (the JSON keeps the English status names)
  stepStatus: (status: StepStatus | 'running') =>
    ({
      passed: '통과',
      fixed: '발견 후 조치됨',
      tolerated: '실패 허용됨',
      failed: '실패',
      skipped: '건너뜀',
      blocked: '차단됨',
      declined: '거절됨',
      'timed-out': '시간 초과',
      interrupted: '중단됨',
      previewed: '미리보기',
      'not-run': '실행 안 함',
      running: '실행 중',
    })[status],
  runStatus: (status: RunStatus) =>
    ({
      running: '실행 중',
      passed: '통과',
      failed: '실패',
      blocked: '차단됨',
      aborted: '운영자가 중단함',
      interrupted: '중단됨',
      incomplete: '끝나지 않음',
    })[status],

  // The walk on the terminal
  banner: (target: string, operator: string, report: string, dryRun: boolean) =>
    `대상 ${target} · 운영자 ${operator} · 보고서 ${report}${dryRun ? ' · DRY RUN' : ''}`,
  stepWhere: (title: string, language: string, line: number) => `${title ? `${title} · ` : ''}${language} · 줄 ${line}`,
  destructiveStep: '위험(destructive) 단계',
  criticalStep: '치명적(CRITICAL) 단계',
  stepWarning: (label: string, target: string) => `⚠ ${label} — 대상: ${target}`,
  exitCode: (code: number) => `exit ${code}`,
  consentLine: (who: string, how: string) => `동의: ${who} (${how})`,
  summaryReport: (path: string) => `보고서: ${path}`,
  outputClosed: '실행 중에 터미널 출력(stdout)이 닫혔습니다(예: | head). 실행은 계속되었고, 모든 출력은 이 보고서와 로그에 기록되어 있습니다.',
  outputCut: (logName: string) => `… (출력이 길어 중간을 생략했습니다. 전체 출력: ${logName}) …`,

  // Prompts
  stepPrompt: (id: string) => `${id}: 실행할까요?`,
  choiceRun: '실행 (run)',
  choiceRunDestructive: '실행 (run) — 위험 단계',
  choiceSkip: '건너뛰기 (skip)',
  choiceQuit: '중단 (quit)',
  confirmDestructive: (id: string, target: string) => `⚠ 위험 단계 ${id}, 대상: ${target}. 실행을 계속할까요?`,
  typeStepId: (id: string) => `확인하려면 단계 id를 입력하세요 (${id}):`,
  afterFailure: (id: string, status: string) => `${id} 단계가 실패했습니다 (${status}). 어떻게 할까요?`,
  choiceRetry: '다시 시도 (retry)',
  choiceSkipContinue: '건너뛰고 계속 (skip)',
  choiceAbort: '중단 (abort)',
  choiceRollBack: '롤백 (roll back) — 아무것도 바꾸지 않음',
  choiceCommit: '커밋 (commit)',
  enterNumber: '숫자를 입력하세요',
  tickChecklist: '체크리스트: 완료한 항목을 고르세요 (스페이스로 선택, 엔터로 확정)',
  commitPreview: '변경될 행 (아직 커밋되지 않음):',
  commitStatement: (line: number, command: string, rowCount: number | null) => `  줄 ${line}: ${command}${rowCount === null ? '' : ` ${rowCount}`}`,
  commitPrompt: (target: string) => `대상 ${target}: 이 변경을 커밋할까요?`,
  dangerousCommand: (command: string, reasons: string[]) => `⚠ 위험 명령: ${command}\n${reasons.map((r) => `  · ${r}`).join('\n')}\n`,
  commandPrompt: (target: string) => `대상 ${target}: 이 명령을 실행할까요?`,
  notPreviewable: (statements: string[]) =>
    `⚠ 미리보기 불가: 롤백해도 되돌아가지 않는 효과가 있어 미리 실행해 보일 수 없습니다\n${statements.map((s) => `  · ${s}`).join('\n')}\n`,
  notPreviewableStatement: (line: number, reason: string) => `줄 ${line}: ${reason}`,
  runWithoutPreviewPrompt: (target: string) => `대상 ${target}: 미리보기 없이 실행하고 커밋할까요?`,

  // Why a step did not run (recorded in the report)
  notSelected: (flag: string) => `선택되지 않음 (${flag})`,
  exampleStep: '예시 단계 ({skip}): 실행하지 않음',
  backgroundStep: '백그라운드 단계 (Runme의 background): 여기서는 실행하지 않음',
  excludedFromRunAll: '전체 실행에서 제외된 단계 (excludeFromRunAll): --step으로 고르면 실행',
  missingCommands: (commands: string[]) => `필요한 명령이 PATH에 없음: ${commands.join(', ')}`,
  interactiveNoTty: '터미널이 필요한 단계(interactive)인데 TTY가 없음',
  probeFailed: (probe: string, output: string) => `probe 실패 (${probe}): ${output || '출력 없음'}`,
  probeRefused: (probe: string, reasons: string[]) => `사전 확인 명령을 실행하지 않음: 읽기 전용임을 확인할 수 없음 (${probe}): ${reasons.join('; ')}`,
  sandboxRefused: (violations: string[]) => `샌드박스 밖의 호스트를 바꾸는 단계라 실행하지 않음 (안전 규칙 5): ${violations.join('; ')}`,
  sandboxRefusedCommand: (command: string, violations: string[]) =>
    `샌드박스 밖의 호스트를 바꾸는 단계라 실행하지 않음 (안전 규칙 5): ${command}: ${violations.join('; ')}`,
  dryRunSkipped: 'dry run: 위험 단계는 실행하지 않음',
  operatorSkipped: '운영자가 건너뜀',
  operatorDeclinedStep: '운영자가 위험 단계 실행을 거절함',
  noTtyNoYes: '위험 단계: TTY가 없고 --yes도 없어 실행하지 않음 (확인하려면 터미널에서 실행하거나 --yes)',
  internalError: (message: string) => `내부 오류: ${message}`,
  checksFailed: (names: string[]) => `실패한 점검: ${names.join(', ')}`,

  // Answers to an executor's questions (recorded in the report)
  noTtyToConfirm: 'TTY가 없어 확인할 수 없음',
  operatorDeclined: '운영자가 거절함',
  dryRunRolledBack: 'dry run: 항상 롤백',
  noTtyRolledBack: 'TTY가 없고 --yes도 없어 롤백함',
  operatorRolledBack: '운영자가 롤백을 선택함',
  dryRunCommand: (command: string) => `dry run: 위험 명령을 실행하지 않음: ${command}`,
  dryRunNotPreviewable: (statements: string[]) => `dry run: 미리보기 불가라 실행하지 않음 (롤백해도 되돌아가지 않음): ${statements.join('; ')}`,
  noTtyNotPreviewable: (statements: string[]) => `미리보기 불가한 위험 단계: TTY가 없고 --yes도 없어 실행하지 않음: ${statements.join('; ')}`,
  undeclaredCommand: (command: string, reasons: string[]) => `위험 명령이 선언되지 않은 단계에서 차단됨: ${command} (${reasons.join('; ')})`,
  operatorDeclinedCommand: (command: string) => `운영자가 명령을 거절함: ${command}`,

  // How consent was given (recorded in the report)
  howPromptYes: '프롬프트에서 yes',
  howTypedId: '단계 id를 입력해 확인',
  howFlag: '--yes',
  howFlagCommit: '--yes (커밋)',
  howFlagCommand: (command: string) => `--yes (${command})`,
  howConfirmed: (question: string) => `확인 질문에 yes: "${question}"`,
  howCommitted: '미리보기 후 커밋',
  howCommittedTypedId: '미리보기 후 단계 id를 입력해 커밋',
  howCommand: (command: string) => `명령 확인: ${command}`,

  // Starting and resuming a run
  targetAndSandbox: '--target NAME, --sandbox: 둘 중 하나만 쓰세요',
  stepAndFrom: '--step ID, --from ID: 둘 중 하나만 쓰세요',
  noSuchStep: (id: string, ids: string[]) => `없는 단계 id: ${id} (단계: ${ids.join(', ')})`,
  reportSigned: '서명된 보고서입니다. 서명된 보고서는 바꾸지 않습니다. 새로 실행하세요.',
  alreadyPassed: '이미 통과한 실행이라 재개할 것이 없음',
  runbookChanged: (file: string, before: string, after: string) =>
    `이 실행 뒤에 런북이 바뀜: ${file} (sha256 ${before}… → ${after}…). 바뀐 내용을 확인한 뒤 재개하세요 (--force)`,
  leftoversStopped: (count: number, id: string, pgid: number) =>
    `runbook: 강제 종료된 실행이 남긴 프로세스 ${count}개를 정지함 (단계 ${id}, 프로세스 그룹 ${pgid})`,
  cannotRecord: (code: string, message: string, journal: string, report: string) =>
    `결과를 기록할 수 없음 (${code}: ${message}). 다음 단계 전에 멈췄습니다. 지금까지 기록된 내용: ${journal}. 공간을 비우거나 폴더를 고친 뒤 재개하세요: runbook resume ${report}`,
  reportsUnwritable: (message: string) => `보고서를 쓸 수 없음: ${message}. 아무것도 실행하지 않았습니다. 폴더를 고치거나 다른 폴더를 고르세요 (--reports DIR)`,
  sandboxNotUp: (file: string) => `샌드박스가 떠 있지 않음 (파일 없음: ${file}). 먼저 실행하세요: runbook sandbox up`,
  envMissing: (names: string) => `필수 환경 변수가 없음: ${names}. 주는 방법: --set NAME=value, --env-file, --target`,
  unknownInput: (names: string[], accepted: string[]) => `알 수 없는 입력값: ${names.join(', ')}. 이 런북이 받는 입력값: ${accepted.join(', ') || '없음'}`,
  inputMissing: (name: string, description?: string) => `입력값 없음: ${name}${description ? ` (${description})` : ''}. 주는 방법: --input ${name}=…`,
  inputInvalid: (name: string, problem: string) => `입력값 ${name}: ${problem}`,
  expectedNumber: (value: string) => `숫자가 필요한데 받은 값: "${value}"`,
  expectedChoice: (choices: string[], value: string) => `다음 중 하나가 필요함: ${choices.join(', ')}. 받은 값: "${value}"`,
  noReadableFile: (value: string) => `읽을 수 있는 파일이 없음: "${value}"`,

  // Env files
  envFileKindTarget: '대상 env 파일',
  envFileKindOption: 'env 파일',
  envFileUnreadable: (what: string, problem: string) => `${what}: 읽을 수 없음 (${problem})`,
  noSuchFile: '파일 없음',
  envFileInvalid: (what: string, problem: string) => `${what}: KEY=value 형식이 아님 (${problem})`,
  badTargetName: (target: string) => `잘못된 대상 이름: "${target}". 글자, 숫자, ".", "_", "-"만 쓰세요`,

  // Exclusive runs
  lockHeldPostgres: (runbook: string, who: string, from: string | null, since: string) =>
    `런북 ${runbook}: 한 번에 하나만 실행하는 런북인데 이미 실행 중 (잡은 사람: ${who}${from ? `, 접속 위치: ${from}` : ''}, 시작: ${since}, PostgreSQL advisory lock)`,
  lockHeldFile: (runbook: string, who: string, host: string, pid: number, since: string, file: string) =>
    `런북 ${runbook}: 한 번에 하나만 실행하는 런북인데 이미 실행 중 (잡은 사람: ${who}, 호스트: ${host}, pid ${pid}, 시작: ${since}, lock 파일: ${file})`,
  lockOtherSession: '다른 세션',
  lockSinceUnknown: '알 수 없음',
  lockUnavailable: (message: string) => `실행 lock을 잡을 수 없음: ${message}`,
  lockRetry: (runbook: string) => `실행 lock을 잡지 못함 (런북 ${runbook}). 다시 시도하세요`,

  // Statuses that say what happened (issue 16)
  operatorSkippedDestructive: '운영자가 위험 단계를 건너뜀 (실행하지 않음)',
  foundAndFixed: (recheck: string, first?: string) => `발견 후 조치됨: 재확인 단계 ${recheck} 통과${first ? ` (처음 결과: ${first})` : ''}`,
  fixedLine: (id: string, recheck: string) => `단계 ${id}: 발견 후 조치됨 (재확인 단계 ${recheck} 통과)`,
  toleratedHint: 'continue-on-error: 경고로 기록, 실행 결과는 실패가 아님',
  keptGoing: 'keep-going: 다음 단계로 계속 (이 실패는 실행 결과에 남음)',

  // What a destructive shell step will touch, found before the question without running it
  touchHeader: '이 단계가 건드릴 대상 (실행하지 않고 확인함):',
  touchFiles: (pattern: string) => `일치하는 파일 (${pattern}):`,
  touchNoFiles: (pattern: string) => `일치하는 파일 없음 (${pattern})`,
  touchNamed: (kind: 'unit' | 'container' | 'host') => ({ unit: 'systemd 유닛:', container: 'Docker 컨테이너:', host: '접속 호스트:' })[kind],
  touchMore: (n: number) => `… 외 ${n}개`,
  promptEnvAsk: (name: string) => `이 단계가 export하는 ${name} 값 (Runme promptEnv)`,
  promptEnvRunsAs: (lines: string[]) => `promptEnv: 이 단계는 다음 값으로 실행됨\n${lines.map((l) => `    ${l}`).join('\n')}`,
  // Answering by keys; Ctrl-C at a prompt; a skip's reason; a folded step; the introduction
  keysHint: (keys: string) => `↑↓ 이동 • ⏎ 선택 • 바로 선택: ${keys} • Ctrl-C 중단`,
  keyAction: (action: string) => ({ navigate: '이동', select: '선택', submit: '확정', all: '모두', invert: '반전' })[action] ?? action,
  answerYes: '예 (yes)',
  answerNo: '아니요 (no)',
  choiceViewCode: '코드 전체 보기 (view)',
  stepIdMismatch: (typed: string, left: number) => `입력한 값이 단계 id와 다름: "${typed}". 남은 기회: ${left}번`,
  stepIdGaveUp: (tries: number) => `단계 id를 ${tries}번 잘못 입력해 취소함`,
  skipReasonPrompt: '건너뛰는 이유 (없으면 엔터):',
  operatorSkippedWhy: (reason: string) => `운영자가 건너뜀: ${reason}`,
  valueRequired: '값을 입력하세요',
  interruptedAnswer: '중단 (Ctrl-C)',
  interruptedAtPrompt: '질문에 답하는 중에 중단됨 (Ctrl-C)',
  codeFolded: (more: number) => `… 아래 ${more}줄 더 (v: 전체 보기)`,
  quietStep: '기록만 하는 단계(quiet): 묻지 않고 실행',
  keyName: (key: string) => ({ space: '스페이스' })[key] ?? key,
}

export const en: typeof ko = {
  // Statuses as the operator reads them (the JSON keeps the English status names)
  stepStatus: (status) => status,
  runStatus: (status) => status,

  // The walk on the terminal
  banner: (target, operator, report, dryRun) => `target ${target} · operator ${operator} · report ${report}${dryRun ? ' · DRY RUN' : ''}`,
  stepWhere: (title, language, line) => `${title ? `${title} · ` : ''}${language} · line ${line}`,
  destructiveStep: 'destructive step',
  criticalStep: 'CRITICAL step',
  stepWarning: (label, target) => `⚠ ${label} — target: ${target}`,
  exitCode: (code) => `exit ${code}`,
  consentLine: (who, how) => `consent: ${who} (${how})`,
  summaryReport: (path) => `report: ${path}`,
  outputClosed: 'The terminal output (stdout) was closed during the run (e.g. | head). The run went on; all its output is recorded in this report and its log.',
  outputCut: (logName) => `… (long output, the middle was left out; full output: ${logName}) …`,

  // Prompts
  stepPrompt: (id) => `${id}: run it?`,
  choiceRun: 'run',
  choiceRunDestructive: 'run — destructive step',
  choiceSkip: 'skip',
  choiceQuit: 'quit',
  confirmDestructive: (id, target) => `⚠ destructive step ${id}, target: ${target}. Continue and run it?`,
  typeStepId: (id) => `to confirm, type the step id (${id}):`,
  afterFailure: (id, status) => `step ${id} did not pass (${status}). What now?`,
  choiceRetry: 'retry',
  choiceSkipContinue: 'skip and continue',
  choiceAbort: 'abort',
  choiceRollBack: 'roll back — change nothing',
  choiceCommit: 'commit',
  enterNumber: 'enter a number',
  tickChecklist: 'Checklist: pick the items done (space selects, enter confirms)',
  commitPreview: 'Rows to change (not committed yet):',
  commitStatement: (line, command, rowCount) => `  line ${line}: ${command}${rowCount === null ? '' : ` ${rowCount}`}`,
  commitPrompt: (target) => `target ${target}: commit this change?`,
  dangerousCommand: (command, reasons) => `⚠ destructive command: ${command}\n${reasons.map((r) => `  · ${r}`).join('\n')}\n`,
  commandPrompt: (target) => `target ${target}: run this command?`,
  notPreviewable: (statements) =>
    `⚠ cannot be previewed: these statements have effects a rollback does not undo\n${statements.map((s) => `  · ${s}`).join('\n')}\n`,
  notPreviewableStatement: (line, reason) => `line ${line}: ${reason}`,
  runWithoutPreviewPrompt: (target) => `target ${target}: run and commit without a preview?`,

  // Why a step did not run (recorded in the report)
  notSelected: (flag) => `not selected (${flag})`,
  exampleStep: 'example step ({skip}): not run',
  backgroundStep: 'background step (Runme\'s background): not run here',
  excludedFromRunAll: 'excluded from a whole run (excludeFromRunAll): select it with --step to run it',
  missingCommands: (commands) => `required commands not on PATH: ${commands.join(', ')}`,
  interactiveNoTty: 'the step needs a terminal (interactive) and there is no TTY',
  probeFailed: (probe, output) => `probe failed (${probe}): ${output || 'no output'}`,
  probeRefused: (probe, reasons) => `probe not run: it is not proven read-only (${probe}): ${reasons.join('; ')}`,
  sandboxRefused: (violations) => `not run: the step would change the host outside the sandbox (safety rule 5): ${violations.join('; ')}`,
  sandboxRefusedCommand: (command, violations) =>
    `not run: the step would change the host outside the sandbox (safety rule 5): ${command}: ${violations.join('; ')}`,
  dryRunSkipped: 'dry run: destructive steps are not run',
  operatorSkipped: 'skipped by the operator',
  operatorDeclinedStep: 'the operator declined to run the destructive step',
  noTtyNoYes: 'destructive step: not run, no TTY and no --yes (run it at a terminal to confirm, or pass --yes)',
  internalError: (message) => `internal error: ${message}`,
  checksFailed: (names) => `failed checks: ${names.join(', ')}`,

  // Answers to an executor's questions (recorded in the report)
  noTtyToConfirm: 'no TTY to confirm',
  operatorDeclined: 'declined by the operator',
  dryRunRolledBack: 'dry run: always rolled back',
  noTtyRolledBack: 'rolled back: no TTY and no --yes',
  operatorRolledBack: 'the operator chose to roll back',
  dryRunCommand: (command) => `dry run: destructive command not run: ${command}`,
  dryRunNotPreviewable: (statements) => `dry run: not run, not previewable (a rollback would not undo it): ${statements.join('; ')}`,
  noTtyNotPreviewable: (statements) => `destructive step that cannot be previewed: not run, no TTY and no --yes: ${statements.join('; ')}`,
  undeclaredCommand: (command, reasons) => `destructive command blocked in a step not declared destructive: ${command} (${reasons.join('; ')})`,
  operatorDeclinedCommand: (command) => `the operator declined the command: ${command}`,

  // How consent was given (recorded in the report)
  howPromptYes: 'yes at the prompt',
  howTypedId: 'typed the step id',
  howFlag: '--yes',
  howFlagCommit: '--yes (commit)',
  howFlagCommand: (command) => `--yes (${command})`,
  howConfirmed: (question) => `yes to "${question}"`,
  howCommitted: 'committed after preview',
  howCommittedTypedId: 'typed the step id to commit after preview',
  howCommand: (command) => `confirmed the command: ${command}`,

  // Starting and resuming a run
  targetAndSandbox: 'use either --target NAME or --sandbox, not both',
  stepAndFrom: 'use either --step ID or --from ID, not both',
  noSuchStep: (id, ids) => `no step with id "${id}"; steps: ${ids.join(', ')}`,
  reportSigned: 'this report is signed; a signed report is never changed. Start a new run instead.',
  alreadyPassed: 'this run already passed; nothing to resume',
  runbookChanged: (file, before, after) =>
    `the runbook ${file} changed since this run (sha256 ${before}… → ${after}…); check the change, then resume with --force`,
  leftoversStopped: (count, id, pgid) =>
    `runbook: stopped ${plural(count, 'process', 'processes')} left running by step ${id} of the killed run (process group ${pgid})`,
  cannotRecord: (code, message, journal, report) =>
    `cannot record results (${code}: ${message}); stopped before the next step. What was recorded so far is in ${journal}; free space or fix the folder, then \`runbook resume ${report}\``,
  reportsUnwritable: (message) => `cannot write reports there: ${message}; nothing was run. Fix the folder or pass --reports DIR`,
  sandboxNotUp: (file) => `the sandbox is not up (no ${file}); run \`runbook sandbox up\` first`,
  envMissing: (names) => `required env missing: ${names}; give it with --set NAME=value, --env-file or --target`,
  unknownInput: (names, accepted) => `unknown input ${names.join(', ')}; this runbook takes: ${accepted.join(', ') || 'no inputs'}`,
  inputMissing: (name, description) => `input ${name} is missing${description ? ` (${description})` : ''}; give it with --input ${name}=…`,
  inputInvalid: (name, problem) => `input ${name}: ${problem}`,
  expectedNumber: (value) => `expected a number, got "${value}"`,
  expectedChoice: (choices, value) => `expected one of ${choices.join(', ')}, got "${value}"`,
  noReadableFile: (value) => `no readable file at "${value}"`,

  // Env files
  envFileKindTarget: 'target env file',
  envFileKindOption: 'env file',
  envFileUnreadable: (what, problem) => `cannot read ${what}: ${problem}`,
  noSuchFile: 'no such file',
  envFileInvalid: (what, problem) => `${what} is not a KEY=value file: ${problem}`,
  badTargetName: (target) => `bad target name "${target}": use letters, digits, ".", "_" or "-"`,

  // Exclusive runs
  lockHeldPostgres: (runbook, who, from, since) =>
    `runbook ${runbook} is exclusive and already running: held by ${who}${from ? ` (from ${from})` : ''} since ${since} (PostgreSQL advisory lock)`,
  lockHeldFile: (runbook, who, host, pid, since, file) =>
    `runbook ${runbook} is exclusive and already running: held by ${who} on ${host} (pid ${pid}) since ${since} (${file})`,
  lockOtherSession: 'another session',
  lockSinceUnknown: 'unknown',
  lockUnavailable: (message) => `cannot take the run lock: ${message}`,
  lockRetry: (runbook) => `could not take the run lock for ${runbook}; try again`,

  // Statuses that say what happened (issue 16)
  operatorSkippedDestructive: 'the operator skipped the destructive step (not run)',
  foundAndFixed: (recheck, first) => `found and fixed: recheck ${recheck} passed${first ? ` (first: ${first})` : ''}`,
  fixedLine: (id, recheck) => `step ${id}: found and fixed (recheck ${recheck} passed)`,
  toleratedHint: 'continue-on-error: recorded as a warning, the run does not fail',
  keptGoing: 'keep-going: the walk goes on (this failure still fails the run)',

  // What a destructive shell step will touch, found before the question without running it
  touchHeader: 'what this step will touch (found without running it):',
  touchFiles: (pattern) => `files matching ${pattern}:`,
  touchNoFiles: (pattern) => `no file matches ${pattern}`,
  touchNamed: (kind) => ({ unit: 'systemd units:', container: 'Docker containers:', host: 'hosts:' })[kind],
  touchMore: (n) => `… and ${n} more`,
  promptEnvAsk: (name) => `the value of ${name}, which this step exports (Runme promptEnv)`,
  promptEnvRunsAs: (lines) => `promptEnv: the step runs with\n${lines.map((l) => `    ${l}`).join('\n')}`,
  keysHint: (keys) => `↑↓ navigate • ⏎ select • keys: ${keys} • Ctrl-C stops`,
  keyAction: (action) => action,
  answerYes: 'yes',
  answerNo: 'no',
  choiceViewCode: 'view the whole code',
  stepIdMismatch: (typed, left) => `"${typed}" is not the step id; ${plural(left, 'try', 'tries')} left`,
  stepIdGaveUp: (tries) => `the step id was mistyped ${plural(tries, 'time', 'times')}: cancelled`,
  skipReasonPrompt: 'Why skip it? (Enter for no reason):',
  operatorSkippedWhy: (reason) => `skipped by the operator: ${reason}`,
  valueRequired: 'enter a value',
  interruptedAnswer: 'stopped (Ctrl-C)',
  interruptedAtPrompt: 'interrupted at a prompt (Ctrl-C)',
  codeFolded: (more) => `… ${plural(more, 'more line', 'more lines')} (v: view all)`,
  quietStep: 'a step that only records (quiet): runs without asking',
  keyName: (key) => key,
}
