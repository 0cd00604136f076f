// Variables whose value changes what later commands run or read as their configuration: the
// command search path, the loader, bash's own hooks and tables (BASH_ENV, BASH_CMDS, PS4 with
// xtrace), pagers and editors, the homes that hold tools' rc files (HOME, CURL_HOME, WGETRC, PSQLRC,
// GIT_*), and the runner's own (RUNBOOK_*). A step that assigns one is not provably read-only.
const PROTECTED =
  /^(PATH|LD_[A-Z_]*|BASH_[A-Z_]*|BASHOPTS|SHELLOPTS|ENV|PS4|PROMPT_COMMAND|GLOBIGNORE|HOME|XDG_[A-Z_]+|[A-Z_]*PAGER|EDITOR|VISUAL|BROWSER|GIT_[A-Z_]+|LESS[A-Z_]*|NODE_OPTIONS|NODE_PATH|PYTHON[A-Z_]*|PERL[A-Z0-9_]*|RUBY[A-Z_]*|GEM_[A-Z_]+|BUNDLE_[A-Z_]+|PSQLRC|PGSERVICEFILE|WGETRC|CURL_HOME|SSH_[A-Z_]+|SYSTEMD_[A-Z_]+|DOCKER_CONFIG|KUBECONFIG|AWS_CONFIG_FILE|RUNBOOK_[A-Z_]*|SUDO_ASKPASS|TERMINFO)$/

export function isProtectedVariable(name: string): boolean {
  return PROTECTED.test(name.replace(/\[.*$/, ''))
}

/**
 * A literal that bash could evaluate as arithmetic with a command inside: `a[$(cmd)]` assigned to
 * a variable runs `cmd` when the variable is used in (( )), [[ -eq ]], let or declare -i.
 */
export const ARITHMETIC_INJECTION = /\[[^\]]*(\$\(|`)/
