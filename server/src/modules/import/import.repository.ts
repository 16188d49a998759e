import type { Db } from '../../db/db.ts'
import { EXISTING_BY_EXTERNAL_IDS } from './import.queries.ts'

export function importRepository(db: Db) {
  return {
    /** Case numbers of the external ids already imported, by external id: one query for a whole batch. */
    async existing(externalIds: string[]): Promise<Map<string, string>> {
      if (externalIds.length === 0) return new Map()
      const rows = await db.query<{ external_id: string; number: string }>(EXISTING_BY_EXTERNAL_IDS, [externalIds])
      return new Map(rows.map((r) => [r.external_id, r.number]))
    },
  }
}
