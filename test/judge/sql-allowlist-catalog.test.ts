// The allowlist's CATALOG is what its header's query returns on the test PostgreSQL (15): the data
// file is regenerated, not edited by hand. Every harmless volatile function it lists exists in
// pg_catalog. (That the functions with effects are in neither list: sql-functions.test.ts.)
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CATALOG_READ_ONLY, HARMLESS_VOLATILE } from '../../src/runner/judge/sql/functions-readonly.js'
import { PG_ADMIN_URL } from '../helpers/servers.js'

const FILE = 'src/runner/judge/sql/functions-readonly.ts'
let client: pg.Client

beforeAll(async () => {
  client = new pg.Client({ connectionString: PG_ADMIN_URL })
  await client.connect()
})
afterAll(() => client?.end())

/** The query in the file's header (the `//   ` lines after "To regenerate"). */
function headerQuery(): string {
  const lines = readFileSync(FILE, 'utf8').split('\n')
  const from = lines.findIndex((l) => l.includes('To regenerate'))
  const query: string[] = []
  for (const l of lines.slice(from + 1)) {
    if (l === '//') {
      if (query.length > 0) break
      continue
    }
    if (!l.startsWith('//   ')) break
    query.push(l.slice(5))
  }
  return query.join('\n')
}

test('CATALOG is what the header query returns on PostgreSQL 15', async () => {
  const version = Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v)
  expect(Math.floor(version / 10000)).toBe(15)
  const query = headerQuery()
  expect(query).toMatch(/^SELECT string_agg/)
  const names = (await client.query<{ string_agg: string }>(query)).rows[0]!.string_agg.split(' ')
  expect([...CATALOG_READ_ONLY].sort()).toEqual(names.sort())
})

test('the harmless volatile functions exist in pg_catalog', async () => {
  const r = await client.query<{ proname: string }>(
    "SELECT DISTINCT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'pg_catalog' AND proname = ANY ($1)",
    [[...HARMLESS_VOLATILE]],
  )
  expect(r.rows.map((x) => x.proname).sort()).toEqual([...HARMLESS_VOLATILE].sort())
})
