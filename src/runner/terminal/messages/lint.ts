// Messages of plan and lint: why a step counts as destructive, each lint rule's diagnostic, and
// the `runbook lint` summary. Each entry is a string or a function of its values; `en` has exactly
// `ko`'s keys.

export const ko = {
  // Plan: the declared part of a step's reasons
  declaredCritical: '치명적 단계로 선언됨 {critical}',
  declaredDestructive: '위험 단계로 선언됨 {destructive}',
  declaredDestructiveBecause: (why: string) => `위험 단계로 선언됨: ${why}`,
  declaredSafe: (why: string) => `안전하다고 선언됨: ${why}`,

  // Step rules
  undeclaredDestructive: (id: string, reasons: string) =>
    `단계 "${id}": 위험해 보입니다 (${reasons}). 선언하세요: {destructive}, {critical}, 위험하지 않다면 {safe="이유"}`,
  doesNotParse: (language: string, id: string, detail: string) => `${language} 구문 오류 (단계 "${id}"): ${detail}`,
  shellRejects: (shell: string, id: string, detail: string) => `${shell} -n 검사 실패 (단계 "${id}"): ${detail}`,
  syntaxError: '구문 오류',
  refused: (id: string, detail: string) => `단계 "${id}": ${detail}`,
  autocommitSqlOnly: (id: string) => `단계 "${id}": autocommit 속성은 sql 단계에만 씁니다`,
  autocommitNeedsDestructive: (id: string) =>
    `단계 "${id}": autocommit 단계는 트랜잭션 없이 실행되므로 위험 단계로 선언해야 합니다 ({destructive} 또는 {critical})`,
  safeAndDestructive: (id: string) => `단계 "${id}": safe, destructive 선언이 함께 있습니다. 하나만 남기세요`,
  tsImport: (id: string) =>
    `단계 "${id}": 모듈을 가져옵니다(import). 단계에서는 가져올 수 없으니 제공되는 전역 값이나 bash 단계를 쓰세요: $, fs, path, os, YAML, glob, fetch, sql, redis`,
  sqlOnlyAttributes: (id: string) => `단계 "${id}": max-rows, max-display, redact-columns 속성은 sql 단계에만 씁니다`,
  probeNotProven: '읽기 전용임을 확인할 수 없음',
  probeNotReadOnly: (id: string, probe: string, reasons: string) =>
    `단계 "${id}": 사전 확인 명령 ${probe} — 읽기 전용임을 확인할 수 없음 (${reasons}). 묻지 않고 먼저 실행되므로 읽기 전용 명령만 쓸 수 있고, 실행 때는 거부됩니다`,
  controlChars: (id: string, shown: string, columns: string) =>
    `단계 "${id}": 제어 문자 ${shown} (열 번호 ${columns}) — 화면에 보이는 코드와 실행되는 코드가 달라질 수 있습니다. 지우거나 $'\\x1b' 같은 이스케이프 표기로 쓰세요`,
  controlCharsInProbe: (id: string, shown: string) =>
    `단계 "${id}": 사전 확인 명령 안의 제어 문자 ${shown} — 화면에 보이는 명령과 실행되는 명령이 달라질 수 있습니다`,

  // Runbook rules
  envDescription: (name: string) => `필수 환경 변수 ${name}: 설명이 필요합니다 (운영자가 무엇을 넣을지 알도록 description 작성)`,
  choiceWithoutChoices: (name: string) => `입력 ${name}: choice 형식인데 선택지가 없습니다 (choices 목록 필요)`,
  reviewOverdue: (next: string) => `검토 예정일 지남 (${next}): 런북을 검토하고 review.next 값을 바꾸세요`,
  noSteps: '실행할 단계도 체크리스트 항목도 없습니다',

  // `runbook lint` output
  error: '오류',
  warning: '경고',
  summary: (files: number, errors: number, warnings: number) => `런북 ${files}개 검사: 오류 ${errors}개, 경고 ${warnings}개`,

  // Failure attributes (issue 16)
  rechecksUnknown: (id: string, target: string) => `단계 "${id}": rechecks 대상 "${target}" — 이 단계보다 앞에 그런 단계가 없습니다`,
  keepGoingAndContinue: (id: string) => `단계 "${id}": keep-going, continue-on-error 속성이 함께 있습니다. 실패를 실행 결과에 남길지(keep-going) 허용할지(continue-on-error) 하나만 고르세요`,
  quietDestructive: (id: string) => `단계 ${id}: quiet 단계는 읽기 전용이어야 합니다 (위험 단계는 묻지 않고 실행할 수 없음). quiet를 빼세요`,

  // Source review (issue 18)
  sourceOverdue: (guide: string, next: string) =>
    `원본 문서 검토 기한 지남 (문서 ${guide}, 예정일 ${next}): 런북 문제가 아니라 원본 문서를 검토할 차례입니다. 검토한 뒤 source.reviewed, source.next 값을 바꾸세요`,
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export const en: typeof ko = {
  // Plan: the declared part of a step's reasons
  declaredCritical: 'declared critical',
  declaredDestructive: 'declared destructive',
  declaredDestructiveBecause: (why) => `declared destructive: ${why}`,
  declaredSafe: (why) => `declared safe: ${why}`,

  // Step rules
  undeclaredDestructive: (id, reasons) =>
    `step "${id}" looks destructive (${reasons}); declare it {destructive}, {critical}, or {safe="why"} if it is not`,
  doesNotParse: (language, id, detail) => `${language} in step "${id}" does not parse: ${detail}`,
  shellRejects: (shell, id, detail) => `${shell} -n rejects step "${id}": ${detail}`,
  syntaxError: 'syntax error',
  refused: (id, detail) => `step "${id}": ${detail}`,
  autocommitSqlOnly: (id) => `step "${id}": autocommit applies to sql steps only`,
  autocommitNeedsDestructive: (id) =>
    `step "${id}": autocommit runs without a transaction, so it must be declared {destructive} or {critical}`,
  safeAndDestructive: (id) => `step "${id}" is declared both safe and destructive; keep one`,
  tsImport: (id) =>
    `step "${id}" imports a module; steps cannot import: use the provided globals ($, fs, path, os, YAML, glob, fetch, sql, redis) or a bash step`,
  sqlOnlyAttributes: (id) => `step "${id}": max-rows, max-display and redact-columns apply to sql steps only`,
  probeNotProven: 'cannot prove it is read-only',
  probeNotReadOnly: (id, probe, reasons) =>
    `step "${id}": its probe ${probe} is not proven read-only (${reasons}); a probe runs before anyone is asked, so only read-only commands may be probes, and this one is refused at run time`,
  controlChars: (id, shown, columns) =>
    `step "${id}": control characters ${shown} (columns ${columns}); what the screen shows may differ from what runs: remove them or write them as escapes such as $'\\x1b'`,
  controlCharsInProbe: (id, shown) => `step "${id}": control character ${shown} in its probe; what the screen shows may differ from what runs`,

  // Runbook rules
  envDescription: (name) => `required env ${name} needs a description, so an operator knows what to give`,
  choiceWithoutChoices: (name) => `input ${name} is a choice but lists no choices`,
  reviewOverdue: (next) => `review was due on ${next}; review the runbook and update review.next`,
  noSteps: 'no executable steps or checklist items',

  // `runbook lint` output
  error: 'error',
  warning: 'warning',
  summary: (files, errors, warnings) => `${plural(files, 'runbook')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,

  // Failure attributes (issue 16)
  rechecksUnknown: (id, target) => `step "${id}": rechecks "${target}", but no earlier step has that id`,
  keepGoingAndContinue: (id) => `step "${id}" has both keep-going and continue-on-error; choose whether its failure fails the run (keep-going) or is tolerated (continue-on-error)`,
  quietDestructive: (id) => `step "${id}": a quiet step must be read-only (a destructive step is never run without asking); remove quiet`,

  // Source review (issue 18)
  sourceOverdue: (guide, next) =>
    `the source document ${guide} was due for review on ${next}: the runbook is not at fault, the document it comes from is; after reviewing it, update source.reviewed and source.next`,
}
