import { sql } from '../../db/db.ts'
import { chainJson, generationAt, staffJson, validIn } from '../grids/grid-sql.ts'

/**
 * One point → the responsible leaf grid, its chain of ancestors and its staff board, in one
 * round trip. $1 lng, $2 lat (WGS-84), $3 time (NULL = now).
 *
 * A point on a shared edge or vertex intersects several leaves; the one with the lowest code
 * wins, so the answer is the same every time. A point outside every leaf gets the nearest one:
 * the 8 nearest pieces by planar index distance, then the exact geodesic distance among them.
 */
export const LOCATE_ONE = sql('locate_one', `
  WITH gen AS (${generationAt('$3')}),
  pt AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g),
  hit AS (
    SELECT p.grid_id, 0::float8 AS distance_m, false AS outside
      FROM grid_pieces p, pt, gen
     WHERE ST_Intersects(p.geom, pt.g) AND ${validIn('p', 'gen')}
     ORDER BY p.code LIMIT 1),
  near AS (
    SELECT c.grid_id, c.distance_m, true AS outside
      FROM pt, gen, LATERAL (
        SELECT p.grid_id, p.code, ST_Distance(p.geom::geography, pt.g::geography) AS distance_m
          FROM grid_pieces p
         WHERE ${validIn('p', 'gen')}
         ORDER BY p.geom <-> pt.g LIMIT 8) c
     WHERE NOT EXISTS (SELECT 1 FROM hit)
     ORDER BY c.distance_m, c.code LIMIT 1),
  chosen AS (SELECT * FROM hit UNION ALL SELECT * FROM near)
  SELECT gen.id AS generation_id, gen.label AS generation_label, gen.valid_from,
         c.grid_id, c.outside, c.distance_m,
         ${chainJson('c.grid_id')} AS chain,
         CASE WHEN c.outside THEN '[]'::json ELSE ${staffJson('c.grid_id')} END AS staff
    FROM gen LEFT JOIN chosen c ON true`)

/**
 * Many points at once. $1 lngs, $2 lats (WGS-84), $3 time. Points are first ordered along a
 * Morton curve (ST_GeoHash) so that consecutive tests hit the same piece: PostGIS keeps the last
 * polygon's prepared point-in-polygon index, so the polygon side effectively drives the join.
 * Returns one row per point, by input order `i` (1-based).
 */
export const LOCATE_MANY = sql('locate_many', `
  WITH gen AS (${generationAt('$3')}),
  pts AS MATERIALIZED (
    SELECT t.i::int AS i, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326) AS g
      FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, i)
     ORDER BY ST_GeoHash(ST_SetSRID(ST_MakePoint(t.x, t.y), 4326), 10)),
  hits AS (
    SELECT DISTINCT ON (pts.i) pts.i, p.grid_id
      FROM pts JOIN grid_pieces p ON ST_Intersects(p.geom, pts.g) CROSS JOIN gen
     WHERE ${validIn('p', 'gen')}
     ORDER BY pts.i, p.code),
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
  SELECT i, grid_id, true, distance_m FROM near`)

/** GridRefs with their paths for every grid on the paths of `$1` (leaf ids). */
export const GRID_REFS_ON_PATHS = sql('grid_refs_on_paths', `
  SELECT a.id, a.code, a.name, a.level, l.name AS level_name, a.path
    FROM grids a JOIN grid_levels l ON l.depth = a.level
   WHERE a.id IN (SELECT DISTINCT unnest(path) FROM grids WHERE id = ANY ($1::int[]))`)

export const GENERATION_AT = sql('generation_at', generationAt('$1'))
