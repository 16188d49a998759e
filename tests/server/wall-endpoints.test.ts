import { createHash } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type IncidentStep, type IncidentSummary, type LngLat, type PlaybackAnswer, type StatsAnswer, type StatsGridsAnswer, type StatsHourlyAnswer,
  type StepBody, tileBBox, tileOf,
} from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { SUMMARIES } from '../../server/src/live/live.queries.ts'
import { sweepDeadlines } from '../../server/src/modules/deadlines/deadlines.sweep.ts'
import { incidentService } from '../../server/src/modules/incidents/incidents.service.ts'
import type { IncomingPhoto } from '../../server/src/modules/incidents/photos.ts'
import { maxLevelAtZoom } from '../../server/src/modules/tiles/tile-levels.ts'
import { renderGridTile } from '../../server/src/modules/tiles/tiles.render.ts'
import { wallService } from '../../server/src/modules/wall/wall.service.ts'
import type { UserActor } from '../../server/src/plugins/auth.ts'
import { DEMO_DISTRICT } from '../support/fixture-grids.ts'
import { eventsNumbered, reportBody, signIn, tinyPng } from '../support/incident-helpers.ts'
import { testApp } from '../support/test-app.ts'
import { BACKEND, testDb } from '../support/test-db.ts'

/**
 * The command-centre wall's reads against cases built through the incident service with a clock
 * of our own, on Tue 2024-06-11 (Y) and Wed 2024-06-12 (D), Beijing time — dates no other test
 * file uses — in a corner of the city no other file works in: the first level-3 grid K of the
 * first community C of the last street S (stats.test.ts uses the last level-3 grid of the city).
 * M1 and M2 are two micro-grids of K.
 *
 *   W1  M1  reported Y 09:10, filed, dispatched, accepted, handled Y 10:20, closed Y 11:05
 *   W5  M1  reported Y 23:30, rejected D 00:10
 *   W2  M1  reported D 09:30, … handled D 10:30, closed D 10:45, evaluated D 11:00 (rating 5)
 *   W3  M2  reported D 09:50, filed, dispatched D 10:00; the deadline sweep at D 23:00 warns and marks it overdue
 *   W4  M2  reported D 14:20, filed D 14:25
 */
let app: App
const as: Record<string, Record<string, string>> = {}
let S: number, C: number, K: number
let M1: { id: number; at: LngLat }, M2: typeof M1
const ids: Record<string, number> = {}
let clock = new Date(0)

const Y = '2024-06-11'
const D = '2024-06-12'
/** Beijing wall-clock time. */
const bj = (local: string) => new Date(`${local}:00+08:00`)

