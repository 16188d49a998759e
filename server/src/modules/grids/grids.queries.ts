import { sql } from '../../db/db.ts'
import { chainJson, gridRefJson, staffJson } from './grid-sql.ts'

/**
 * Current grids as one GeoJSON FeatureCollection, built as text by PostgreSQL (no row objects in
 * Node), with `geometry` (SQL on alias b) as each feature's geometry and `bboxColumn` of b
 * tested against the bbox. $1 level, $2 parent, $3..$6 bbox (all optional).
 */
const currentGridsCollection = (geometry: string, bboxColumn: string) => `
  SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
           'type', 'Feature', 'id', g.id,
           'geometry', ${geometry},
           'properties', json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'level', g.level, 'parentId', g.parent_id)
         ) ORDER BY g.code), '[]'::json))::text AS body
    FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
   WHERE g.retired_generation IS NULL
     AND ($1::int IS NULL OR g.level = $1)
     AND ($2::int IS NULL OR g.parent_id = $2)
     AND ($3::float8 IS NULL OR b.${bboxColumn} && ST_MakeEnvelope($3, $4, $5, $6, 4326))`

/** Current grid polygons; $7 simplification tolerance in degrees (0 = none), $8 decimals kept. */
export const GRIDS_GEOJSON = sql('grids_geojson', currentGridsCollection(
  'ST_AsGeoJSON(CASE WHEN $7::float8 > 0 THEN ST_SimplifyPreserveTopology(b.geom, $7::float8) ELSE b.geom END, $8::int)::json', 'geom'))

/** One label point per current grid (the centre of its largest inscribed circle), same filters. */
export const GRID_LABELS_GEOJSON = sql('grid_labels_geojson', currentGridsCollection('ST_AsGeoJSON(b.label_point, 6)::json', 'label_point'))

/** Everything the grid page shows about one grid. $1 grid id. */
export const GRID_DETAIL = sql('grid_detail', `
  WITH g AS (SELECT * FROM grids WHERE id = $1),
  sub AS (SELECT s.id, NOT EXISTS (SELECT 1 FROM grids c WHERE c.parent_id = s.id) AS is_leaf FROM grids s, g WHERE s.path @> ARRAY[g.id]),
  hh AS (SELECT count(*) AS households, coalesce(sum(size), 0) AS population, count(*) FILTER (WHERE party_center) AS party_centers
           FROM households WHERE grid_id IN (SELECT id FROM sub WHERE is_leaf))
  SELECT ${gridRefJson('g')} AS grid,
         ${chainJson('g.id')} AS chain,
         g.themes,
         ${staffJson('g.id')} AS staff,
         hh.households, hh.population, hh.party_centers,
         (SELECT count(*) FROM sub WHERE is_leaf) AS leaves,
         (SELECT coalesce(json_agg(${gridRefJson('c')} ORDER BY c.code), '[]'::json) FROM grids c WHERE c.parent_id = g.id AND c.retired_generation IS NULL) AS children,
         ARRAY[ST_XMin(b.geom), ST_YMin(b.geom), ST_XMax(b.geom), ST_YMax(b.geom)] AS bbox,
         b.area_m2,
         gen.id AS generation_id, gen.label AS generation_label, gen.valid_from
    FROM g CROSS JOIN hh
    JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
    JOIN boundary_generations gen ON gen.id = b.generation_from`)

export const GRID_LEVELS = sql('grid_levels', `SELECT depth, key, name, name_en AS "nameEn" FROM grid_levels ORDER BY depth`)

export const GRID_EXISTS = sql('grid_exists', `SELECT 1 FROM grids WHERE id = $1`)
