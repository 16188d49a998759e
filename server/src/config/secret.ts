import { randomBytes } from 'node:crypto'
import type { Db } from '../db/db.ts'

/**
 * The secret that signs tokens (sign-in tokens, reporters' tracking tokens). From SECRET when
 * set; otherwise generated once and kept in the database, so every server sharing the database
 * (several replicas behind a proxy) signs and checks with the same one.
 */
export async function loadAppSecret(db: Db, configured?: string): Promise<string> {
  if (configured) return configured
  await db.query(`INSERT INTO city_meta (key, value) VALUES ('app_secret', to_jsonb($1::text)) ON CONFLICT (key) DO NOTHING`, [randomBytes(32).toString('hex')])
  const [row] = await db.query<{ value: string }>(`SELECT value FROM city_meta WHERE key = 'app_secret'`)
  return row!.value
}
