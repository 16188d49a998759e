/**
 * Formulations of "locate many points" measured against the shipped LOCATE_MANY. Each keeps its
 * contract: rows (i, grid_id, outside, distance_m), one per input point; lowest code wins on
 * shared edges; an outside point gets the nearest grid and its geodesic distance.
 */
import type { Db, Queryable } from '../../server/src/db/db.ts'
import { generationAt, validIn } from '../../server/src/modules/grids/grid-sql.ts'
import { LOCATE_MANY } from '../../server/src/modules/locate/locate.queries.ts'

export interface BatchRow { i: number; grid_id: number; outside: boolean; distance_m: number }

export interface Variant {
  name: string
  run(db: Db, lngs: number[], lats: number[]): Promise<BatchRow[]>
}

const unnestPoints = `
  SELECT t.i::int AS i, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326) AS g
    FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, i)`

/** The same, but the planner cannot see the arrays' length, so it plans for ~100 points. */
const unnestPointsUnsized = unnestPoints.replace('unnest($1::float8[], $2::float8[])', 'unnest((SELECT $1::float8[]), (SELECT $2::float8[]))')

/** Misses and their nearest grid, as LOCATE_MANY does it, after CTEs `gen`, `pts` and `hits`. */
const nearestForMisses = `
  misses AS (SELECT pts.* FROM pts WHERE NOT EXISTS (SELECT 1 FROM hits WHERE hits.i = pts.i)),
  near AS (
    SELECT m.i, n.grid_id, n.distance_m
      FROM misses m CROSS JOIN gen CROSS JOIN LATERAL (
        SELECT c.grid_id, c.distance_m FROM (
          SELECT p.grid_id, p.code, ST_Distance(p.geom::geography, m.g::geography) AS distance_m
            FROM grid_pieces p
           WHERE ${validIn('p', 'gen')}
           ORDER BY p.geom <-> m.g LIMIT 8) c
         ORDER BY c.distance_m, c.code LIMIT 1) n)
  SELECT i, grid_id, false AS outside, 0::float8 AS distance_m FROM hits
  UNION ALL
  SELECT i, grid_id, true, distance_m FROM near`

/** Points joined to pieces through the pieces' GiST index, one point after another, in `order`. */
const pointDriven = (order: string, points = unnestPoints) => `
  WITH gen AS (${generationAt('$3')}),
  pts AS MATERIALIZED (${points} ${order}),
  hits AS (
    SELECT DISTINCT ON (pts.i) pts.i, p.grid_id
      FROM pts JOIN grid_pieces p ON ST_Intersects(p.geom, pts.g) CROSS JOIN gen
     WHERE ${validIn('p', 'gen')}
     ORDER BY pts.i, p.code),
  ${nearestForMisses}`

const GEOHASH_ORDERED = pointDriven('ORDER BY ST_GeoHash(ST_SetSRID(ST_MakePoint(t.x, t.y), 4326), 10)')
const UNORDERED = pointDriven('')
const UNORDERED_UNSIZED = pointDriven('', unnestPointsUnsized)

/** Box candidates first, sorted by piece, then the exact test: each polygon meets all its points in a row. */
const PIECE_ORDERED = `
  WITH gen AS (${generationAt('$3')}),
  pts AS MATERIALIZED (${unnestPoints}),
  candidates AS (
    SELECT pts.i, pts.g, p.grid_id, p.code, p.geom
      FROM pts JOIN grid_pieces p ON p.geom && pts.g CROSS JOIN gen
     WHERE ${validIn('p', 'gen')}
     ORDER BY p.boundary_id, p.ctid OFFSET 0),
  hits AS (
    SELECT DISTINCT ON (c.i) c.i, c.grid_id FROM candidates c WHERE ST_Intersects(c.geom, c.g) ORDER BY c.i, c.code),
  ${nearestForMisses}`

/** The points in an indexed temporary table; every piece looks up its own points (the polygon side drives). */
const TEMP_TABLE = `
  WITH gen AS (${generationAt('$1')}),
  pts AS (SELECT i, g FROM bench_pts),
  hits AS (
    SELECT DISTINCT ON (t.i) t.i, p.grid_id
      FROM grid_pieces p CROSS JOIN gen CROSS JOIN LATERAL (SELECT pts.i FROM pts WHERE ST_Intersects(p.geom, pts.g)) t
     WHERE ${validIn('p', 'gen')}
     ORDER BY t.i, p.code),
  ${nearestForMisses}`

const oneQuery = (name: string, text: string): Variant => ({
  name,
  run: (db, lngs, lats) => db.query<BatchRow>({ name: `bench_${name.replace(/\W+/g, '_')}`, text }, [lngs, lats, null]),
})

export const SHIPPED: Variant = { name: 'LOCATE_MANY as shipped', run: (db, lngs, lats) => db.query<BatchRow>(LOCATE_MANY, [lngs, lats, null]) }

export const VARIANTS: Variant[] = [
  oneQuery('points in geohash order', GEOHASH_ORDERED),
  oneQuery('points unordered', UNORDERED),
  oneQuery('unordered, count hidden from planner', UNORDERED_UNSIZED),
  oneQuery('candidates sorted by piece', PIECE_ORDERED),
  {
    name: 'temp table + GiST, pieces drive',
    run: (db, lngs, lats) => db.transaction(async (tx: Queryable) => {
      await tx.exec('CREATE TEMP TABLE bench_pts (i int NOT NULL, g geometry(Point, 4326) NOT NULL) ON COMMIT DROP')
      await tx.query(`INSERT INTO bench_pts ${unnestPoints}`, [lngs, lats])
      await tx.exec('CREATE INDEX ON bench_pts USING gist (g); ANALYZE bench_pts')
      return tx.query<BatchRow>(TEMP_TABLE, [null])
    }),
  },
]

/** How many points two answers disagree on (grid, inside/outside, or distance beyond a millimetre). */
export function disagreements(a: BatchRow[], b: BatchRow[], n: number): number {
  const byI = (rows: BatchRow[]) => { const m = new Array<BatchRow | undefined>(n + 1); for (const r of rows) m[r.i] = r; return m }
  const x = byI(a), y = byI(b)
  let differ = Math.abs(a.length - b.length)
  for (let i = 1; i <= n; i++) {
    const p = x[i], q = y[i]
    if (!p || !q || p.grid_id !== q.grid_id || p.outside !== q.outside || Math.abs(p.distance_m - q.distance_m) > 1e-3) differ++
  }
  return differ
}
