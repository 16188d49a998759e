import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromWgs84, type ImportAnswer, IMPORT_MAX_ROWS, type Incident, type IncidentEvent, type LngLat } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { parseReportedAt } from '../../server/src/modules/import/import.time.ts'
import { pointInGridOf, signIn } from '../support/incident-helpers.ts'
import { testApp } from '../support/test-app.ts'
import { testDb } from '../support/test-db.ts'

// The database is shared by the test files of a worker: every hotline id of this run starts with
// RUN, and afterAll removes every case imported under it.
const RUN = `T${process.pid}${Date.now().toString(36)}`
let serial = 0
const newId = () => `${RUN}-${++serial}`
/** 废弃车辆: no other test file counts cases of it near the demo user's grid. */
const CATEGORY = 'E0107'
const HEADER = 'hotlineId,reportedAt,category,description,lng,lat,crs,address,callerName,callerPhone'

let app: App
let here: LngLat
const as: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  app = await testApp()
  here = await pointInGridOf('micro')
  for (const u of ['commander', 'admin', 'micro', 'planner']) as[u] = await signIn(app, u)
})
afterAll(async () => {
  const db = await testDb()
  const mine = `SELECT id FROM incidents WHERE external_id LIKE 'hotline:${RUN}-%'`
  for (const table of ['incident_events', 'photos', 'incident_followers', 'incident_departments']) await db.query(`DELETE FROM ${table} WHERE incident_id IN (${mine})`)
  await db.query(`DELETE FROM incidents WHERE id IN (${mine})`)
  await app.close()
})

/** Beijing wall-clock time as a hotline export writes it: `YYYY-MM-DD HH:mm:ss`. */
const beijing = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
const hoursAgo = (hours: number) => new Date(Math.floor((Date.now() - hours * 3600_000) / 1000) * 1000)
const near = (dx: number, dy = 0): LngLat => [here[0] + dx * 0.00001, here[1] + dy * 0.00001]
const fmt = (v: number) => v.toFixed(7)
/** One CSV line of a good row at `at` (WGS-84), with `overrides` by column. */
function line(id: string, at: LngLat, overrides: Record<string, string> = {}): string {
  const row: Record<string, string> = {
    hotlineId: id, reportedAt: beijing(hoursAgo(2)), category: CATEGORY, description: `市民来电反映小区门口有废弃车辆 ${id}`,
    lng: fmt(at[0]), lat: fmt(at[1]), crs: 'wgs84', address: '文化路 1 号', callerName: '张先生', callerPhone: '13800000000', ...overrides,
  }
  return HEADER.split(',').map((c) => row[c]!).join(',')
}

async function importCsv(body: string | Buffer, headers = as.commander!, contentType = 'text/csv') {
  return app.inject({ method: 'POST', url: '/api/incidents/import', payload: body, headers: { ...headers, 'content-type': contentType } })
}
async function importJson(rows: unknown[], headers = as.commander!) {
  return app.inject({ method: 'POST', url: '/api/incidents/import', payload: { rows }, headers })
}
function answer(res: { statusCode: number; body: string; json: () => unknown }): ImportAnswer {
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as ImportAnswer
}
/** The case imported under a hotline id, as the commander sees it. */
async function caseOf(hotlineId: string): Promise<Incident> {
  const db = await testDb()
  const [row] = await db.query<{ id: number }>('SELECT id FROM incidents WHERE external_id = $1', [`hotline:${hotlineId}`])
  expect(row, `no case for ${hotlineId}`).toBeDefined()
  return (await app.inject({ url: `/api/incidents/${row!.id}`, headers: as.commander })).json() as Incident
}
async function countCases(): Promise<{ incidents: number; events: number }> {
  const db = await testDb()
  const [row] = await db.query<{ incidents: number; events: number }>('SELECT (SELECT count(*)::int FROM incidents) AS incidents, (SELECT count(*)::int FROM incident_events) AS events')
  return row!
}

