// Messages of the interface: shell, SQL, Redis and TS step messages.
// Each entry is a string or a function of its values; `en` has exactly `ko`'s keys (the type
// says so), so a text cannot exist in one language only. Output that imitates a real tool (psql's
// `ERROR:`, `COMMIT`, redis-cli's `(nil)`, `(integer) 1`) is not a message and stays in the code.

/** English plural of a count: `1 row`, `2 rows`. */
const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

export const ko = {
  // Where in the runbook file: a prefix of reasons, the title of a result table
  atLine: (line: number) => `줄 ${line}: `,
  lineTitle: (line: number) => `줄 ${line}`,
  onLine: (text: string, line: number) => `${text} (줄 ${line})`,

  // Stops and failures every step kind shares
  interrupted: '중단됨',
  interruptedBeforeStart: '단계를 시작하기 전에 중단됨',
  interruptedBySignal: '중단됨 (Ctrl-C 또는 SIGTERM)',
  timedOut: (duration: string) => `시간 초과 (${duration})`,
  exitCode: (code: number | null) => `종료 코드 ${code}`,
  killedBy: (signal: string) => `종료 신호 ${signal}`,
  workingDirectoryNotFound: (dir: string) => `작업 폴더를 찾을 수 없음: ${dir}`,
  checksFailed: (names: string) => `실패한 점검: ${names}`,
  someChecksFailed: '실패한 점검이 있음',

  // Servers: which variable holds the URL, where a connection goes, why it failed
  urlNotSet: (server: string, variable: string, attribute: string) =>
    `${server} 주소 변수 ${variable}: 설정되지 않음 (설정하거나, 다른 변수를 쓰려면 ${attribute}=VAR 속성으로 지정하세요)`,
  pgWhere: (host: string, port: string, database: string) => `호스트 ${host} 포트 ${port} 데이터베이스 ${database}`,
  redisWhere: (host: string, port: string, db: string) => `호스트 ${host} 포트 ${port} db ${db}`,
  cannotConnect: (server: string, where: string, url: string, error: string) => `${server} 연결 실패 (${where}, ${url}): ${error}`,
  connectionFailed: (server: string, where: string, error: string) => `${server} 연결 오류 (${where}): ${error}`,
  serverError: (server: string, where: string, error: string) => `${server} (${where}): ${error}`,

  // Shell steps
  shellTimedOut: (duration: string) => `시간 초과 (${duration}): 프로세스 그룹을 정지함`,
  shellLeftover: (n: number) =>
    `단계가 끝난 뒤 남아 있던 프로세스 ${n}개를 정지했습니다 (오래 살아야 하는 서비스는 systemctl, docker, setsid 같은 도구로 시작하세요).`,
  shellOutputError: (problem: string) => `$RUNBOOK_OUTPUT 형식 오류: ${problem}`,
  outputInvalidName: (name: string) => `잘못된 이름 ${name}`,
  outputInvalidHeredoc: (line: string) => `잘못된 heredoc 줄 ${line}`,
  outputHeredocUnclosed: (key: string, delimiter: string) => `${key}<<${delimiter}: 닫는 줄 ${delimiter} 없음`,
  outputUnexpected: (line: string) => `KEY=value 또는 KEY<<DELIMITER 형식이어야 하는 줄: ${line}`,

  // SQL steps: what runs, what was refused, how the transaction ended
  sqlNoStatements: '이 단계에는 SQL 문이 없습니다.',
  sqlRefused: (list: string) => `거부됨, 아무것도 실행하지 않음: ${list}`,
  sqlUnparsable: (detail: string) => `SQL 구문 해석 실패, 아무것도 실행하지 않음: ${detail}`,
  sqlTimedOut: (duration: string) => `단계 시간 초과 (${duration}): 실행 중인 문을 취소함`,
  sqlInterrupted: '중단됨: 실행 중인 문을 취소함',
  sqlStatementTimeout: (error: string, duration: string) => `${error} (statement_timeout ${duration})`,
  sqlWritesInReadOnly:
    '이 단계는 파괴적(destructive) 단계로 선언되지 않아 읽기 전용 트랜잭션에서 실행되는데, 쓰기를 합니다 (예: 함수 안에서, nextval() 호출로). 단계에 {destructive} 속성을 선언하세요',
  sqlMaxRows: (command: string, affected: number, maxRows: number, applied: boolean) =>
    `${command} 문이 ${affected}개 행을 변경함 (max-rows=${maxRows} 초과); ${applied ? '이미 적용됨 (autocommit)' : '롤백함'}`,
  sqlAutocommit: '`autocommit`: 각 문을 트랜잭션 밖에서 하나씩 실행했습니다. 미리보기나 롤백은 할 수 없었습니다.',
  sqlCommitFailed: (error: string) => `COMMIT 실패, 아무것도 커밋되지 않음: ${error}`,
  sqlRowsFooter: (total: number, shown: number) => (shown < total ? `(${total}개 행 중 처음 ${shown}개 표시)` : `(${total}개 행)`),

  // Redis steps: what was judged, sent, refused
  redisNoCommands: '이 단계에는 Redis 명령이 없습니다.',
  redisUnreadable: (detail: string) => `Redis 명령을 읽을 수 없어 아무것도 보내지 않음: ${detail}`,
  redisServerTableUnread: '서버의 명령 표를 읽을 수 없어 내장 표로 명령을 판정했습니다.',
  redisNotSent: (reason: string, line: number, command: string) => `${reason} (줄 ${line}: ${command}; 아무것도 보내지 않음)`,
  redisTimedOut: (duration: string) => `단계 시간 초과 (${duration})`,
  redisCommandFailed: (name: string, error: string) => `${name} 실패: ${error}`,
  redisMoreElements: (n: number) => `… (${n}개 요소 더 있음)`,
  redisTableColumns: ['줄', '명령', '응답'],

  // TS steps: the host and its worker
  tsHostClosed: 'TS 호스트가 닫혀 있음',
  tsWorkerFailedToStart: (error: string) => `TS 워커 시작 실패: ${error}`,
  tsWorkerStopped: (why: string) => `TS 워커가 멈춤: ${why}`,
  tsCannotSendStep: (error: string) => `단계를 워커에 보낼 수 없음: ${error}`,
  tsWorkerTimedOut: (duration: string) => `시간 초과 (${duration}): 워커와 명령을 정지함`,
  stepStopped: '단계가 정지됨',
  stepEnded: '단계가 이미 끝남',
  noStepRunning: '실행 중인 단계가 없음',
  runnerDidNotAnswer: '러너가 답하지 않음',
  commandDenied: '거부됨',
  commandCheckFailed: (error: string) => `명령 확인 실패: ${error}`,
  aCommand: '명령',
  commandFailed: (command: string, status: string) => `${command} 실패: ${status}`,
  notADirectory: (path: string) => `cd: 폴더가 아님: ${path}`,
  thrown: (value: string) => `예외 값: ${value}`,
  stateNotJson: (error: string) => `state 값을 JSON으로 직렬화할 수 없음: ${error}`,
  retry: (attempt: number, total: number) => `재시도 ${attempt}/${total}`,

  // The `sql` helper of TS steps
  sqlTagged: 'sql 호출은 태그 템플릿으로 쓰세요: sql`SELECT … WHERE id = ${id}` (값은 텍스트에 넣지 않고 항상 매개변수로 바인딩됩니다)',
  sqlCallEnded: '이 호출을 한 단계는 이미 끝남',
  sqlSyntaxError: (line: number, message: string) => `문의 줄 ${line}: 구문 오류: ${message}`,
  nothingExecuted: (text: string) => `${text} (아무것도 실행하지 않음)`,
  sqlOneStatement: 'sql 호출 하나에는 문 하나만 (여러 번 호출하고, 한 트랜잭션으로 묶으려면 sql.begin(…) 안에서 호출하세요)',
  sqlDestructiveInReadOnly: (reasons: string) =>
    `${reasons} — 이 단계는 파괴적(destructive) 단계로 선언되지 않아 sql 호출은 읽기 전용입니다. 단계에 {destructive} 속성을 선언하세요 (아무것도 실행하지 않음)`,
  sqlCallWritesInReadOnly:
    '이 단계는 파괴적(destructive) 단계로 선언되지 않아 sql 호출이 읽기 전용 트랜잭션에서 실행됩니다. 쓰려면 단계에 {destructive} 속성을 선언하세요 (아무것도 바뀌지 않음)',
  sqlCallStatementTimeout: (error: string, duration: string) => `${error} (statement_timeout ${duration}, 단계의 시간 제한)`,
  sqlBeginNeedsFunction: 'sql.begin(fn): fn 자리에는 트랜잭션 안에서 sql을 호출할 함수를 주세요',
  sqlBeginNested: 'sql.begin: 이미 sql.begin 안에 있음',
  sqlBeginRolledBack: 'sql.begin: 트랜잭션 안의 문 하나가 실패해 롤백함 (아무것도 커밋되지 않음)',
  sqlMoreCalls: (more: number, listed: number) => `\`sql\` 호출 ${more}개가 더 실행됨 (처음 ${listed}개만 기록함).`,

  // The `redis` helper of TS steps
  redisCommandEnded: '이 명령을 보낸 단계는 이미 끝남',
  redisBadUrl: (variable: string, url: string, error: string) => `${variable} 변수의 Redis 주소를 쓸 수 없음 (${url}): ${error}`,
  redisBlocked: (reason: string) => `보내지 않음, 단계가 차단됨: ${reason}`,
  redisConsentCovers: (command: string) => `동의는 이 단계의 모든 ${command} 명령에 적용됨`,
  redisDuplicateOptions: 'runbook 단계에서는 redis.duplicate(options) 대신 redis.duplicate()를 쓰세요',
  redisNotConnected: '연결되지 않음',
  redisCallsServerTableUnread: 'Redis 서버의 명령 표를 읽을 수 없어 `redis` 명령을 내장 표로 판정했습니다.',

  // The OS guard (bubblewrap): why it is missing, which guard held a step, `writes=` problems
  guardNotLinux: (platform: string) => `운영체제 보호는 Linux에서만 쓸 수 있음 (이 컴퓨터: ${platform})`,
  guardNoBwrap: 'bubblewrap(bwrap) 프로그램을 PATH에서 찾을 수 없음',
  guardTrialFailed: (detail: string) => `bubblewrap 시험 실행 실패: ${detail}`,
  guardNoneSql: 'SQL 단계: PostgreSQL의 읽기 전용 트랜잭션이 지킴',
  guardNoneRedis: 'Redis 단계: 판정과 명령 표가 지킴',
  guardNoneDestructive: '변경 단계: 동의를 받고 보호 없이 실행',
  guardNoneUnavailable: (why: string) => `운영체제 보호를 쓸 수 없음: ${why}`,
  guardNoneSudo: 'sudo',
  spawnerStopped: '운영체제 보호의 스포너 프로세스가 단계 도중에 멈춤 (다음 단계를 위해 새로 시작함)',
  outputNotAFile: '$RUNBOOK_OUTPUT 경로가 일반 파일이 아니어서 (심볼릭 링크 등) 읽지 않음',
  guardSettingUnknown: (value: string) => `RUNBOOK_GUARD 값을 알 수 없음: ${JSON.stringify(value)} (쓸 수 있는 값: required, optional)`,
  guardRequired: (why: string) =>
    `대상 설정의 RUNBOOK_GUARD=required 값 때문에 운영체제 보호가 필요하지만 쓸 수 없어 실행하지 않음: ${why}. 켜는 방법은 \`runbook doctor\` 명령으로 확인하세요 (보호 없이 실행하려면 대상의 env 파일에서 RUNBOOK_GUARD 줄을 지우세요)`,
  writesUnset: (entry: string, name: string) => `writes=${entry}: 변수 ${name} 값이 설정되지 않음`,
  writesEmpty: (entry: string) => `writes=${entry}: 빈 경로`,
  writesSystemRoot: (entry: string, resolved: string) =>
    `writes=${entry}: 경로 ${resolved} 전체를 쓰기 가능으로 열 수 없음 (/ 또는 시스템 최상위 폴더). 실제로 쓰는 하위 폴더를 지정하세요`,
  writesReports: (entry: string, reports: string) => `writes=${entry}: 보고서 폴더 ${reports} 안이나 그 위는 쓰기 가능으로 열 수 없음`,
  writesRefused: (problem: string) => `단계를 실행하지 않음: ${problem}`,
  probeSudoFailed: (line: string) => `probe 명령의 sudo 권한 상승 실패 (건너뛰지 않고 실패로 기록): ${line}`,
  guardHeader: (label: string) => `운영체제 보호: ${label}`,
  guardAvailable: (bwrap: string) => `사용 가능 (${bwrap}: 변경 단계가 아닌 셸·TS 단계와 probe 명령은 읽기 전용 보기에서 실행)`,
  guardUnavailableHeader: (why: string) => `쓸 수 없음 (${why}): 판정만으로 보호`,

  // `runbook doctor`: which guards work here, and how to enable the missing ones
  doctorTitle: '단계 보호 장치 점검',
  doctorCheckNames: { platform: '운영체제', bubblewrap: 'bubblewrap', namespaces: '이름공간', capabilities: '권한 제거', remount: '다시 마운트' },
  doctorJudge: '판정(judge): 항상 사용 (셸, SQL, Redis, TS 단계와 probe 명령)',
  doctorOsAvailable: 'os-readonly: 사용 가능. 변경 단계가 아닌 셸 단계와 probe 명령은 읽기 전용 보기에서 실행됨',
  doctorOsMissing: 'os-readonly: 쓸 수 없음. 판정만으로 보호됨 (대상 env 파일에 RUNBOOK_GUARD=required 값이 있으면 실행을 시작하지 않음)',
  doctorFixLabel: '해결',
  doctorNamespacesOk: '읽기 전용 보기를 만들 수 있음',
  doctorCapabilities: (capEff: string, noNewPrivs: boolean) => `보기 안의 CapEff 값: ${capEff}, no_new_privs 상태: ${noNewPrivs ? '켜짐' : '꺼짐'}`,
  doctorRemountBlocked: '보기 안에서 / 경로를 쓰기 가능으로 다시 마운트할 수 없음',
  doctorRemountPossible: '보기 안에서 / 경로를 쓰기 가능으로 다시 마운트할 수 있음: 보호가 성립하지 않음',
  doctorFixPlatform: 'Linux가 아닌 시스템에는 운영체제 보호가 없음: 판정만으로 보호됨',
  doctorFixBwrap: 'bubblewrap 설치 또는 갱신 (Debian/Ubuntu: apt-get install bubblewrap, 0.4 이상)',
  doctorFixNamespaces:
    '사용자 이름공간 허용: sysctl -w kernel.unprivileged_userns_clone=1 (Debian 계열), user.max_user_namespaces 값은 0보다 커야 함. ' +
    'Ubuntu 23.10 이상은 AppArmor가 막음: /usr/bin/bwrap 프로그램에 userns 규칙을 둔 AppArmor 프로필을 쓰거나 sysctl -w kernel.apparmor_restrict_unprivileged_userns=0. ' +
    '컨테이너 안: Docker 기본 seccomp 프로필이 unshare와 mount 호출을 막음 (--security-opt seccomp=<unshare와 mount를 허용하는 프로필> 또는 --privileged)',
  // the run-time `$` gate of TS steps: what it judges is the line as it will run
  tsGateShell: (shell: string) => `읽기 전용임을 증명할 수 없습니다: 셸이 아닌 프로그램이 명령줄을 실행합니다 (${shell})`,
  tsGateUnparsed: (error: string) => `읽기 전용임을 증명할 수 없습니다: 명령줄을 읽을 수 없습니다 (${error})`,
  // the run-time server check of SQL steps that are not destructive (EXPLAIN of each statement)
  sqlCheckUnparsable: '서버 점검을 위해 문을 읽을 수 없습니다',
  sqlCheckUnreadable: (expr: string) => `실행 계획의 식을 읽을 수 없습니다: ${expr}`,
  sqlCheckRefused: (expr: string, why: string) => `실행 계획의 식 ${expr} — ${why}`,
  sqlCheckOperator: (op: string, fn: string) => `연산자 ${op} 실행 함수 ${fn}: pg_catalog 또는 확장에 속하지 않거나 판정을 통과하지 못함`,
  sqlCheckBlocked: (list: string) =>
    `서버 점검이 실행을 막음 (변경 단계가 아닌데 되돌릴 수 없는 일을 할 수 있음): ${list}. 변경 단계로 선언하거나 safe="이유" 속성으로 점검을 면제하세요`,
  sqlCheckHeld: (explained: number, staticOnly: number, ms: number) =>
    `서버 점검: 문 ${explained}개의 실행 계획을 판정함, 문 ${staticOnly}개는 정적 판정만 적용 (${ms} ms)`,
  sqlCheckWaived: (reason: string, findings: string) => `서버 점검 면제 (safe="${reason}")${findings ? `: 점검 결과 — ${findings}` : ''}`,
  // true counts of destructive SQL steps (pg_stat_xact_user_tables)
  sqlCountsTrackOff: 'track_counts 설정이 꺼져 있어 서버 통계가 행 수를 세지 않음',
  sqlCountsDropped: (table: string) => `테이블 ${table} 삭제됨: 잃은 행 수를 셀 수 없음`,
  sqlCountsDroppedColumn: (table: string) => `테이블 ${table} 열 삭제됨: 잃은 데이터를 셀 수 없음`,
  sqlCountsRewritten: (table: string) => `테이블 ${table} 다시 쓰였거나 비워짐 (확인하지 못한 TRUNCATE 가능성): 행 수를 셀 수 없음`,
  sqlMaxRowsTable: (table: string, rows: number, maxRows: number, applied: boolean) =>
    `테이블 ${table} 변경 행 수 ${rows} (max-rows=${maxRows} 초과); ${applied ? '이미 적용됨 (autocommit)' : '롤백함'}`,
  sqlMaxRowsUncounted: (why: string) => `max-rows 한도를 지킬 수 없음: ${why}; 롤백함`,
  sqlPreviewUncounted: (why: string) => `미리 보기를 하지 않음: ${why}. 미리 보기가 보여 줄 행 수가 모두 0이 됨`,
  sqlTableCounts: (table: string, inserted: number, updated: number, deleted: number, truncated: number | undefined) =>
    `${table}: ${[inserted ? `추가 ${inserted}` : '', updated ? `변경 ${updated}` : '', deleted ? `삭제 ${deleted}` : '', truncated !== undefined ? `TRUNCATE로 비움 ${truncated}` : ''].filter(Boolean).join(', ') || '변경 없음'}`,
  sqlUncounted: (why: string) => `행 수 모름: ${why}`,
  sqlSampleTitle: (line: number, masked: string[]) => `줄 ${line}: 변경된 행 표본${masked.length ? ` (가린 열: ${masked.join(', ')})` : ''}`,
  sqlSampleHeader: (line: number, shown: number) => `변경된 행 표본 (줄 ${line}, 최대 ${shown}행):`,
  sqlCheckLabel: (check: 'explained' | 'static' | 'waived') =>
    `서버 점검: ${check === 'explained' ? '실행 계획 판정함' : check === 'static' ? '정적 판정만 적용' : '면제됨 (safe)'}`,
  sqlCheckPlanTime: (fn: string, volatility: string) =>
    `함수 ${fn}: pg_catalog 또는 확장에 속하지 않는 ${volatility} 함수. 실행 계획을 세우는 중에 실행될 수 있음`,
  sqlCheckInlinedView: (fn: string, view: string) => `SQL 함수 ${fn} 본문이 뷰 ${view} 이름을 씀: 펼쳐질 때 무엇을 부르는지 확인할 수 없음`,
  sqlCheckInlinedOperator: (fn: string, op: string) => `SQL 함수 ${fn} 본문이 사용자 연산자 ${op} 기호를 씀: 펼쳐질 때 무엇을 부르는지 확인할 수 없음`,
  sqlCountsHidden: (table: string) => `테이블 ${table} 행 보안 정책 또는 SELECT 권한 부족으로 TRUNCATE로 지울 행을 모두 셀 수 없음`,
  sqlSampleRunsAs: (line: number) => `줄 ${line} 문을 변경된 행 표본과 함께 이렇게 실행함:`,
  sqlCheckCast: (fn: string) => `함수 ${fn}: pg_catalog 또는 확장에 속하지 않는 형 변환 함수. 실행 계획에 보이지 않고 실행됨`,
}

