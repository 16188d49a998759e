import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LngLat } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { DEMO_API_KEY } from '../../server/src/seed/demo-api-key.ts'
import { must, pointInGridOf, report, reportBody, signIn, stepWithPhotos, tinyPng } from '../support/incident-helpers.ts'
import { testApp } from '../support/test-app.ts'
import { testDb } from '../support/test-db.ts'

/**
 * The Open311 GeoReport v2 door, driven as a GeoReport client would from the spec text
 * (wiki.open311.org/GeoReport_v2): form-encoded POSTs, XML parsed as XML, JSON as its Spark mapping.
 */
let app: App
let here: LngLat
const as: Record<string, Record<string, string>> = {}
const BASE = '/open311/v2'
type Format = 'json' | 'xml'

beforeAll(async () => {
  app = await testApp()
  here = await pointInGridOf('micro')
  for (const u of ['commander', 'micro', 'grid']) as[u] = await signIn(app, u)
})
afterAll(async () => { await app.close() })

/** Elements that repeat, so a single one still parses as a list (the XML side of the Spark convention). */
const LISTS = new Set(['service', 'request', 'error', 'endpoint', 'format', 'attribute'])
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => LISTS.has(name) })

const get = (path: string) => app.inject({ method: 'GET', url: `${BASE}/${path}` })
const post = (format: Format, fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded; charset=utf-8') =>
  app.inject({ method: 'POST', url: `${BASE}/requests.${format}`, headers: { 'content-type': contentType }, payload: new URLSearchParams(fields).toString() })

let counter = 0
/** A valid request at the demo micro-grid; a unique description each time. */
const fields = (extra: Record<string, string> = {}): Record<string, string> => ({
  api_key: DEMO_API_KEY, service_code: 'E0102', lat: String(here[1]), long: String(here[0]),
  description: `Open311 测试 ${process.pid}-${Date.now()}-${++counter}: 路边暴露垃圾`, first_name: '三', last_name: '张', phone: '13800138000', ...extra,
})

/** The body in either format as plain data: XML through a real XML parser, JSON as is. */
function parsed(res: { body: string; headers: Record<string, unknown> }, format: Format) {
  if (format === 'json') {
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    return JSON.parse(res.body)
  }
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
  expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true)
  return xml.parse(res.body)
}

/** The spec's error shape in both formats, with the HTTP status in `code`; returns the description. */
function expectError(res: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, format: Format): string {
  expect(res.statusCode, res.body).toBe(status)
  const body = parsed(res, format)
  if (format === 'json') {
    expect(body).toEqual([{ code: status, description: expect.any(String) }])
    return body[0].description
  }
  expect(Object.keys(body).filter((k) => k !== '?xml')).toEqual(['errors'])
  expect(body.errors.error).toHaveLength(1)
  expect(body.errors.error[0]).toEqual({ code: String(status), description: expect.any(String) })
  return body.errors.error[0].description
}

