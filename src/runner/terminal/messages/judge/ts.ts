// Messages of the TS/JS judge: calls that change the world, and syntax errors of the shell and
// SQL embedded in templates. (Reasons of `$` and `sql` templates are the shell and SQL judges'.)

export const ko = {
  // calls
  fsDeletes: (call: string) => `${call}: 파일을 삭제합니다`,
  fsTruncates: (call: string) => `${call}: 파일 크기를 자릅니다`,
  fsSystemPath: (call: string, path: string) => `${call}: 시스템 경로에 씁니다 (${path})`,
  processKill: 'process.kill(): 프로세스에 시그널을 보냅니다',
  fetchRequest: (method: string) => `fetch(): ${method} 요청을 보냅니다`,
  // embedded code that does not parse
  shellSyntax: (template: string, error: string) => `셸 명령 ${template}: ${error}`,
  sqlSyntax: (template: string, error: string) => `SQL ${template}: ${error}`,
}

export const en: typeof ko = {
  fsDeletes: (call) => `${call} deletes files`,
  fsTruncates: (call) => `${call} truncates files`,
  fsSystemPath: (call, path) => `${call} writes into a system path (${path})`,
  processKill: 'process.kill() sends a signal to a process',
  fetchRequest: (method) => `fetch() sends a ${method} request`,
  shellSyntax: (template, error) => `shell command ${template}: ${error}`,
  sqlSyntax: (template, error) => `SQL ${template}: ${error}`,
}
