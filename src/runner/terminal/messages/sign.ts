// Messages of the interface: sign-offs and their verification: the sign-off block's words, the
// problems verify reports, and the errors of signing.
// Each entry is a string or a function of its values; `en` has exactly `ko`'s keys.
//
// The sign-off block's words are part of what verify re-renders byte for byte, so a report signed
// in one language verifies in any: verify accepts the block in every catalogue's words. Change
// them only together with a way to verify blocks written before.

const signoffs = (n: number) => `${n} ${n === 1 ? 'sign-off' : 'sign-offs'}`

export const ko = {
  // The sign-off block appended to the report
  blockHeading: (signer: string) => `## 서명 · ${signer}`,
  noComment: '의견 없음',
  signedWithStatus: (status: string) => `실행 결과가 **${status}** 인 상태에서 서명함.`,
  checklistUnfinished: (checklist: string) => `체크리스트 미완료 (${checklist}).`,

  // Refusals of sign and resume
  incomplete: '끝나지 않은 실행입니다 (저널이 아직 있음: 실행기가 멈췄거나 아직 실행 중). 재개하거나, 끝날 때까지 기다리거나, `runbook repair REPORT`로 보고서를 마무리하세요',
  noSuchReport: '보고서가 없음',
  jsonMissing: 'JSON 짝 파일이 없음',
  jsonInvalid: 'JSON 짝 파일이 올바른 JSON이 아님',
  notFinished: '아직 끝나지 않은 실행',
  refusing: (problems: string[]) => `검증에 실패하는 보고서라 서명하지 않음: ${problems.join('; ')}`,
  allowedSignersMissing: '허용된 서명자 파일이 없음. 지정하세요: --allowed-signers FILE (줄 형식: "email key-type key")',

  // Problems verify finds
  malformedBlock: (line: number) => `서명 블록 형식이 잘못됨 (줄 ${line})`,
  who: (index: number, principal: string) => `서명 ${index} (${principal})`,
  coversTooMuch: (who: string, bytes: number) => `${who}: ${bytes}바이트를 덮는데 보고서가 더 짧음`,
  insertedBefore: (who: string) => `${who}: 앞에 글이 끼워지거나 지워짐`,
  markdownChanged: (who: string) => `${who}: 위의 Markdown이 바뀜 (sha256 다름)`,
  markdownChangedAt: (who: string, line: number) => `${who}: 위의 Markdown이 바뀜 (처음 다른 줄: ${line})`,
  blockChanged: (who: string, line: number) => `${who}: 서명 블록 자체가 바뀜 (줄 ${line})`,
  fieldChanged: (who: string, line: number, field: string, value: string, report: string) =>
    `${who}: 서명 블록이 바뀜 (줄 ${line}): ${field} 값 ${value}, 보고서 값 ${report}`,
  jsonChanged: (who: string) => `${who}: JSON 짝 파일이 바뀜 (sha256 다름)`,
  logChanged: (who: string) => `${who}: 로그가 바뀜 (sha256 다름)`,
  addedAfter: (line: number, bytes: number) => `마지막 서명 뒤에 글이 덧붙음 (줄 ${line} 이후 ${bytes}바이트)`,
  notSigned: '서명되지 않은 보고서',
  needsApprovals: (required: number, counted: number, principals: string[]) =>
    `서로 다른 사람(서로 다른 키와 principal)의 서명이 ${required}개 필요함. 지금 ${counted}개 (${principals.join(', ') || '유효한 서명 없음'})`,
  principalNotAllowed: (who: string, principal: string, file: string) => `${who}: principal ${principal} 항목이 allowed_signers 파일에 없음: ${file}`,
  wrongKey: (who: string, principal: string, key: string, allowed: string[], file: string) =>
    `${who}: principal ${principal} 서명에 다른 키를 씀 (서명한 키 ${key}, allowed_signers 키 ${allowed.join(', ')}, 파일 ${file})`,
  signatureInvalid: (principal: string, message: string) => `서명이 검증되지 않음: ${principal} (${message})`,
  signerMismatch: (principal: string) => `서명 ${principal}: signer, principal 값이 서로 다름`,
  noFrontMatter: 'Markdown에 front matter가 없음',
  frontMatterInvalid: 'Markdown front matter가 올바른 YAML이 아님',
  runIdDiffers: (md: string, json: string) => `실행 ID가 다름: Markdown ${md}, JSON ${json}`,
  statusDiffers: (md: string, json: string) => `상태가 다름: Markdown ${md}, JSON ${json}`,
  countsDiffer: 'Markdown과 JSON의 단계 수가 다름',
  shaDiffers: 'Markdown과 JSON의 런북 sha256이 다름',
  frontMatterDiffers: (key: string, md: string, json: string) => `front matter 값 ${key} 항목이 JSON과 다름: Markdown ${md}, JSON ${json}`,

  // Where the number of approvals comes from
  approvalsUnknown: (why: string) =>
    `필요한 승인 수를 알 수 없음: ${why}. 보고서가 기록한 커밋의 런북을 찾을 수 있는 곳(저장소 안)에서 검증하거나, 검증자가 정하세요: --approvals N`,
  noCommit: '보고서에 git 커밋이 없음 (git 저장소 밖에서 실행됨)',
  badCommit: (commit: string) => `보고서의 git 커밋 값이 커밋 이름이 아님: ${commit}`,
  runbookFolderGone: (dir: string) => `런북 폴더가 없음: ${dir}`,
  noGit: 'git을 쓸 수 없음',
  notInGit: (where: string, why: string) => `git에서 런북을 읽을 수 없음: ${where} (${why})`,
  ranUncommitted: (where: string, actual: string, recorded: string) =>
    `실행한 런북이 커밋되지 않은 변경을 담고 있었음 (git_dirty): ${where} sha256 ${actual}, 보고서 source_sha256 ${recorded}`,
  committedShaDiffers: (where: string, actual: string, recorded: string) => `커밋된 런북의 sha256이 보고서와 다름: ${where} sha256 ${actual}, 보고서 source_sha256 ${recorded}`,
  committedFrontMatterInvalid: (where: string) => `커밋된 런북의 front matter가 올바르지 않음: ${where}`,

  // ssh-keygen
  noSshKeygen: (message: string) => `ssh-keygen을 쓸 수 없음 (${message}). OpenSSH를 설치하세요 (Debian: openssh-client)`,
  noSigningKey: '서명 키가 없음. 방법: --key PATH, git config user.signingkey, 또는 ssh-agent에 키 추가',
  signingFailed: (why: string) => `서명 실패: ${why}`,
  sshKeygenExited: (code: number | null) => `ssh-keygen 종료 코드 ${code}`,
}

