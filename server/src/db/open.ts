import path from 'node:path'
import type { Config } from '../config/config.ts'
import type { Db } from './db.ts'
import { openPglite } from './pglite.ts'
import { openPostgres } from './postgres.ts'

/** Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR. */
export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  if (config.databaseUrl) {
    const db = openPostgres({ connectionString: config.databaseUrl })
    await db.query('SELECT 1') // fail at boot, with the driver's message, rather than on the first request
    return db
  }
  return openPglite({ dataDir: path.join(config.dataDir, 'pglite') })
}
