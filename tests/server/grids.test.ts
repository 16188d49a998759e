import type { FeatureCollection, MultiPolygon, Point } from 'geojson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GridDetail, GridLevel } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { testApp } from '../support/test-app.ts'

let app: App
beforeAll(async () => { app = await testApp() })
afterAll(async () => { await app.close() })

type Props = { id: number; code: string; name: string; level: number; parentId: number | null }
const getGrids = async (query: string) => {
  const res = await app.inject(`/api/grids?${query}`)
  expect(res.statusCode, res.body).toBe(200)
  expect(res.headers['content-type']).toMatch(/application\/geo\+json/)
  return { fc: res.json() as FeatureCollection<MultiPolygon, Props>, bytes: res.body.length }
}
const demoOnly = (fc: FeatureCollection<MultiPolygon | Point, Props>) => fc.features.filter((f) => f.properties.code.startsWith('410105'))

describe('GET /api/levels', () => {
  it('lists the levels as data', async () => {
    const levels = (await app.inject('/api/levels')).json() as GridLevel[]
    expect(levels.map((l) => l.name)).toEqual(['街道', '社区', '网格', '微网格'])
  })
})

describe('GET /api/grids', () => {
  it('returns a level as GeoJSON MultiPolygons with their identity', async () => {
    const { fc } = await getGrids('level=1')
    const streets = demoOnly(fc)
    expect(streets).toHaveLength(6)
    expect(streets[0]).toMatchObject({ type: 'Feature', geometry: { type: 'MultiPolygon' }, properties: { code: '410105001', name: '经八路街道', level: 1, parentId: null } })
    expect(streets[0]!.id).toBe(streets[0]!.properties.id)
  })

  it('filters by parent and by bbox', async () => {
    const { fc: streets } = await getGrids('level=1')
    const street = demoOnly(streets)[0]!
    const { fc: children } = await getGrids(`parent=${street.id}`)
    expect(children.features.length).toBeGreaterThan(2)
    for (const f of children.features) expect(f.properties).toMatchObject({ parentId: street.id, level: 2 })
    const { fc: all } = await getGrids('level=4')
    const { fc: some } = await getGrids('level=4&bbox=113.65,34.77,113.67,34.79')
    expect(some.features.length).toBeGreaterThan(10)
    expect(some.features.length).toBeLessThan(all.features.length / 4)
    const { fc: none } = await getGrids('level=4&bbox=0,0,1,1')
    expect(none.features).toEqual([])
  })

  it('simplifies for the zoom so a city-wide layer stays small', async () => {
    const vertices = (fc: FeatureCollection<MultiPolygon, Props>) => fc.features.reduce((n, f) => n + f.geometry.coordinates.flat(2).length, 0)
    const full = await getGrids('level=1')
    const z10 = await getGrids('level=1&zoom=10')
    const z7 = await getGrids('level=1&zoom=7')
    expect(z10.fc.features).toHaveLength(full.fc.features.length)
    expect(vertices(z10.fc)).toBeLessThan(vertices(full.fc))
    expect(vertices(z7.fc)).toBeLessThan(vertices(z10.fc))
    expect(z10.bytes).toBeLessThan(full.bytes / 2)
    const leaves = await getGrids('level=4')
    const leavesZ13 = await getGrids('level=4&zoom=13')
    expect(leavesZ13.bytes).toBeLessThan(leaves.bytes) // fewer decimals: a tenth of a pixel, not a centimetre
  })

  it('gives one label point per grid', async () => {
    const res = await app.inject('/api/grids?level=2&labels=true')
    const fc = res.json() as FeatureCollection<Point, Props>
    expect(demoOnly(fc).length).toBeGreaterThanOrEqual(34)
    expect(fc.features[0]!.geometry.type).toBe('Point')
  })
})

describe('GET /api/grids/:id', () => {
  it('shows a grid’s chain, board, counts and children; counts add up over children', async () => {
    const { fc } = await getGrids('level=2')
    const community = demoOnly(fc)[0]!
    const detail = (await app.inject(`/api/grids/${community.id}`)).json() as GridDetail
    expect(detail.grid).toMatchObject({ id: community.id, level: 2, levelName: '社区' })
    expect(detail.chain.map((g) => g.level)).toEqual([1, 2])
    expect(detail.staff.map((s) => s.role)).toEqual(['first_secretary', 'grid_leader'])
    expect(detail.children.length).toBeGreaterThan(0)
    expect(detail.areaM2).toBeGreaterThan(100_000)
    const [w, s, e, n] = detail.bbox
    expect(w).toBeLessThan(e)
    expect(s).toBeLessThan(n)
    let households = 0
    let partyCenters = 0
    for (const child of detail.children) {
      const c = (await app.inject(`/api/grids/${child.id}`)).json() as GridDetail
      households += c.counts.households
      partyCenters += c.counts.partyCenters
    }
    expect(households).toBe(detail.counts.households)
    expect(partyCenters).toBe(detail.counts.partyCenters)
    expect(detail.counts.population).toBeGreaterThan(detail.counts.households)
  })
})