describe('CSV', () => {
  it('imports rows with English headers through the single-report path', async () => {
    const [a, b] = [newId(), newId()]
    const at = hoursAgo(3)
    const res = answer(await importCsv([HEADER, line(a, near(0), { reportedAt: beijing(at) }), line(b, near(5), { address: '', callerName: '', callerPhone: '' })].join('\n')))
    expect(res).toMatchObject({ imported: 2, existing: 0, rejected: 0 })
    expect(res.results.map((r) => [r.line, r.hotlineId, r.status])).toEqual([[2, a, 'imported'], [3, b, 'imported']])

    const one = await caseOf(a)
    expect(one.number).toBe(res.results[0]!.caseNumber)
    expect(one).toMatchObject({ source: 'hotline', state: 'reported', category: { code: CATEGORY }, address: '文化路 1 号', reporter: { name: '张先生', phone: '13800000000' } })
    expect(one.times.reportedAt).toBe(at.toISOString())
    expect(one.number.slice(0, 8)).toBe(beijing(at).slice(0, 10).replaceAll('-', '')) // numbered by the day it was reported
    expect(one.times.dueDispatchAt > one.times.reportedAt).toBe(true)
    expect(one.grids.map((g) => g.level)).toEqual([1, 2, 3, 4])
    const events = (await app.inject({ url: `/api/incidents/${one.id}/events`, headers: as.commander })).json() as IncidentEvent[]
    expect(events.map((e) => e.type)).toEqual(['reported'])
    expect(events[0]).toMatchObject({ at: at.toISOString(), actor: { kind: 'commander' }, data: { source: 'hotline' } })

    const other = await caseOf(b)
    expect(other).toMatchObject({ address: null, reporter: { name: null, phone: null } })
  })

  it('reads the Chinese headers of a hotline export, with a BOM and CRLF, in UTF-8 and in GBK', async () => {
    const [a, b] = [newId(), newId()]
    const chinese = '工单编号,受理时间,分类编码,诉求内容,经度,纬度,坐标系,地址,来电人,联系电话'
    const utf8 = answer(await importCsv(`\uFEFF${chinese}\r\n${line(a, near(10))}\r\n`, as.commander, 'text/csv; charset=utf-8'))
    expect(utf8).toMatchObject({ imported: 1, results: [{ line: 2, hotlineId: a, status: 'imported' }] })

    // The same export as Excel saves it on a Chinese Windows: GBK.
    const gbk = (hex: string) => Buffer.from(hex, 'hex')
    const body = Buffer.concat([
      gbk('b9a4b5a5b1e0bac52ccadcc0edcab1bce42cb7d6c0e0b1e0c2eb2ccbdfc7f3c4dac8dd2cbeadb6c82cceb3b6c82cd7f8b1eacfb52cb5d8d6b72cc0b4b5e7c8cb2cc1aacfb5b5e7bbb00d0a'),
      Buffer.from(`${b},${beijing(hoursAgo(1))},${CATEGORY},`), gbk('d0a1c7f8c3c5bfdad3d0b7cfc6fab3b5c1be'), // 小区门口有废弃车辆
      Buffer.from(`,${fmt(near(15)[0])},${fmt(near(15)[1])},wgs84,`), gbk('bdf0cbaec7f8cec4bbafc2b7'), Buffer.from(','), gbk('d5c5cfc8c9fa'), Buffer.from(',13900000000\r\n'),
    ])
    expect(answer(await importCsv(body, as.commander, 'text/csv; charset=gbk'))).toMatchObject({ imported: 1, results: [{ line: 2, hotlineId: b }] })
    expect(await caseOf(b)).toMatchObject({ description: '小区门口有废弃车辆', address: '金水区文化路', reporter: { name: '张先生' } })

    const unlabelled = await importCsv(body) // GBK bytes sent as UTF-8: refused, not garbled
    expect(unlabelled.statusCode).toBe(400)
    expect(unlabelled.json()).toMatchObject({ code: 'BODY_MALFORMED', message: expect.stringContaining('charset=gbk') })
  })

  it('reports each bad row by its physical line and reason, and imports the good ones around it', async () => {
    const id = Array.from({ length: 16 }, newId)
    const before = await countCases()
    const text = [
      HEADER, //                                                                   line 1
      line(id[0]!, near(20), { description: '"多行描述：\r\n车辆停放已超过一个月"' }), //  lines 2–3
      line(id[1]!, near(21), { category: 'E9999' }), //                            4 unknown category
      line(id[2]!, near(22), { lng: '200' }), //                                   5 longitude out of range
      '', //                                                                        6 blank: skipped
      line(id[3]!, [100.5, 10.5]), //                                              7 outside the territory
      line(id[4]!, near(23), { description: '' }), //                              8 missing field
      line(id[5]!, near(24), { reportedAt: '2025-02-30 10:00:00' }), //            9 date that does not exist
      line(id[6]!, near(25), { reportedAt: '昨天下午' }), //                        10 not a date
      line(id[7]!, near(26), { reportedAt: beijing(new Date(Date.now() + 3 * 3600_000)) }), // 11 in the future
      line(id[0]!, near(27)), //                                                  12 duplicate of line 2
      line(id[8]!, near(28), { crs: 'mars' }), //                                  13 unknown datum
      line(id[9]!, near(29)).split(',').slice(0, -1).join(','), //                 14 a field short
      line(id[10]!, near(30), { lat: 'abc' }), //                                  15 not a number
      line(id[11]!, near(31), { callerPhone: '138****0000' }), //                  16 masked phone
      ',,,,,,,,,', //                                                              17 empty cells (Excel): skipped
      line(id[12]!, near(32), { reportedAt: '2026-01-02T03:04:05+08:00' }), //     18 good, ISO time
      line(id[13]!, near(33), { crs: '' }), //                                     19 good, crs defaults to wgs84
    ].join('\r\n')
    const res = answer(await importCsv(text))
    const byLine = Object.fromEntries(res.results.map((r) => [r.line, r.status === 'rejected' ? r.error!.code : r.status]))
    expect(byLine).toEqual({
      2: 'imported', 4: 'CATEGORY_NOT_FOUND', 5: 'COORDINATE_INVALID', 7: 'LOCATION_OUTSIDE_TERRITORY', 8: 'VALIDATION_FAILED',
      9: 'DATE_INVALID', 10: 'DATE_INVALID', 11: 'DATE_INVALID', 12: 'IMPORT_DUPLICATE_ID', 13: 'CRS_UNKNOWN', 14: 'IMPORT_ROW_MALFORMED',
      15: 'COORDINATE_INVALID', 16: 'VALIDATION_FAILED', 18: 'imported', 19: 'imported',
    })
    expect(res).toMatchObject({ imported: 3, existing: 0, rejected: 12 })
    expect(res.results.map((r) => r.line)).toEqual([2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19])
    const at = (n: number) => res.results.find((r) => r.line === n)!
    expect(at(8).error!.message).toContain('description')
    expect(at(11).error!.message).toContain('future')
    expect(at(12)).toMatchObject({ hotlineId: id[0], error: { message: expect.stringContaining('line 2') } })
    expect(at(14).hotlineId).toBe(id[9])
    expect(await caseOf(id[0]!)).toMatchObject({ description: '多行描述：\r\n车辆停放已超过一个月' })
    expect((await caseOf(id[12]!)).times.reportedAt).toBe('2026-01-01T19:04:05.000Z')
    expect((await caseOf(id[13]!)).input.crs).toBe('wgs84')
    const after = await countCases()
    expect(after.incidents - before.incidents).toBe(3) // rejected rows wrote nothing
    expect(after.events - before.events).toBeGreaterThanOrEqual(3)
  })

  it('refuses a file whose header or quoting makes its rows unreadable, before writing anything', async () => {
    const before = await countCases()
    const cases: Array<[string, string, number, string]> = [
      ['an unknown column', `${HEADER.replace('lng', 'lon')}\n${line(newId(), near(40))}`, 400, 'VALIDATION_FAILED'],
      ['a missing column', `${HEADER.replace(',lat', '')}\n${line(newId(), near(40)).split(',').filter((_, i) => i !== 5).join(',')}`, 400, 'VALIDATION_FAILED'],
      ['a quote never closed', `${HEADER}\n${line(newId(), near(40))}\n${line(newId(), near(41), { description: '"未闭合' })}\n${line(newId(), near(42))}`, 400, 'BODY_MALFORMED'],
      ['no rows', `${HEADER}\n`, 400, 'VALIDATION_FAILED'],
    ]
    for (const [what, text, status, code] of cases) {
      const res = await importCsv(text)
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status)
      expect(res.json().code, what).toBe(code)
    }
    expect((await importCsv(`${HEADER}\n${line(newId(), near(40))}`, as.commander, 'text/plain')).statusCode).toBe(415)
    expect(await countCases()).toEqual(before)
  })
})

