import { describe, expect, it } from 'vitest'
import { detectShell, detectShellArgv } from '../../src/runner/judge/shell.js'
import { msg } from '../../src/runner/terminal/messages/index.js'
import { expectJudged } from '../helpers/judge.js'

// Reasons as the judge says them in the active language (through the catalogue).
const says = msg.judge.shell
type Phrase = 'deletesFiles' | 'signalsProcesses' | 'runsSqlFromFile' | 'runsPipedScript'
const does = (command: string, phrase: Phrase): string => says.does(command, says[phrase])
const redis = (command: string, ...why: ('writesData' | 'changesConfig')[]): string =>
  `redis-cli ${msg.judge.redis.command(command, why.map((w) => msg.judge.redis[w]))}`
/** A reason that starts as the catalogue's text does, whatever its values (e.g. a parser's error). */
const startsLike = (text: string): RegExp => new RegExp(`^${text.split('\u0000')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm')

/** [label, code, destructive, what the reasons must mention (destructive cases)] */
type Case = [label: string, code: string, destructive: boolean, mention?: string | RegExp]

// The exact commands of the operations guide (docs/guide/operations-guide.ko.md).
const guide: Case[] = [
  ['guide: drop caches', 'echo 3 > /proc/sys/vm/drop_caches', true, /echo > \/proc\/sys\/vm\/drop_caches/],
  ['guide: restart rails', 'systemctl restart excelapp-rails', true, /systemctl restart excelapp-rails/],
  ['guide: restart formula engine', 'docker restart formula-engine', true, /docker restart formula-engine/],
  ['guide: prune old backups', 'find $BACKUP_DIR -name "*.sql.gz" -mtime +7 -delete', true, /find -delete/],
  ['guide: restore backup', 'gunzip -c backup_file.sql.gz | psql $DATABASE_URL', true, /psql/],
  ['guide: system upgrade', 'sudo apt update && sudo apt upgrade', true, /apt upgrade/],
  ['guide: roll back release', 'git checkout v1.2.3', true, /git checkout/],
  [
    'guide: rollback block',
    'git checkout v1.2.3\nbundle install\nrails assets:precompile\nsystemctl restart excelapp-rails',
    true,
    /git checkout[\s\S]*systemctl restart/,
  ],
  ['guide: rsync to s3 without --delete', 'rsync -av /var/lib/excelapp/storage/ s3://excelapp-backups/files/', true, /rsync/],
  ['guide: logs tarball', 'tar -czf /tmp/logs_$(date +%Y%m%d).tar.gz log/', true, /tar/],
  ['guide: s3 upload', 'aws s3 cp /tmp/logs_$(date +%Y%m%d).tar.gz s3://excelapp-backups/logs/', true, /aws s3 cp/],
  ['guide: app health', "curl -s http://localhost/up | jq '.'", false],
  ['guide: engine health', "curl -s http://localhost:3002/health | jq '.'", false],
  ['guide: db connection', `rails runner "puts ActiveRecord::Base.connection.active? ? 'OK' : 'FAIL'"`, true, /rails runner/],
  ['guide: redis ping', 'redis-cli ping', false],
  ['guide: error log', 'grep -i error log/production.log | tail -20', false],
  ['guide: slow requests', 'grep "Completed.*[5-9][0-9][0-9]ms" log/production.log | tail -10', false],
  ['guide: memory by process', 'ps aux --sort=-%mem | head -10', false],
  ['guide: free', 'free -h', false],
  ['guide: df', 'df -h', false],
  ['guide: cpu', 'top -bn1 | grep "Cpu(s)"', false],
  ['guide: processes', 'ps aux | grep -E "(rails|node)" | grep -v grep', false],
  ['guide: docker ps', 'docker ps | grep formula-engine', false],
  ['guide: docker logs', 'docker logs formula-engine', false],
  ['guide: psql \\du', 'psql -c "\\du"', false],
  ['guide: sudoers', 'sudo grep -E "^[^#]" /etc/sudoers', false],
  ['guide: sshd config', 'sudo grep -E "AllowUsers|AllowGroups" /etc/ssh/sshd_config', false],
  ['guide: failed logins', 'sudo grep "Failed password" /var/log/auth.log | tail -20', false],
  ['guide: du', 'du -sh /var/lib/excelapp/*\ndu -sh /var/log/*', false],
  ['guide: big files (find -exec ls)', 'find /var -type f -size +100M -exec ls -lh {} \\;', false],
  ['guide: audits', 'bundle audit\nnpm audit\nbundle exec brakeman\ndocker scan excelapp-rails:latest', true, /docker scan/],
  ['guide: crontab lines (comments and a schedule)', '# crontab -e\n# 매일 새벽 2시 백업\n0 2 * * * /opt/scripts/backup_database.sh', true, /backup_database\.sh/],
  [
    'guide: backup script',
    `#!/bin/bash
set -e
BACKUP_DIR="/var/backups/postgresql"
DATE=$(date +%Y%m%d_%H%M%S)
BACKUP_FILE="$BACKUP_DIR/\${DB_NAME}_$DATE.sql.gz"
mkdir -p $BACKUP_DIR
pg_dump $DATABASE_URL | gzip > $BACKUP_FILE
aws s3 cp $BACKUP_FILE s3://excelapp-backups/database/
find $BACKUP_DIR -name "*.sql.gz" -mtime +7 -delete
echo "$(date): Database backup completed - $BACKUP_FILE" >> /var/log/backup.log`,
    true,
    /find -delete/,
  ],
]

const dangerous: Case[] = [
  ['rm', 'rm -rf /tmp/x', true, does('rm', 'deletesFiles')],
  ['rm by absolute path', '/bin/rm -f x', true, /rm/],
  ['rmdir', 'rmdir /tmp/empty', true, /rmdir/],
  ['shred', 'shred -u secret.key', true, /shred/],
  ['unlink', 'unlink /tmp/sock', true, /unlink/],
  ['find -exec rm', 'find /tmp -name "*.tmp" -exec rm {} \\;', true, /find -exec: rm/],
  ['find -exec sh -c', "find . -type f -exec sh -c 'rm \"$1\"' _ {} \\;", true, /rm/],
  ['truncate', 'truncate -s 0 log/production.log', true, /truncate/],
  ['dd onto a disk', 'dd if=/dev/zero of=/dev/sda bs=1M', true, /dd/],
  ['mkfs', 'mkfs.ext4 /dev/sdb1', true, /mkfs.ext4/],
  ['wipefs', 'wipefs -a /dev/sdb', true, /wipefs/],
  ['parted', 'parted /dev/sdb mklabel gpt', true, /parted/],
  ['sysctl -w', 'sysctl -w vm.swappiness=10', true, /sysctl/],
  ['sysctl key=value', 'sysctl vm.drop_caches=3', true, /sysctl vm.drop_caches=3/],
  ['systemctl stop', 'systemctl stop nginx', true, /systemctl stop nginx/],
  ['systemctl with options', 'systemctl --no-pager -q reload nginx', true, /systemctl reload/],
  ['systemctl daemon-reload', 'systemctl daemon-reload', true, /daemon-reload/],
  ['service restart', 'service nginx restart', true, /service nginx restart/],
  ['init.d script', '/etc/init.d/nginx restart', true, /nginx restart/],
  ['docker stop', 'docker stop formula-engine', true, /docker stop/],
  ['docker rm -f', 'docker rm -f formula-engine', true, /docker rm/],
  ['docker system prune', 'docker system prune -af', true, /docker system prune/],
  ['docker volume rm', 'docker volume rm pgdata', true, /docker volume rm/],
  ['docker compose down', 'docker compose -f prod.yml down', true, /docker compose down/],
  ['docker-compose restart', 'docker-compose restart web', true, /docker-compose restart/],
  ['docker exec into rm', 'docker exec -it formula-engine rm -rf /tmp/cache', true, /docker exec formula-engine: rm/],
  ['kubectl delete', 'kubectl delete pod web-1', true, /kubectl delete/],
  ['kubectl scale', 'kubectl scale deploy/web --replicas=0', true, /kubectl scale/],
  ['kubectl drain', 'kubectl drain node-1 --ignore-daemonsets', true, /kubectl drain/],
  ['kubectl rollout restart', 'kubectl -n prod rollout restart deploy/web', true, /kubectl rollout restart/],
  ['kubectl exec into psql', "kubectl exec db-0 -- psql -c 'TRUNCATE t'", true, /TRUNCATE/],
  ['kill', 'kill 1234', true, does('kill', 'signalsProcesses')],
  ['kill -9 with substitution', 'kill -9 $(pgrep sidekiq)', true, /kill/],
  ['kill -SIGKILL', 'kill -SIGKILL 1', true, /kill/],
  ['pkill', 'pkill -f sidekiq', true, /pkill/],
  ['killall', 'killall puma', true, /killall/],
  ['reboot', 'reboot', true, /reboot/],
  ['shutdown', 'shutdown -h now', true, /shutdown/],
  ['git reset --hard', 'git -C /srv/app reset --hard origin/main', true, /git reset/],
  ['git clean', 'git clean -fdx', true, /git clean/],
  ['git push --force', 'git push --force origin main', true, /git push --force/],
  ['git pull', 'git pull origin main', true, /git pull/],
  ['git branch -D', 'git branch -D old', true, /git branch/],
  ['psql -f', 'psql $DATABASE_URL -f migrate.sql', true, /psql -f/],
  ['psql < file', 'psql $DATABASE_URL < restore.sql', true, says.runsSqlFromNamedFile('psql', 'restore.sql')],
  ['psql -c write', 'psql -c "DELETE FROM sessions WHERE expired"', true, `psql -c: ${msg.judge.sql.deletesRows('sessions')}`],
  ['psql -c with expansion', 'psql -c "DELETE FROM x WHERE id = $ID"', true, /DELETE/],
  ['psql -Atc combined flags', 'psql -Atc "UPDATE users SET admin = true"', true, /UPDATE/],
  ['psql -c side-effect function', 'psql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"', true, /pg_terminate_backend/],
  ['psql heredoc with SQL write', "psql $DATABASE_URL <<'SQL'\nDELETE FROM jobs;\nSQL", true, `psql <<: ${msg.judge.sql.deletesRows('jobs')}`],
  ['psql heredoc with \\i', 'psql <<EOF\n\\i cleanup.sql\nEOF', true, does('psql << \\i', 'runsSqlFromFile')],
  ['psql here-string', 'psql <<< "DROP TABLE tmp"', true, /DROP TABLE/],
  ['pipe into psql through sudo', 'cat dump.sql | sudo -u postgres psql', true, /psql/],
  ['pg_restore', 'pg_restore -d excelapp dump.bin', true, /pg_restore/],
  ['dropdb', 'dropdb excelapp_test', true, /dropdb/],
  ['pg_ctl restart', 'pg_ctl -D /var/lib/postgresql/data restart', true, /pg_ctl restart/],
  ['redis-cli FLUSHALL', 'redis-cli FLUSHALL', true, redis('FLUSHALL', 'writesData')],
  ['redis-cli with options DEL', 'redis-cli -h cache -p 6380 -n 2 DEL session:1', true, redis('DEL', 'writesData')],
  ['redis-cli CONFIG SET', 'redis-cli config set maxmemory 2gb', true, redis('CONFIG SET', 'changesConfig')],
  ['redis-cli SHUTDOWN', 'redis-cli shutdown nosave', true, /SHUTDOWN/],
  ['redis-cli PUBLISH', 'redis-cli PUBLISH deploys done', true, /PUBLISH/],
  ['redis-cli SLOWLOG RESET', 'redis-cli slowlog reset', true, /SLOWLOG RESET/],
  ['redis-cli unknown command', 'redis-cli FOO.BAR x', true, /FOO\.BAR/],
  ['redis-cli command from a variable', 'redis-cli "$CMD" x', true, /redis-cli/],
  ['redis-cli heredoc', 'redis-cli <<EOF\nFLUSHDB\nEOF', true, /FLUSHDB/],
  ['pipe into redis-cli', 'echo FLUSHALL | redis-cli', true, /redis-cli/],
  ['aws s3 rm', 'aws s3 rm s3://excelapp-backups/old --recursive', true, /aws s3 rm/],
  ['aws s3 sync --delete', 'aws s3 sync /var/backups s3://excelapp-backups --delete', true, /aws s3 sync --delete/],
  ['aws ec2 terminate', 'aws --region ap-northeast-2 ec2 terminate-instances --instance-ids i-1', true, /aws ec2 terminate-instances/],
  ['rsync --delete', 'rsync -av --delete src/ dst/', true, /rsync --delete/],
  ['apt-get install', 'sudo apt-get install -y nginx', true, /apt-get install/],
  ['yum update', 'yum update -y', true, /yum update/],
  ['npm install -g', 'npm install -g pm2', true, /npm install -g/],
  ['npm update', 'npm update', true, /npm update/],
  ['npm audit fix', 'npm audit fix', true, /npm audit fix/],
  ['pip install', 'pip install requests', true, /pip install/],
  ['python -m pip install', 'python3 -m pip install -U pip', true, /pip install/],
  ['bundle update', 'bundle update rails', true, /bundle update/],
  ['gem install', 'gem install bundler', true, /gem install/],
  ['crontab -r', 'crontab -r', true, /crontab -r/],
  ['crontab file', 'crontab /tmp/new.cron', true, /crontab/],
  ['crontab -e', 'crontab -e', true, /crontab -e/],
  ['chmod -R on /etc', 'chmod -R 777 /etc/nginx', true, /chmod -R/],
  ['chown -R on /var/lib', 'sudo chown -R deploy: /var/lib/postgresql', true, /chown/],
  ['cp into /etc', 'cp nginx.conf /etc/nginx/nginx.conf', true, says.writesSystemPathAt('cp', '/etc/nginx/nginx.conf')],
  ['mv into /usr', 'mv app /usr/local/bin/app', true, /mv/],
  ['ln -sf into /usr/bin', 'ln -sf /opt/node/bin/node /usr/bin/node', true, /ln/],
  ['iptables -F', 'iptables -F', true, /iptables/],
  ['iptables -A', 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT', true, /iptables/],
  ['userdel', 'userdel -r olduser', true, /userdel/],
  ['usermod', 'usermod -aG sudo deploy', true, /usermod/],
  ['passwd', 'passwd deploy', true, /passwd/],
  ['tee into /etc', 'echo "127.0.0.1 db" | sudo tee -a /etc/hosts', true, says.writesSystemPathAt('tee', '/etc/hosts')],
  ['redirect into /sys', 'echo 1 > /sys/kernel/mm/transparent_hugepage/enabled', true, /\/sys\//],
  ['redirect into /etc with expansion after the dir', 'printf x > "/etc/$NAME"', true, /\/etc\//],
  ['redirect onto a disk', 'cat image.bin > /dev/sdb', true, /\/dev\/sdb/],
  ['append to /etc', 'echo "vm.swappiness=10" >> /etc/sysctl.conf', true, /\/etc\/sysctl.conf/],
  ['redirect of a block', '{ echo a; echo b; } > /etc/motd', true, /\/etc\/motd/],
  ['tar --remove-files', 'tar --remove-files -czf logs.tgz log/', true, /tar --remove-files/],
  ['sed -i', "sed -i 's/debug/info/' config/app.yml", true, /sed -i/],
  ['rails db:migrate', 'bundle exec rails db:migrate', true, /rails db:migrate/],
  ['curl -X DELETE', 'curl -X DELETE http://localhost:3002/cache', true, /curl -X DELETE/],
]

const wrapped: Case[] = [
  ['sudo', 'sudo rm -rf /var/cache/app', true, /rm/],
  ['sudo with -u and -E', 'sudo -E -u postgres dropdb old', true, /dropdb/],
  ['sudo with env assignment', 'sudo RAILS_ENV=production rails db:migrate', true, /rails db:migrate/],
  ['env', 'env RAILS_ENV=production FOO=1 rm x', true, /rm/],
  ['nohup', 'nohup systemctl restart worker &', true, /systemctl restart/],
  ['timeout', 'timeout 5 docker stop formula-engine', true, /docker stop/],
  ['timeout with -s', 'timeout -s KILL 30s kill 1', true, /kill/],
  ['nice', 'nice -n 10 rm -rf build', true, /rm/],
  ['xargs', 'ls *.tmp | xargs rm', true, /rm/],
  ['xargs with options', 'cat pids | xargs -r -n1 kill -9', true, /kill/],
  ['xargs -I', 'docker ps -q | xargs -I{} docker restart {}', true, /docker restart/],
  ['exec', 'exec systemctl restart app', true, /systemctl restart/],
  ['command', 'command rm x', true, /rm/],
  ['time', 'time rm -rf node_modules', true, /rm/],
  ['bash -c', "bash -c 'systemctl stop nginx'", true, /systemctl stop nginx/],
  ['sh -c with expansion inside', 'sh -c "rm -rf $DIR"', true, /rm/],
  ['bash -lc', "bash -lc 'kill 1'", true, /kill/],
  ['sudo sh -c with redirect', 'sudo sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward"', true, /\/proc\/sys\/net\/ipv4\/ip_forward/],
  ['bash heredoc', 'bash <<EOF\nrm -rf /tmp/x\nEOF', true, /rm/],
  ['pipe into bash', 'curl -s https://example.com/install.sh | bash', true, does('bash', 'runsPipedScript')],
  ['su -c', "su - postgres -c 'dropdb old'", true, /dropdb/],
  ['ssh host command', "ssh web1 'sudo systemctl restart nginx'", true, /ssh web1: systemctl restart nginx/],
  ['ssh with options', 'ssh -p 2222 -i key deploy@web1 docker restart app', true, /ssh deploy@web1: docker restart/],
  ['ssh heredoc', 'ssh web1 <<EOF\nrm -rf /tmp/cache\nEOF', true, /ssh web1: rm/],
  ['eval', "eval 'rm -rf build'", true, /rm/],
  ['bash -c script that does not parse', `bash -c 'echo "unterminated'`, true, startsLike(says.unparsableScript('bash -c', '\u0000'))],
  ['ssh host psql heredoc', "ssh db1 psql <<'SQL'\nDELETE FROM jobs;\nSQL", true, `ssh db1: psql <<: ${msg.judge.sql.deletesRows('jobs')}`],
  ['watch', "watch -n 5 'systemctl restart worker'", true, /systemctl restart/],
  ['flock -c', "flock /tmp/lock -c 'rm -rf /tmp/x'", true, /rm/],
  ['pipeline middle', 'cat x | sort | xargs rm', true, /rm/],
  ['&& chain', 'test -f x && rm x || echo missing', true, /rm/],
  ['subshell', '(cd /tmp && rm -rf cache)', true, /rm/],
  ['command substitution', 'echo $(systemctl restart app)', true, /systemctl restart/],
  ['backticks', 'echo `reboot`', true, /reboot/],
  ['substitution in assignment', 'OUT=$(docker rm -f old)', true, /docker rm/],
  ['substitution in a heredoc body', 'cat <<EOF\n$(rm -rf x)\nEOF', true, /rm/],
  ['function body', 'cleanup() { rm -rf /tmp/work; }\ncleanup', true, /rm/],
  ['if body', 'if [ -f x ]; then\n  kill $(cat x)\nfi', true, /kill/],
  ['for body', 'for c in web worker; do docker restart $c; done', true, /docker restart/],
  ['while body reading a file', 'while read pid; do kill $pid; done < pids.txt', true, /kill/],
  ['case body', 'case $1 in\n  stop) systemctl stop app ;;\nesac', true, /systemctl stop/],
  ['background and negation', '! rm x &', true, /rm/],
  ['after a comment line', '# clean up\nrm -f /tmp/x # really', true, /rm/],
  ['line continuation', 'docker \\\n  restart \\\n  formula-engine', true, /docker restart/],
  ['quoted command name', "'rm' -rf x", true, /rm/],
  ['escaped command name', '\\rm -rf x', true, /rm/],
]

// Fail-closed (issue 13): cases that wrote files, ran unknown programs or hid the command in an
// expansion used to pass as read-only; they are destructive now (writers by name, the rest as
// "cannot prove this is read-only"). test/judge/shell-failclosed.test.ts has the read-only forms.
const lookalikes: Case[] = [
  ['grep for DELETE', 'grep DELETE file.sql', false],
  ['echo of rm -rf', 'echo "rm -rf /"', false],
  ['printf of a command', "printf '%s\\n' 'systemctl restart app'", false],
  ['find without -delete', 'find /var -size +100M', false],
  ['crontab -l', 'crontab -l', false],
  ['crontab -l -u', 'crontab -l -u deploy', false],
  ['docker ps', 'docker ps -a', false],
  ['docker inspect', 'docker inspect formula-engine', false],
  ['docker stats', 'docker stats --no-stream', false],
  ['kubectl get', 'kubectl get pods -n prod', false],
  ['kubectl describe', 'kubectl describe node node-1', false],
  ['kubectl apply --dry-run', 'kubectl apply -f x.yaml --dry-run=client', true, /kubectl apply/],
  ['systemctl status', 'systemctl status excelapp-rails', false],
  ['systemctl is-active', 'systemctl is-active --quiet nginx', false],
  ['systemctl list-units', 'systemctl list-units --failed', false],
  ['service status', 'service nginx status', false],
  ['kill -0', 'kill -0 123', false],
  ['kill -l', 'kill -l', false],
  ['ls rm', 'ls rm', false],
  ['comment only', '# rm -rf /\n# systemctl restart app', false],
  ['heredoc to cat', 'cat <<EOF\nDROP TABLE users;\nrm -rf /\nEOF', false],
  ['heredoc to cat, quoted delimiter', "cat <<'EOF' > /tmp/notes\nDELETE FROM x;\nEOF", true, /\/tmp\/notes/],
  ['git status', 'git status', false],
  ['git log', 'git log --oneline | head -5', false],
  ['git diff and fetch', 'git fetch origin && git diff origin/main', true, /git fetch/],
  ['git stash list', 'git stash list', false],
  ['git branch list', 'git branch -a', false],
  ['git clean dry run', 'git clean -n', false],
  ['psql SELECT', 'psql -c "SELECT count(*) FROM users"', false],
  ['psql heredoc SELECT with meta-command', 'psql <<SQL\n\\timing on\nSELECT 1;\nSQL', false],
  ['psql -l', 'psql -l', false],
  ['psql with comment-only DELETE', 'psql -c "SELECT 1 -- DELETE FROM x"', false],
  ['psql with string literal DROP', `psql -c "SELECT 'DROP TABLE x'"`, false],
  ['pg_dump', 'pg_dump $DATABASE_URL | gzip > $BACKUP_FILE', true, /gzip > /],
  ['pg_restore --list', 'pg_restore -l dump.bin', false],
  ['redis-cli GET', 'redis-cli GET session:1', false],
  ['redis-cli INFO: a read-only diagnostic', 'redis-cli info memory', false],
  ['redis-cli CONFIG GET', 'redis-cli -h cache CONFIG GET maxmemory', false],
  ['redis-cli CLIENT LIST', 'redis-cli CLIENT LIST', false],
  ['redis-cli SLOWLOG GET', 'redis-cli SLOWLOG GET 10', false],
  ['redis-cli --scan', "redis-cli --scan --pattern 'session:*'", false],
  ['redis-cli --bigkeys', 'redis-cli --bigkeys', false],
  ['aws s3 ls', 'aws s3 ls s3://excelapp-backups/', false],
  ['aws describe', 'aws ec2 describe-instances', false],
  ['apt update only', 'sudo apt update', true, /apt update/],
  ['apt simulate', 'apt-get install -s nginx', false],
  ['npm install (local)', 'npm ci && npm install', true, /npm/],
  ['gzip in place', 'gzip log/production.log.1', true, /gzip/],
  ['tar create', 'tar -czf backup.tgz storage/', true, /tar/],
  ['redirect to /dev/null', 'some-check > /dev/null 2>&1', true, /some-check/],
  ['redirect to a temp file', 'df -h > /tmp/df.txt', true, /\/tmp\/df\.txt/],
  ['append to a log', 'echo done >> /var/log/backup.log', true, /backup\.log/],
  ['redirect to stderr fd', 'echo oops >&2', false],
  ['chmod a script', 'chmod +x ./deploy.sh', true, /chmod/],
  ['cp to tmp', 'cp /etc/nginx/nginx.conf /tmp/', true, /cp/],
  ['mkdir', 'mkdir -p $BACKUP_DIR', true, /mkdir/],
  ['placeholder command name', '$CMD restart', true, /restart/],
  ['placeholder subcommand', 'systemctl $ACTION nginx', true, /systemctl/],
  ['bash -c of an expansion only', 'bash -c "$SCRIPT"', true, /bash/],
  ['psql -c of an expansion only', 'psql -c "$SQL"', true, /psql/],
  ['xargs without a command', 'find . -name "*.log" | xargs', false],
  ['command -v', 'command -v rm', false],
  ['sudo -l', 'sudo -l', false],
  ['sysctl read', 'sysctl -a | grep vm.swappiness', false],
  ['test and arithmetic', '[[ -f /etc/hosts ]] && echo $((1 + 2))', false],
  ['substitution of which rm', 'ls -la $(dirname $(which rm))', false],
  ['curl GET', 'curl -fsS http://localhost/up', false],
  ['du and sort', 'du -sh /var/lib/* | sort -h', false],
  ['journalctl read', 'journalctl -u nginx --since today', false],
  ['mount listing', 'mount | grep /data', false],
]

describe('detectShell', () => {
  describe.each([
    ['operations guide', guide],
    ['dangerous commands', dangerous],
    ['wrappers and shell structure', wrapped],
    ['look-alikes', lookalikes],
  ] as const)('%s', (_group, cases) => {
    it.each(cases)('%s', async (_label, code, destructive, mention) => {
      expectJudged(await detectShell(code), destructive, mention)
    })
  })

  it.each([
    ['unterminated quote', "echo ok\nif true; then\n  echo 'abc\nfi", 3],
    ['unclosed if', 'ls\nif true; then\n  echo x\n', 2],
    ['stray paren', 'echo )', 1],
    ['unclosed heredoc', 'cat <<EOF\nabc\n', 1],
    ['Ruby in a bash fence (guide puma.rb)', '# config/puma.rb\nworkers ENV.fetch("WEB_CONCURRENCY") { 4 }', 2],
  ])('syntax error: %s (line %i)', async (_label, code, line) => {
    const d = await detectShell(code)
    expect(d.syntaxErrors).toHaveLength(1)
    expect(d.syntaxErrors[0]!.line).toBe(line)
    expect(d.syntaxErrors[0]!.message).not.toBe('')
  })

  it('still judges the commands before a syntax error', async () => {
    const d = await detectShell('rm -rf /tmp/x\nif true; then\n  echo\n')
    expect(d.syntaxErrors[0]!.line).toBe(2)
    expect(d.destructive).toBe(true)
    expect(d.reasons).toContain(does('rm', 'deletesFiles'))
  })

  it('judges the guide logrotate block (a config in a bash fence) and reports its syntax error', async () => {
    const code = '/home/deploy/excelapp-rails/log/*.log {\n    daily\n    postrotate\n        systemctl reload excelapp-rails\n    endscript\n}'
    const d = await detectShell(code)
    expect(d.syntaxErrors[0]!.line).toBe(6)
    expect(d.reasons.join('\n')).toMatch(/systemctl reload excelapp-rails/)
  })

  it('deduplicates reasons', async () => {
    const d = await detectShell('rm a\nrm b\nsudo rm c')
    expect(d.reasons).toEqual([does('rm', 'deletesFiles')])
  })

  it('judges an argv (for spawn-like calls)', async () => {
    expect((await detectShellArgv(['rm', '-rf', null])).destructive).toBe(true)
    expect((await detectShellArgv(['ls', null])).destructive).toBe(false)
    // A command not known statically cannot be proven read-only (fail-closed).
    expect((await detectShellArgv([null, 'restart'])).destructive).toBe(true)
  })
})
