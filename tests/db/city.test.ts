import { describe, expect, it } from 'vitest'
import { DEMO_DISTRICT } from '../support/fixture-grids.ts'
import { testDb } from '../support/test-db.ts'

/**
 * The generated demo city (seed 1, scale 1). Areas are compared in planar square degrees scaled
 * to m² (~1.1e10 at this latitude): geodesic areas would flag straight lng/lat edges, which are
 * not geodesics, as centimetre slivers that do not exist in the data.
 */
const SQ_DEG_TO_M2 = 1.1e10

describe('the demo city', () => {
  it('has the size of a real street office cluster', async () => {
    const db = await testDb()
    const levels = await db.query<{ level: number; n: number }>(`SELECT level, count(*) AS n FROM grids WHERE district_id = ${DEMO_DISTRICT} GROUP BY level ORDER BY level`)
    const n = Object.fromEntries(levels.map((l) => [l.level, l.n]))
    expect(n[1]).toBe(6)
    expect(n[2]).toBeGreaterThanOrEqual(34)
    expect(n[2]).toBeLessThanOrEqual(46)
    expect(n[3]).toBeGreaterThanOrEqual(260)
    expect(n[3]).toBeLessThanOrEqual(340)
    expect(n[4]).toBeGreaterThanOrEqual(2400)
    expect(n[4]).toBeLessThanOrEqual(2600)
    const [hh] = await db.query<{ n: number }>('SELECT count(*) AS n FROM households')
    expect(hh!.n).toBeGreaterThan(140_000)
    expect(hh!.n).toBeLessThan(160_000)
  })

  it('uses the real street and community names and official codes of 金水区', async () => {
    const db = await testDb()
    const streets = await db.query<{ code: string; name: string }>(`SELECT code, name FROM grids WHERE level = 1 AND district_id = ${DEMO_DISTRICT} ORDER BY code`)
    expect(streets[0]).toEqual({ code: '410105001', name: '经八路街道' })
    const [community] = await db.query<{ code: string; name: string }>(`SELECT code, name FROM grids WHERE level = 2 AND name = '体育社区'`)
    expect(community?.code).toBe('410105001003') // the National Bureau of Statistics code of 体育社区居民居委会
  })

  it('has only valid polygons, one current boundary per grid', async () => {
    const db = await testDb()
    const [row] = await db.query<{ invalid: number; missing: number }>(`
      SELECT (SELECT count(*) FROM grid_boundaries WHERE NOT ST_IsValid(geom)) AS invalid,
             (SELECT count(*) FROM grids g WHERE NOT EXISTS (SELECT 1 FROM grid_boundaries b WHERE b.grid_id = g.id AND b.generation_to IS NULL)) AS missing`)
    expect(row).toEqual({ invalid: 0, missing: 0 })
  })

  it('never lets siblings overlap', async () => {
    const db = await testDb()
    const overlaps = await db.query<{ a: string; b: string; area_m2: number }>(`
      WITH cur AS (SELECT g.id, g.code, g.parent_id, b.geom FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL)
      SELECT a.code AS a, b.code AS b, ST_Area(ST_Intersection(a.geom, b.geom)) * ${SQ_DEG_TO_M2} AS area_m2
        FROM cur a JOIN cur b ON a.parent_id IS NOT DISTINCT FROM b.parent_id AND a.id < b.id AND a.geom && b.geom
       WHERE ST_Relate(a.geom, b.geom, '2********') AND ST_Area(ST_Intersection(a.geom, b.geom)) * ${SQ_DEG_TO_M2} > 0.001`)
    expect(overlaps).toEqual([])
  })

  // Children that do not overlap (above), lie inside their parent and add up to its area leave
  // no gap. Area sums avoid overlay operations (ST_Union, ST_Difference), which on PGlite's
  // PostGIS return no row at all when GEOS needs its robustness fallback.
  it('tiles every parent exactly with its children: no gaps, nothing outside', async () => {
    const db = await testDb()
    const [row] = await db.query<{ parents: number; worst_gap_m2: number; worst_spill_m: number }>(`
      WITH cur AS (SELECT g.id, g.parent_id, b.geom, ST_Area(b.geom) AS area FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL),
      sums AS (SELECT parent_id, sum(area) AS area FROM cur WHERE parent_id IS NOT NULL GROUP BY parent_id)
      SELECT count(*) AS parents,
             max(abs(p.area - s.area)) * ${SQ_DEG_TO_M2} AS worst_gap_m2,
             (SELECT max(ST_Distance(v.geom, p.geom)) * 111320 FROM cur c JOIN cur p ON p.id = c.parent_id
                CROSS JOIN LATERAL ST_DumpPoints(c.geom) v) AS worst_spill_m
        FROM sums s JOIN cur p ON p.id = s.parent_id`)
    expect(row!.parents).toBeGreaterThan(300)
    expect(row!.worst_gap_m2).toBeLessThan(0.001) // under 10 cm² anywhere
    expect(row!.worst_spill_m).toBeLessThan(1e-6) // no child vertex a micrometre outside its parent
    const [district] = await db.query<{ gap_m2: number }>(`
      SELECT abs(ST_Area(d.geom) - (SELECT sum(ST_Area(b.geom)) FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id WHERE g.level = 1 AND g.district_id = d.id)) * ${SQ_DEG_TO_M2} AS gap_m2
        FROM districts d WHERE d.id = ${DEMO_DISTRICT}`)
    expect(district!.gap_m2).toBeLessThan(0.001)
  })

  it('numbers siblings west→east within north→south bands', async () => {
    const db = await testDb()
    // Within each parent, ordinals follow the band (rows of height sqrt(area / n), from the top) then longitude.
    const misordered = await db.query(`
      WITH cur AS (
        SELECT g.parent_id, g.code, ST_PointOnSurface(b.geom) AS p, pb.geom AS pgeom,
               count(*) OVER (PARTITION BY g.parent_id) AS n
          FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
          JOIN grid_boundaries pb ON pb.grid_id = g.parent_id AND pb.generation_to IS NULL),
      ranked AS (
        SELECT parent_id, code,
               row_number() OVER (PARTITION BY parent_id ORDER BY floor((ST_YMax(pgeom) - ST_Y(p)) / sqrt(ST_Area(pgeom) / n)), ST_X(p), ST_Y(p) DESC) AS expected,
               row_number() OVER (PARTITION BY parent_id ORDER BY code) AS actual
          FROM cur
         WHERE parent_id IN (SELECT id FROM grids WHERE level = 3))
      SELECT * FROM ranked WHERE expected <> actual`)
    expect(misordered).toEqual([])
    const codes = await db.query<{ level: number; len: number }>('SELECT DISTINCT level, length(code) AS len FROM grids ORDER BY level')
    expect(codes).toEqual([{ level: 1, len: 9 }, { level: 2, len: 12 }, { level: 3, len: 15 }, { level: 4, len: 18 }])
  })

  it('puts 50–70 households in every micro-grid, each inside its own', async () => {
    const db = await testDb()
    const [row] = await db.query<{ leaves: number; min: number; max: number; outside: number }>(`
      WITH leaves AS (SELECT g.id FROM grids g WHERE g.district_id = ${DEMO_DISTRICT} AND NOT EXISTS (SELECT 1 FROM grids c WHERE c.parent_id = g.id)),
      counts AS (SELECT l.id, count(h.id) AS n FROM leaves l LEFT JOIN households h ON h.grid_id = l.id GROUP BY l.id)
      SELECT count(*) AS leaves, min(n) AS min, max(n) AS max,
             (SELECT count(*) FROM households h JOIN grid_boundaries b ON b.grid_id = h.grid_id AND b.generation_to IS NULL
               WHERE NOT ST_Intersects(b.geom, h.geom)) AS outside
        FROM counts`)
    expect(row!.min).toBeGreaterThanOrEqual(50)
    expect(row!.max).toBeLessThanOrEqual(70)
    expect(row!.outside).toBe(0)
  })

  it('is denser in the centre than at the edge', async () => {
    const db = await testDb()
    const [row] = await db.query<{ inner_m2: number; outer_m2: number }>(`
      WITH d AS (SELECT ST_Centroid(geom) AS c FROM districts WHERE id = ${DEMO_DISTRICT}),
      leaves AS (SELECT b.area_m2, ST_Distance(b.label_point::geography, d.c::geography) AS r
                   FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL, d WHERE g.level = 4)
      SELECT avg(area_m2) FILTER (WHERE r < 1500) AS inner_m2, avg(area_m2) FILTER (WHERE r > 3000) AS outer_m2 FROM leaves`)
    expect(row!.outer_m2 / row!.inner_m2).toBeGreaterThan(2.5)
  })

  it('has ~3 % party-member households, each linked to 8–12 neighbours in its own micro-grid', async () => {
    const db = await testDb()
    const [row] = await db.query<{ share: number; min_links: number; max_links: number; foreign_links: number }>(`
      WITH links AS (SELECT center_id, count(*) AS n FROM party_links GROUP BY center_id)
      SELECT (SELECT avg(party_center::int) FROM households) AS share,
             (SELECT min(n) FROM links) AS min_links, (SELECT max(n) FROM links) AS max_links,
             (SELECT count(*) FROM party_links l JOIN households c ON c.id = l.center_id JOIN households h ON h.id = l.household_id
               WHERE c.grid_id <> h.grid_id OR NOT c.party_center OR h.party_center) AS foreign_links`)
    expect(Number(row!.share)).toBeGreaterThan(0.025)
    expect(Number(row!.share)).toBeLessThan(0.035)
    expect(row!.min_links).toBeGreaterThanOrEqual(8)
    expect(row!.max_links).toBeLessThanOrEqual(12)
    expect(row!.foreign_links).toBe(0)
  })

  it('staffs every grid: a leader and 2–3 workers per 网格, a worker and building leaders per micro-grid', async () => {
    const db = await testDb()
    const boards = await db.query<{ level: number; role: string; min: number; max: number }>(`
      SELECT g.level, s.role, min(n) AS min, max(n) AS max FROM (
        SELECT grid_id, role, count(*) AS n FROM grid_staff GROUP BY grid_id, role) s
      JOIN grids g ON g.id = s.grid_id GROUP BY g.level, s.role ORDER BY g.level, s.role`)
    const find = (level: number, role: string) => boards.find((b) => b.level === level && b.role === role)
    expect(find(3, 'grid_leader')).toMatchObject({ min: 1, max: 1 })
    expect(find(3, 'grid_worker')).toMatchObject({ min: 2, max: 3 })
    expect(find(4, 'micro_grid_worker')).toMatchObject({ min: 1, max: 1 })
    expect(find(4, 'building_leader')!.min).toBeGreaterThanOrEqual(1)
    const [unstaffed] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM grids g WHERE g.district_id = ${DEMO_DISTRICT} AND NOT EXISTS (SELECT 1 FROM grid_staff s WHERE s.grid_id = g.id)`)
    expect(unstaffed!.n).toBe(0)
    const phones = await db.query<{ phone: string }>('SELECT phone FROM grid_staff LIMIT 100')
    for (const { phone } of phones) expect(phone).toMatch(/^1[3-9]\d{9}$/)
  })
})