const after = (seed: number): IncomingPhoto => {
  const bytes = tinyPng(seed)
  return { kind: 'after', mime: 'image/png', bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
}

beforeAll(async () => {
  app = await testApp()
  for (const u of ['commander', 'street', 'other-street', 'dept-cgj']) as[u] = await signIn(app, u)
  const db = await testDb()
  const [grids] = await db.query<{ s: number; c: number; k: number; g: number }>(`
    WITH s AS (SELECT grid_id AS id FROM users WHERE username = 'other-street'),
    c AS (SELECT id FROM grids WHERE parent_id = (SELECT id FROM s) AND retired_generation IS NULL ORDER BY code LIMIT 1),
    k AS (SELECT id FROM grids WHERE parent_id = (SELECT id FROM c) AND retired_generation IS NULL ORDER BY code LIMIT 1)
    SELECT (SELECT id FROM s) AS s, (SELECT id FROM c) AS c, (SELECT id FROM k) AS k,
           (SELECT id FROM grids WHERE district_id = ${DEMO_DISTRICT} AND level = 3 ORDER BY code DESC LIMIT 1) AS g`)
  ;({ s: S, c: C, k: K } = grids!)
  expect(K).not.toBe(grids!.g) // stats.test.ts's grid
  const micro = await db.query<{ id: number; lng: number; lat: number }>(`
    SELECT g.id, ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat
      FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
     WHERE g.parent_id = $1 AND g.retired_generation IS NULL ORDER BY g.code LIMIT 2`, [K])
  ;[M1, M2] = micro.map((m) => ({ id: m.id, at: [m.lng, m.lat] as LngLat })) as [typeof M1, typeof M1]

  const [leader] = await db.query<UserActor>(`
    SELECT 'user' AS kind, u.id, u.username, u.display_name AS name, u.role, g.path AS "gridPath", u.department_id AS "departmentId"
      FROM users u JOIN grids g ON g.id = u.grid_id WHERE u.username = 'other-street'`)
  const service = incidentService({
    db, reference: app.reference, secret: 'wall-endpoints-test', dataDir: mkdtempSync(path.join(tmpdir(), 'gezhi-wall-')),
    now: () => clock, onCommitted: () => app.live.pump(),
  })
  const report = async (key: string, local: string, at: LngLat, category = 'E0102') => {
    clock = bj(local)
    ids[key] = (await service.report({ kind: 'public' }, reportBody(at, { category }), [], { reportedAt: clock })).incident.id
  }
  const step = async (key: string, local: string, name: IncidentStep, body: StepBody = {}, photos: IncomingPhoto[] = []) => {
    clock = bj(local)
    await service.step(leader!, ids[key]!, name, body, photos)
  }

  await report('W1', `${Y}T09:10`, M1.at)
  await step('W1', `${Y}T09:20`, 'file')
  await step('W1', `${Y}T09:25`, 'dispatch')
  await step('W1', `${Y}T09:40`, 'accept')
  await step('W1', `${Y}T10:20`, 'handle', { note: '已清理' }, [after(1)])
  await step('W1', `${Y}T11:05`, 'check_pass')
  await report('W5', `${Y}T23:30`, M1.at, 'E0104')
  await step('W5', `${D}T00:10`, 'reject', { note: '重复上报' })
  await report('W2', `${D}T09:30`, M1.at)
  await step('W2', `${D}T09:40`, 'file')
  await step('W2', `${D}T09:45`, 'dispatch')
  await report('W3', `${D}T09:50`, M2.at)
  await step('W3', `${D}T09:55`, 'file')
  await step('W2', `${D}T10:00`, 'accept')
  await step('W3', `${D}T10:00`, 'dispatch')
  await step('W2', `${D}T10:30`, 'handle', { note: '已清理' }, [after(2)])
  await step('W2', `${D}T10:45`, 'check_pass')
  await step('W2', `${D}T11:00`, 'evaluate', { rating: 5 })
  await report('W4', `${D}T14:20`, M2.at, 'E0101')
  await step('W4', `${D}T14:25`, 'file')
  await eventsNumbered([ids.W3!])
  await sweepDeadlines(db, { now: bj(`${D}T23:00`), incidentIds: [ids.W3!] })
  app.live.pump()
  // Playback replays numbered events only: wait for the sequencer to number ours.
  await eventsNumbered(Object.values(ids))
})

afterAll(async () => {
  const db = await testDb()
  const all = Object.values(ids)
  for (const table of ['incident_events', 'photos', 'incident_followers', 'incident_departments']) await db.query(`DELETE FROM ${table} WHERE incident_id = ANY ($1::int[])`, [all])
  await db.query('DELETE FROM incidents WHERE id = ANY ($1::int[])', [all])
  await app.close()
})

async function get<T>(url: string, who: string | null = 'commander') {
  const res = await app.inject({ url, headers: who ? as[who] : {} })
  return { status: res.statusCode, body: res.json() as T & { code: string; message: string } }
}
async function ok<T>(url: string, who = 'commander'): Promise<T> {
  const { status, body } = await get<T>(url, who)
  expect(status, JSON.stringify(body)).toBe(200)
  return body
}

describe('GET /api/stats/grids: figures per grid for the choropleth', () => {
  it('gives one row per child of a grid, with the formulas of /api/stats', async () => {
    const db = await testDb()
    const answer = await ok<StatsGridsAnswer>(`/api/stats/grids?parent=${C}&period=day&date=${D}`)
    const children = await db.query<{ id: number }>('SELECT id FROM grids WHERE parent_id = $1 AND retired_generation IS NULL ORDER BY code', [C])
    expect(answer.filter).toMatchObject({ parent: { id: C, level: 2 }, level: 3, department: null })
    expect(answer.period).toMatchObject({ kind: 'day', label: D, from: `${D}T00:00:00+08:00` })
    expect(answer.grids.map((r) => r.grid.id)).toEqual(children.map((c) => c.id))
    const [hh] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM households h JOIN grids l ON l.id = h.grid_id WHERE l.path @> ARRAY[$1::int]', [K])
    expect(hh!.n).toBeGreaterThan(0)
    // D: W2 W3 W4 reported; W2 closed on time; due to close W2 (handled) and W3 (unhandled, overdue); W3 overdue now.
    expect(answer.grids[0]).toEqual({
      grid: expect.objectContaining({ id: K, level: 3 }), households: hh!.n, reported: 3, closed: 1, dueToClose: 2,
      closureRate: 0.5, onTimeClosureRate: 0.5, overdueNow: 1, casesPer1000Households: (3 * 1000) / hh!.n,
    })
    for (const row of answer.grids.slice(1)) expect(row).toMatchObject({ reported: 0, closureRate: null, onTimeClosureRate: null })

    // The week of D holds W1 and W5 too; the figures are /api/stats's for the same grid and week.
    const week = await ok<StatsGridsAnswer>(`/api/stats/grids?parent=${C}&period=week&date=${D}`)
    const stats = await ok<StatsAnswer>(`/api/stats?grid=${K}&period=week&date=${D}`)
    expect(week.grids[0]).toMatchObject({ reported: 5, closed: 2, dueToClose: 3, closureRate: 2 / 3 })
    expect(stats.kpis.closureRate).toMatchObject({ numerator: week.grids[0]!.closed, denominator: week.grids[0]!.dueToClose, value: week.grids[0]!.closureRate })
    expect(stats.kpis.onTimeClosureRate.value).toBe(week.grids[0]!.onTimeClosureRate)
    expect(stats.kpis.reported.value).toBe(week.grids[0]!.reported)
    expect(stats.kpis.overdueNow.value).toBe(week.grids[0]!.overdueNow)
  })

  it('counts households per grid in one pass: the children of a street add up to the street', async () => {
    const rows = (await ok<StatsGridsAnswer>(`/api/stats/grids?parent=${S}&date=${D}`)).grids
    const detail = (await app.inject(`/api/grids/${S}`)).json() as { counts: { households: number } }
    expect(rows.reduce((sum, r) => sum + r.households, 0)).toBe(detail.counts.households)
  })

  it('takes every grid at a level inside the caller’s scope, by default the children of that scope', async () => {
    const db = await testDb()
    const mine = await ok<StatsGridsAnswer>(`/api/stats/grids?level=4&date=${D}`, 'other-street')
    const [n] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM grids WHERE level = 4 AND path @> ARRAY[$1::int]', [S])
    expect(mine.grids).toHaveLength(n!.n)
    expect(mine.filter.parent).toMatchObject({ id: S })
    expect(mine.grids.find((r) => r.grid.id === M1.id)).toMatchObject({ reported: 1, closed: 1 }) // W2
    const streets = await ok<StatsGridsAnswer>(`/api/stats/grids?date=${D}`)
    expect(streets.filter).toMatchObject({ parent: null, level: 1 })
    expect(streets.grids.find((r) => r.grid.id === S)!.reported).toBeGreaterThanOrEqual(3)
    const own = await ok<StatsGridsAnswer>(`/api/stats/grids?date=${D}`, 'other-street')
    expect(own.filter).toMatchObject({ parent: { id: S }, level: 2 })
  })

  it('answers 404 for a grid outside the caller’s subtree, and shows department staff only their cases', async () => {
    const outside = await get(`/api/stats/grids?parent=${C}`, 'street')
    expect([outside.status, outside.body.code]).toEqual([404, 'GRID_NOT_FOUND'])
    const unknown = await get('/api/stats/grids?parent=2147483647', 'street')
    expect([unknown.status, unknown.body.code]).toEqual([404, 'GRID_NOT_FOUND'])
    const firstStreet = await ok<StatsGridsAnswer>(`/api/stats/grids?level=3&date=${D}`, 'street')
    expect(firstStreet.grids.length).toBeGreaterThan(0)
    expect(firstStreet.grids.every((r) => r.grid.code.startsWith(firstStreet.filter.parent!.code))).toBe(true)
    expect(firstStreet.grids.some((r) => r.grid.id === K)).toBe(false)
    const department = await ok<StatsGridsAnswer>(`/api/stats/grids?parent=${C}&date=${D}`, 'dept-cgj')
    expect(department.filter.department).toMatchObject({ code: 'CGJ' })
    expect(department.grids[0]).toMatchObject({ grid: { id: K }, reported: 0, overdueNow: 0 })
    expect((await get('/api/stats/grids', null)).status).toBe(401)
  })

  it('refuses more rows than it answers, both parent and level, and bad periods', async () => {
    const db = await testDb()
    const small = wallService(db, { maxGridRows: 100 })
    const commander = { kind: 'user', id: 1, username: 'commander', name: 'c', role: 'commander', gridPath: null, departmentId: null } as const
    await expect(small.grids(commander, { level: 4 })).rejects.toMatchObject({ code: 'TOO_MANY_GRIDS', statusCode: 400 })
    await expect(small.grids(commander, { level: 1 })).resolves.toMatchObject({ filter: { level: 1 } })
    for (const [query, code] of [
      [`parent=${C}&level=3`, 'BAD_REQUEST'], ['level=0', 'VALIDATION_FAILED'], ['level=x', 'VALIDATION_FAILED'], ['grid=1', 'VALIDATION_FAILED'],
      ['from=2024-06-13&to=2024-06-12', 'PERIOD_INVALID'], ['date=2024-02-30', 'VALIDATION_FAILED'], ['period=fortnight', 'VALIDATION_FAILED'],
    ] as const) {
      const { status, body } = await get(`/api/stats/grids?${query}`)
      expect([status, body.code], `${query}: ${body.message}`).toEqual([400, code])
    }
  })
})

describe('GET /api/stats/hourly: the trend by hour against the day before', () => {
  it('counts reports and closures in the hour they happened, Beijing time, always 24 rows', async () => {
    const answer = await ok<StatsHourlyAnswer>(`/api/stats/hourly?date=${D}&grid=${K}`)
    expect(answer.date).toBe(D)
    expect(answer.filter.grid).toMatchObject({ id: K })
    expect(answer.hours.map((h) => h.hour)).toEqual([...Array(24).keys()])
    const nonZero = answer.hours.filter((h) => h.reported + h.closed + h.reportedYesterday + h.closedYesterday > 0)
    expect(nonZero).toEqual([
      { hour: 9, reported: 2, closed: 0, reportedYesterday: 1, closedYesterday: 0 }, // W2 W3; W1
      { hour: 10, reported: 0, closed: 1, reportedYesterday: 0, closedYesterday: 0 }, // W2 closed 10:45
      { hour: 11, reported: 0, closed: 0, reportedYesterday: 0, closedYesterday: 1 }, // W1 closed 11:05
      { hour: 14, reported: 1, closed: 0, reportedYesterday: 0, closedYesterday: 0 }, // W4
      { hour: 23, reported: 0, closed: 0, reportedYesterday: 1, closedYesterday: 0 }, // W5 at 23:30, UTC 15:30
    ])
    const quiet = await ok<StatsHourlyAnswer>(`/api/stats/hourly?date=2001-01-01&grid=${K}`)
    expect(quiet.hours).toHaveLength(24)
    expect(quiet.hours.every((h) => h.reported + h.closed + h.reportedYesterday + h.closedYesterday === 0)).toBe(true)
    const today = await ok<StatsHourlyAnswer>('/api/stats/hourly')
    expect(today.hours).toHaveLength(24)
  })

  it('keeps to the caller’s scope and refuses bad input', async () => {
    const mine = await ok<StatsHourlyAnswer>(`/api/stats/hourly?date=${D}`, 'other-street')
    expect(mine.filter.grid).toMatchObject({ id: S })
    expect(mine.hours[9]!.reported).toBeGreaterThanOrEqual(2)
    const outside = await get(`/api/stats/hourly?date=${D}&grid=${K}`, 'street')
    expect([outside.status, outside.body.code]).toEqual([404, 'GRID_NOT_FOUND'])
    const department = await ok<StatsHourlyAnswer>(`/api/stats/hourly?date=${D}&grid=${K}`, 'dept-cgj')
    expect(department.hours.every((h) => h.reported === 0 && h.closed === 0)).toBe(true)
    for (const query of ['date=2024-02-30', 'date=20240612', 'period=day', 'grid=0']) {
      const { status, body } = await get(`/api/stats/hourly?${query}`)
      expect([status, body.code], query).toEqual([400, 'VALIDATION_FAILED'])
    }
    expect((await get('/api/stats/hourly', null)).status).toBe(401)
  })
})

describe('GET /api/playback: a period replayed from the event stream', () => {
  const day = () => `from=${D}T00:00%2B08:00&to=2024-06-13T00:00%2B08:00&grid=${K}`

  it('starts from the cases open at `from` and gives every event with the case right after it', async () => {
    const db = await testDb()
    const answer = await ok<PlaybackAnswer>(`/api/playback?${day()}`)
    expect([answer.from, answer.to]).toEqual([bj(`${D}T00:00`).toISOString(), bj('2024-06-13T00:00').toISOString()])
    // Open at D 00:00: W5 only (W1 closed the day before; W2 W3 W4 not yet reported).
    expect(answer.start.map((c) => c.id)).toEqual([ids.W5])
    expect(answer.start[0]).toMatchObject({ state: 'reported', closedAt: null, overdue: false })

    const events = await db.query<{ seq: number; incident_id: number; type: string; to_state: string }>(`
      SELECT seq, incident_id, type, to_state FROM incident_events WHERE incident_id = ANY ($1::int[]) AND at >= $2 AND at < $3 ORDER BY seq`,
    [Object.values(ids), bj(`${D}T00:00`), bj('2024-06-13T00:00')])
    expect(answer.events.map((e) => [e.seq, e.incidentId, e.type])).toEqual(events.map((e) => [e.seq, e.incident_id, e.type]))
    expect(answer.events.map((e) => e.summary.state)).toEqual(events.map((e) => e.to_state))
    expect(answer.events.filter((e) => e.incidentId === ids.W3).map((e) => e.type)).toEqual(['reported', 'file', 'dispatch', 'warned', 'overdue'])
    for (const e of answer.events) expect(e.summary).toMatchObject({ id: e.incidentId, lastSeq: e.seq })

    // Step by step: W2's summary after each of its events.
    const w2 = answer.events.filter((e) => e.incidentId === ids.W2).map((e) => e.summary)
    expect(w2.map((s) => [s.state, s.unitLevel, s.closedAt === null, s.rating])).toEqual([
      ['reported', null, true, null], ['filed', null, true, null], ['dispatched', 4, true, null], ['accepted', 4, true, null],
      ['handled', 4, true, null], ['closed', 4, false, null], ['evaluated', 4, false, 5],
    ])
    const w3 = answer.events.filter((e) => e.incidentId === ids.W3).map((e) => e.summary)
    expect(w3.map((s) => [s.overdue, s.everOverdue])).toEqual([[false, false], [false, false], [false, false], [false, false], [true, true]])

    // After the last event of each case (none has a later one), its summary is what the live stream says of it now.
    const live = await db.query<{ id: number; summary: IncidentSummary }>(SUMMARIES, [Object.values(ids)])
    const lastOf = new Map(answer.events.map((e) => [e.incidentId, e.summary]))
    for (const key of ['W5', 'W2', 'W3', 'W4']) expect(lastOf.get(ids[key]!), key).toEqual(live.find((r) => r.id === ids[key])!.summary)
  })

  it('hands over from one window to the next: the start of D is the end of Y', async () => {
    const before = await ok<PlaybackAnswer>(`/api/playback?from=${Y}&to=${D}&grid=${K}`)
    expect(before.start).toEqual([])
    expect(before.events.filter((e) => e.incidentId === ids.W1).at(-1)!.summary.state).toBe('closed')
    const w5 = before.events.filter((e) => e.incidentId === ids.W5).at(-1)!.summary
    const next = await ok<PlaybackAnswer>(`/api/playback?${day()}`)
    expect(next.start).toEqual([w5])
  })

  it('keeps to the caller’s scope', async () => {
    const mine = await ok<PlaybackAnswer>(`/api/playback?from=${D}&to=2024-06-13`, 'other-street')
    expect(new Set(mine.events.map((e) => e.incidentId))).toEqual(new Set([ids.W5, ids.W2, ids.W3, ids.W4]))
    const outside = await get(`/api/playback?${day()}`, 'street')
    expect([outside.status, outside.body.code]).toEqual([404, 'GRID_NOT_FOUND'])
    const firstStreet = await ok<PlaybackAnswer>(`/api/playback?from=${D}&to=2024-06-13`, 'street')
    expect(firstStreet.events.some((e) => Object.values(ids).includes(e.incidentId))).toBe(false)
    const department = await ok<PlaybackAnswer>(`/api/playback?${day()}`, 'dept-cgj')
    expect([department.start, department.events]).toEqual([[], []])
    expect((await get(`/api/playback?${day()}`, null)).status).toBe(401)
  })

  it('defaults to the last 24 hours and refuses windows over 48 hours, backwards or unreadable, and too many events', async () => {
    const recent = await ok<PlaybackAnswer>(`/api/playback?grid=${K}`)
    const span = new Date(recent.to).getTime() - new Date(recent.from).getTime()
    expect(span).toBe(24 * 3_600_000)
    expect(Math.abs(new Date(recent.to).getTime() - Date.now())).toBeLessThan(60_000)
    for (const [query, code] of [
      [`from=${Y}T00:00&to=2024-06-13T00:01`, 'PERIOD_INVALID'], // 48 h and a minute
      [`from=${D}&to=${Y}`, 'PERIOD_INVALID'],
      [`from=${D}&to=${D}`, 'PERIOD_INVALID'],
      ['from=yesterday', 'VALIDATION_FAILED'],
      ['from=2024-02-30&to=2024-03-01', 'PERIOD_INVALID'],
      ['grid=abc', 'VALIDATION_FAILED'],
      ['period=day', 'VALIDATION_FAILED'],
    ] as const) {
      const { status, body } = await get(`/api/playback?${query}`)
      expect([status, body.code], `${query}: ${body.message}`).toEqual([400, code])
    }
    expect((await get(`/api/playback?from=${Y}T00:00&to=2024-06-13T00:00`)).status).toBe(200) // exactly 48 h
    const db = await testDb()
    const commander = { kind: 'user', id: 1, username: 'commander', name: 'c', role: 'commander', gridPath: null, departmentId: null } as const
    await expect(wallService(db, { maxEvents: 14 }).playback(commander, { from: `${D}T00:00`, to: '2024-06-13T00:00', grid: K }))
      .rejects.toMatchObject({ code: 'TOO_MANY_EVENTS', statusCode: 400 })
    await expect(wallService(db, { maxEvents: 15 }).playback(commander, { from: `${D}T00:00`, to: '2024-06-13T00:00', grid: K }))
      .resolves.toMatchObject({ events: { length: 15 } })
  })
})

/** The layers of a tile: per layer, its features by id. */
function decode(bytes: Uint8Array): Record<string, Map<number, VectorTileFeature>> {
  const tile = new VectorTile(new PbfReader(bytes))
  return Object.fromEntries(Object.entries(tile.layers).map(([name, layer]) => [
    name, new Map(Array.from({ length: layer.length }, (_, i) => layer.feature(i)).map((f) => [f.id!, f])),
  ]))
}
/** True when some vertex of the feature lies in the tile proper, not only in its buffer. */
const visible = (f: VectorTileFeature) => f.loadGeometry().some((ring) => ring.some((p) => p.x >= 0 && p.x <= f.extent && p.y >= 0 && p.y <= f.extent))

describe('GET /api/tiles/grids/{z}/{x}/{y}.pbf: grid boundaries as vector tiles', () => {
  const url = ({ z, x, y }: { z: number; x: number; y: number }) => `/api/tiles/grids/${z}/${x}/${y}.pbf`
  let here: LngLat

  beforeAll(async () => {
    const db = await testDb()
    const [row] = await db.query<{ lng: number; lat: number }>('SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM grid_boundaries WHERE grid_id = $1 AND generation_to IS NULL', [K])
    here = [row!.lng, row!.lat]
  })

  /** Current grids at levels ≤ maxLevel whose polygon meets the tile's bbox grown by `share` of its side. */
  async function gridsMeeting(tile: { z: number; x: number; y: number }, share: number): Promise<Map<number, number>> {
    const db = await testDb()
    const rows = await db.query<{ id: number; level: number }>(`
      SELECT g.id, g.level FROM grids g JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
       WHERE g.retired_generation IS NULL AND g.level <= $5 AND ST_Intersects(b.geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`,
    [...tileBBox(tile.z, tile.x, tile.y, share), maxLevelAtZoom(tile.z)])
    return new Map(rows.map((r) => [r.id, r.level]))
  }

  it('carries a layer per level shown at the zoom, with every grid meeting the tile, and their label points', async () => {
    for (const z of [10, 12, 14]) {
      const tile = tileOf(here, z)
      const res = await app.inject(url(tile)) // no sign-in: public like GET /api/grids
      expect(res.statusCode, `z ${z}: ${res.body}`).toBe(200)
      expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile')
      const layers = decode(res.rawPayload)
      const levels = z < 11 ? [1, 2] : z < 13 ? [1, 2, 3] : [1, 2, 3, 4]
      expect(Object.keys(layers)).toEqual([...levels.map((l) => `grids-${l}`), 'labels'])
      const inside = await gridsMeeting(tile, 0)
      const nearby = await gridsMeeting(tile, 64 / 4096)
      for (const level of levels) {
        const ids = [...layers[`grids-${level}`]!.keys()]
        const expected = [...inside].filter(([, l]) => l === level).map(([id]) => id)
        expect(ids, `z ${z} level ${level}`).toEqual(expect.arrayContaining(expected))
        expect(ids.every((id) => nearby.get(id) === level), `z ${z} level ${level}: only grids meeting the buffered tile`).toBe(true)
      }
      expect(layers[`grids-${Math.max(...levels)}`]!.size).toBeGreaterThan(0)
      expect(layers['grids-3']?.has(K) ?? z < 11).toBe(true)
      const k = (layers['grids-3'] ?? layers['grids-2']!).get(z < 11 ? C : K)!
      expect(k.properties).toEqual({ id: z < 11 ? C : K, code: expect.any(String), name: expect.any(String), level: z < 11 ? 2 : 3, parentId: z < 11 ? S : C })
      expect(k.type).toBe(3)
      const label = layers.labels!.get(z < 11 ? C : K)!
      expect([label.type, label.properties.level]).toEqual([1, z < 11 ? 2 : 3])
      expect(layers['grids-1']!.get(S)!.properties).not.toHaveProperty('parentId') // null is left out, as in every MVT encoder
    }
  })

  it('sends cache headers with the generation as ETag, answers 304 to it, and gzips', async () => {
    const db = await testDb()
    const [gen] = await db.query<{ id: number }>('SELECT max(id)::int AS id FROM boundary_generations')
    const tile = tileOf(here, 13)
    const plain = await app.inject({ url: url(tile), headers: { 'accept-encoding': 'identity' } })
    expect(plain.headers['cache-control']).toBe('public, max-age=300')
    expect(plain.headers.etag).toBe(`W/"grids-g${gen!.id}"`)
    expect(plain.headers['content-encoding']).toBeUndefined()
    const zipped = await app.inject({ url: url(tile), headers: { 'accept-encoding': 'gzip' } })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length)
    expect(Buffer.compare(gunzipSync(zipped.rawPayload), plain.rawPayload)).toBe(0)
    const again = await app.inject({ url: url(tile), headers: { 'if-none-match': plain.headers.etag as string } })
    expect([again.statusCode, again.rawPayload.length]).toEqual([304, 0])
    const stale = await app.inject({ url: url(tile), headers: { 'if-none-match': 'W/"grids-g0"' } })
    expect(stale.statusCode).toBe(200)
  })

  it('answers 204 for a tile without grids and 400 outside the tile pyramid', async () => {
    const ocean = await app.inject(url(tileOf([-150, -30], 10)))
    expect([ocean.statusCode, ocean.rawPayload.length]).toEqual([204, 0])
    expect((await app.inject(url({ z: 0, x: 0, y: 0 }))).statusCode).toBe(200)
    for (const [path, code] of [
      ['23/0/0', 'VALIDATION_FAILED'], ['3/8/0', 'TILE_OUT_OF_RANGE'], ['3/0/8', 'TILE_OUT_OF_RANGE'], ['3/-1/0', 'VALIDATION_FAILED'], ['a/0/0', 'VALIDATION_FAILED'],
    ] as const) {
      const res = await app.inject(`/api/tiles/grids/${path}.pbf`)
      expect([res.statusCode, res.json().code], path).toEqual([400, code])
    }
  })

  it.runIf(BACKEND === 'postgres')('encodes the same layers and features with ST_AsMVT as with geojson-vt', async () => {
    const db = await testDb()
    const [ext] = await db.query<{ w: number; s: number; e: number; n: number }>(`
      SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom) AS e FROM districts WHERE id = ${DEMO_DISTRICT}) d`)
    let seed = 11
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    let compared = 0
    for (let i = 0; i < 40; i++) {
      const z = 10 + (i % 6)
      const tile = tileOf([ext!.w + random() * (ext!.e - ext!.w), ext!.s + random() * (ext!.n - ext!.s)], z)
      const postgis = decode(await renderGridTile(db, tile, 'postgis'))
      const node = decode(await renderGridTile(db, tile, 'geojson-vt'))
      expect(Object.keys(node), `${z}/${tile.x}/${tile.y}`).toEqual(Object.keys(postgis))
      for (const [name, features] of Object.entries(postgis)) {
        // A sliver of a polygon or a label point inside the 64-unit buffer may round away in one encoder only; what the tile shows may not differ.
        const shown = (layer: Map<number, VectorTileFeature>) => [...layer].filter(([, f]) => visible(f)).map(([id]) => id).sort((a, b) => a - b)
        expect(shown(node[name]!), `${z}/${tile.x}/${tile.y} ${name}`).toEqual(shown(features))
        for (const [id, f] of features) if (node[name]!.has(id)) expect(node[name]!.get(id)!.properties).toEqual(f.properties)
        compared += features.size
      }
    }
    expect(compared).toBeGreaterThan(1000)
  })
})
