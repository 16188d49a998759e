import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../server/src/app.ts'
import { testApp } from '../support/test-app.ts'

let app: App
beforeAll(async () => { app = await testApp() })
afterAll(async () => { await app.close() })

type Case = [what: string, method: 'GET' | 'POST' | 'DELETE', url: string, body: unknown, status: number, code: string, message?: RegExp]
const json = (v: unknown) => JSON.stringify(v)
const tooMany = json({ points: Array.from({ length: 10_001 }, () => [113.66, 34.78]) })

/** Every endpoint's bad inputs: a 4xx with `{ code, message }` that says what is wrong, never a 500. */
const cases: Case[] = [
  ['missing lng', 'GET', '/api/locate?lat=34.78', undefined, 400, 'COORDINATE_INVALID', /required property 'lng'/],
  ['non-numeric lng', 'GET', '/api/locate?lng=abc&lat=34.78', undefined, 400, 'COORDINATE_INVALID', /lng must be number/],
  ['empty lng', 'GET', '/api/locate?lng=&lat=34.78', undefined, 400, 'COORDINATE_INVALID', /lng must be number/],
  ['NaN', 'GET', '/api/locate?lng=NaN&lat=34.78', undefined, 400, 'COORDINATE_INVALID'],
  ['Infinity', 'GET', '/api/locate?lng=Infinity&lat=34.78', undefined, 400, 'COORDINATE_INVALID', /lng must be (<= 180|a finite number)/],
  ['1e400 overflows to Infinity', 'GET', '/api/locate?lng=113&lat=1e400', undefined, 400, 'COORDINATE_INVALID', /lat must be (<= 90|a finite number)/],
  ['longitude out of range', 'GET', '/api/locate?lng=200&lat=34.78', undefined, 400, 'COORDINATE_INVALID', /lng must be <= 180/],
  ['latitude out of range', 'GET', '/api/locate?lng=113.66&lat=-91', undefined, 400, 'COORDINATE_INVALID', /lat must be >= -90/],
  ['unknown crs', 'GET', '/api/locate?lng=113.66&lat=34.78&crs=epsg3857', undefined, 400, 'CRS_UNKNOWN', /allowed values/],
  ['misspelt parameter', 'GET', '/api/locate?lon=113.66&lng=113.66&lat=34.78', undefined, 400, 'VALIDATION_FAILED', /additional properties/],
  ['bad time', 'GET', '/api/locate?lng=113.66&lat=34.78&at=yesterday', undefined, 400, 'VALIDATION_FAILED', /date-time/],
  ['batch: malformed JSON', 'POST', '/api/locate', '{"points": [[113.66, 34.78]', 400, 'BODY_MALFORMED'],
  ['batch: empty body', 'POST', '/api/locate', '', 400, 'BODY_MALFORMED'],
  ['batch: not an object', 'POST', '/api/locate', '[[113.66, 34.78]]', 400, 'BODY_MALFORMED', /body must be object/],
  ['batch: no points', 'POST', '/api/locate', json({ points: [] }), 400, 'VALIDATION_FAILED', /fewer than 1/],
  ['batch: 10,001 points', 'POST', '/api/locate', tooMany, 400, 'BATCH_TOO_LARGE', /more than 10000/],
  ['batch: a point with one number', 'POST', '/api/locate', json({ points: [[113.66, 34.78], [113.66]] }), 400, 'COORDINATE_INVALID', /points\/1/],
  ['batch: latitude out of range', 'POST', '/api/locate', json({ points: [[113.66, 34.78], [113.66, 134.78]] }), 400, 'COORDINATE_INVALID', /points\/1\/1 must be <= 90/],
  ['batch: a string coordinate', 'POST', '/api/locate', json({ points: [[113.66, 'x']] }), 400, 'COORDINATE_INVALID'],
  ['batch: 1e400', 'POST', '/api/locate', '{"points": [[1e400, 34.78]]}', 400, 'COORDINATE_INVALID', /points\/0\/0 must be (number|<= 180)/],
  ['batch: unknown crs', 'POST', '/api/locate', json({ crs: 'wgs-84', points: [[113.66, 34.78]] }), 400, 'CRS_UNKNOWN'],
  ['batch: unknown field', 'POST', '/api/locate', json({ points: [[113.66, 34.78]], srid: 4326 }), 400, 'VALIDATION_FAILED', /additional properties/],
  ['batch: GeoJSON instead of pairs', 'POST', '/api/locate', json({ points: [{ type: 'Point', coordinates: [113.66, 34.78] }] }), 400, 'COORDINATE_INVALID', /must be array/],
  ['grids: level not a number', 'GET', '/api/grids?level=street', undefined, 400, 'VALIDATION_FAILED', /level must be integer/],
  ['grids: level 0', 'GET', '/api/grids?level=0', undefined, 400, 'VALIDATION_FAILED', />= 1/],
  ['grids: bbox of 3 numbers', 'GET', '/api/grids?bbox=113.6,34.7,113.7', undefined, 400, 'BBOX_INVALID', /4 numbers/],
  ['grids: bbox inverted', 'GET', '/api/grids?bbox=113.7,34.7,113.6,34.8', undefined, 400, 'BBOX_INVALID', /west 113.7 is east of east/],
  ['grids: bbox out of range', 'GET', '/api/grids?bbox=113.6,34.7,113.7,95', undefined, 400, 'BBOX_INVALID', /outside \[-90, 90\]/],
  ['grids: zoom too deep', 'GET', '/api/grids?level=1&zoom=30', undefined, 400, 'VALIDATION_FAILED', /<= 22/],
  ['households: cursor Infinity', 'GET', '/api/households?after=Infinity', undefined, 400, 'VALIDATION_FAILED'],
  ['grid: unknown id', 'GET', '/api/grids/99999999', undefined, 404, 'GRID_NOT_FOUND', /no grid with id 99999999/],
  ['grid: id not a number', 'GET', '/api/grids/abc', undefined, 400, 'VALIDATION_FAILED', /id must be integer/],
  ['grid: id beyond int4', 'GET', '/api/grids/99999999999', undefined, 400, 'VALIDATION_FAILED'],
  ['grid: negative id', 'GET', '/api/grids/-1', undefined, 400, 'VALIDATION_FAILED'],
  ['households: unknown grid', 'GET', '/api/households?grid=99999999', undefined, 404, 'GRID_NOT_FOUND'],
  ['households: page too large', 'GET', '/api/households?limit=5000', undefined, 400, 'VALIDATION_FAILED', /<= 1000/],
  ['households: negative cursor', 'GET', '/api/households?after=-5', undefined, 400, 'VALIDATION_FAILED'],
  ['households: bad bbox', 'GET', '/api/households?bbox=a,b,c,d', undefined, 400, 'BBOX_INVALID'],
  ['household points: unknown grid', 'GET', '/api/households/points?grid=99999999', undefined, 404, 'GRID_NOT_FOUND'],
  ['unknown API route', 'GET', '/api/nowhere', undefined, 404, 'ROUTE_NOT_FOUND', /no route GET \/api\/nowhere/],
  ['wrong method', 'DELETE', '/api/locate', undefined, 404, 'ROUTE_NOT_FOUND'],
]

describe('bad input gets a clear 4xx, never a 500', () => {
  it.each(cases)('%s', async (_what, method, url, body, status, code, message) => {
    const res = await app.inject({ method, url, ...(body === undefined ? {} : { payload: body as string, headers: { 'content-type': 'application/json' } }) })
    expect(res.statusCode, res.body).toBe(status)
    const error = res.json()
    expect(error.code).toBe(code)
    expect(typeof error.message).toBe('string')
    if (message) expect(error.message).toMatch(message)
  })

  it('refuses a body over the limit with 413', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/locate', payload: `{"points": [${'[113.66,34.78],'.repeat(90_000)}[113.66,34.78]]}`, headers: { 'content-type': 'application/json' } })
    expect(res.statusCode).toBe(413)
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('refuses a body that is not JSON with 415', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/locate', payload: 'points=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(res.statusCode).toBe(415)
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })
})
