// Messages of parsing: reading a runbook file, its front matter, fence attributes and step ids.
// The diagnostic or error carries file:line; these texts say what is wrong and what to write.
// Each entry is a string or a function of its values; `en` has exactly `ko`'s keys.

/** Type names in zod's spelling (`string`, `object`, …), as a reader says them. */
const TYPE_KO: Record<string, string> = {
  string: '문자열',
  number: '숫자',
  int: '정수',
  boolean: '참/거짓',
  object: '매핑',
  record: '매핑',
  array: '목록',
  null: '빈 값',
  undefined: '없음',
}

export const ko = {
  // Reading the file
  cannotRead: (why: string) => `런북을 읽을 수 없습니다: ${why}`,
  noSuchFile: '파일이 없음',
  permissionDenied: '권한이 없음',
  isDirectory: '폴더입니다. 런북 파일을 주세요 (.md 파일; 폴더에는 runbook list, runbook lint)',
  fileTooBig: (mb: string, maxMb: number) => `파일 크기 ${mb} MB: 런북 크기 한도 ${maxMb} MB 초과`,
  notText: (what: string, line: number) => `Markdown 텍스트 파일이 아닙니다 (${line}번째 줄: ${what})`,
  nulByte: 'NUL 바이트',
  notUtf8: 'UTF-8 인코딩이 아닌 바이트',
  noSuchFileOrFolder: '파일이나 폴더가 없습니다',
  moreProblems: (more: number, file: string) => `(문제 ${more}개 더 있음: runbook lint ${file} 실행)`,

  // Front matter: YAML and its shape
  invalidYaml: (detail: string) => `front matter YAML 오류: ${detail}`,
  notMapping: 'front matter 형식 오류: id, title 같은 키로 된 매핑이어야 합니다',
  frontMatter: 'front matter',

  // Front matter: the schema
  expectedId: '글자, 숫자, ".", "_", "-"만 쓸 수 있습니다',
  expectedDate: '날짜 형식이어야 합니다 (YYYY-MM-DD)',
  expectedVarName: '변수 이름 형식이어야 합니다 (예: APP_URL)',
  expectedCron: 'cron 필드 다섯 개(예: "0 9 * * *") 또는 @daily 같은 별칭이어야 합니다',
  notCalendarDate: (text: string) => `달력에 없는 날짜입니다: ${text}`,
  cronInvalid: (reason: string) => `cron 식 오류: ${reason}`,
  cronExtension: (token: string) => `crontab이 읽지 못하는 cron 확장입니다 (L, W, #, ?): ${token}`,
  cronNever: '한 번도 실행되지 않는 cron 식입니다 (예: 2월 30일)',
  expectedDuration: '시간 길이 형식이어야 합니다 (예: 30s, 10m, 1h)',
  unknownTopKey: (key: string, known: string) => `알 수 없는 front matter 키 "${key}" (쓸 수 있는 키: ${known})`,
  unknownKey: (where: string) => `알 수 없는 키 "${where}"`,
  badName: (where: string, detail: string) => `${where}: 이름 오류, ${detail}`,
  expectedOneOf: (values: string[]) => `다음 중 하나여야 합니다: ${values.join(', ')}`,
  expectedTypes: (types: string[]) => `다음 형식이어야 합니다: ${types.map((t) => TYPE_KO[t] ?? t).join(', ')}`,
  wrongType: (expected: string, received: string) => `형식 오류: 필요한 형식 ${TYPE_KO[expected] ?? expected}, 받은 형식 ${TYPE_KO[received] ?? received}`,
  belowMinimum: (minimum: string, inclusive: boolean) => (inclusive ? `${minimum} 이상이어야 합니다` : `${minimum} 초과여야 합니다`),
  aboveMaximum: (maximum: string, inclusive: boolean) => (inclusive ? `${maximum} 이하여야 합니다` : `${maximum} 미만이어야 합니다`),

  // Fence attributes
  needsBraces: (rest: string) => `속성은 중괄호 안에 씁니다 (예: {id=my-step}): "${rest}"`,
  badJsonAttributes: (detail: string) => `JSON 형식의 속성을 해석할 수 없습니다: ${detail}`,
  notAnObject: '객체가 아님',
  unexpectedInAttributes: (text: string) => `속성에 예상하지 못한 글자 "${text}": name 또는 name=value 형태로 쓰세요`,
  unclosedQuote: (quote: string, name: string) => `${name} 값: 닫는 따옴표 ${quote} 없음`,
  flagTakesNoValue: (name: string, value: string) => `속성 ${name}: 값을 받지 않습니다 (true, false만 가능), 받은 값 "${value}"`,
  needsValue: (name: string, example: string) => `속성 ${name}: 값이 필요합니다 (예: ${example})`,
  needsCount: (name: string, value: string) => `속성 ${name}: 0 이상의 정수가 필요합니다, 받은 값 "${value}"`,
  badDuration: (name: string, value: string) => `잘못된 ${name} 값 "${value}": 시간 길이로 쓰세요 (예: 30s, 10m, 1h, 500ms)`,

  // Runme's vocabulary (docs/runbook-format.md, "Documents written for Runme")
  unknownTopKeyWarning: (key: string) => `알 수 없는 front matter 키 "${key}": 무시합니다`,
  unknownAttributeWarning: (name: string) => `알 수 없는 속성 "${name}": 무시합니다`,
  looksMisspelt: (name: string, known: string) => `"${name}": 오타로 보입니다 (비슷한 이름: ${known}). 안전 규칙이 빠질 수 있어 무시하지 않습니다`,
  noMeaningHere: (name: string) => `Runme의 "${name}": 여기서는 의미가 없어 무시합니다`,
  skipPromptsIgnored: 'Runme의 "skipPrompts": 여기서는 확인 질문을 건너뛰지 않습니다',
  unknownInterpreter: (value: string) => `interpreter "${value}": 판단할 수 없어 실행하지 않습니다 (판단할 수 있는 interpreter: bash, sh)`,
  interpreterNotShell: (value: string) => `interpreter "${value}": 셸 단계에서만 쓸 수 있습니다 (bash, sh)`,
  invalidJson: (detail: string) => `JSON front matter 오류: ${detail}`,
  invalidToml: (detail: string) => `TOML front matter 오류: ${detail}`,

  // Step ids
  duplicateId: (id: string, firstLine: number) => `단계 id "${id}": ${firstLine}번째 줄의 단계가 이미 쓰고 있습니다. 단계마다 다른 id를 주세요`,
}