export const en: typeof ko = {
  // The sign-off block appended to the report
  blockHeading: (signer) => `## Sign-off · ${signer}`,
  noComment: 'no comment',
  signedWithStatus: (status) => `Signed while the run's result is **${status}**.`,
  checklistUnfinished: (checklist) => `Checklist unfinished (${checklist}).`,

  // Refusals of sign and resume
  incomplete: 'this run is incomplete (its journal is still there: the runner was stopped, or is still running); resume it, let it end, or finish its report with `runbook repair REPORT`',
  noSuchReport: 'no such report',
  jsonMissing: 'the JSON twin is missing',
  jsonInvalid: 'the JSON twin is not valid JSON',
  notFinished: 'this run has not finished',
  refusing: (problems) => `refusing to sign a report that fails verification: ${problems.join('; ')}`,
  allowedSignersMissing: 'allowed signers file not found; pass --allowed-signers FILE (lines: "email key-type key")',

  // Problems verify finds
  malformedBlock: (line) => `a sign-off block at line ${line} is malformed`,
  who: (index, principal) => `sign-off ${index} (${principal})`,
  coversTooMuch: (who, bytes) => `${who}: covers ${bytes} ${bytes === 1 ? 'byte' : 'bytes'} but the report is shorter`,
  insertedBefore: (who) => `${who}: text was inserted or removed before it`,
  markdownChanged: (who) => `${who}: the Markdown above it was changed (sha256 differs)`,
  markdownChangedAt: (who, line) => `${who}: the Markdown above it was changed at line ${line}`,
  blockChanged: (who, line) => `${who} changed at line ${line}`,
  fieldChanged: (who, line, field, value, report) => `${who} changed at line ${line}: its ${field} is ${value}, the report's is ${report}`,
  jsonChanged: (who) => `${who}: the JSON twin was changed (sha256 differs)`,
  logChanged: (who) => `${who}: the log was changed (sha256 differs)`,
  addedAfter: (line, bytes) => `text was added after the last sign-off (${bytes} ${bytes === 1 ? 'byte' : 'bytes'} from line ${line})`,
  notSigned: 'the report is not signed',
  needsApprovals: (required, counted, principals) =>
    `needs ${signoffs(required)} from different people (different keys and principals); has ${counted} (${principals.join(', ') || 'none valid'})`,
  principalNotAllowed: (who, principal, file) => `${who}: principal ${principal} is not in allowed_signers ${file}`,
  wrongKey: (who, principal, key, allowed, file) =>
    `${who}: signed with a key that is not ${principal}'s (signed with ${key}; allowed_signers ${file} has ${allowed.join(', ')})`,
  signatureInvalid: (principal, message) => `signature of ${principal} does not verify: ${message}`,
  signerMismatch: (principal) => `sign-off of ${principal}: signer and principal differ`,
  noFrontMatter: 'the Markdown has no front matter',
  frontMatterInvalid: 'the Markdown front matter is not valid YAML',
  runIdDiffers: (md, json) => `run id differs: Markdown ${md}, JSON ${json}`,
  statusDiffers: (md, json) => `status differs: Markdown ${md}, JSON ${json}`,
  countsDiffer: 'step counts differ between the Markdown and the JSON',
  shaDiffers: 'runbook sha256 differs between the Markdown and the JSON',
  frontMatterDiffers: (key, md, json) => `front matter ${key} differs from the JSON: Markdown ${md}, JSON ${json}`,

  // Where the number of approvals comes from
  approvalsUnknown: (why) =>
    `the number of approvals required is unknown: ${why}; verify where the runbook at the recorded commit can be found (in its repository), or decide it: --approvals N`,
  noCommit: 'the report records no git commit (the run was outside a git repository)',
  badCommit: (commit) => `the report's git commit is not a commit name: ${commit}`,
  runbookFolderGone: (dir) => `the runbook's folder is not there: ${dir}`,
  noGit: 'git is not available',
  notInGit: (where, why) => `git cannot read the runbook ${where} (${why})`,
  ranUncommitted: (where, actual, recorded) =>
    `the run used a runbook with uncommitted changes (git_dirty): ${where} has sha256 ${actual}, the report's source_sha256 is ${recorded}`,
  committedShaDiffers: (where, actual, recorded) => `the committed runbook is not the one the report records: ${where} has sha256 ${actual}, the report's source_sha256 is ${recorded}`,
  committedFrontMatterInvalid: (where) => `the committed runbook's front matter is not valid: ${where}`,

  // ssh-keygen
  noSshKeygen: (message) => `ssh-keygen is not available (${message}); install OpenSSH (Debian: openssh-client)`,
  noSigningKey: 'no signing key: pass --key PATH, set git config user.signingkey, or add a key to ssh-agent',
  signingFailed: (why) => `signing failed: ${why}`,
  sshKeygenExited: (code) => `ssh-keygen exited ${code}`,
}
