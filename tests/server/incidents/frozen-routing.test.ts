import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../../server/src/app.ts'
import { ADD_MISSING_LEAF_PIECES } from '../../../server/src/seed/seed.queries.ts'
import { addFixtureGrids } from '../../support/fixture-grids.ts'
import { reportBody, signIn } from '../../support/incident-helpers.ts'
import { testApp } from '../../support/test-app.ts'
import { testDb } from '../../support/test-db.ts'

/**
 * A redraw never silently moves an old case. A fixture territory far from the demo city has one
 * grid A; a case is reported there. A new boundary generation — valid only from 2100, so no
 * other test file routes with it — shrinks A and gives the case's place to a new grid B. The old
 * case keeps A and its generation; a report dated in 2100 goes to B.
 */
let app: App
const square = (w: number, s: number, size: number) => ({ type: 'Polygon' as const, coordinates: [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]] })
const cleanups: Array<() => Promise<void>> = []

beforeAll(async () => { app = await testApp() })
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
  await app.close()
})

describe('routing is frozen at report time', () => {
  it('keeps an old case with the grid and generation it was routed with after a redraw', async () => {
    const db = await testDb()
    const fixture = await addFixtureGrids(db, '999101', [{ code: '999101001', name: '甲网格', geometry: square(100, 10, 0.01) }])
    const a = fixture.ids['999101001']!
    const place = { lng: 100.0075, lat: 10.005 }
    const old = await app.incidents.report({ kind: 'system' }, reportBody([place.lng, place.lat], { source: 'hotline' }), [])
    expect(old.incident.grids.at(-1)!.id).toBe(a)

    const [gen] = await db.query<{ id: number }>(`INSERT INTO boundary_generations (label, valid_from, note) VALUES ('测试重划', '2100-01-01T00:00:00Z', 'frozen-routing test') RETURNING id`)
    const [b] = await db.query<{ id: number }>(`
      WITH n AS (SELECT nextval('grids_id_seq')::int AS id)
      INSERT INTO grids (id, district_id, code, name, level, path, created_generation)
      SELECT n.id, (SELECT id FROM districts WHERE code = '999101'), '999101002', '乙网格', 1, ARRAY[n.id], $1 FROM n RETURNING id`, [gen!.id])
    await db.query(`UPDATE grid_boundaries SET generation_to = $1 WHERE grid_id = $2 AND generation_to IS NULL`, [gen!.id, a])
    await db.query(`UPDATE grid_pieces SET generation_to = $1 WHERE grid_id = $2 AND generation_to IS NULL`, [gen!.id, a])
    for (const [grid, geometry] of [[a, square(100, 10, 0.005)], [b!.id, { type: 'Polygon', coordinates: [[[100.005, 10], [100.01, 10], [100.01, 10.01], [100.005, 10.01], [100.005, 10]]] }]] as const) {
      await db.query(`INSERT INTO grid_boundaries (grid_id, generation_from, geom, label_point, area_m2)
                      SELECT $1, $2, g, ST_PointOnSurface(g), ST_Area(g::geography) FROM (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)) AS g) s`, [grid, gen!.id, JSON.stringify(geometry)])
    }
    await db.query(ADD_MISSING_LEAF_PIECES)
    cleanups.push(async () => {
      await db.query('DELETE FROM grid_pieces WHERE grid_id = ANY ($1)', [[a, b!.id]])
      await db.query('DELETE FROM grid_boundaries WHERE grid_id = ANY ($1)', [[a, b!.id]])
      await db.query(`DELETE FROM incident_events WHERE incident_id IN (SELECT id FROM incidents WHERE leaf_grid_id = ANY ($1))`, [[a, b!.id]])
      await db.query('DELETE FROM incidents WHERE leaf_grid_id = ANY ($1)', [[a, b!.id]])
      await db.query('DELETE FROM grids WHERE id = ANY ($1)', [[a, b!.id]])
      await db.query('DELETE FROM districts WHERE code = $1', ['999101'])
      await db.query('DELETE FROM boundary_generations WHERE id = $1', [gen!.id])
    })

    const later = await app.incidents.report({ kind: 'system' }, reportBody([place.lng, place.lat], { source: 'hotline' }), [], { reportedAt: new Date('2100-02-01T00:00:00Z') })
    expect(later.incident.grids.at(-1)!.id).toBe(b!.id)
    expect(later.incident.generationId).toBe(gen!.id)

    const headers = await signIn(app, 'commander')
    const again = (await app.inject({ url: `/api/incidents/${old.incident.id}`, headers })).json()
    expect(again.grids.at(-1).id).toBe(a)
    expect(again.generationId).toBe(old.incident.generationId)
    expect(again.generationId).not.toBe(gen!.id)
  })
})
