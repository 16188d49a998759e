import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeHouseholdPoints, type GridDetail, HOUSEHOLD_POINTS_MEDIA_TYPE } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { testApp } from '../support/test-app.ts'
import { testDb } from '../support/test-db.ts'

let app: App
beforeAll(async () => { app = await testApp() })
afterAll(async () => { await app.close() })

async function someGrid(level: number) {
  const db = await testDb()
  const [g] = await db.query<{ id: number }>(`SELECT id FROM grids WHERE level = $1 AND code LIKE '410105%' ORDER BY code LIMIT 1`, [level])
  return g!.id
}

describe('GET /api/households', () => {
  it('pages through a grid’s subtree by id without gaps or repeats, and without sensitive tags', async () => {
    const grid = await someGrid(3)
    const detail = (await app.inject(`/api/grids/${grid}`)).json() as GridDetail
    const seen: number[] = []
    let after = 0
    for (;;) {
      const page = (await app.inject(`/api/households?grid=${grid}&limit=100&after=${after}`)).json()
      seen.push(...page.items.map((h: { id: number }) => h.id))
      for (const h of page.items) {
        expect(h).not.toHaveProperty('tags')
        expect(h.address).toMatch(/号院\d+号楼\d+单元\d+$/)
      }
      if (page.nextAfter === null) break
      after = page.nextAfter
    }
    expect(seen).toHaveLength(detail.counts.households)
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
  })

  it('lists party-member households with the neighbours they are linked to', async () => {
    const page = (await app.inject('/api/households?partyCenter=true&limit=5')).json()
    expect(page.items).toHaveLength(5)
    for (const h of page.items) {
      expect(h.partyCenter).toBe(true)
      expect(h.linkedHouseholds.length).toBeGreaterThanOrEqual(8)
    }
  })

  it('filters by bbox', async () => {
    const page = (await app.inject('/api/households?bbox=113.655,34.775,113.665,34.785&limit=1000')).json()
    expect(page.items.length).toBeGreaterThan(50)
    for (const h of page.items) {
      expect(h.position[0]).toBeGreaterThanOrEqual(113.655)
      expect(h.position[1]).toBeLessThanOrEqual(34.785)
    }
  })
})

describe('GET /api/households/points', () => {
  it('packs every household as float32 [lng, lat] plus a flag byte, party-member households flagged', async () => {
    const res = await app.inject('/api/households/points')
    expect(res.headers['content-type']).toBe(HOUSEHOLD_POINTS_MEDIA_TYPE)
    const body = res.rawPayload
    const { count, positions, flags } = decodeHouseholdPoints(new Uint8Array(body).buffer)
    const db = await testDb()
    const [row] = await db.query<{ n: number; party: number; lng: number; lat: number }>(
      'SELECT count(*) AS n, count(*) FILTER (WHERE party_center) AS party, (SELECT ST_X(geom) FROM households ORDER BY id LIMIT 1) AS lng, (SELECT ST_Y(geom) FROM households ORDER BY id LIMIT 1) AS lat FROM households')
    expect(count).toBe(row!.n)
    expect(body.byteLength).toBe(4 + count * 9)
    expect(flags.reduce((s, f) => s + (f & 1), 0)).toBe(row!.party)
    expect(positions[0]).toBeCloseTo(row!.lng, 4)
    expect(positions[1]).toBeCloseTo(row!.lat, 4)
  })

  it('narrows to a grid subtree', async () => {
    const grid = await someGrid(4)
    const detail = (await app.inject(`/api/grids/${grid}`)).json() as GridDetail
    const body = (await app.inject(`/api/households/points?grid=${grid}`)).rawPayload
    expect(new DataView(body.buffer, body.byteOffset).getUint32(0, true)).toBe(detail.counts.households)
  })
})
