import { describe, expect, it } from 'vitest'
import { openPglite } from '../../server/src/db/pglite.ts'
import { prepareDatabase } from '../../server/src/db/prepare.ts'
import { seedCity } from '../../server/src/seed/seed-city.ts'
import { BACKEND } from '../support/test-db.ts'

/** A digest of everything generated, geometry included. */
const FINGERPRINT = `
  SELECT md5(string_agg(g.code || g.name || ST_AsEWKB(b.geom)::text, ',' ORDER BY g.code)) AS grids,
         (SELECT md5(string_agg(address || ST_AsText(geom) || size || tags::text || party_center::text, ',' ORDER BY id)) FROM households) AS households,
         (SELECT md5(string_agg(name || phone || pledge, ',' ORDER BY id)) FROM grid_staff) AS staff
    FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id`

// Fresh databases are cheap only in memory, so this runs on the embedded backend; the same SQL
// generates the city on PostgreSQL. One database, reseeded with `wipe`, keeps it quick.
describe.runIf(BACKEND === 'pglite')('the city generator', () => {
  it('gives the same city for the same seed and a different one for another seed', { timeout: 240_000 }, async () => {
    const db = await openPglite()
    await prepareDatabase(db)
    const city = async (seed: number) => {
      await seedCity(db, { seed, scale: 0.04, households: true, wipe: true })
      return (await db.query(FINGERPRINT))[0]
    }
    try {
      const [a, b, c] = [await city(7), await city(7), await city(8)]
      expect(a).toEqual(b)
      expect(c!.grids).not.toEqual(a!.grids)
    } finally {
      await db.close()
    }
  })
})