describe('JSON', () => {
  it('imports { rows } with lines as index + 1, each row checked on its own', async () => {
    const [a, b, c] = [newId(), newId(), newId()]
    const good = (id: string, at: LngLat) => ({ hotlineId: id, reportedAt: beijing(hoursAgo(1)), category: CATEGORY, description: `JSON 来电 ${id}`, lng: at[0], lat: at[1] })
    const res = answer(await importJson([
      good(a, near(50)),
      'not a row',
      { ...good(b, near(51)), lon: 113 },
      { ...good(c, near(52)), lng: '113.6' }, // a string where a number belongs
      { ...good(newId(), near(53)), callerName: '李女士', callerPhone: '0371-12345678', address: '经三路' },
    ]))
    expect(res.results.map((r) => [r.line, r.status, r.error?.code])).toEqual([
      [1, 'imported', undefined], [2, 'rejected', 'IMPORT_ROW_MALFORMED'], [3, 'rejected', 'VALIDATION_FAILED'], [4, 'rejected', 'COORDINATE_INVALID'], [5, 'imported', undefined],
    ])
    expect(res.results[2]!.error!.message).toContain('lon')
    expect(res.results[3]).toMatchObject({ hotlineId: c })
    expect(await caseOf(res.results[4]!.hotlineId!)).toMatchObject({ reporter: { name: '李女士', phone: '0371-12345678' }, address: '经三路' })
  })
})