async function open311Cases(): Promise<number> {
  const db = await testDb()
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE source = 'open311'`)
  return row!.n
}

async function file(extra: Record<string, string> = {}): Promise<string> {
  const res = await post('json', fields(extra))
  expect(res.statusCode, res.body).toBe(201)
  return res.json()[0].service_request_id
}

describe('discovery and services', () => {
  it('describes the endpoint in JSON and XML', async () => {
    const json = parsed(await get('discovery.json'), 'json')
    expect(json).toMatchObject({ changeset: expect.any(String), contact: expect.any(String), key_service: expect.any(String) })
    expect(json.endpoints).toEqual([{
      specification: 'http://wiki.open311.org/GeoReport_v2', url: expect.stringMatching(/^http:\/\/.+\/open311\/v2$/),
      changeset: json.changeset, type: 'production', formats: ['text/xml', 'application/json'],
    }])
    const doc = parsed(await get('discovery.xml'), 'xml')
    expect(doc.discovery.changeset).toBe(json.changeset)
    expect(doc.discovery.endpoints.endpoint).toHaveLength(1)
    expect(doc.discovery.endpoints.endpoint[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: { format: ['text/xml', 'application/json'] } })
    const root = await get('')
    expect(root.statusCode).toBe(302)
    expect(root.headers.location).toBe(`${BASE}/discovery.xml`)
  })

  it('lists one service per category of public space, E0102 暴露垃圾 in its group, and no governance items', async () => {
    const services = parsed(await get('services.json'), 'json') as Array<Record<string, unknown>>
    expect(services.find((s) => s.service_code === 'E0102')).toEqual({
      service_code: 'E0102', service_name: '暴露垃圾', description: expect.stringContaining('Exposed rubbish'),
      metadata: false, type: 'realtime', keywords: expect.stringContaining('暴露垃圾'), group: '市容环境',
    })
    expect(services.some((s) => String(s.service_code).startsWith('C'))).toBe(true)
    expect(services.filter((s) => String(s.service_code).startsWith('G'))).toEqual([]) // disputes, visits to people: never public
    const doc = parsed(await get('services.xml'), 'xml')
    expect(doc.services.service).toHaveLength(services.length)
    expect(doc.services.service.find((s: { service_code: string }) => s.service_code === 'E0102')).toMatchObject({ service_name: '暴露垃圾', group: '市容环境', metadata: 'false', type: 'realtime' })
  })

  it('gives a service definition, and 404 in the spec format for a code it does not serve', async () => {
    expect(parsed(await get('services/E0102.json'), 'json')).toEqual({ service_code: 'E0102', attributes: [] })
    const definition = await get('services/E0102.xml')
    expect(definition.body).toContain('<attributes/>')
    expect(parsed(definition, 'xml')).toMatchObject({ service_definition: { service_code: 'E0102', attributes: '' } })
    for (const format of ['json', 'xml'] as const) {
      expect(expectError(await get(`services/E9999.${format}`), 404, format)).toContain('E9999')
      expectError(await get(`services/G0201.${format}`), 404, format)
      expectError(await get(`services/<script>.${format}`), 404, format)
    }
  })
})

describe('POST requests, then follow the case', () => {
  it('files a form-encoded request as a case and follows it to closed', async () => {
    const before = await open311Cases()
    const res = await post('xml', fields({ address_string: '经三路 12 号门口', email: 'zhang@example.com', device_id: 'dev-1', account_id: 'acct-9', 'attribute[ANY]': 'x' }))
    const created = parsed(res, 'xml')
    expect(res.statusCode, res.body).toBe(201)
    const [answer] = created.service_requests.request
    expect(answer.service_request_id).toMatch(/^\d{8}-\d{6}$/)
    expect(answer.service_notice).toContain('暴露垃圾')
    expect(answer.account_id).toBe('')
    expect(await open311Cases()).toBe(before + 1)
    const number: string = answer.service_request_id

    const [open] = parsed(await get(`requests/${number}.json`), 'json')
    expect(open).toMatchObject({
      service_request_id: number, status: 'open', service_code: 'E0102', service_name: '暴露垃圾', address: '经三路 12 号门口',
      gezhi_number: number, gezhi_state: 'reported', gezhi_state_name: '已上报', gezhi_grid_code: expect.stringMatching(/^\d{9,}$/),
      requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), address_id: null,
      expected_datetime: null, gezhi_due_datetime: expect.any(String), // not dispatched yet: no fix date, only the dispatch deadline
    })
    expect(open.lat).toBeCloseTo(here[1], 9)
    expect(open.long).toBeCloseTo(here[0], 9)
    const raw = (await get(`requests/${number}.json`)).body + (await get(`requests/${number}.xml`)).body
    for (const secret of ['13800138000', '张三', 'zhang@example.com', 'dev-1']) expect(raw).not.toContain(secret) // Open311 is public

    const db = await testDb()
    const [{ id }] = (await db.query<{ id: number }>('SELECT id FROM incidents WHERE number = $1', [number])) as [{ id: number }]
    const [{ reporter_name, reporter_phone, source }] = (await db.query<{ reporter_name: string; reporter_phone: string; source: string }>('SELECT reporter_name, reporter_phone, source FROM incidents WHERE id = $1', [id])) as [{ reporter_name: string; reporter_phone: string; source: string }]
    expect({ reporter_name, reporter_phone, source }).toEqual({ reporter_name: '张三', reporter_phone: '13800138000', source: 'open311' }) // staff can call back

    await must(app, id, 'file', as.commander!)
    await must(app, id, 'dispatch', as.commander!)
    const [dispatched] = parsed(await get(`requests/${number}.json`), 'json')
    expect(dispatched).toMatchObject({ status: 'open', gezhi_state: 'dispatched', agency_responsible: expect.stringContaining('微网格') })
    expect(Date.parse(dispatched.expected_datetime)).toBeGreaterThan(Date.parse(dispatched.requested_datetime))
    await must(app, id, 'accept', as.micro!)
    const handled = await stepWithPhotos(app, id, 'handle', as.micro!, { note: '已清理' }, [{ field: 'after', name: 'after.png', bytes: tinyPng(7) }])
    expect(handled.status).toBe(200)
    await must(app, id, 'check_pass', as.grid!)

    const doc = parsed(await get(`requests/${number}.xml`), 'xml')
    expect(doc.service_requests.request).toHaveLength(1)
    const closed = doc.service_requests.request[0]
    expect(closed).toMatchObject({ service_request_id: number, status: 'closed', gezhi_state: 'closed', expected_datetime: '' })
    expect(Date.parse(closed.updated_datetime)).toBeGreaterThanOrEqual(Date.parse(closed.requested_datetime))
  })

  it('keeps text intact through XML escaping, and media_url as a link it never fetches', async () => {
    const description = `井盖 <旁边> & "垃圾" 'x' ${Date.now()}`
    const number = await file({ description, media_url: 'https://img.example.org/p/1.jpg?a=1&b=2' })
    const [request] = parsed(await get(`requests/${number}.xml`), 'xml').service_requests.request
    expect(request.description).toBe(description)
    expect(request.media_url).toBe('https://img.example.org/p/1.jpg?a=1&b=2')
    const [json] = parsed(await get(`requests/${number}.json`), 'json')
    expect(json).toMatchObject({ description, media_url: 'https://img.example.org/p/1.jpg?a=1&b=2' })
    // control characters cannot be stored (NUL) or carried in XML: they are dropped on the way in
    const bare = await file({ description: `a\u0000b\u0007c ${Date.now()}` })
    expect(parsed(await get(`requests/${bare}.xml`), 'xml').service_requests.request[0].description).toMatch(/^abc \d+$/)
  })

  it('maps a tracking token or a case number to the service_request_id', async () => {
    const res = await post('json', fields())
    const [{ service_request_id: number, gezhi_tracking_token: token }] = res.json()
    expect(parsed(await get(`tokens/${token}.json`), 'json')).toEqual([{ service_request_id: number, token }])
    expect(parsed(await get(`tokens/${number}.xml`), 'xml').service_requests.request).toEqual([{ service_request_id: number, token: number }])
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA')
    for (const format of ['json', 'xml'] as const) expectError(await get(`tokens/${forged}.${format}`), 404, format)
  })
})

describe('GET requests: filters', () => {
  let openOne: string
  let closedOne: string
  beforeAll(async () => {
    openOne = await file()
    closedOne = await file()
    const db = await testDb()
    const [{ id }] = (await db.query<{ id: number }>('SELECT id FROM incidents WHERE number = $1', [closedOne])) as [{ id: number }]
    await must(app, id, 'reject', as.commander!, { note: '非城市管理问题' })
  })
  const ids = async (query: string) => (parsed(await get(`requests.json?${query}`), 'json') as Array<{ service_request_id: string; status: string; service_code: string; requested_datetime: string }>)

  it('lists the last 90 days newest first, and filters by status', async () => {
    const all = await ids('')
    expect(all.map((r) => r.service_request_id)).toEqual(expect.arrayContaining([openOne, closedOne]))
    expect(all.length).toBeLessThanOrEqual(1000)
    const times = all.map((r) => Date.parse(r.requested_datetime))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.now() - 90 * 86_400_000 - 60_000)
    const open = await ids('status=open')
    expect(open.every((r) => r.status === 'open')).toBe(true)
    expect(open.map((r) => r.service_request_id)).toContain(openOne)
    expect(open.map((r) => r.service_request_id)).not.toContain(closedOne)
    const closed = await ids('status=closed')
    expect(closed.find((r) => r.service_request_id === closedOne)).toMatchObject({ status: 'closed', gezhi_state: 'rejected' })
    expect((await ids('status=open,closed')).length).toBe(all.length)
    const doc = parsed(await get('requests.xml?status=open'), 'xml')
    expect(doc.service_requests.request.map((r: { service_request_id: string }) => r.service_request_id)).toEqual(open.map((r) => r.service_request_id))
  })

  it('filters by service_code, by date window, and by a list of ids that overrides the rest', async () => {
    expect((await ids('service_code=E0102')).map((r) => r.service_request_id)).toContain(openOne)
    expect((await ids('service_code=C0107,E0201')).some((r) => r.service_request_id === openOne)).toBe(false)
    const [mine] = await ids(`service_request_id=${openOne}`)
    const at = Date.parse(mine!.requested_datetime)
    const w3 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const inside = await ids(`start_date=${w3(at - 1000)}&end_date=${w3(at + 1000)}`)
    expect(inside.map((r) => r.service_request_id)).toContain(openOne)
    const earlier = await ids(`start_date=${w3(at - 30 * 86_400_000)}&end_date=${w3(at - 29 * 86_400_000)}`)
    expect(earlier.map((r) => r.service_request_id)).not.toContain(openOne)
    // the same instant written in Beijing time, with the + sent unencoded (it arrives as a space)
    const beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00')
    expect((await ids(`start_date=${beijing(at - 1000)}&end_date=${encodeURIComponent(beijing(at + 1000))}`)).map((r) => r.service_request_id)).toContain(openOne)
    const listed = await ids(`service_request_id=${openOne},${closedOne},20000101-999999&status=open&service_code=C0101`)
    expect(listed.map((r) => r.service_request_id).sort()).toEqual([openOne, closedOne].sort())
  })

  it('refuses bad filters with 400 in the spec format', async () => {
    for (const format of ['json', 'xml'] as const) {
      expect(expectError(await get(`requests.${format}?start_date=2025-01-01`), 400, format)).toContain('time zone')
      expectError(await get(`requests.${format}?start_date=2025-02-30T00:00:00Z`), 400, format)
      expect(expectError(await get(`requests.${format}?start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z`), 400, format)).toContain('90 days')
      expectError(await get(`requests.${format}?start_date=2025-02-01T00:00:00Z&end_date=2025-01-01T00:00:00Z`), 400, format)
      expect(expectError(await get(`requests.${format}?status=pending`), 400, format)).toContain('open or closed')
      expectError(await get(`requests.${format}?service_code=Z9999`), 400, format)
      expect(expectError(await get(`requests.${format}?page_size=10`), 400, format)).toContain('page_size')
    }
  })
})

describe('refusals, in the spec format, that write nothing', () => {
  const refusals: Array<[string, Record<string, string> | null, number, RegExp]> = [
    ['no api_key', { api_key: '' }, 403, /api_key/],
    ['a wrong api_key', { api_key: 'not-a-key' }, 403, /api_key/],
    ['an unknown service_code', { service_code: 'E9999' }, 404, /E9999/],
    ['a governance service_code', { service_code: 'G0101' }, 404, /G0101/],
    ['no service_code', { service_code: '' }, 400, /service_code/],
    ['no lat/long', { lat: '', long: '' }, 400, /lat and long/],
    ['an address alone', { lat: '', long: '', address_string: '经三路 12 号' }, 400, /coordinates/],
    ['lat without long', { long: '' }, 400, /long is missing/],
    ['a non-numeric lat', { lat: 'north' }, 400, /lat must be a decimal number/],
    ['a latitude beyond 90', { lat: '91' }, 400, /lat must be/],
    ['a location far outside the city', { lat: '39.9', long: '116.4' }, 400, /outside every grid/],
    ['an unknown argument', { lon: '113.6' }, 400, /unknown argument lon/],
    ['a bad phone', { phone: 'call me' }, 400, /phone/],
    ['a media_url that is not http', { media_url: 'file:///etc/passwd' }, 400, /media_url/],
    ['a description over 2000 characters', { description: '长'.repeat(2001) }, 400, /description/],
  ]
  for (const [what, change, status, message] of refusals) {
    it(`answers ${status} for ${what}, in JSON and XML`, async () => {
      const before = await open311Cases()
      for (const format of ['json', 'xml'] as const) {
        const body = Object.fromEntries(Object.entries({ ...fields(), ...change }).filter(([k, v]) => v !== '' || k !== 'api_key'))
        expect(expectError(await post(format, body), status, format)).toMatch(message)
      }
      expect(await open311Cases()).toBe(before)
    })
  }

  it('refuses a JSON body (the spec posts forms) and an unknown format, in the spec format', async () => {
    const before = await open311Cases()
    const json = await app.inject({ method: 'POST', url: `${BASE}/requests.json`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(fields()) })
    expect(expectError(json, 400, 'json')).toContain('x-www-form-urlencoded')
    expect(expectError(await post('csv' as Format, fields()), 404, 'xml')).toContain('csv')
    expect(await open311Cases()).toBe(before)
    expectError(await get('services.csv'), 404, 'xml')
    expectError(await get('services'), 404, 'xml')
    expectError(await get('nothing/here.json'), 404, 'json')
  })

  it('answers 404 for an unknown request id, and keeps cases about people out of the public list', async () => {
    for (const format of ['json', 'xml'] as const) {
      expect(expectError(await get(`requests/20000101-999999.${format}`), 404, format)).toContain('20000101-999999')
      expectError(await get(`requests/not-a-number.${format}`), 404, format)
    }
    const { incident } = await report(app, reportBody(here, { category: 'G0201', description: `独居老人走访 ${Date.now()}` }))
    expectError(await get(`requests/${incident.number}.json`), 404, 'json')
    const listed = parsed(await get(`requests.json?service_request_id=${incident.number}`), 'json')
    expect(listed).toEqual([])
    expect((parsed(await get('requests.json'), 'json') as Array<{ service_code: string }>).some((r) => r.service_code.startsWith('G'))).toBe(false)
  })
})
