// Messages of the interface: why the judge found a step destructive, refused or unreadable,
// one file a step language (judge/*.ts): `msg.judge.shell.deletesFiles('rm')`.
// Each entry is a string or a function of its values; `en` has exactly `ko`'s keys (the type
// says so), so a text cannot exist in one language only.
import * as redis from './judge/redis.js'
import * as shell from './judge/shell.js'
import * as sql from './judge/sql.js'
import * as ts from './judge/ts.js'

export const ko = { shell: shell.ko, sql: sql.ko, redis: redis.ko, ts: ts.ko }

export const en: typeof ko = { shell: shell.en, sql: sql.en, redis: redis.en, ts: ts.en }
