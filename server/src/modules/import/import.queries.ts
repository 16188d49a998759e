import { sql } from '../../db/db.ts'

/** Cases already imported under any of these external ids, with their readable numbers. */
export const EXISTING_BY_EXTERNAL_IDS = sql('import_existing_by_external_ids', `
  SELECT external_id, number FROM incidents WHERE external_id = ANY ($1::text[])`)
