import type { TestProject } from 'vitest/node'
import { openPglite } from '../../server/src/db/pglite.ts'
import { openPostgres } from '../../server/src/db/postgres.ts'
import { prepareDatabase } from '../../server/src/db/prepare.ts'
import { seedCity } from '../../server/src/seed/seed-city.ts'
import { cityDumpPath, dumpExists, TEST_CITY, writeDump } from './city-cache.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the seeded PGlite city is dumped (a tarball each worker restores into memory). */
    cityDump: string
    /**
     * Fresh PostgreSQL databases with the seeded city, one per worker (index VITEST_POOL_ID − 1),
     * when this project runs on PostgreSQL: workers never see each other's writes, as on PGlite.
     */
    postgresUrls: string[]
  }
}

/**
 * Seeds the test city once per run, for the backend this project tests:
 * - pglite: seed in memory and dump to tests/.cache (reused while migrations and seeder are unchanged);
 * - postgres: create a fresh database on the server at DATABASE_URL, CREATE EXTENSION postgis,
 *   migrate and seed it, copy it for each worker (CREATE DATABASE … TEMPLATE); drop them all
 *   afterwards. The database named in DATABASE_URL is never written.
 */
export default async function setup(project: TestProject) {
  const backend = project.config.env?.GEZHI_TEST_DB ?? 'pglite'
  const dump = cityDumpPath()
  project.provide('cityDump', dump)

  if (backend === 'pglite') {
    if (!dumpExists(dump)) {
      const started = Date.now()
      const db = await openPglite()
      await prepareDatabase(db)
      await seedCity(db, TEST_CITY)
      const file = await db.raw.dumpDataDir('gzip')
      writeDump(dump, new Uint8Array(await file.arrayBuffer()))
      await db.close()
      console.log(`seeded the embedded test city in ${((Date.now() - started) / 1000).toFixed(1)} s → ${dump}`)
    }
    return
  }

  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) throw new Error('the postgres test project needs DATABASE_URL')
  const name = `gezhi_test_${Date.now()}_${process.pid}`
  const admin = openPostgres({ connectionString: adminUrl, max: 1 })
  await admin.exec(`CREATE DATABASE ${name}`)
  const urlOf = (db: string) => Object.assign(new URL(adminUrl), { pathname: `/${db}` }).toString()
  const db = openPostgres({ connectionString: urlOf(name), max: 2 })
  const started = Date.now()
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis')
  await prepareDatabase(db)
  await seedCity(db, TEST_CITY)
  await db.exec('ANALYZE')
  await db.close()
  const workers = Array.from({ length: Math.max(1, Number(project.globalConfig.maxWorkers) || 1) }, (_, i) => `${name}_w${i + 1}`)
  for (const copy of workers) await admin.exec(`CREATE DATABASE ${copy} TEMPLATE ${name}`)
  console.log(`seeded the PostgreSQL test city ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s, one copy per worker`)
  project.provide('postgresUrls', workers.map(urlOf))

  return async () => {
    for (const db of [...workers, name]) await admin.exec(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
    await admin.close()
  }
}
