import { readFileSync } from 'node:fs'
import path from 'node:path'
import { booleanPointInPolygon } from '@turf/turf'
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distanceM, fromWgs84, type LngLat, type LocateAnswer, type LocateBatchAnswer } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { seededRandom } from '../../server/src/seed/random.ts'
import { addFixtureGrids, DEMO_DISTRICT } from '../support/fixture-grids.ts'
import { testApp } from '../support/test-app.ts'
import { testDb } from '../support/test-db.ts'

let app: App
beforeAll(async () => { app = await testApp() })
afterAll(async () => { await app.close() })

const locate = async (lng: number, lat: number, extra = '') => {
  const res = await app.inject(`/api/locate?lng=${lng}&lat=${lat}${extra}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as LocateAnswer
}
const locateMany = async (points: LngLat[], extra: Record<string, unknown> = {}) => {
  const res = await app.inject({ method: 'POST', url: '/api/locate', payload: { points, ...extra } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as LocateBatchAnswer
}

describe('GET /api/locate', () => {
  it('answers the leaf, its chain up to the street and the leaf’s staff board', async () => {
    const db = await testDb()
    const [leaf] = await db.query<{ id: number; lng: number; lat: number }>(`
      SELECT g.id, ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat
        FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id WHERE g.level = 4 AND g.district_id = ${DEMO_DISTRICT} ORDER BY g.code LIMIT 1`)
    const answer = await locate(leaf!.lng, leaf!.lat)
    expect(answer.outside).toBe(false)
    expect(answer.leaf?.id).toBe(leaf!.id)
    expect(answer.chain.map((g) => [g.level, g.levelName])).toEqual([[1, '街道'], [2, '社区'], [3, '网格'], [4, '微网格']])
    expect(answer.chain.at(-1)).toEqual(answer.leaf)
    for (let i = 1; i < answer.chain.length; i++) expect(answer.chain[i]!.code.startsWith(answer.chain[i - 1]!.code)).toBe(true)
    expect(answer.staff.map((s) => s.role)).toContain('micro_grid_worker')
    expect(answer.staff[0]).toMatchObject({ roleName: '微网格员', phone: expect.stringMatching(/^1\d{10}$/), pledge: expect.any(String) })
    expect(answer.tested).toEqual({ lng: leaf!.lng, lat: leaf!.lat })
    expect(answer.generation).toMatchObject({ id: expect.any(Number), label: '初始划分' })
    expect(answer.nearest).toBeNull()
  })

  it('agrees with turf’s booleanPointInPolygon on 10,000 random points over the city', async () => {
    const leaves = (await app.inject('/api/grids?level=4')).json() as FeatureCollection<MultiPolygon, { id: number; code: string }>
    const box = leaves.features.reduce((b, f) => {
      for (const poly of f.geometry.coordinates) for (const [x, y] of poly[0]!) { b[0] = Math.min(b[0], x!); b[1] = Math.min(b[1], y!); b[2] = Math.max(b[2], x!); b[3] = Math.max(b[3], y!) }
      return b
    }, [Infinity, Infinity, -Infinity, -Infinity])
    const random = seededRandom(20261123)
    const points: LngLat[] = Array.from({ length: 10_000 }, () => [box[0] + random() * (box[2] - box[0]), box[1] + random() * (box[3] - box[1])])
    const answer = await locateMany(points)
    let inside = 0
    points.forEach((p, i) => {
      const containing = leaves.features.filter((f) => booleanPointInPolygon(p, f)).map((f) => f.properties.id)
      const result = answer.results[i]!
      if (containing.length === 0) {
        expect(result.outside, `point ${i} ${p}`).toBe(true)
      } else {
        inside++
        expect(result.outside, `point ${i} ${p}`).toBe(false)
        expect(containing, `point ${i} ${p}`).toContain(result.leafId)
      }
    })
    expect(inside).toBeGreaterThan(6000) // the district fills most of its bounding box
  })

  it('gives a point on a shared edge or vertex to exactly one grid — the lowest code — every time', async () => {
    const db = await testDb()
    const shared = await db.query<{ lng: number; lat: number; codes: string[]; n: number }>(`
      WITH v AS (SELECT g.id, g.code, (ST_DumpPoints(b.geom)).geom AS p
                   FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
                  WHERE g.level = 4 AND g.district_id = ${DEMO_DISTRICT})
      (SELECT ST_X(p) AS lng, ST_Y(p) AS lat, array_agg(code ORDER BY code) AS codes, count(DISTINCT id) AS n FROM v GROUP BY p HAVING count(DISTINCT id) = 2 LIMIT 5)
      UNION ALL
      (SELECT ST_X(p), ST_Y(p), array_agg(code ORDER BY code), count(DISTINCT id) FROM v GROUP BY p HAVING count(DISTINCT id) >= 3 LIMIT 5)`)
    expect(shared.filter((s) => s.n === 2)).toHaveLength(5)
    expect(shared.filter((s) => s.n >= 3)).toHaveLength(5)
    for (const s of shared) {
      const answers = await Promise.all([locate(s.lng, s.lat), locate(s.lng, s.lat), locate(s.lng, s.lat)])
      for (const a of answers) expect(a.leaf?.code).toBe(s.codes[0])
      const batch = await locateMany([[s.lng, s.lat]])
      expect(batch.grids[String(batch.results[0]!.leafId)]!.code).toBe(s.codes[0])
    }
  })

  it('answers a point outside every grid with 200, outside: true, the nearest grid and its distance', async () => {
    const db = await testDb()
    const [edge] = await db.query<{ lng: number; lat: number }>(`SELECT ST_XMax(geom) AS lng, ST_Y(ST_Centroid(geom)) AS lat FROM districts WHERE id = ${DEMO_DISTRICT}`)
    const answer = await locate(edge!.lng + 0.01, edge!.lat) // ~900 m east of the district's easternmost point
    expect(answer.outside).toBe(true)
    expect(answer.leaf).toBeNull()
    expect(answer.chain).toEqual([])
    expect(answer.nearest?.grid.level).toBe(4)
    expect(answer.nearest!.distanceM).toBeGreaterThan(850)
    expect(answer.nearest!.distanceM).toBeLessThan(2500)
    const far = await locate(-0.1276, 51.5072) // London
    expect(far.outside).toBe(true)
    expect(far.nearest!.distanceM / 1000).toBeGreaterThan(7000)
  })

  it('converts GCJ-02 (WeChat, AMap) and BD-09 (Baidu) to WGS-84 before routing', async () => {
    const db = await testDb()
    const [leaf] = await db.query<{ id: number; lng: number; lat: number }>(`
      SELECT g.id, ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat
        FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id WHERE g.level = 4 AND g.district_id = ${DEMO_DISTRICT} ORDER BY g.code DESC LIMIT 1`)
    const wgs: LngLat = [leaf!.lng, leaf!.lat]
    for (const crs of ['gcj02', 'bd09'] as const) {
      const [lng, lat] = fromWgs84(wgs, crs)
      const answer = await locate(lng, lat, `&crs=${crs}`)
      expect(answer.input).toEqual({ lng, lat, crs })
      expect(distanceM([answer.tested.lng, answer.tested.lat], wgs)).toBeLessThan(1)
      expect(answer.leaf?.id).toBe(leaf!.id)
      // The same numbers taken as WGS-84 land hundreds of metres away: the error the datum prevents.
      const naive = await locate(lng, lat)
      expect(naive.leaf?.id).not.toBe(leaf!.id)
    }
  })

  it('routes with the boundaries in force at `at`, and says when none were', async () => {
    const now = await locate(113.66, 34.78)
    const then = await locate(113.66, 34.78, '&at=2025-06-01T00:00:00Z')
    expect(then.generation.id).toBe(now.generation.id)
    const before = await app.inject('/api/locate?lng=113.66&lat=34.78&at=2020-01-01T00:00:00Z')
    expect(before.statusCode).toBe(404)
    expect(before.json()).toMatchObject({ code: 'GENERATION_NOT_FOUND', message: expect.stringContaining('2020-01-01') })
  })
})

describe('polygons with holes (turf’s fixtures)', () => {
  const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures', name), 'utf8')) as Feature<Polygon | MultiPolygon>
  const poly = fixture('poly-with-hole.geojson')
  const multi = fixture('multipoly-with-hole.geojson')
  const hole = (poly.geometry as Polygon).coordinates[1]!
  const centre = (ring: number[][]): LngLat => [ring.reduce((s, p) => s + p[0]!, 0) / ring.length, ring.reduce((s, p) => s + p[1]!, 0) / ring.length]
  let cleanup: Array<() => Promise<void>> = []
  let ids: Record<string, number> = {}

  beforeAll(async () => {
    const db = await testDb()
    // Two separate fixture districts: one where the hole stays empty, one where a grid fills it.
    const a = await addFixtureGrids(db, '999001', [{ code: '999001001', name: '带洞网格', geometry: poly.geometry }, { code: '999001002', name: '多面网格', geometry: multi.geometry }])
    cleanup = [a.cleanup]
    ids = a.ids
  })
  afterAll(async () => { for (const c of cleanup) await c() })

  it('a point in the hole is outside the holed grid, which is the nearest', async () => {
    const inHole = centre(hole.slice(0, -1))
    expect(booleanPointInPolygon(inHole, poly)).toBe(false)
    const answer = await locate(...inHole)
    expect(answer.outside).toBe(true)
    expect(answer.nearest?.grid.id).toBe(ids['999001001'])
    expect(answer.nearest!.distanceM).toBeGreaterThan(0)
  })

  it('a point in the ring around the hole belongs to the holed grid', async () => {
    const ring = (poly.geometry as Polygon).coordinates[0]!
    const inBody: LngLat = [(ring[0]![0]! * 3 + hole[0]![0]!) / 4, (ring[0]![1]! * 3 + hole[0]![1]!) / 4]
    expect(booleanPointInPolygon(inBody, poly)).toBe(true)
    expect((await locate(...inBody)).leaf?.id).toBe(ids['999001001'])
  })

  it('each part of a multipolygon routes to its grid, its hole to none', async () => {
    for (const part of (multi.geometry as MultiPolygon).coordinates) {
      const probe = centre(part[0]!.slice(0, -1))
      const expected = booleanPointInPolygon(probe, multi)
      const answer = await locate(...probe)
      expect(answer.outside).toBe(!expected)
      if (expected) expect(answer.leaf?.id).toBe(ids['999001002'])
    }
  })

  it('a grid filling the hole takes the hole, and the shared ring goes to the lower code', async () => {
    const db = await testDb()
    const filler = await addFixtureGrids(db, '999002', [{ code: '999002001', name: '洞内网格', geometry: { type: 'Polygon', coordinates: [hole] } }])
    try {
      expect((await locate(...centre(hole.slice(0, -1)))).leaf?.id).toBe(filler.ids['999002001'])
      const onRing = await locate(hole[0]![0]!, hole[0]![1]!)
      expect(onRing.leaf?.code).toBe('999001001') // lower than 999002001
    } finally {
      await filler.cleanup()
    }
  })
})

describe('POST /api/locate', () => {
  it('answers up to 10,000 points in the order sent, with every grid on their paths', async () => {
    const db = await testDb()
    const labels = await db.query<{ id: number; lng: number; lat: number }>(`
      SELECT g.id, ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id
       WHERE g.level = 4 AND g.district_id = ${DEMO_DISTRICT} ORDER BY g.code DESC LIMIT 300`)
    const points: LngLat[] = labels.map((l) => [l.lng, l.lat])
    points.splice(7, 0, [120, 30]) // one far outside, in the middle of the batch
    const answer = await locateMany(points)
    expect(answer.results).toHaveLength(301)
    expect(answer.results[7]).toMatchObject({ outside: true, leafId: null, nearestId: expect.any(Number) })
    expect(answer.results[7]!.distanceM).toBeGreaterThan(100_000)
    const inside = answer.results.filter((_, i) => i !== 7)
    expect(inside.map((r) => r.leafId)).toEqual(labels.map((l) => l.id))
    for (const r of inside) {
      const leaf = answer.grids[String(r.leafId)]!
      expect(leaf.path.at(-1)).toBe(leaf.id)
      expect(leaf.path.map((id) => answer.grids[String(id)]!.level)).toEqual([1, 2, 3, 4])
    }
  })

  it('agrees with single lookups, and takes GCJ-02 too', async () => {
    const random = seededRandom(7)
    const points: LngLat[] = Array.from({ length: 40 }, () => [113.62 + random() * 0.08, 34.75 + random() * 0.06])
    const batch = await locateMany(points)
    for (const [i, p] of points.entries()) {
      const single = await locate(...p)
      expect(batch.results[i]!.outside).toBe(single.outside)
      expect(batch.results[i]!.outside ? batch.results[i]!.nearestId : batch.results[i]!.leafId).toBe(single.outside ? single.nearest!.grid.id : single.leaf!.id)
    }
    const gcj = await locateMany(points.map((p) => fromWgs84(p, 'gcj02')), { crs: 'gcj02' })
    gcj.results.forEach((r, i) => expect(distanceM(r.tested as LngLat, points[i]!)).toBeLessThan(1))
  })

  it('takes exactly 10,000 points and refuses 10,001', async () => {
    const random = seededRandom(3)
    const many: LngLat[] = Array.from({ length: 10_000 }, () => [113.62 + random() * 0.08, 34.75 + random() * 0.06])
    expect((await locateMany(many)).results).toHaveLength(10_000)
    const res = await app.inject({ method: 'POST', url: '/api/locate', payload: { points: [...many, [113.66, 34.78]] } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'BATCH_TOO_LARGE', message: expect.stringContaining('10000') })
  })
})
