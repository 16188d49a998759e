import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distanceM, fromWgs84, type LngLat } from '@gezhi/geo'
import type { App } from '../../../server/src/app.ts'
import { multipart, pointInGridOf, report, reportBody, signIn, tinyPng } from '../../support/incident-helpers.ts'
import { testApp } from '../../support/test-app.ts'
import { testDb } from '../../support/test-db.ts'

let app: App
let here: LngLat
const as: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  app = await testApp()
  here = await pointInGridOf('micro')
  for (const u of ['commander', 'micro', 'other-street']) as[u] = await signIn(app, u)
})
afterAll(async () => { await app.close() })

/** Rows that a refused request must not have added to. */
async function counts() {
  const db = await testDb()
  const [row] = await db.query<{ incidents: number; events: number; photos: number }>(
    'SELECT (SELECT count(*) FROM incidents) AS incidents, (SELECT count(*) FROM incident_events) AS events, (SELECT count(*) FROM photos) AS photos')
  return row!
}
const uploads = () => (app as unknown as { incidents: { photoPath: (p: string) => string } }).incidents.photoPath('')
const filesInUploads = () => { try { return readdirSync(uploads(), { recursive: true }).length } catch { return 0 } }

describe('reporting a case', () => {
  it('routes GCJ-02 and BD-09 locations to the right grid and keeps what was sent', async () => {
    for (const crs of ['gcj02', 'bd09'] as const) {
      const [lng, lat] = fromWgs84(here, crs)
      const { incident } = await report(app, reportBody([lng, lat], { location: { lng, lat, crs } }))
      expect(incident.input).toEqual({ lng, lat, crs })
      expect(distanceM(incident.position, here)).toBeLessThan(1)
      const plain = await report(app, reportBody(here))
      expect(incident.grids.at(-1)!.id).toBe(plain.incident.grids.at(-1)!.id)
    }
  })

  it('is idempotent: a retry with the same key returns the same case and token, never a duplicate', async () => {
    const body = reportBody(here, { idempotencyKey: `retry-${Date.now()}-${Math.random()}` })
    const first = await report(app, body)
    const before = await counts()
    const again = await report(app, body)
    expect(again.created).toBe(false)
    expect(again.incident.id).toBe(first.incident.id)
    expect(again.trackingToken).toBe(first.trackingToken)
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => report(app, body)))
    for (const r of concurrent) expect(r.incident.id).toBe(first.incident.id)
    expect(await counts()).toEqual(before)
    const reused = await app.inject({ method: 'POST', url: '/api/incidents', payload: { ...body, description: 'something else' } })
    expect(reused.statusCode).toBe(409)
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED')
  })

  it('accepts up to 9 photos, checks their bytes, and writes nothing when one is bad', async () => {
    const ok = multipart(reportBody(here), [1, 2].map((i) => ({ field: 'photos', name: `p${i}.png`, bytes: tinyPng(i) })))
    const res = await app.inject({ method: 'POST', url: '/api/incidents', payload: ok.payload, headers: ok.headers })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().incident.photos).toHaveLength(2)
    const photo = await app.inject({ url: res.json().incident.photos[0].url, headers: as.commander })
    expect(photo.headers['content-type']).toBe('image/png')

    const before = await counts()
    const files = filesInUploads()
    const fake = multipart(reportBody(here), [
      { field: 'photos', name: 'fine.png', bytes: tinyPng(77) },
      { field: 'photos', name: 'evil.png', bytes: Buffer.from('<?php echo 1; ?>'), type: 'image/png' },
    ])
    const bad = await app.inject({ method: 'POST', url: '/api/incidents', payload: fake.payload, headers: fake.headers })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'PHOTO_INVALID', message: expect.stringContaining('evil.png') })
    const ten = multipart(reportBody(here), Array.from({ length: 10 }, (_, i) => ({ field: 'photos', name: `${i}.png`, bytes: tinyPng(100 + i) })))
    const tooMany = await app.inject({ method: 'POST', url: '/api/incidents', payload: ten.payload, headers: ten.headers })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().code).toBe('TOO_MANY_PHOTOS')
    const badJson = multipart('{"not json', [])
    expect((await app.inject({ method: 'POST', url: '/api/incidents', payload: badJson.payload, headers: badJson.headers })).statusCode).toBe(400)
    expect(await counts()).toEqual(before)
    expect(filesInUploads()).toBe(files)
  })

  it('refuses a location far outside the territory, and routes one just outside to the nearest grid', async () => {
    const db = await testDb()
    const [edge] = await db.query<{ lng: number; lat: number }>(`SELECT ST_XMax(geom) AS lng, ST_Y(ST_Centroid(geom)) AS lat FROM districts WHERE code = '410105'`)
    const far = await app.inject({ method: 'POST', url: '/api/incidents', payload: reportBody([edge!.lng + 0.05, edge!.lat]) })
    expect(far.statusCode).toBe(422)
    expect(far.json().code).toBe('LOCATION_OUTSIDE_TERRITORY')
    const near = await report(app, reportBody([edge!.lng + 0.002, edge!.lat]))
    expect(near.incident.outside).toBe(true)
    expect(near.incident.grids).toHaveLength(4)
  })

  it('keeps the public to resident and supervisor sources', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/incidents', payload: reportBody(here, { source: 'hotline' }) })
    expect(res.statusCode).toBe(403)
    expect((await app.inject({ method: 'POST', url: '/api/incidents', payload: reportBody(here, { source: 'hotline' }), headers: as.commander })).statusCode).toBe(201)
  })

  it.each([
    ['unknown category', { category: 'E9999' }, 404, 'CATEGORY_NOT_FOUND'],
    ['malformed category', { category: '0102' }, 400, 'VALIDATION_FAILED'],
    ['empty description', { description: '' }, 400, 'VALIDATION_FAILED'],
    ['unknown source', { source: 'twitter' }, 400, 'VALIDATION_FAILED'],
    ['latitude out of range', { location: { lng: 113.66, lat: 99 } }, 400, 'COORDINATE_INVALID'],
    ['unknown crs', { location: { lng: 113.66, lat: 34.78, crs: 'utm' } }, 400, 'CRS_UNKNOWN'],
    ['phone with letters', { reporter: { phone: 'call me' } }, 400, 'VALIDATION_FAILED'],
    ['unknown field', { priority: 'high' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a 4xx and writes nothing', async (_what, override, status, code) => {
    const before = await counts()
    const res = await app.inject({ method: 'POST', url: '/api/incidents', payload: { ...reportBody(here), ...override } })
    expect(res.statusCode, res.body).toBe(status)
    expect(res.json().code).toBe(code)
    expect(await counts()).toEqual(before)
  })
})

