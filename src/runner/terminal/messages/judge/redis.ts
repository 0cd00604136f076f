// Messages of the Redis judge: why a command is destructive, and why a line cannot be split.
// A reason is the command and what it does: `SET: 데이터를 씁니다` / `SET writes data`.

export const ko = {
  // why a command is destructive (several are joined)
  command: (command: string, why: string[]) => `${command}: ${why.join(', ')}`,
  switchesDatabase: '연결을 다른 데이터베이스로 바꿉니다',
  runsScripts: '서버 쪽 스크립트를 실행하거나 관리합니다',
  publishes: '구독자에게 메시지를 보냅니다',
  writesData: '데이터를 씁니다',
  isAdmin: '관리 명령입니다',
  isDangerous: 'Redis 분류상 위험 명령입니다 (@dangerous)',
  // a line redis-cli could not split
  unbalancedDouble: '큰따옴표가 닫히지 않았습니다',
  unbalancedSingle: '작은따옴표가 닫히지 않았습니다',
  textAfterQuote: '닫는 따옴표 바로 뒤에는 공백이 와야 합니다',
}

export const en: typeof ko = {
  command: (command, why) => `${command} ${why.join(' and ')}`,
  switchesDatabase: 'switches the connection to another database',
  runsScripts: 'runs or manages server-side scripts',
  publishes: 'sends a message to subscribers',
  writesData: 'writes data',
  isAdmin: 'is an admin command',
  isDangerous: "is in Redis' @dangerous category",
  unbalancedDouble: 'unbalanced double quotes',
  unbalancedSingle: 'unbalanced single quotes',
  textAfterQuote: 'closing quote must be followed by a space',
}
