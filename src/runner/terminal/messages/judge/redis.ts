// Messages of the Redis judge: why a command is destructive, and why a line cannot be split.
// A reason is the command and what it does: `SET: 데이터를 씁니다` / `SET writes data`. The lint
// warning about commands that can stall a big server lives here too.

export const ko = {
  // why a command is destructive (several are joined)
  command: (command: string, why: string[]) => `${command}: ${why.join(', ')}`,
  writesData: '데이터를 씁니다',
  changesConfig: '서버 설정을 바꿉니다',
  actsOnClients: '다른 클라이언트 연결에 영향을 줍니다',
  stopsServer: '서버를 멈춥니다',
  debugs: '서버 내부를 조작하는 디버그 명령입니다',
  persists: '데이터를 디스크에 저장하는 작업을 시작합니다',
  changesReplication: '복제 구성을 바꿉니다',
  changesCluster: '클러스터 구성을 바꿉니다',
  changesAcl: '사용자와 권한(ACL)을 바꿉니다',
  changesModules: '모듈을 올리거나 내립니다',
  managesScripts: '서버에 저장된 스크립트를 바꾸거나 멈춥니다',
  runsScripts: '서버 쪽 스크립트를 실행합니다 (읽기 전용 변형도 PUBLISH를 부르거나 서버를 붙잡을 수 있음)',
  resetsDiagnostics: '진단 기록(통계, 느린 명령 기록 등)을 지웁니다',
  purgesMemory: '메모리 할당기를 정리시킵니다',
  switchesDatabase: '연결을 다른 데이터베이스로 바꿉니다',
  publishes: '구독자에게 메시지를 보냅니다',
  holdsConnection: '끝나지 않고 연결을 붙잡습니다 (단계 시간 제한까지)',
  showsEveryCommand: '모든 클라이언트의 명령을 보여 주며 서버를 느리게 합니다',
  showsSecrets: '비밀번호나 그 해시를 보여 줍니다 (보고서에 남음)',
  unknownCommand: '명령 표에 없는 명령입니다',
  unknownSubcommand: '명령 표에 없는 하위 명령입니다',
  unknownArgument: '실행 전에는 알 수 없는 인자로 명령이 정해집니다',
  notReviewed: '읽기 전용인지 검토되지 않은 명령입니다',
  // lint: a command that can stall a big server
  slowCommand: (id: string, command: string, better: string) =>
    `단계 "${id}": ${command} 명령은 키가 많은 서버를 오래 멈출 수 있습니다. 대신 ${better} 명령을 쓰세요`,
  // a line redis-cli could not split
  unbalancedDouble: '큰따옴표가 닫히지 않았습니다',
  unbalancedSingle: '작은따옴표가 닫히지 않았습니다',
  textAfterQuote: '닫는 따옴표 바로 뒤에는 공백이 와야 합니다',
}

export const en: typeof ko = {
  command: (command, why) => `${command} ${why.join(' and ')}`,
  writesData: 'writes data',
  changesConfig: "changes the server's configuration",
  actsOnClients: "acts on other clients' connections",
  stopsServer: 'stops the server',
  debugs: "is a debugging command that manipulates the server's internals",
  persists: 'starts writing the dataset to disk',
  changesReplication: 'changes replication',
  changesCluster: 'changes the cluster',
  changesAcl: 'changes users and permissions (ACL)',
  changesModules: 'loads or unloads modules',
  managesScripts: 'changes or stops the scripts stored on the server',
  runsScripts: 'runs a server-side script (read-only variants can still PUBLISH or hold the server)',
  resetsDiagnostics: 'clears diagnostics (statistics, slow log…)',
  purgesMemory: 'makes the memory allocator purge',
  switchesDatabase: 'switches the connection to another database',
  publishes: 'sends a message to subscribers',
  holdsConnection: 'never returns and holds the connection (until the step times out)',
  showsEveryCommand: "shows every client's commands and slows the server",
  showsSecrets: 'shows passwords or their hashes (they would stay in the report)',
  unknownCommand: 'is not in the command table',
  unknownSubcommand: 'is a subcommand not in the command table',
  unknownArgument: 'is decided by an argument not known before it runs',
  notReviewed: 'is not reviewed as read-only',
  slowCommand: (id, command, better) => `step "${id}": ${command} can stall a server with many keys: use ${better} instead`,
  unbalancedDouble: 'unbalanced double quotes',
  unbalancedSingle: 'unbalanced single quotes',
  textAfterQuote: 'closing quote must be followed by a space',
}
