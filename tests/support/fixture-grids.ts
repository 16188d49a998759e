import type { Polygon, MultiPolygon } from 'geojson'
import type { Db } from '../../server/src/db/db.ts'
import { ADD_MISSING_LEAF_PIECES } from '../../server/src/seed/seed.queries.ts'

export interface FixtureGrid {
  /** 9-digit code under the fixture's district code. */
  code: string
  name: string
  geometry: Polygon | MultiPolygon
}

/**
 * Adds hand-drawn top-level grids (leaves, with pieces) under a district of their own, in the
 * current boundary generation, far from the demo city. Returns their ids and a cleanup that
 * removes every row it added — the test city is shared by the test files of a worker.
 */
export async function addFixtureGrids(db: Db, districtCode: string, grids: FixtureGrid[]) {
  const [district] = await db.query<{ id: number }>(`
    INSERT INTO districts (code, name, city, geom)
    SELECT $1, 'fixture ' || $1, 'fixture', ST_Multi(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)))
      FROM unnest($2::text[]) AS g RETURNING id`, [districtCode, grids.map((g) => JSON.stringify(g.geometry))])
  const ids: Record<string, number> = {}
  for (const grid of grids) {
    const [row] = await db.query<{ id: number }>(`
      WITH gen AS (SELECT id FROM boundary_generations ORDER BY valid_from DESC, id DESC LIMIT 1),
      g AS (INSERT INTO grids (id, district_id, code, name, level, parent_id, path, created_generation)
            SELECT n.id, $1, $2, $3, 1, NULL, ARRAY[n.id], gen.id FROM gen, (SELECT nextval('grids_id_seq')::int AS id) n RETURNING id, created_generation)
      INSERT INTO grid_boundaries (grid_id, generation_from, geom, label_point, area_m2)
      SELECT g.id, g.created_generation, s.geom, ST_PointOnSurface(s.geom), ST_Area(s.geom::geography)
        FROM g, (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326)) AS geom) s
      RETURNING grid_id AS id`, [district!.id, grid.code, grid.name, JSON.stringify(grid.geometry)])
    ids[grid.code] = row!.id
  }
  await db.query(ADD_MISSING_LEAF_PIECES)

  async function cleanup() {
    const all = Object.values(ids)
    await db.query('DELETE FROM grid_pieces WHERE grid_id = ANY ($1::int[])', [all])
    await db.query('DELETE FROM grid_boundaries WHERE grid_id = ANY ($1::int[])', [all])
    await db.query('DELETE FROM grids WHERE id = ANY ($1::int[])', [all])
    await db.query('DELETE FROM districts WHERE id = $1', [district!.id])
  }
  return { ids, cleanup }
}

/** The demo city's district, to keep city-wide assertions clear of fixtures added by other files. */
export const DEMO_DISTRICT = `(SELECT id FROM districts WHERE code = '410105')`
