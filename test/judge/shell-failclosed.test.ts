// The shell judge fails closed (issue 13, item 1): a step is read-only only when every command is
// proven read-only and every redirection writes only to /dev/null, $RUNBOOK_OUTPUT or the scratch
// folder. Every form the issue names is destructive; the everyday read-only forms stay read-only.
import { describe, expect, it } from 'vitest'
import { detectShell, knownEffects } from '../../src/runner/judge/shell.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { expectJudged } from '../helpers/judge.js'

const says = msg.judge.shell
/** Some reason says "cannot prove this is read-only: …" (whatever follows). */
const unproven = new RegExp(`^${says.cannotProve('').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm')

/** [label, code, what the reasons must mention] */
type Destructive = [label: string, code: string, mention: RegExp | string]

// The forms of the issue, written as an attacker or a tired operator would.
const issueForms: Destructive[] = [
  ['mv', 'mv a b', says.does('mv', says.writesFiles)],
  ['> file', '> file', unproven],
  ['cat /dev/null > file', 'cat /dev/null > file', /> file/],
  ['cp /dev/null file', 'cp /dev/null file', says.does('cp', says.writesFiles)],
  ['ln -sfn', 'ln -sfn /srv/releases/v2 /srv/current', says.does('ln', says.writesFiles)],
  ['brace expansion as the command', '{rm,-f,x}', unproven],
  ['brace expansion hiding an option', 'find . -name x {-delete,}', unproven],
  ['alias', "alias ls='rm -rf'\nls x", unproven],
  ['trap', "trap 'rm -f x' EXIT", unproven],
  ['trap with code hidden after a signal list', "trap -- 'rm -f x' TERM", unproven],
  ['trap with an action from a variable', 'trap "$A" TERM', unproven],
  ['awk system()', `awk 'BEGIN{system("rm -f x")}'`, unproven],
  ['awk print to a file', `awk '{ print > "out.txt" }' in.txt`, unproven],
  ['awk pipe to a command', `awk '{ print | "sh" }' in.txt`, unproven],
  ['taskset', 'taskset -c 0 rm -f x', /taskset|rm/],
  ['nice around a writer', 'nice -n 5 rm -f x', says.does('rm', says.deletesFiles)],
  ['busybox', 'busybox rm -f x', unproven],
  ['unshare', 'unshare -r rm -f x', unproven],
  ['chrt', 'chrt -f 10 rm -f x', unproven],
  ['setpriv', 'setpriv --reuid=1000 rm -f x', unproven],
  ['systemd-run', 'systemd-run rm -f /srv/x', unproven],
  ['perl -e', `perl -e 'unlink "x"'`, unproven],
  ['python3 -c', `python3 -c 'import os; os.remove("x")'`, unproven],
  ['node -e', `node -e 'require("fs").rmSync("x")'`, unproven],
  ['ruby -e', `ruby -e 'File.delete("x")'`, unproven],
  ['command in a variable', 'CMD=rm; $CMD -f x', unproven],
  ['eval', "eval 'cat x'", unproven],
  ['source', 'source ./cleanup.sh', unproven],
  ['dot', '. ./cleanup.sh', unproven],
  ['bash < <(…)', "bash < <(echo 'rm -f x')", unproven],
  ['bash -c of an expansion', 'bash -c "$SCRIPT"', unproven],
  ['write into a directory held in a variable', 'echo x > "$DIR/file"', unproven],
  ['tee into a directory held in a variable', 'echo x | tee "$DIR/file"', says.does('tee', says.writesFiles)],
  ['unset RUNBOOK_TMP, then write under it', 'unset RUNBOOK_TMP; echo x > "$RUNBOOK_TMP/etc/passwd"', unproven],
  ['RUNBOOK_TMP reassigned', 'RUNBOOK_TMP=/etc; echo x > "$RUNBOOK_TMP/passwd"', says.does('RUNBOOK_TMP=', says.changesShellBehaviour)],
  ['RUNBOOK_TMP with a default', 'echo x > "${RUNBOOK_TMP:-/etc}/passwd"', unproven],
  ['scratch folder escaped with ..', 'echo x > "${RUNBOOK_TMP:?}/../etc/passwd"', unproven],
  ['exec of a command', 'exec cat x', unproven],
  ['touch', 'touch x', says.does('touch', says.writesFiles)],
  ['truncate', 'truncate -s 0 x', /truncate/],
  ['fallocate', 'fallocate -l 1G x', unproven],
  ['dd', 'dd if=/dev/zero of=x count=1', /dd/],
  ['unknown command', 'frobnicate --now', unproven],
  ['./ls is not ls', './ls', unproven],
  ['/tmp/bin/cat is not cat', '/tmp/bin/cat x', unproven],
]

// Ways around the readers' argument rules.
const evasions: Destructive[] = [
  ['sed -i', "sed -i 's/a/b/' f", /sed -i/],
  ['sed -n with w', "sed -n 'w out' f", unproven],
  ['sed s///w', "sed 's/a/b/w out' f", unproven],
  ['sed s///e', "sed 's/.*/rm x/e' f", unproven],
  ['sed e command', "sed '1e rm x' f", unproven],
  ['sed script from a variable', 'sed -n "$S" f', unproven],
  ['find -fprint', 'find . -fprint out', unproven],
  ['find -exec of a writer', 'find . -name "*.tmp" -exec rm {} +', /rm/],
  ['find -exec of a reader is fine, -delete is not', 'find . -exec cat {} \\; -delete', /find -delete/],
  ['sort -o', 'sort -o out in', unproven],
  ['sort --compress-program', 'sort --compress-program=sh in', unproven],
  ['uniq with an output file', 'uniq in out', unproven],
  ['curl -o a file', 'curl -o out http://x/', unproven],
  ['curl -O', 'curl -O http://x/file', unproven],
  ['curl with a body', 'curl -d a=1 http://x/', unproven],
  ['curl -X POST', 'curl -X POST http://x/', unproven],
  ['curl gopher to Redis', "curl 'gopher://127.0.0.1:6379/_FLUSHALL'", unproven],
  ['curl -K config', 'curl -K cfg http://x/', unproven],
  ['wget saves a file by default', 'wget http://x/file', unproven],
  ['wget --post-data', 'wget --post-data=a http://x/', unproven],
  ['git -c core.pager', "git -c core.pager='rm -rf x' log", unproven],
  ['git tag NAME', 'git tag v9', unproven],
  ['git config set', 'git config user.name x', /git config/],
  ['git fetch', 'git fetch', unproven],
  ['systemctl restart', 'systemctl restart nginx', /systemctl restart nginx/],
  ['journalctl --vacuum', 'journalctl --vacuum-size=1M', /journalctl --vacuum-size/],
  ['date -s', "date -s '2020-01-01'", unproven],
  ['hostname NAME', 'hostname evil', unproven],
  ['sysctl key=value', 'sysctl vm.swappiness=1', /sysctl/],
  ['docker run', 'docker run --rm alpine true', /docker run|docker/],
  ['docker compose down', 'docker compose down', /docker compose down/],
  ['psql -c write', 'psql -c "DELETE FROM t"', /DELETE|t/],
  ['psql -o writes a file', 'psql -o out -c "SELECT 1"', unproven],
  ['psql \\o in text', "psql -c '\\o out'", unproven],
  ['psql \\! in a heredoc', "psql <<'SQL'\n\\! rm -f x\nSQL", /rm|\\!/],
  ['psql interactive', 'psql', unproven],
  ['psql SQL with an expansion', `psql -c "SELECT '$X'"`, unproven],
  ['redis-cli write', 'redis-cli DEL k', /DEL/],
  ['redis-cli --rdb writes a file', 'redis-cli --rdb dump.rdb', unproven],
  ['redis-cli command from a variable', 'redis-cli "$CMD" k', unproven],
  ['sudo -s', 'sudo -s', unproven],
  ['sudo with PATH', 'sudo PATH=/tmp/x ls', unproven],
  ['env PATH', 'env PATH=/tmp/x ls', unproven],
  ['PATH assignment', 'PATH=/tmp/evil:$PATH; ls', says.does('PATH=', says.changesShellBehaviour)],
  ['BASH_CMDS table', 'BASH_CMDS[ls]=/bin/rm; ls -f x', says.does('BASH_CMDS=', says.changesShellBehaviour)],
  ['PS4 with xtrace', "PS4='$(rm -f x)'; set -x; ls", /PS4=|rm/],
  ['HOME for rc files', 'HOME=/tmp/h git log', says.does('HOME=', says.changesShellBehaviour)],
  ['read into PATH', 'read -r PATH < f; ls', unproven],
  ['declare -n nameref', 'declare -n p=PATH; p=/tmp; ls', unproven],
  ['export PATH', 'export PATH=/tmp/x; ls', says.does('PATH=', says.changesShellBehaviour)],
  ['arithmetic injection through a literal', "x='a[$(rm -f y)]'; echo $(( x ))", unproven],
  ['function shadowing a reader', 'ls() { cat "$@"; }\nls x', unproven],
  ['coproc', 'coproc cat', unproven],
  ['hash -p', 'hash -p /bin/rm ls; ls x', unproven],
  ['tar extract', 'tar -xzf a.tgz', says.does('tar', says.writesFiles)],
  ['tar --to-command', 'tar -tzf a.tgz --to-command=sh', /tar/],
  ['gzip in place', 'gzip f', says.does('gzip', says.writesFiles)],
  ['xargs into a writer', 'ls | xargs rm', /rm/],
  ['timeout around a writer', 'timeout 5 rm x', /rm/],
  ['bash -c of a writer', "bash -c 'rm -f x'", /rm/],
  ['a redirect of an exec', 'exec 3> x', unproven],
  ['>& a file', 'echo x >& out', unproven],
  ['kill', 'kill 1', /kill/],
  ['top interactive', 'top', unproven],
  ['tee to a file', 'echo x | tee out', says.does('tee', says.writesFiles)],
  ['xxd with an output file', 'xxd in out', unproven],
  ['yq -i', "yq -i '.a = 1' f.yml", unproven],
  ['mapfile -C runs a callback', 'mapfile -C "rm x" -c 1 a < f', unproven],
  ['arithmetic injection spelled with backslashes', 'x=a[\\$\\(rm\\)]; echo $((x))', unproven],
  ['ss -K closes sockets', 'ss -K dst 1.2.3.4', unproven],
  ['redis-cli --lru-test writes keys', 'redis-cli --lru-test 10 PING', unproven],
  ['xargs runs a program, not the function of the same name', 'f() { :; }; echo x | xargs f', unproven],
  ['a nested bash does not know the functions', 'f() { :; }; bash -c f', unproven],
  ['aws get-object writes its output file', 'aws s3api get-object --bucket b --key k out', unproven],
  ['less can run a shell', 'zless f.gz', unproven],
]

// Read-only forms the library and the guide use: they stay read-only.
const readOnly: [label: string, code: string][] = [
  ['trap that ignores a signal', "trap '' TERM\nsleep 1"],
  ['trap that resets signals', 'trap - INT TERM'],
  ['df to /dev/null', 'df -h > /dev/null 2>&1'],
  ['stderr and stdout', 'echo oops >&2; echo ok 2>&1'],
  ['RUNBOOK_OUTPUT', 'echo "A=1" >> "$RUNBOOK_OUTPUT"'],
  ['scratch folder', 'date > "$RUNBOOK_TMP/now.txt"\ncurl -fsS -o "${RUNBOOK_TMP:?}/up.json" http://localhost/up\necho x | tee -a "${RUNBOOK_TMP}/log"'],
  ['tee to stderr', 'echo x | tee /dev/stderr'],
  ['pipeline of readers', "ps aux --sort=-%mem | sed -n '1,11p'"],
  ['top batch', 'top -bn1 | head -20'],
  ['grep with ||', 'grep -E x f || true'],
  ['find with -printf and a while loop', "find \"$D\" -maxdepth 1 -type f -mtime +7 -printf '%s\\t%p\\n' | sort -rn | while IFS= read -r f; do stat \"$f\"; done"],
  ['find -size -100M', 'find . -size -100M -mtime -1 -print'],
  ['find -exec ls', 'find /var -type f -size +100M -exec ls -lh {} \\;'],
  ['awk with division and printf', `awk -F'\\t' '{ printf "%10.1f MB %s\\n", $1 / 1048576, $2 }' f`],
  ['awk comparison outside print', "awk '$5 > 80 { n++ } END { print n }' f"],
  ['sed -n range', "sed -n '1,15p' f"],
  ['sed substitution', "sed -e 's/a/b/g' -e '/^#/d' f"],
  ['curl GET', 'curl -fsS http://localhost/up | jq .'],
  ['curl to /dev/null with a write-out', "curl -s -o /dev/null -w '%{http_code}' \"$APP_URL/up\""],
  ['curl HEAD', 'curl -I https://example.com/'],
  ['wget to stdout', 'wget -qO- http://localhost/up'],
  ['psql -c SELECT', 'psql "$DATABASE_URL" -Atc "SELECT count(*) FROM users"'],
  ['psql heredoc', "psql <<'SQL'\n\\timing on\n\\x\nSELECT 1;\nSQL"],
  ['psql -l', 'psql -l'],
  ['redis-cli PING', 'redis-cli ping'],
  ['redis-cli --scan', "redis-cli --scan --pattern 'session:*'"],
  ['systemctl status', 'systemctl status excelapp-rails --no-pager'],
  ['systemctl is-active', 'systemctl is-active --quiet nginx && echo up'],
  ['journalctl', 'journalctl -u nginx --since "7 days ago" --no-pager | tail -n 50'],
  ['docker reads', 'docker ps -a --filter name=x\ndocker logs --tail 200 x 2>&1\ndocker inspect --format "{{.State.Status}}" x'],
  ['docker compose ps', 'docker compose -f prod.yml ps'],
  ['git reads', 'git status --porcelain\ngit log -1 --format=%h\ngit describe --tags --always\ngit -C /srv/app rev-parse HEAD\ngit tag --sort=-creatordate'],
  ['sudo grep', "sudo grep -HE '^x' /etc/sudoers /etc/sudoers.d/* 2> /dev/null || true"],
  ['sudo test', 'if sudo test -r /var/log/auth.log 2> /dev/null; then echo y; fi'],
  ['wrappers', 'timeout 5 nice -n 10 ionice -c3 stdbuf -oL env LC_ALL=C sort f'],
  ['xargs of a reader', 'find . -name "*.log" -print0 | xargs -0 wc -l'],
  ['bash -c of a reader', "bash -c 'df -h /'"],
  ['variables and tests', 'X=$(date +%s)\nif [[ -z "$X" ]]; then exit 1; fi\n(( X > 1 )) && echo big'],
  ['a function the step defines', 'show() { df -h "$1"; }\nshow /'],
  ['for loop', 'for f in /var/log/*.log; do wc -l "$f"; done'],
  ['kill -0', 'kill -0 123'],
  ['date reads', 'date -d "@1700000000" +%F'],
  ['ip and ss', 'ip addr show\nip route\nss -tlnp'],
  ['gzip -t and gunzip -c', 'gzip -t f.gz\ngunzip -c f.gz | tail -n 5'],
  ['pg_dump to stdout', 'pg_dump --version\npg_dump "$DATABASE_URL" | head'],
  ['tar listing', 'tar -tzf a.tgz | wc -l'],
  ['aws reads', 'aws s3 ls "s3://b/"\naws ec2 describe-instances'],
  ['apt list', 'apt list --upgradable'],
  ['cd and umask', 'cd "$APP_DIR"\numask 077\npwd'],
]

describe('fail-closed shell judge', () => {
  it.each(issueForms)('the issue: %s is destructive', async (_label, code, mention) => {
    expectJudged(await detectShell(code), true, mention)
  })

  it.each(evasions)('evasion: %s is destructive', async (_label, code, mention) => {
    expectJudged(await detectShell(code), true, mention)
  })

  it.each(readOnly)('read-only: %s', async (_label, code) => {
    expectJudged(await detectShell(code), false)
  })

  it('says what a known command changes, and "cannot prove" only for the rest', async () => {
    const d = await detectShell('rm -f x\nfrobnicate')
    expect(d.reasons).toEqual([says.does('rm', says.deletesFiles), says.cannotProve('frobnicate')])
  })

  it('knownEffects leaves out what is only unproven (the sandbox guard refuses by effect)', async () => {
    expect(await knownEffects(['sync'])).toEqual([])
    expect(await knownEffects(['rm', '-f', 'x'])).toEqual([says.does('rm', says.deletesFiles)])
  })
})
