import type { LngLat } from '@gezhi/geo'
import pointInPolygon from 'point-in-polygon-hao'
import type { Db } from '../../server/src/db/db.ts'
import { seededRandom } from '../../server/src/seed/random.ts'

/** Every OUTSIDE_EVERY-th point lies outside the district: 2 %, as in real reports near the boundary. */
const OUTSIDE_EVERY = 50

/**
 * `n` WGS-84 `[lng, lat]` points spread uniformly over the district's area, from a seeded
 * generator (same seed, same points). Every 50th lies outside the district but within 5 % of
 * its size beyond its bounding box, so it gets a nearest grid a few hundred metres away.
 */
export async function districtPoints(db: Db, n: number, seed: number): Promise<LngLat[]> {
  const [d] = await db.query<{ geojson: string; x0: number; y0: number; x1: number; y1: number }>(`
    SELECT ST_AsGeoJSON(geom) AS geojson, ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1
      FROM districts ORDER BY id LIMIT 1`)
  if (!d) throw new Error('no district: is the city seeded?')
  const polygons = (JSON.parse(d.geojson) as { coordinates: number[][][][] }).coordinates
  const inside = (p: LngLat) => polygons.some((rings) => pointInPolygon(p, rings) !== false)
  const random = seededRandom(seed)
  const margin = 0.05 * Math.max(d.x1 - d.x0, d.y1 - d.y0)
  const draw = (m: number): LngLat => [d.x0 - m + random() * (d.x1 - d.x0 + 2 * m), d.y0 - m + random() * (d.y1 - d.y0 + 2 * m)]

  const points: LngLat[] = []
  while (points.length < n) {
    const wantOutside = points.length % OUTSIDE_EVERY === OUTSIDE_EVERY - 1
    const p = draw(wantOutside ? margin : 0)
    if (inside(p) !== wantOutside) points.push(p)
  }
  return points
}
