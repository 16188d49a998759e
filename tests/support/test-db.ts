import { readFileSync } from 'node:fs'
import { inject } from 'vitest'
import type { Db } from '../../server/src/db/db.ts'
import { openPglite } from '../../server/src/db/pglite.ts'
import { openPostgres } from '../../server/src/db/postgres.ts'

/** Which backend this test project runs on (set per project in vitest.config.ts). */
export const BACKEND = (process.env.GEZHI_TEST_DB ?? 'pglite') as 'pglite' | 'postgres'

const key = Symbol.for('gezhi.testDb')
type Holder = { [key]?: Promise<Db> }

/**
 * The seeded test city, opened once per worker and shared by every test file the worker runs
 * (projects that use it set `isolate: false`). PGlite restores the dumped city into memory;
 * PostgreSQL connects to this worker's copy of the run's fresh database. Tests that write must
 * clean up after themselves.
 */
export function testDb(): Promise<Db> {
  const holder = globalThis as Holder
  holder[key] ??= BACKEND === 'postgres'
    ? Promise.resolve(openPostgres({ connectionString: workerDatabase(inject('postgresUrls')), max: 4 }))
    : openPglite({ loadDataDir: new Blob([readFileSync(inject('cityDump'))]) })
  return holder[key]
}

/** This worker's database: VITEST_POOL_ID runs from 1 to maxWorkers. */
function workerDatabase(urls: string[]): string {
  const id = Number(process.env.VITEST_POOL_ID ?? 1)
  return urls[(Math.max(1, id) - 1) % urls.length]!
}
