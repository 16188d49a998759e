import type { Db } from '../db/db.ts'

/** True once a city has been seeded (the seeder writes `city_meta.city` in the same transaction as the city). */
export async function hasCity(db: Db): Promise<boolean> {
  const rows = await db.query<{ n: number }>(`SELECT count(*) AS n FROM city_meta WHERE key = 'city'`)
  return rows[0]!.n > 0
}
