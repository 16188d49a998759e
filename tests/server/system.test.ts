import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/src/app.ts'
import { BACKEND } from '../support/test-db.ts'
import { testApp } from '../support/test-app.ts'

let app: App
beforeAll(async () => { app = await testApp() })
afterAll(async () => { await app.close() })

describe('system routes', () => {
  it('GET /api/health reports the backend, PostGIS and what the database holds', async () => {
    const health = (await app.inject('/api/health')).json()
    expect(health).toMatchObject({ status: 'ok', backend: BACKEND, postgis: expect.stringMatching(/^3\./), generation: { id: expect.any(Number) } })
    expect(health.counts.households).toBeGreaterThan(100_000)
  })

  it('serves OpenAPI docs at /api/docs with every route and its schemas', async () => {
    const spec = (await app.inject('/api/docs/json')).json()
    expect(spec.openapi).toMatch(/^3\./)
    for (const route of ['/api/locate', '/api/grids', '/api/grids/{id}', '/api/households', '/api/households/points', '/api/health', '/api/levels']) {
      expect(spec.paths, route).toHaveProperty([route])
    }
    expect(spec.paths['/api/locate'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['lng', 'lat', 'crs']))
    const ui = await app.inject('/api/docs')
    expect([200, 302]).toContain(ui.statusCode)
  })

  it('GET /api/config gives the territory to open on and no base map unless one is configured', async () => {
    const config = (await app.inject('/api/config')).json()
    expect(config.basemap).toBeNull()
    const [w, s, e, n] = config.territory
    expect(w).toBeLessThan(113.66)
    expect(e).toBeGreaterThan(113.66)
    expect(s).toBeLessThan(34.78)
    expect(n).toBeGreaterThan(34.78)
  })

  it('compresses large answers', async () => {
    const res = await app.inject({ url: '/api/grids?level=4&zoom=14', headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers['content-encoding']).toBe('gzip')
  })
})