describe('duplicates and repeats', () => {
  it('offers open cases of the same category nearby, and lets a reporter join one ("me too")', async () => {
    const category = 'E0201' // 非法小广告
    const a = await report(app, reportBody(here, { category }))
    const near: LngLat = [here[0] + 0.0002, here[1]] // ~18 m east
    const offered = (await app.inject(`/api/incidents/similar?lng=${near[0]}&lat=${near[1]}&category=${category}`)).json()
    expect(offered.map((s: { id: number }) => s.id)).toContain(a.incident.id)
    expect(offered[0].distanceM).toBeLessThan(100)
    const other = (await app.inject(`/api/incidents/similar?lng=${near[0]}&lat=${near[1]}&category=E0305`)).json()
    expect(other.map((s: { id: number }) => s.id)).not.toContain(a.incident.id)
    const joined = await app.inject({ method: 'POST', url: `/api/incidents/${a.incident.id}/me-too`, payload: { source: 'resident', note: '我也看到了' } })
    expect(joined.statusCode, joined.body).toBe(200)
    expect(joined.json().incident.counts.followers).toBe(1)
    expect(joined.json().trackingToken).toMatch(/\./)
  })

  it('flags a place with three cases of one category within 30 days for review (复诊)', async () => {
    const category = 'E0106' // 绿地脏乱
    const spot: LngLat = [here[0] - 0.0003, here[1] + 0.0001]
    const flags: boolean[] = []
    for (let i = 0; i < 3; i++) flags.push((await report(app, reportBody([spot[0] + i * 0.00005, spot[1]], { category }))).incident.flags.repeat)
    expect(flags).toEqual([false, false, true])
  })
})

describe('illegal steps', () => {
  it('answer 409 with the reason and leave the case and its history untouched', async () => {
    const { incident } = await report(app, reportBody(here))
    const before = await counts()
    for (const [step, headers] of [['check_pass', as.commander], ['accept', as.micro], ['evaluate', as.commander], ['resume', as.commander]] as const) {
      const res = await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/steps/${step}`, payload: { rating: 5 }, headers })
      expect(res.statusCode, `${step}: ${res.body}`).toBe(409)
      expect(res.json()).toMatchObject({ code: 'INCIDENT_ILLEGAL_TRANSITION', details: { state: 'reported', step } })
    }
    expect((await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/steps/file`, payload: {}, headers: as.micro })).statusCode).toBe(403)
    expect((await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/steps/teleport`, payload: {}, headers: as.commander })).statusCode).toBe(400)
    expect((await app.inject({ method: 'POST', url: '/api/incidents/99999999/steps/file', payload: {}, headers: as.commander })).statusCode).toBe(404)
    expect((await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/steps/file`, payload: { note: 1 }, headers: as.commander })).statusCode).toBe(400)
    expect(await counts()).toEqual(before)
    const after = (await app.inject({ url: `/api/incidents/${incident.id}`, headers: as.commander })).json()
    expect(after.state).toBe('reported')
  })
})
