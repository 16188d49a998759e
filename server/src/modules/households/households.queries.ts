import { sql } from '../../db/db.ts'

/**
 * A page of households. $1 grid (its whole subtree), $2..$5 bbox, $6 party-centre filter,
 * $7 cursor (last id seen), $8 page size. Sensitive tags are deliberately not selected.
 */
export const HOUSEHOLDS_PAGE = sql('households_page', `
  SELECT h.id, h.grid_id, h.address, ST_X(h.geom) AS lng, ST_Y(h.geom) AS lat, h.size, h.party_center,
         CASE WHEN h.party_center
              THEN ARRAY(SELECT l.household_id FROM party_links l WHERE l.center_id = h.id ORDER BY l.household_id)
              ELSE '{}'::int[] END AS linked
    FROM households h
   WHERE ($1::int IS NULL OR h.grid_id IN (SELECT id FROM grids WHERE path @> ARRAY[$1::int]))
     AND ($2::float8 IS NULL OR ST_Intersects(ST_MakeEnvelope($2, $3, $4, $5, 4326), h.geom))  -- exact: && alone compares float4 boxes
     AND ($6::boolean IS NULL OR h.party_center = $6)
     AND h.id > $7
   ORDER BY h.id
   LIMIT $8`)

/**
 * All household positions of a subtree ($1, NULL = everything) packed by PostgreSQL itself:
 * float4send gives big-endian float32s and a flag byte each, so Node never builds 150,000 row
 * objects — it only fixes the byte order.
 */
export const HOUSEHOLD_POINTS = sql('household_points', `
  SELECT count(*)::int AS n,
         coalesce(string_agg(float4send(ST_X(h.geom)::float4) || float4send(ST_Y(h.geom)::float4), ''::bytea ORDER BY h.id), ''::bytea) AS positions,
         coalesce(string_agg(CASE WHEN h.party_center THEN '\\x01'::bytea ELSE '\\x00'::bytea END, ''::bytea ORDER BY h.id), ''::bytea) AS flags
    FROM households h
   WHERE $1::int IS NULL OR h.grid_id IN (SELECT id FROM grids WHERE path @> ARRAY[$1::int])`)
