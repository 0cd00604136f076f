// The TS judge's vocabulary as data: which globals a step may use freely, which carry effects and
// are held to known shapes, and the known read-only members of fs, process and zx's `$`.

/** Globals of the step (worker.ts GLOBALS) without effects of their own, or whose effects are
 * recorded by the runner (check, note, table, confirm, echo) or pure (path, chalk, YAML, quote). */
export const STEP_GLOBALS = new Set(['cd', 'within', 'retry', 'sleep', 'path', 'chalk', 'echo', 'glob', 'YAML', 'which', 'quote', 'env', 'inputs', 'state', 'check', 'note', 'table', 'confirm'])

/** JavaScript's and Node's globals that neither change the world nor lead to what does. */
export const PLAIN_GLOBALS = new Set([
  'undefined', 'NaN', 'Infinity', 'arguments',
  'Object', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON', 'Date', 'RegExp', 'Intl', 'Reflect', 'Proxy',
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Promise', 'Iterator',
  'ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'escape', 'unescape',
  'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'structuredClone',
  'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'Headers', 'Response', 'Blob', 'FormData',
  'performance', 'crypto', 'btoa', 'atob',
])

/** Names that run strings as code, load modules or reach everything: never proven read-only. */
export const CODE_FROM_STRING = new Set(['eval', 'Function'])
export const MODULE_LOADERS = new Set(['require', 'module', 'exports', '__runbook'])
export const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'self', 'window'])
export const SHARED_MEMORY = new Set(['Atomics', 'SharedArrayBuffer', 'Worker', 'WebAssembly', 'MessageChannel', 'MessagePort', 'BroadcastChannel'])

/** Property names that lead to constructors (and so to `Function`) or rewrite prototypes. */
export const PROTOTYPE_KEYS = new Set([
  'constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', 'getPrototypeOf', 'setPrototypeOf',
])

/** fs (and fs-extra, fs.promises) members that only read. `open*` and streams are checked for
 * their flags separately. */
export const FS_READS = new Set([
  'access', 'accessSync', 'exists', 'existsSync', 'pathExists', 'pathExistsSync',
  'readFile', 'readFileSync', 'readdir', 'readdirSync', 'readJson', 'readJsonSync', 'readJSON', 'readJSONSync',
  'readlink', 'readlinkSync', 'realpath', 'realpathSync', 'stat', 'statSync', 'lstat', 'lstatSync', 'fstat', 'fstatSync',
  'statfs', 'statfsSync', 'opendir', 'opendirSync', 'read', 'readSync', 'readv', 'readvSync', 'close', 'closeSync',
  'watch', 'watchFile', 'unwatchFile', 'constants', 'Stats', 'Dirent',
])
/** Members that open a file: read-only only with a literal read flag (or none). */
export const FS_OPENS = new Set(['open', 'openSync', 'createReadStream'])
export const FS_DELETE = /^(rm|rmSync|remove|removeSync|unlink|unlinkSync|rmdir|rmdirSync|emptyDir|emptyDirSync|emptydir|truncate|truncateSync|ftruncate|ftruncateSync)$/
export const FS_WRITE_FIRST = /^(writeFile|writeFileSync|appendFile|appendFileSync|outputFile|outputFileSync|writeJson|writeJsonSync|outputJson|outputJsonSync|writeJSON|outputJSON|chmod|chmodSync|chown|chownSync|mkdir|mkdirSync|mkdirp|mkdirs|ensureDir|ensureFile)$/
export const FS_WRITE_SECOND = /^(copy|copySync|copyFile|copyFileSync|cp|cpSync|move|moveSync|rename|renameSync|symlink|symlinkSync|link|linkSync|ensureSymlink|ensureLink)$/
export const FS_NAMES = new Set(['fs', 'fse', 'fsp', 'fsExtra'])
/** Open flags that only read. */
export const READ_FLAGS = new Set(['r', 'rs', 'sr', '0'])

/** process members a step may read (or call) without changing anything. */
export const PROCESS_READS = new Set([
  'env', 'cwd', 'platform', 'arch', 'version', 'versions', 'pid', 'ppid', 'argv', 'execPath', 'release', 'features', 'exitCode', 'title',
  'uptime', 'hrtime', 'memoryUsage', 'cpuUsage', 'resourceUsage', 'nextTick', 'getuid', 'geteuid', 'getgid', 'getegid', 'getgroups',
])
/** process.stdout / process.stderr members: writing goes to the step's output. */
export const PROCESS_STREAM_MEMBERS = new Set(['write', 'isTTY', 'columns', 'rows'])

/** `$` options a step may read, and those it may set (they cannot change what a command runs). */
export const ZX_READABLE = new Set(['cwd', 'env', 'verbose', 'quiet', 'nothrow', 'timeout', 'prefix', 'postfix', 'shell', 'sync'])
export const ZX_SETTABLE = new Set(['cwd', 'verbose', 'quiet', 'nothrow', 'timeout', 'timeoutSignal'])
/** Keys of `$({ … })` that cannot change what a command runs. */
export const ZX_OPTION_KEYS = new Set(['cwd', 'verbose', 'quiet', 'nothrow', 'timeout', 'timeoutSignal', 'signal', 'ac', 'input', 'halt', 'sync'])

/** `redis` members that are not commands but keep every later call judged. */
export const REDIS_CHAINS = new Set(['pipeline', 'multi', 'exec', 'execBuffer'])
export const REDIS_CALL = new Set(['call', 'callBuffer', 'send_command', 'sendCommand'])
/** Promise members after a call (then/catch/finally) keep a chain judged. */
export const PROMISE_MEMBERS = new Set(['then', 'catch', 'finally'])

/** Methods the worker's `fetch` accepts as reads. */
export const FETCH_READS = new Set(['GET', 'HEAD'])