describe('idempotence', () => {
  it('re-importing the same file creates nothing and answers the same case numbers as existing', async () => {
    const ids = [newId(), newId(), newId()]
    const text = [HEADER, ...ids.map((id, i) => line(id, near(60 + i)))].join('\n')
    const first = answer(await importCsv(text))
    expect(first.imported).toBe(3)
    const before = await countCases()
    const again = answer(await importCsv(text))
    expect(again).toMatchObject({ imported: 0, existing: 3, rejected: 0 })
    expect(again.results.map((r) => [r.status, r.caseNumber])).toEqual(first.results.map((r) => ['existing', r.caseNumber]))
    expect(await countCases()).toEqual(before)

    // A later export repeats two old rows and adds one: only the new one is created.
    const extra = newId()
    const later = answer(await importJson([ids[0], extra, ids[2]].map((id, i) => ({ hotlineId: id, reportedAt: beijing(hoursAgo(1)), category: CATEGORY, description: `再次导出 ${id}`, lng: near(70 + i)[0], lat: near(70 + i)[1] }))))
    expect(later.results.map((r) => r.status)).toEqual(['existing', 'imported', 'existing'])
    expect(later.results[0]!.caseNumber).toBe(first.results[0]!.caseNumber)
  })

  it('imports the first of several rows with one hotline id and names it in the others', async () => {
    const id = newId()
    const res = answer(await importCsv([HEADER, line(id, near(80)), line(newId(), near(81)), line(id, near(82)), line(` ${id} `, near(83))].join('\n')))
    expect(res.results.map((r) => [r.line, r.status, r.error?.code])).toEqual([
      [2, 'imported', undefined], [3, 'imported', undefined], [4, 'rejected', 'IMPORT_DUPLICATE_ID'], [5, 'rejected', 'IMPORT_DUPLICATE_ID'],
    ])
    expect(res.results[2]!.error!.message).toContain('line 2')
    const db = await testDb()
    expect(await db.query('SELECT id FROM incidents WHERE external_id = $1', [`hotline:${id}`])).toHaveLength(1)
  })
})

describe('limits and access', () => {
  it(`refuses more than ${IMPORT_MAX_ROWS} rows with 400 BATCH_TOO_LARGE and writes nothing, though the body is larger than the usual limit`, async () => {
    const before = await countCases()
    const rows = Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => line(`${RUN}-big-${i}`, near(i % 100, Math.floor(i / 100))))
    const csv = [HEADER, ...rows].join('\n')
    expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024)
    const res = await importCsv(csv)
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400)
    expect(res.json().code).toBe('BATCH_TOO_LARGE')
    const json = await importJson(Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => ({ hotlineId: `${RUN}-bigj-${i}` })))
    expect(json.statusCode).toBe(400)
    expect(json.json().code).toBe('BATCH_TOO_LARGE')
    expect(await countCases()).toEqual(before)

    const huge = await importCsv(`${HEADER}\n${'x'.repeat(9 * 1024 * 1024)}`)
    expect(huge.statusCode).toBe(413)
  })

  it('lets only a commander or an admin import: 401 for the public, 403 for other staff', async () => {
    const body = `${HEADER}\n${line(newId(), near(90))}`
    const pub = await app.inject({ method: 'POST', url: '/api/incidents/import', payload: body, headers: { 'content-type': 'text/csv' } })
    expect(pub.statusCode).toBe(401)
    expect(pub.json().code).toBe('UNAUTHENTICATED')
    for (const who of ['micro', 'planner']) {
      const res = await importCsv(body, as[who])
      expect(res.statusCode, who).toBe(403)
      expect(res.json().code).toBe('FORBIDDEN')
    }
    expect(answer(await importCsv(body, as.admin)).imported).toBe(1)
  })
})

