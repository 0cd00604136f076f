// The shell judge and a step's declared `writes=` paths: a redirection, tee, mkdir, mv, pg_dump -f,
// tar -czf, curl -o whose target is a literal path or `"$VAR/…"` inside a declared path is proven;
// the same outside, with `..`, a glob, a variable after the declared part, an unquoted or computed
// target, or with the declared variable changed by the script, stays unproven. The verdict is
// cached under the code and the declared paths together.
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectShell } from '../../src/runner/judge/shell.js'
import { openDetectionCacheAt } from '../../src/runner/plan/judge-cache.js'
import { plan } from '../../src/runner/plan/plan.js'
import { parseRunbook } from '../../src/runner/parse/parse.js'

const BACKUP = ['$BACKUP_DIR']

const PROVEN: [string, string[]][] = [
  ['echo done > "$BACKUP_DIR/done.txt"', BACKUP],
  ['date >> "${BACKUP_DIR}/backup.log"', BACKUP],
  ['echo "$(date): ok" | tee -a "$BACKUP_DIR/backup.log"', BACKUP],
  ['mkdir -p "$BACKUP_DIR"', BACKUP],
  ['mkdir -p "$BACKUP_DIR/weekly/db"', BACKUP],
  ['pg_dump -f "$BACKUP_DIR/db.sql" "$DATABASE_URL"', BACKUP],
  ['pg_dump --format=custom --file="$BACKUP_DIR/db.dump" "$DATABASE_URL"', BACKUP],
  ['pg_dumpall --globals-only --no-role-passwords --file="$BACKUP_DIR/globals.sql"', BACKUP],
  ['pg_dump "$DATABASE_URL" | gzip -c > "$BACKUP_DIR/db.sql.gz"', BACKUP],
  ['tar -czf "$BACKUP_DIR/logs.tar.gz" -C "$LOG_DIR" .', BACKUP],
  ['tar czf "$BACKUP_DIR/etc.tgz" /etc/hosts', BACKUP],
  ['sha256sum /etc/hosts > "$BACKUP_DIR/sums.txt"', BACKUP],
  ['mv "$BACKUP_DIR/db.sql.gz.partial" "$BACKUP_DIR/db.sql.gz"', BACKUP],
  ['curl -fsS -o "$BACKUP_DIR/health.json" https://example.com/health', BACKUP],
  ['echo x > /srv/backups/app/x.txt', ['/srv/backups/app']],
  ['echo x > "$APP_DIR/.git/marker"', ['$APP_DIR/.git']],
  ['mkdir -p "$RUNBOOK_TMP/work" && mv "$RUNBOOK_TMP/a" "$RUNBOOK_TMP/work/a"', []],
]

const UNPROVEN: [string, string, string[]][] = [
  ['outside the declared path', 'echo x > /srv/other/x.txt', ['/srv/backups/app']],
  ['another variable', 'echo x > "$OTHER_DIR/x"', BACKUP],
  ['a variable that is not declared (unset at run time for all the judge knows)', 'pg_dump -f "$NOPE/db.sql" db', BACKUP],
  ['..', 'echo x > "$BACKUP_DIR/../etc/cron.d/x"', BACKUP],
  ['.. in a literal declared path', 'echo x > /srv/backups/app/../../../etc/passwd', ['/srv/backups/app']],
  ['a glob', 'echo x > "$BACKUP_DIR"/*.sql', BACKUP],
  ['a variable after the declared part', 'echo x > "$BACKUP_DIR/$NAME"', BACKUP],
  ['a command substitution in the target', 'echo x > "$BACKUP_DIR/$(date +%F).sql"', BACKUP],
  ['an unquoted variable', 'echo x > $BACKUP_DIR/x', BACKUP],
  ['a default value', 'echo x > "${BACKUP_DIR:-/etc}/x"', BACKUP],
  ['the declared folder itself as a file', 'echo x > "$BACKUP_DIR"', BACKUP],
  ['a prefix that is not a folder boundary', 'echo x > "$BACKUP_DIR/subother/x"', ['$BACKUP_DIR/sub']],
  ['the declared variable reassigned', 'BACKUP_DIR=/etc; echo x > "$BACKUP_DIR/passwd"', BACKUP],
  ['the declared variable read', 'read -r BACKUP_DIR < /tmp/x; echo x > "$BACKUP_DIR/passwd"', BACKUP],
  ['the declared variable assigned through arithmetic', 'n=BACKUP; n+=_DIR; let "$n=1"; echo x > "$BACKUP_DIR/x"', BACKUP],
  ['a change of directory (a relative value would move)', 'cd /etc; echo x > "$BACKUP_DIR/x"', BACKUP],
  ['a relative declared path', 'echo x > backups/x', ['backups']],
  ['a home-relative target', 'echo x > ~/x', ['/root']],
  ['mv out of the declared path', 'mv "$BACKUP_DIR/db.sql" /tmp/db.sql', BACKUP],
  ['mv of /dev/null into it', 'mv /dev/null "$BACKUP_DIR/x"', BACKUP],
  ['tar extracting', 'tar -xzf "$BACKUP_DIR/a.tgz"', BACKUP],
  ['tar removing what it archives', 'tar -czf "$BACKUP_DIR/a.tgz" --remove-files /var/log/app', BACKUP],
  ['tar running a program', 'tar -cz -I "sh -c id" -f "$BACKUP_DIR/a.tgz" .', BACKUP],
  ['pg_dump -f outside', 'pg_dump -f /etc/x.sql db', BACKUP],
  ['pg_dump --file with a variable outside', 'pg_dump --file="$X" db', BACKUP],
  ['an option whose name is expanded', 'pg_dump -"$OPT" db', BACKUP],
  ['rm inside the declared path (deleting is not writing a new file)', 'rm -f "$BACKUP_DIR/old.sql"', BACKUP],
]

describe('writes= paths in the shell judge', () => {
  it.each(PROVEN)('proven: %s (writes=%j)', async (code, writes) => {
    const d = await detectShell(code, { writes })
    expect(d.reasons).toEqual([])
    expect(d.destructive).toBe(false)
  })

  it.each(PROVEN.filter(([, w]) => w.length > 0))('without writes= the same is not read-only: %s', async (code) => {
    expect((await detectShell(code)).destructive).toBe(true)
  })

  it.each(UNPROVEN)('unproven: %s', async (_name, code, writes) => {
    expect((await detectShell(code, { writes })).destructive).toBe(true)
  })

  it('the cache keeps the verdict with the declared paths apart from the one without them', async () => {
    const loc = { dir: path.join(mkdtempSync(path.join(os.tmpdir(), 'rb-writes-cache-')), 'cache'), buildHash: 'writes-test', language: 'ko' }
    const code = 'mkdir -p "$BACKUP_DIR/x"'
    const md = (info: string) => `# 백업\n\n\`\`\`bash {id=prep ${info}}\n${code}\n\`\`\`\n`
    const declared = await plan(parseRunbook(md('writes=$BACKUP_DIR'), 'a.md'), openDetectionCacheAt(loc))
    const bare = await plan(parseRunbook(md(''), 'b.md'), openDetectionCacheAt(loc))
    const again = await plan(parseRunbook(md('writes=$BACKUP_DIR'), 'c.md'), openDetectionCacheAt(loc))
    expect(declared.steps[0]!.destructive).toBe(false)
    expect(bare.steps[0]!.destructive).toBe(true)
    expect(again.steps[0]!.destructive).toBe(false)
  })
})
