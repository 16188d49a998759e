import type { Db } from './db.ts'
import { migrate } from './migrate.ts'
import { syncReferenceData } from '../modules/reference/reference.sync.ts'

/** Everything a database needs before the server uses it: migrations, then the default reference data. */
export async function prepareDatabase(db: Db): Promise<string[]> {
  const applied = await migrate(db)
  await syncReferenceData(db)
  return applied
}
