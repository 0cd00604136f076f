// Shell destructive detection (shell/), fail-closed: bash is parsed and walked (shell/walk), and
// a step is read-only only when every command is proven read-only by the reader for its name
// (shell/readonly/, the table of read-only commands as data) and every redirection writes only
// to /dev/null, $RUNBOOK_OUTPUT, the scratch folder or the step's declared `writes=` paths. What is not proven is destructive: with
// the rule for its name (shell/rules/) saying what it changes, or as "cannot prove this is
// read-only". Wrappers (sudo, env, timeout, xargs, …) are judged by what they run. The sandbox's
// guard uses the parser and the one-command judge too.
export { isSystemPath } from './shell/paths.js'
export { loadSyntax, REDIRECT_DUP_OUT, WRITE_REDIRECTS, type ShNode, type ShSyntax } from './shell/syntax.js'
export { detectShell, detectShellArgv, knownEffects, type ShellJudgeOptions } from './shell/walk.js'
export { PLACEHOLDER } from './shell/words.js'