export const en: typeof ko = {
  // Reading the file
  cannotRead: (why) => `cannot read runbook: ${why}`,
  noSuchFile: 'no such file',
  permissionDenied: 'permission denied',
  isDirectory: 'is a directory; give a runbook file (.md), or use `runbook list`/`lint` for folders',
  fileTooBig: (mb, maxMb) => `is ${mb} MB; a runbook may be at most ${maxMb} MB`,
  notText: (what, line) => `is not a Markdown text file (${what} at line ${line})`,
  nulByte: 'a NUL byte',
  notUtf8: 'bytes that are not UTF-8',
  noSuchFileOrFolder: 'no such file or folder',
  moreProblems: (more, file) => `(and ${more} more problem${more === 1 ? '' : 's'}: run \`runbook lint ${file}\`)`,

  // Front matter: YAML and its shape
  invalidYaml: (detail) => `invalid YAML in front matter: ${detail}`,
  notMapping: 'front matter must be a mapping of keys (id, title, …)',
  frontMatter: 'front matter',

  // Front matter: the schema
  expectedId: 'expected letters, digits, ".", "_" or "-"',
  expectedDate: 'expected a date as YYYY-MM-DD',
  expectedVarName: 'expected a variable name like APP_URL',
  expectedCron: 'expected five cron fields like "0 9 * * *" or @daily',
  notCalendarDate: (text) => `not a day of the calendar: ${text}`,
  cronInvalid: (reason) => `invalid cron expression: ${reason}`,
  cronExtension: (token) => `a cron extension crontab does not read (L, W, #, ?): ${token}`,
  cronNever: 'this cron expression never fires (like 30 February)',
  expectedDuration: 'expected a duration like 30s, 10m or 1h',
  unknownTopKey: (key, known) => `unknown front-matter key "${key}" (known keys: ${known})`,
  unknownKey: (where) => `unknown key "${where}"`,
  badName: (where, detail) => `${where}: bad name, ${detail}`,
  expectedOneOf: (values) => `expected one of ${values.join(', ')}`,
  expectedTypes: (types) => `expected ${types.map((t) => (t === 'object' || t === 'record' ? 'a mapping' : `a ${t}`)).join(' or ')}`,
  wrongType: (expected, received) => `Invalid input: expected ${expected}, received ${received}`,
  belowMinimum: (minimum, inclusive) => `too small: expected ${inclusive ? '>=' : '>'}${minimum}`,
  aboveMaximum: (maximum, inclusive) => `too big: expected ${inclusive ? '<=' : '<'}${maximum}`,

  // Fence attributes
  needsBraces: (rest) => `attributes must be written in braces, like {id=my-step}: "${rest}"`,
  badJsonAttributes: (detail) => `attributes in JSON form do not parse: ${detail}`,
  notAnObject: 'not an object',
  unexpectedInAttributes: (text) => `unexpected "${text}" in attributes; write name or name=value`,
  unclosedQuote: (quote, name) => `unclosed ${quote} in the value of ${name}`,
  flagTakesNoValue: (name, value) => `attribute ${name} takes no value (or true/false), got "${value}"`,
  needsValue: (name, example) => `attribute ${name} needs a value, like ${example}`,
  needsCount: (name, value) => `attribute ${name} needs a whole number, got "${value}"`,
  badDuration: (name, value) => `bad ${name} "${value}": write a duration like 30s, 10m, 1h or 500ms`,

  // Runme's vocabulary
  unknownTopKeyWarning: (key) => `unknown front-matter key "${key}": ignored`,
  unknownAttributeWarning: (name) => `unknown attribute "${name}": ignored`,
  looksMisspelt: (name, known) => `"${name}" looks like a misspelling of "${known}": not ignored, a safety rule could be lost`,
  noMeaningHere: (name) => `Runme's "${name}" has no meaning here: ignored`,
  skipPromptsIgnored: 'Runme\'s "skipPrompts" is ignored: questions are never skipped here',
  unknownInterpreter: (value) => `interpreter "${value}": only bash and sh can be judged, so the step is not run`,
  interpreterNotShell: (value) => `interpreter "${value}" applies only to shell steps (bash, sh)`,
  invalidJson: (detail) => `JSON front matter does not parse: ${detail}`,
  invalidToml: (detail) => `TOML front matter does not parse: ${detail}`,

  // Step ids
  duplicateId: (id, firstLine) => `step id "${id}" is already used by the step at line ${firstLine}; give each step its own id`,
}
