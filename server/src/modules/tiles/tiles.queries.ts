import { sql } from '../../db/db.ts'

/**
 * Grid boundaries as vector tiles. Both encoders read the same selection: $1 z, $2 x, $3 y, $4 the
 * deepest level shown at z, $5 the buffer as a share of the tile's side, $6 the same plus half a
 * tile unit. A grid is in the tile when it is current (not retired, its boundary still valid) and
 * its bounding box meets the tile grown by the buffer (GiST index on grid_boundaries.geom);
 * ST_TileEnvelope is the tile in Web Mercator, transformed back to WGS-84 it is a longitude/latitude
 * rectangle. Its label point is in the tile when it lies in the tile grown by $6, tested exactly
 * (`&&` compares single-precision boxes, a few tile units loose at z 15): ST_AsMVTGeom rounds a
 * point to whole units before it clips at the buffer, so it keeps points up to half a unit beyond.
 */
const SELECTED = `
  env AS (SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS tile,
                 ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $5::float8), 4326) AS box,
                 ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $6::float8), 4326) AS label_box),
  sel AS (
    SELECT g.id, g.code, g.name, g.level, g.parent_id, b.geom, b.label_point, ST_Intersects(b.label_point, env.label_box) AS labelled
      FROM env, grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
     WHERE g.retired_generation IS NULL AND g.level <= $4::int AND b.geom && env.box)`

/**
 * The whole tile encoded by PostGIS (PostgreSQL only: ST_AsMVT needs protobuf, which PGlite lacks).
 * One layer per level, `grids-<level>`, then `labels`; $7 extent, $8 buffer in tile units. The
 * feature id column (`fid`) is not a property in ST_AsMVT, so the id is selected twice. Empty
 * layers are left out; an empty tile is an empty bytea.
 */
export const GRID_TILE_MVT = sql('grid_tile_mvt', `
  WITH ${SELECTED},
  polygons AS (
    SELECT s.id AS fid, s.id, s.code, s.name, s.level, s.parent_id AS "parentId",
           ST_AsMVTGeom(ST_Transform(s.geom, 3857), env.tile, $7::int, $8::int, true) AS geom
      FROM sel s, env),
  labels AS (
    SELECT s.id AS fid, s.id, s.code, s.name, s.level, s.parent_id AS "parentId",
           ST_AsMVTGeom(ST_Transform(s.label_point, 3857), env.tile, $7::int, $8::int, true) AS geom
      FROM sel s, env WHERE s.labelled),
  layers AS (
    SELECT p.level AS ord, ST_AsMVT(p, 'grids-' || p.level, $7::int, 'geom', 'fid') AS mvt
      FROM polygons p WHERE p.geom IS NOT NULL GROUP BY p.level
    UNION ALL
    SELECT 100, ST_AsMVT(l, 'labels', $7::int, 'geom', 'fid') FROM labels l WHERE l.geom IS NOT NULL HAVING count(*) > 0)
  SELECT coalesce(string_agg(mvt, ''::bytea ORDER BY ord), ''::bytea) AS tile FROM layers`)

/**
 * The same selection as GeoJSON for the Node encoder (geojson-vt + vt-pbf): each polygon clipped
 * to the buffered tile and simplified by $7 degrees in PostGIS, so Node only sees what the tile
 * shows; coordinates to $8 decimals; the label point when it is in the tile.
 */
export const GRID_TILE_FEATURES = sql('grid_tile_features', `
  WITH ${SELECTED},
  clipped AS (SELECT s.*, ST_ClipByBox2D(s.geom, env.box) AS part FROM sel s, env)
  SELECT c.id, c.code, c.name, c.level, c.parent_id AS "parentId",
         ST_AsGeoJSON(ST_SimplifyPreserveTopology(c.part, $7::float8), $8::int)::json AS geometry,
         CASE WHEN c.labelled THEN ST_AsGeoJSON(c.label_point, $8::int)::json END AS label
    FROM clipped c
   WHERE NOT ST_IsEmpty(c.part)
   ORDER BY c.level, c.code`)

/** The newest published boundary generation: what a tile's ETag names (a publish changes every tile's). */
export const TILE_GENERATION = sql('tile_generation', `SELECT coalesce(max(id), 0)::int AS id FROM boundary_generations`)