export const en: typeof ko = {
  // Where in the runbook file: a prefix of reasons, the title of a result table
  atLine: (line) => `line ${line}: `,
  lineTitle: (line) => `line ${line}`,
  onLine: (text, line) => `${text} (line ${line})`,

  // Stops and failures every step kind shares
  interrupted: 'interrupted',
  interruptedBeforeStart: 'interrupted before the step started',
  interruptedBySignal: 'interrupted (Ctrl-C or SIGTERM)',
  timedOut: (duration) => `timed out after ${duration}`,
  exitCode: (code) => `exit code ${code}`,
  killedBy: (signal) => `killed by ${signal}`,
  workingDirectoryNotFound: (dir) => `working directory not found: ${dir}`,
  checksFailed: (names) => `check failed: ${names}`,
  someChecksFailed: 'a check failed',

  // Servers: which variable holds the URL, where a connection goes, why it failed
  urlNotSet: (server, variable, attribute) =>
    `the ${server} URL variable ${variable} is not set (set it, or name another variable with ${attribute}=VAR)`,
  pgWhere: (host, port, database) => `host ${host} port ${port} database ${database}`,
  redisWhere: (host, port, db) => `host ${host} port ${port} db ${db}`,
  cannotConnect: (server, where, url, error) => `cannot connect to ${server} at ${where} (${url}): ${error}`,
  connectionFailed: (server, where, error) => `${server} connection (${where}) failed: ${error}`,
  serverError: (server, where, error) => `${server} (${where}): ${error}`,

  // Shell steps
  shellTimedOut: (duration) => `timed out after ${duration}: the process group was stopped`,
  shellLeftover: (n) =>
    `Stopped ${count(n, 'process', 'processes')} left running after the step (start long-lived services with systemctl, docker or setsid).`,
  shellOutputError: (problem) => `$RUNBOOK_OUTPUT format error: ${problem}`,
  outputInvalidName: (name) => `invalid name ${name}`,
  outputInvalidHeredoc: (line) => `invalid heredoc ${line}`,
  outputHeredocUnclosed: (key, delimiter) => `${key}<<${delimiter} is never closed by a line ${delimiter}`,
  outputUnexpected: (line) => `expected KEY=value or KEY<<DELIMITER, got ${line}`,

  // SQL steps: what runs, what was refused, how the transaction ended
  sqlNoStatements: 'No SQL statements in this step.',
  sqlRefused: (list) => `refused, nothing was executed: ${list}`,
  sqlUnparsable: (detail) => `SQL could not be parsed, nothing was executed: ${detail}`,
  sqlTimedOut: (duration) => `step timed out after ${duration}; the statement was cancelled`,
  sqlInterrupted: 'interrupted; the statement was cancelled',
  sqlStatementTimeout: (error, duration) => `${error} (statement_timeout ${duration})`,
  sqlWritesInReadOnly:
    'this step is not declared destructive, so it runs in a read-only transaction; it writes (e.g. inside a function, or through nextval()), so declare it {destructive}',
  sqlMaxRows: (command, affected, maxRows, applied) =>
    `${command} affected ${count(affected, 'row')}, more than max-rows=${maxRows}; ${applied ? 'it was already applied (autocommit)' : 'rolled back'}`,
  sqlAutocommit: '`autocommit`: each statement ran on its own, outside a transaction; no preview or rollback was possible.',
  sqlCommitFailed: (error) => `COMMIT failed, nothing was committed: ${error}`,
  sqlRowsFooter: (total, shown) => (shown < total ? `(${count(total, 'row')}; first ${shown} shown)` : `(${count(total, 'row')})`),

  // Redis steps: what was judged, sent, refused
  redisNoCommands: 'No Redis commands in this step.',
  redisUnreadable: (detail) => `Redis commands could not be read, nothing was sent: ${detail}`,
  redisServerTableUnread: "The server's command table could not be read; commands were judged by the built-in table.",
  redisNotSent: (reason, line, command) => `${reason} (line ${line}: ${command}; nothing was sent)`,
  redisTimedOut: (duration) => `step timed out after ${duration}`,
  redisCommandFailed: (name, error) => `${name} failed: ${error}`,
  redisMoreElements: (n) => `… (${count(n, 'more element', 'more elements')})`,
  redisTableColumns: ['line', 'command', 'reply'],

  // TS steps: the host and its worker
  tsHostClosed: 'the TS host is closed',
  tsWorkerFailedToStart: (error) => `the TS worker failed to start: ${error}`,
  tsWorkerStopped: (why) => `the TS worker stopped: ${why}`,
  tsCannotSendStep: (error) => `could not send the step to the worker: ${error}`,
  tsWorkerTimedOut: (duration) => `timed out after ${duration}: the worker and its commands were stopped`,
  stepStopped: 'the step was stopped',
  stepEnded: 'the step has ended',
  noStepRunning: 'no step is running',
  runnerDidNotAnswer: 'the runner did not answer',
  commandDenied: 'denied',
  commandCheckFailed: (error) => `the command check failed: ${error}`,
  aCommand: 'command',
  commandFailed: (command, status) => `${command} failed: ${status}`,
  notADirectory: (path) => `cd: not a directory: ${path}`,
  thrown: (value) => `thrown: ${value}`,
  stateNotJson: (error) => `state is not JSON-serialisable: ${error}`,
  retry: (attempt, total) => `retry ${attempt}/${total}`,

  // The `sql` helper of TS steps
  sqlTagged: 'sql is a tagged template: write sql`SELECT … WHERE id = ${id}`; values are bound as parameters, never put into the text',
  sqlCallEnded: 'the step that made this call has ended',
  sqlSyntaxError: (line, message) => `syntax error at line ${line} of the statement: ${message}`,
  nothingExecuted: (text) => `${text} (nothing was executed)`,
  sqlOneStatement: 'one statement per sql call (use several calls, and sql.begin(…) to run them in one transaction)',
  sqlDestructiveInReadOnly: (reasons) =>
    `${reasons} — this step is not declared destructive, so its sql is read-only; declare the step {destructive} (nothing was executed)`,
  sqlCallWritesInReadOnly:
    'this step is not declared destructive, so its sql runs in a read-only transaction; declare the step {destructive} to write (nothing was changed)',
  sqlCallStatementTimeout: (error, duration) => `${error} (statement_timeout ${duration}, the step's timeout)`,
  sqlBeginNeedsFunction: 'sql.begin(fn): fn must be a function whose sql calls run in the transaction',
  sqlBeginNested: 'sql.begin: already inside sql.begin',
  sqlBeginRolledBack: 'sql.begin: a statement in the transaction failed, so it was rolled back (nothing was committed)',
  sqlMoreCalls: (more, listed) => `${count(more, 'more `sql` call')} ran; the first ${listed} are listed.`,

  // The `redis` helper of TS steps
  redisCommandEnded: 'the step that sent this command has ended',
  redisBadUrl: (variable, url, error) => `cannot use the Redis URL in ${variable} (${url}): ${error}`,
  redisBlocked: (reason) => `not sent, the step is blocked: ${reason}`,
  redisConsentCovers: (command) => `consent covers every ${command} of this step`,
  redisDuplicateOptions: 'redis.duplicate(options) is not available in runbook steps; use redis.duplicate()',
  redisNotConnected: 'not connected',
  redisCallsServerTableUnread: "The Redis server's command table could not be read; `redis` commands were judged by the built-in table.",

  // The OS guard (bubblewrap): why it is missing, which guard held a step, `writes=` problems
  guardNotLinux: (platform) => `the OS guard needs Linux (this machine: ${platform})`,
  guardNoBwrap: 'bubblewrap (bwrap) is not on PATH',
  guardTrialFailed: (detail) => `a trial run of bubblewrap failed: ${detail}`,
  guardNoneSql: "SQL steps: held by PostgreSQL's read-only transaction",
  guardNoneRedis: 'Redis steps: held by the judge and the command table',
  guardNoneDestructive: 'destructive step: runs unguarded, with consent',
  guardNoneUnavailable: (why) => `the OS guard is not available: ${why}`,
  guardNoneSudo: 'sudo',
  spawnerStopped: "the OS guard's spawner process stopped during the step (a new one starts for the next steps)",
  outputNotAFile: '$RUNBOOK_OUTPUT is not a regular file any more (a symlink, …): not read',
  guardSettingUnknown: (value) => `unknown RUNBOOK_GUARD value ${JSON.stringify(value)} (required or optional)`,
  guardRequired: (why) =>
    `the target sets RUNBOOK_GUARD=required, but the OS guard is not available here, so the run does not start: ${why}. See \`runbook doctor\` for how to enable it (to run without it, remove RUNBOOK_GUARD from the target's env file)`,
  writesUnset: (entry, name) => `writes=${entry}: ${name} is not set`,
  writesEmpty: (entry) => `writes=${entry}: an empty path`,
  writesSystemRoot: (entry, resolved) => `writes=${entry}: ${resolved} cannot be made writable as a whole (/ or a system root); name the folder the step writes`,
  writesReports: (entry, reports) => `writes=${entry}: the reports folder ${reports} (or a folder holding it) cannot be made writable`,
  writesRefused: (problem) => `the step did not run: ${problem}`,
  probeSudoFailed: (line) => `sudo could not elevate in the probe (recorded as a failure, not a skip): ${line}`,
  guardHeader: (label) => `OS guard: ${label}`,
  guardAvailable: (bwrap) => `available (${bwrap}: shell and TS steps that are not destructive, and probes, run in a read-only view)`,
  guardUnavailableHeader: (why) => `not available (${why}): the judge alone`,

  // `runbook doctor`: which guards work here, and how to enable the missing ones
  doctorTitle: 'Step guards on this machine',
  doctorCheckNames: { platform: 'platform', bubblewrap: 'bubblewrap', namespaces: 'namespaces', capabilities: 'capabilities', remount: 'remount' },
  doctorJudge: 'judge: always on (shell, SQL, Redis and TS steps, and probes)',
  doctorOsAvailable: 'os-readonly: available. Shell steps that are not destructive, and probes, run in a read-only view',
  doctorOsMissing: "os-readonly: not available. The judge alone holds steps (a target whose env file sets RUNBOOK_GUARD=required does not start)",
  doctorFixLabel: 'fix',
  doctorNamespacesOk: 'a read-only view can be made',
  doctorCapabilities: (capEff, noNewPrivs) => `inside the view: CapEff ${capEff}, no_new_privs ${noNewPrivs ? 'on' : 'off'}`,
  doctorRemountBlocked: 'inside the view, / cannot be remounted writable',
  doctorRemountPossible: 'inside the view, / CAN be remounted writable: the guard does not hold',
  doctorFixPlatform: 'systems other than Linux have no OS guard: the judge alone holds steps',
  doctorFixBwrap: 'install or update bubblewrap (Debian/Ubuntu: apt-get install bubblewrap, 0.4 or later)',
  doctorFixNamespaces:
    'allow user namespaces: sysctl -w kernel.unprivileged_userns_clone=1 (Debian), and user.max_user_namespaces above 0. ' +
    'Ubuntu 23.10 and later restrict them through AppArmor: give /usr/bin/bwrap an AppArmor profile with a userns rule, or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0. ' +
    "In a container: Docker's default seccomp profile blocks unshare and mount (--security-opt seccomp=<a profile allowing them>, or --privileged)",
  tsGateShell: (shell) => `cannot prove this is read-only: the command line is run by a program that is not a shell (${shell})`,
  tsGateUnparsed: (error) => `cannot prove this is read-only: the command line does not parse (${error})`,
  sqlCheckUnparsable: 'the statement cannot be read for the server check',
  sqlCheckUnreadable: (expr) => `an expression of the plan cannot be read: ${expr}`,
  sqlCheckRefused: (expr, why) => `the plan's expression ${expr} — ${why}`,
  sqlCheckOperator: (op, fn) => `operator ${op} runs ${fn}, which is neither in pg_catalog nor an extension's, or the judge refuses it`,
  sqlCheckBlocked: (list) =>
    `the server check refused to run it (a step that is not destructive could do what a rollback does not undo): ${list}. Declare the step destructive, or waive the check with safe="why"`,
  sqlCheckHeld: (explained, staticOnly, ms) =>
    `server check: the plans of ${count(explained, 'statement')} judged, ${count(staticOnly, 'statement')} judged statically only (${ms} ms)`,
  sqlCheckWaived: (reason, findings) => `server check waived (safe="${reason}")${findings ? `; it found: ${findings}` : ''}`,
  sqlCountsTrackOff: 'track_counts is off: the server statistics count no rows',
  sqlCountsDropped: (table) => `table ${table} was dropped: the rows lost cannot be counted`,
  sqlCountsDroppedColumn: (table) => `a column of table ${table} was dropped: the data lost cannot be counted`,
  sqlCountsRewritten: (table) => `table ${table} was rewritten or emptied (a TRUNCATE not seen?): its rows cannot be counted`,
  sqlMaxRowsTable: (table, rows, maxRows, applied) =>
    `${count(rows, 'row')} of ${table} changed, more than max-rows=${maxRows}; ${applied ? 'it was already applied (autocommit)' : 'rolled back'}`,
  sqlMaxRowsUncounted: (why) => `max-rows cannot be held: ${why}; rolled back`,
  sqlPreviewUncounted: (why) => `no preview: ${why}, so every count a preview shows would be 0`,
  sqlTableCounts: (table, inserted, updated, deleted, truncated) =>
    `${table}: ${[inserted ? `${inserted} inserted` : '', updated ? `${updated} updated` : '', deleted ? `${deleted} deleted` : '', truncated !== undefined ? `${truncated} truncated` : ''].filter(Boolean).join(', ') || 'unchanged'}`,
  sqlUncounted: (why) => `rows not counted: ${why}`,
  sqlSampleTitle: (line, masked) => `line ${line}: sample of the changed rows${masked.length ? ` (masked: ${masked.join(', ')})` : ''}`,
  sqlSampleHeader: (line, shown) => `Sample of the changed rows (line ${line}, at most ${shown}):`,
  sqlCheckLabel: (check) => `server check: ${check === 'explained' ? 'plan judged' : check === 'static' ? 'static judge only' : 'waived (safe)'}`,
  sqlCheckPlanTime: (fn, volatility) => `function ${fn} is ${volatility} and neither in pg_catalog nor an extension's: planning may run it`,
  sqlCheckInlinedView: (fn, view) => `the body of SQL function ${fn} names view ${view}: what it calls once inlined cannot be followed`,
  sqlCheckInlinedOperator: (fn, op) => `the body of SQL function ${fn} uses the user operator ${op}: what it calls once inlined cannot be followed`,
  sqlCountsHidden: (table) => `row security or a missing SELECT privilege on table ${table}: count(*) cannot see every row TRUNCATE removes`,
  sqlSampleRunsAs: (line) => `line ${line}: to show a sample of the changed rows, the statement is run as:`,
  sqlCheckCast: (fn) => `function ${fn} is a cast function neither in pg_catalog nor an extension's: it runs where the plan shows only a cast`,
}
