// Shell destructive detection (shell/): bash is parsed and walked (shell/walk), and every simple
// command is judged by the rule for its name (shell/rules/, one family a file). Wrappers (sudo,
// env, timeout, xargs, …) are unwrapped and scripts handed to bash -c, su -c, ssh or eval are
// parsed in turn. The sandbox's guard uses the parser and the one-command judge too.
export { isSystemPath } from './shell/paths.js'
export { loadSyntax, type ShNode, type ShSyntax } from './shell/syntax.js'
export { detectShell, detectShellArgv } from './shell/walk.js'
export { PLACEHOLDER } from './shell/words.js'
