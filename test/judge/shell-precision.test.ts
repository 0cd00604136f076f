// Precision of the fail-closed shell judge: a generated set of read-only steps of the kinds the
// library and the operations guide use (readers, pipelines, grep/awk/sed -n, curl GETs, psql -c
// SELECT, redis-cli reads, systemd and docker listings) is judged read-only in at least 95 % of
// cases. The rate is printed; the steps it misses are listed, so that the vocabulary can grow.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { detectShell } from '../../src/runner/judge/shell.js'

const file = fc.constantFrom('/var/log/syslog', '"$LOG_DIR/production.log"', 'log/production.log', '"$BACKUP_DIR"/x.sql.gz', '/etc/os-release')
const pattern = fc.constantFrom("'error'", '"Completed 5"', "-E '(rails|puma)'", "-i 'failed password'", '-v grep')
const readers = fc.oneof(
  file.map((f) => `cat ${f}`),
  fc.tuple(fc.integer({ min: 1, max: 500 }), file).map(([n, f]) => `tail -n ${n} ${f}`),
  fc.tuple(fc.integer({ min: 1, max: 50 }), file).map(([n, f]) => `head -${n} ${f}`),
  fc.tuple(pattern, file).map(([p, f]) => `grep ${p} ${f}`),
  file.map((f) => `wc -l ${f}`),
  fc.constantFrom('df -h', 'df -h /', 'free -h', 'uptime', 'ps aux --sort=-%mem', 'top -bn1', 'ss -tlnp', 'ip addr show', 'du -sh /var/log/*', 'ls -la /var/backups', 'date +%F', 'uname -a', 'id', 'nproc', 'lsblk', 'findmnt'),
)
const filters = fc.constantFrom('head -20', 'tail -n 10', 'sort -rn', 'sort | uniq -c', 'wc -l', "awk '{ print $1 }'", "awk -F: '$3 > 1000 { print $1 }'", "sed -n '1,10p'", "grep -v '^#'", 'cut -d" " -f1', 'jq .', "tr -s ' '", 'column -t')
const pipeline = fc.tuple(readers, fc.array(filters, { maxLength: 3 })).map(([r, fs]) => [r, ...fs].join(' | '))
const url = fc.constantFrom('http://localhost/up', 'http://localhost:3002/health', '"$APP_URL/up"', 'https://example.com/status', '"${FORMULA_ENGINE_URL}/health"')
const curl = fc.tuple(fc.constantFrom('curl -fsS', 'curl -s', 'curl -sI', 'curl -s -o /dev/null -w "%{http_code}"', 'curl --max-time 5 -fsS', 'curl -X GET -s', 'wget -qO-', 'curl -fsS -H "Accept: application/json"'), url, fc.constantFrom('', ' | jq .', ' | head -c 200')).map(([c, u, t]) => `${c} ${u}${t}`)
const sql = fc.constantFrom(
  'SELECT count(*) FROM users',
  'SELECT now()',
  "SELECT pid, state, query FROM pg_stat_activity WHERE state <> 'idle'",
  'SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY 2 DESC LIMIT 10',
  'SELECT pg_size_pretty(pg_database_size(current_database()))',
  'SHOW max_connections',
)
const psql = fc.tuple(fc.constantFrom('psql', 'psql "$DATABASE_URL"', 'psql -At', 'psql -h 127.0.0.1 -U postgres -d excelapp', 'sudo -u postgres psql'), sql).map(([p, q]) => `${p} -c "${q}"`)
const redis = fc.tuple(fc.constantFrom('redis-cli', 'redis-cli -h 127.0.0.1 -p 6379', 'redis-cli -n 2'), fc.constantFrom('PING', 'INFO', 'INFO memory', 'DBSIZE', 'GET session:1', 'TTL session:1', 'SCAN 0 COUNT 100', '--scan --pattern "session:*"', '--bigkeys', 'LLEN queue:default')).map(([r, c]) => `${r} ${c}`)
const services = fc.constantFrom(
  'systemctl status excelapp-rails --no-pager',
  'systemctl is-active nginx',
  'systemctl list-units --failed',
  'journalctl -u excelapp-rails --since "1 hour ago" --no-pager | tail -50',
  'docker ps --filter name=formula-engine',
  'docker logs --tail 100 formula-engine 2>&1',
  "docker inspect --format '{{.State.Health.Status}}' formula-engine",
  'docker stats --no-stream',
  'docker compose ps',
  'git -C "$APP_DIR" log -1 --oneline',
  'git status --short',
)
const shaped = fc.oneof(pipeline, curl, psql, redis, services).chain((s) =>
  fc.constantFrom(s, `${s} || true`, `${s} 2>/dev/null`, `echo "== check"\n${s}`, `OUT=$(${s})\necho "$OUT"`, `if ${s} > /dev/null; then echo ok; fi`),
)

describe('precision', () => {
  it('judges generated read-only steps read-only in at least 95 % of cases', async () => {
    const steps = fc.sample(shaped, 400)
    const missed: string[] = []
    for (const code of steps) {
      const d = await detectShell(code)
      if (d.destructive || d.syntaxErrors.length > 0) missed.push(`${code}\n    → ${d.reasons.join('; ')}`)
    }
    const rate = (steps.length - missed.length) / steps.length
    console.log(`precision: ${(rate * 100).toFixed(1)} % of ${steps.length} read-only steps judged read-only`)
    if (missed.length > 0) console.log(`missed (distinct):\n${[...new Set(missed)].slice(0, 15).join('\n')}`)
    expect(rate).toBeGreaterThanOrEqual(0.95)
  })
})