describe('documentation', () => {
  it('describes the route in the OpenAPI document with both body types', async () => {
    const doc = (await app.inject('/api/docs/json')).json() as { paths: Record<string, { post?: { requestBody?: { content: Record<string, unknown> } } }> }
    expect(Object.keys(doc.paths['/api/incidents/import']!.post!.requestBody!.content).sort()).toEqual(['application/json', 'text/csv'])
  })
})

describe('routing and review as if reported live', () => {
  it('puts GCJ-02 rows (AMap-based hotline exports) in the right grid, and shows what a missing crs costs', async () => {
    const gcj = fromWgs84(here, 'gcj02')
    const [right, wrong] = [newId(), newId()]
    const located = (await app.inject(`/api/locate?lng=${here[0]}&lat=${here[1]}`)).json() as { leaf: { id: number } }
    const res = answer(await importCsv([HEADER, line(right, gcj, { crs: 'gcj02' }), line(wrong, gcj, { crs: '' })].join('\n')))
    expect(res.imported).toBe(2)
    const ok = await caseOf(right)
    expect(ok.grids.at(-1)!.id).toBe(located.leaf.id)
    expect(ok.input).toEqual({ lng: Number(fmt(gcj[0])), lat: Number(fmt(gcj[1])), crs: 'gcj02' })
    expect(Math.abs(ok.position[0] - here[0]) * 111_000 * Math.cos((here[1] * Math.PI) / 180)).toBeLessThan(1)
    expect(Math.abs(ok.position[1] - here[1]) * 111_000).toBeLessThan(1)
    const off = await caseOf(wrong) // the same numbers taken as WGS-84: hundreds of metres away
    const offsetM = Math.hypot((off.position[0] - here[0]) * 111_000 * Math.cos((here[1] * Math.PI) / 180), (off.position[1] - here[1]) * 111_000)
    expect(offsetM).toBeGreaterThan(100)
  })

  it('imports rows in order of report time, so the repeat flag (复诊) is what live reports would have raised', async () => {
    const category = 'E0108' // 露天烧烤
    const spot = near(-40, 40)
    const ids = [newId(), newId(), newId()]
    // Newest first, as hotline exports are often sorted.
    const rows = ids.map((id, i) => line(id, [spot[0] + i * 0.00003, spot[1]], { category, reportedAt: beijing(hoursAgo(1 + i)) }))
    expect(answer(await importCsv([HEADER, ...rows].join('\n'))).imported).toBe(3)
    const flags = await Promise.all(ids.map(async (id) => (await caseOf(id)).flags.repeat))
    expect(flags).toEqual([true, false, false]) // the newest is the third at this place
  })
})

describe('reportedAt', () => {
  const now = new Date('2026-03-01T12:00:00Z')
  it.each([
    ['2026-01-02 08:30:00', '2026-01-02T00:30:00.000Z'],
    ['2026/1/2 8:30', '2026-01-02T00:30:00.000Z'],
    ['2026-01-02T08:30:00.250', '2026-01-02T00:30:00.250Z'],
    ['2026-01-02T00:30:00Z', '2026-01-02T00:30:00.000Z'],
    ['2026-01-02T08:30:00+08:00', '2026-01-02T00:30:00.000Z'],
    ['2026-01-02T02:30:00+0200', '2026-01-02T00:30:00.000Z'],
    ['2026-03-01 20:04:00', '2026-03-01T12:04:00.000Z'], // within five minutes of now: clocks differ
  ])('reads %s as %s', (text, iso) => {
    const parsed = parseReportedAt(text, now)
    expect(parsed).toEqual({ valid: true, at: new Date(iso) })
  })
  it.each(['', '2026-01-02', '2026-02-29 10:00:00', '2026-01-02 24:00:00', '2026-01-02 10:60', '2026-01-02T10:00:00+25:00', '2026-03-01 20:10:00', '02/01/2026 10:00', '1700000000'])(
    'refuses %j', (text) => {
      expect(parseReportedAt(text, now).valid).toBe(false)
    })
})
