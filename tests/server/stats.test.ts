import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calendarPeriods, localDateOf, localIso, parseLocalInstant, rangePeriods, type StatsAnswer } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { signIn } from '../support/incident-helpers.ts'
import { DEMO_DISTRICT } from '../support/fixture-grids.ts'
import { testApp } from '../support/test-app.ts'
import { testDb } from '../support/test-db.ts'

/**
 * `GET /api/stats` against hand-made cases inserted as rows, with explicit timestamps, in the last
 * level-3 grid of the demo city (G, by code — other test files work in the first street's grids)
 * and two of its micro-grids (A, B). The period is the week of Mon 2025-03-10 (2025-W11, Beijing
 * time); 环比 is the week of 2025-03-03, 同比 the week 52 weeks earlier, 2024-03-11..18.
 */
let app: App
const as: Record<string, Record<string, string>> = {}
let G: number
let A: { id: number; path: number[]; lng: number; lat: number }
let B: typeof A
let cgj: number
let gdgs: number
const ids: Record<string, number> = {}

/** Beijing wall-clock time. */
const bj = (local: string) => new Date(`${local}:00+08:00`)

interface Fixture {
  source: string; category: string; grid: 'A' | 'B'; state: string
  reported: string; filed?: string; dispatched?: string; accepted?: string; handled?: string; closed?: string
  dueHandle?: string; overdueAt?: string; stageOverdue?: boolean; handledOnTime?: boolean; closedOnTime?: boolean
  dispatches?: number; returns?: number; reworks?: number; rating?: number; repeat?: boolean; departments?: 'CGJ'
}

/*
 * The week 2025-03-10..17 (Beijing). Times are local; h = hours.
 *   C1  resident   E0102 A  closed on time, rated 5; reported Mon 00:30 (Sunday 16:30 UTC: Monday in Beijing)
 *                            accept 1 h, handle 3 h after dispatch, closed 4 h after report
 *   C2  hotline    E0102 A  handled late, closed late, rated 3, assigned to 城管局 (unit_departments)
 *                            accept 2 h, handle 10 h, close 24 h; overdue since 13:30
 *   C3  patrol     E0104 B  reworked once, then closed on time, rated 4, repeat-flagged
 *                            accept 0.5 h, handle 2 h, close 3 h
 *   C4  resident   E0104 B  handled on time, not closed; 城管局 called in (incident_departments)
 *                            accept 0.5 h, handle 2 h
 *   C5  hotline    E0102 A  accepted, not handled, overdue now (due 13:30), repeat-flagged; accept 1 h
 *   C6  resident   E0101 A  dispatched, not handled, due 2025-04-11: not overdue, not due in the week
 *   C7  supervisor E0101 B  deferred after going overdue: out of due-to-close and due-to-handle
 *   C8  sensor     E0102 B  returned once (退回), re-dispatched (dispatch_count 2), accepted 0.5 h, due after the week
 *   C9  resident   E0102 A  rejected (never filed), Sun 23:59, repeat-flagged (same point as C5)
 *   C11 patrol     E0102 A  fixed on the spot (自行处置) on Saturday: filed = dispatched = … = closed, dispatch_count 0
 *   X1  resident   E0102 A  reported Mon 2025-03-17 00:00: the next week (windows are [from, to))
 * The week before: P1 closed on time, rated 5 (accept 1 h, handle 2 h, close 3 h); P2 reported Sun 23:30,
 *   dispatched, overdue now — but its handling deadline (Mon 04:00) falls after that week's end.
 * The same week of 2024: L1 handled late, closed late, not rated (accept 0.5 h, handle 10.5 h, close 24 h).
 */
const CASES: Record<string, Fixture> = {
  C1: { source: 'resident', category: 'E0102', grid: 'A', state: 'evaluated', reported: '2025-03-10T00:30', filed: '2025-03-10T00:40', dispatched: '2025-03-10T00:50', accepted: '2025-03-10T01:50', handled: '2025-03-10T03:50', closed: '2025-03-10T04:30', dueHandle: '2025-03-10T13:00', handledOnTime: true, closedOnTime: true, dispatches: 1, rating: 5 },
  C2: { source: 'hotline', category: 'E0102', grid: 'A', state: 'evaluated', reported: '2025-03-11T09:00', filed: '2025-03-11T09:10', dispatched: '2025-03-11T09:30', accepted: '2025-03-11T11:30', handled: '2025-03-11T19:30', closed: '2025-03-12T09:00', dueHandle: '2025-03-11T13:30', overdueAt: '2025-03-11T13:30', handledOnTime: false, closedOnTime: false, dispatches: 1, rating: 3, departments: 'CGJ' },
  C3: { source: 'patrol', category: 'E0104', grid: 'B', state: 'evaluated', reported: '2025-03-12T08:00', filed: '2025-03-12T08:10', dispatched: '2025-03-12T08:30', accepted: '2025-03-12T09:00', handled: '2025-03-12T10:30', closed: '2025-03-12T11:00', dueHandle: '2025-03-12T12:30', handledOnTime: true, closedOnTime: true, dispatches: 1, reworks: 1, rating: 4, repeat: true },
  C4: { source: 'resident', category: 'E0104', grid: 'B', state: 'handled', reported: '2025-03-13T09:00', filed: '2025-03-13T09:10', dispatched: '2025-03-13T09:30', accepted: '2025-03-13T10:00', handled: '2025-03-13T11:30', dueHandle: '2025-03-13T13:30', handledOnTime: true, dispatches: 1 },
  C5: { source: 'hotline', category: 'E0102', grid: 'A', state: 'accepted', reported: '2025-03-13T10:00', filed: '2025-03-13T10:10', dispatched: '2025-03-13T10:30', accepted: '2025-03-13T11:30', dueHandle: '2025-03-13T14:30', overdueAt: '2025-03-13T14:30', stageOverdue: true, dispatches: 1, repeat: true },
  C6: { source: 'resident', category: 'E0101', grid: 'A', state: 'dispatched', reported: '2025-03-14T09:00', filed: '2025-03-14T09:10', dispatched: '2025-03-14T09:30', dueHandle: '2025-04-11T09:30', dispatches: 1 },
  C7: { source: 'supervisor', category: 'E0101', grid: 'B', state: 'deferred', reported: '2025-03-14T10:00', filed: '2025-03-14T10:10', dispatched: '2025-03-14T10:30', dueHandle: '2025-03-14T12:00', overdueAt: '2025-03-14T12:00', dispatches: 1 },
  C8: { source: 'sensor', category: 'E0102', grid: 'B', state: 'accepted', reported: '2025-03-15T09:00', filed: '2025-03-15T09:10', dispatched: '2025-03-15T10:00', accepted: '2025-03-15T10:30', dueHandle: '2025-03-17T14:00', dispatches: 2, returns: 1 },
  C9: { source: 'resident', category: 'E0102', grid: 'A', state: 'rejected', reported: '2025-03-16T23:59', repeat: true },
  C11: { source: 'patrol', category: 'E0102', grid: 'A', state: 'closed', reported: '2025-03-15T15:00', filed: '2025-03-15T15:00', dispatched: '2025-03-15T15:00', accepted: '2025-03-15T15:00', handled: '2025-03-15T15:00', closed: '2025-03-15T15:00', handledOnTime: true, closedOnTime: true },
  X1: { source: 'resident', category: 'E0102', grid: 'A', state: 'reported', reported: '2025-03-17T00:00' },
  P1: { source: 'resident', category: 'E0102', grid: 'A', state: 'evaluated', reported: '2025-03-05T09:00', filed: '2025-03-05T09:10', dispatched: '2025-03-05T09:30', accepted: '2025-03-05T10:30', handled: '2025-03-05T11:30', closed: '2025-03-05T12:00', dueHandle: '2025-03-05T13:30', handledOnTime: true, closedOnTime: true, dispatches: 1, rating: 5 },
  P2: { source: 'hotline', category: 'E0102', grid: 'A', state: 'dispatched', reported: '2025-03-09T23:30', filed: '2025-03-09T23:40', dispatched: '2025-03-10T00:00', dueHandle: '2025-03-10T04:00', overdueAt: '2025-03-10T04:00', stageOverdue: true, dispatches: 1 },
  L1: { source: 'hotline', category: 'E0104', grid: 'B', state: 'closed', reported: '2024-03-12T09:00', filed: '2024-03-12T09:10', dispatched: '2024-03-12T09:30', accepted: '2024-03-12T10:00', handled: '2024-03-12T20:00', closed: '2024-03-13T09:00', dueHandle: '2024-03-12T13:30', overdueAt: '2024-03-12T13:30', handledOnTime: false, closedOnTime: false, dispatches: 1 },
}

async function insertCase(key: string, c: Fixture): Promise<number> {
  const db = await testDb()
  const leaf = c.grid === 'A' ? A : B
  const t = (s?: string) => (s ? bj(s) : null)
  const [row] = await db.query<{ id: number }>(`
    INSERT INTO incidents (number, source, category_code, kind, description, geom, input_lng, input_lat, input_crs,
                           generation_id, leaf_grid_id, grid_path, state, unit_departments, repeat_flag, dispatch_count, return_count, rework_count,
                           reported_at, filed_at, dispatched_at, accepted_at, handled_at, closed_at, due_dispatch_at, due_handle_at,
                           stage_overdue, overdue_at, handled_on_time, closed_on_time, rating)
    VALUES ($1, $2, $3, 'committed', 'stats fixture', ST_SetSRID(ST_MakePoint($4, $5), 4326), $4, $5, 'wgs84',
            (SELECT max(id) FROM boundary_generations), $6, $7, $8, $9, $10, $11, $12, $13,
            $14, $15, $16, $17, $18, $19, $14::timestamptz + interval '30 minutes', $20, $21, $22, $23, $24, $25)
    RETURNING id`, [
    `stats-${process.pid}-${key}`, c.source, c.category, leaf.lng, leaf.lat, leaf.id, leaf.path, c.state,
    c.departments ? [cgj] : [], c.repeat ?? false, c.dispatches ?? 0, c.returns ?? 0, c.reworks ?? 0,
    t(c.reported), t(c.filed), t(c.dispatched), t(c.accepted), t(c.handled), t(c.closed), t(c.dueHandle),
    c.stageOverdue ?? false, t(c.overdueAt), c.handledOnTime ?? null, c.closedOnTime ?? null, c.rating ?? null,
  ])
  return row!.id
}

beforeAll(async () => {
  app = await testApp()
  for (const u of ['commander', 'planner', 'street', 'other-street', 'grid', 'dept-cgj', 'dept-gdgs']) as[u] = await signIn(app, u)
  const db = await testDb()
  const [g] = await db.query<{ id: number }>(`SELECT id FROM grids WHERE district_id = ${DEMO_DISTRICT} AND level = 3 ORDER BY code DESC LIMIT 1`)
  G = g!.id
  const children = await db.query<{ id: number; path: number[]; lng: number; lat: number }>(`
    SELECT c.id, c.path, ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat
      FROM grids c JOIN grid_boundaries b ON b.grid_id = c.id AND b.generation_to IS NULL
     WHERE c.parent_id = $1 AND c.retired_generation IS NULL ORDER BY c.code LIMIT 2`, [G])
  expect(children).toHaveLength(2)
  ;[A, B] = children as [typeof A, typeof A]
  const departments = await db.query<{ id: number; code: string }>(`SELECT id, code FROM departments WHERE code IN ('CGJ', 'GDGS')`)
  cgj = departments.find((d) => d.code === 'CGJ')!.id
  gdgs = departments.find((d) => d.code === 'GDGS')!.id
  for (const [key, c] of Object.entries(CASES)) ids[key] = await insertCase(key, c)
  await db.query(`INSERT INTO incident_departments (incident_id, department_id, called_at) VALUES ($1, $2, $3)`, [ids.C4, cgj, bj('2025-03-13T09:30')])
})

afterAll(async () => {
  const db = await testDb()
  const all = Object.values(ids)
  await db.query('DELETE FROM incident_departments WHERE incident_id = ANY ($1::int[])', [all])
  await db.query('DELETE FROM incidents WHERE id = ANY ($1::int[])', [all])
  await app.close()
})

async function stats(query: string, who = 'commander') {
  const res = await app.inject({ url: `/api/stats?${query}`, headers: as[who] })
  return { status: res.statusCode, body: res.json() as StatsAnswer & { code: string; message: string } }
}
async function okStats(query: string, who = 'commander'): Promise<StatsAnswer> {
  const { status, body } = await stats(query, who)
  expect(status, JSON.stringify(body)).toBe(200)
  return body
}

describe('periods in Beijing time, with 环比 and 同比', () => {
  it('anchors day, week (from Monday), month, quarter and year at a date', () => {
    const iso = (p: ReturnType<typeof calendarPeriods>) => [p.current, p.previous, p.lastYear].map((w) => `${w.label} ${localIso(w.from)} ${localIso(w.to)}`)
    expect(iso(calendarPeriods('week', '2025-03-12'))).toEqual([
      '2025-W11 2025-03-10T00:00:00+08:00 2025-03-17T00:00:00+08:00',
      '2025-W10 2025-03-03T00:00:00+08:00 2025-03-10T00:00:00+08:00',
      '2024-W11 2024-03-11T00:00:00+08:00 2024-03-18T00:00:00+08:00',
    ])
    expect(calendarPeriods('week', '2025-03-10').current.from.toISOString()).toBe('2025-03-09T16:00:00.000Z') // Monday 00:00 in Beijing
    expect(iso(calendarPeriods('month', '2025-03-31'))).toEqual([
      '2025-03 2025-03-01T00:00:00+08:00 2025-04-01T00:00:00+08:00',
      '2025-02 2025-02-01T00:00:00+08:00 2025-03-01T00:00:00+08:00', // 环比 steps back one month, whatever its length
      '2024-03 2024-03-01T00:00:00+08:00 2024-04-01T00:00:00+08:00',
    ])
    expect(calendarPeriods('quarter', '2025-01-15').previous.label).toBe('2024-Q4')
    expect(calendarPeriods('year', '2025-06-01').lastYear.label).toBe('2024')
    expect(calendarPeriods('day', '2024-02-29').lastYear.label).toBe('2023-02-28')
    // ISO week-years at the turn of the year.
    expect(calendarPeriods('week', '2024-12-31').current.label).toBe('2025-W01')
    expect(calendarPeriods('week', '2021-01-03').current.label).toBe('2020-W53')
  })

  it('reads free ranges: dates are Beijing midnights, times without an offset are Beijing time', () => {
    expect(parseLocalInstant('2025-03-10')?.toISOString()).toBe('2025-03-09T16:00:00.000Z')
    expect(parseLocalInstant('2025-03-10T08:00')?.toISOString()).toBe('2025-03-10T00:00:00.000Z')
    expect(parseLocalInstant('2025-03-10T08:00:00Z')?.toISOString()).toBe('2025-03-10T08:00:00.000Z')
    expect(parseLocalInstant('2025-02-30')).toBeNull()
    const r = rangePeriods(bj('2025-03-10T00:00'), bj('2025-03-17T00:00'))
    expect([r.current.label, r.previous.label, r.lastYear.label]).toEqual(['2025-03-10–2025-03-16', '2025-03-03–2025-03-09', '2024-03-10–2024-03-16'])
    expect(localDateOf(new Date('2025-03-09T16:30:00Z'))).toBe('2025-03-10')
  })
})

describe('GET /api/stats: the KPIs of a hand-made week', () => {
  it('counts the week’s cases by state, source and category', async () => {
    const s = await okStats(`grid=${G}&period=week&date=2025-03-12`)
    expect(s.period).toMatchObject({
      kind: 'week', label: '2025-W11', from: '2025-03-10T00:00:00+08:00', to: '2025-03-17T00:00:00+08:00',
      previous: { label: '2025-W10' }, lastYear: { label: '2024-W11', from: '2024-03-11T00:00:00+08:00' },
    })
    expect(s.filter.grid).toMatchObject({ id: G, level: 3 })
    expect(s.filter.department).toBeNull()
    // C1 C2 C3 C4 C5 C6 C7 C8 C9 C11 (X1 is next week, P2 at Sun 23:30 the week before).
    expect(s.counts.reported).toBe(10)
    expect(s.counts.byState).toEqual({
      reported: 0, filed: 0, dispatched: 1, accepted: 2, coordinating: 0, appealed: 0, rework: 0, deferred: 1,
      handled: 1, closed: 1, evaluated: 3, rejected: 1, voided: 0,
    })
    expect(s.counts.bySource).toEqual({ resident: 4, patrol: 2, supervisor: 1, hotline: 2, sensor: 1, open311: 0 })
    expect(s.counts.byCategory).toEqual([
      { code: 'E0102', name: '暴露垃圾', count: 6 }, // C1 C2 C5 C8 C9 C11
      { code: 'E0101', name: '私搭乱建', count: 2 }, // C6 C7
      { code: 'E0104', name: '道路不洁', count: 2 }, // C3 C4
    ])
  })

  it('computes every KPI exactly, with 环比 and 同比', async () => {
    const { kpis } = await okStats(`grid=${G}&period=week&date=2025-03-12`)
    /*
     * This week:
     *   handled (handled_at set)             C1 C2 C3 C4 C11            = 5
     *   closed                               C1 C2 C3 C11               = 4
     *   due to close = handled + unhandled overdue (C5), not deferred (C7 is) = 6
     *   结案率      4 / 6       按期结案率 closed on time C1 C3 C11 = 3 / 6
     *   due to handle = handled 5 + dispatched, unhandled, not deferred, due before the week's end:
     *                   C5 (due 03-13) — not C6 (due 04-11), C7 (deferred), C8 (due 03-17 14:00) = 6
     *   按期处置率  handled on time C1 C3 C4 C11 = 4 / 6
     *   返工率      reworked C3 = 1 / handled 5
     *   准确派遣率  (dispatched C1–C8 = 8 − reworked 1) / filed C1–C8 = 8 (C11 fixed on the spot is out, C9 never filed) = 7 / 8
     *   returned    C8 = 1;  overdue now (any week): C5 and P2 = 2 (C7 is deferred: its clock is paused)
     *   mean hours to accept  C1 1 + C2 2 + C3 0.5 + C4 0.5 + C5 1 + C8 0.5 = 5.5 / 6
     *   mean hours to handle  C1 3 + C2 10 + C3 2 + C4 2 = 17 / 4
     *   mean hours to close   C1 4 + C2 24 + C3 3 + C11 0 = 31 / 4
     *   ratings 5 3 4: mean 12 / 3; satisfied (≥ 4) 2 / 3
     * The week before (P1, P2): closed 1 / due 2 (P1 handled, P2 overdue); on time 1 / 2;
     *   handling 1 / 1 (P2's handling deadline, Mon 04:00, is after that week's end: not yet due in it);
     *   rework 0 / 1; dispatch (2 − 0) / 2; accept 1 / 1; handle 2 / 1; close 3 / 1; rating 5 / 1; satisfied 1 / 1.
     * 2024-W11 (L1): closed 1 / 1; on time 0 / 1; handling 0 / 1; rework 0 / 1; dispatch 1 / 1;
     *   accept 0.5; handle 10.5; close 24; no rating: null.
     */
    expect(kpis.reported).toEqual({ value: 10, previous: 2, lastYear: 1 })
    expect(kpis.closed).toEqual({ value: 4, previous: 1, lastYear: 1 })
    expect(kpis.closureRate).toEqual({ value: 4 / 6, numerator: 4, denominator: 6, previous: 0.5, lastYear: 1 })
    expect(kpis.onTimeClosureRate).toEqual({ value: 0.5, numerator: 3, denominator: 6, previous: 0.5, lastYear: 0 })
    expect(kpis.onTimeHandlingRate).toEqual({ value: 4 / 6, numerator: 4, denominator: 6, previous: 1, lastYear: 0 })
    expect(kpis.reworkRate).toEqual({ value: 0.2, numerator: 1, denominator: 5, previous: 0, lastYear: 0 })
    expect(kpis.accurateDispatchRate).toEqual({ value: 7 / 8, numerator: 7, denominator: 8, previous: 1, lastYear: 1 })
    expect(kpis.returned).toEqual({ value: 1, previous: 0, lastYear: 0 })
    expect(kpis.overdueNow).toEqual({ value: 2, previous: null, lastYear: null })
    expect(kpis.meanHoursToAccept).toEqual({ value: 5.5 / 6, numerator: 5.5, denominator: 6, previous: 1, lastYear: 0.5 })
    expect(kpis.meanHoursToHandle).toEqual({ value: 4.25, numerator: 17, denominator: 4, previous: 2, lastYear: 10.5 })
    expect(kpis.meanHoursToClose).toEqual({ value: 7.75, numerator: 31, denominator: 4, previous: 3, lastYear: 24 })
    expect(kpis.meanRating).toEqual({ value: 4, numerator: 12, denominator: 3, previous: 5, lastYear: null })
    expect(kpis.satisfiedRate).toEqual({ value: 2 / 3, numerator: 2, denominator: 3, previous: 1, lastYear: null })
  })

  it('ranks child grids and categories with their closure rate, and finds repeat places', async () => {
    const { top } = await okStats(`grid=${G}&period=week&date=2025-03-12&top=3`)
    // A: C1 C2 C5 C6 C9 C11 — closed C1 C2 C11 / due C1 C2 C11 C5. B: C3 C4 C7 C8 — closed C3 / due C3 C4.
    expect(top.grids).toHaveLength(3)
    expect(top.grids.slice(0, 2)).toEqual([
      { grid: expect.objectContaining({ id: A.id, level: 4 }), reported: 6, closed: 3, dueToClose: 4, closureRate: 0.75 },
      { grid: expect.objectContaining({ id: B.id, level: 4 }), reported: 4, closed: 1, dueToClose: 2, closureRate: 0.5 },
    ])
    expect(top.grids[2]).toMatchObject({ reported: 0, closureRate: null })
    expect(top.categories).toEqual([
      { code: 'E0102', name: '暴露垃圾', reported: 6, closed: 3, dueToClose: 4, closureRate: 0.75 },
      { code: 'E0101', name: '私搭乱建', reported: 2, closed: 0, dueToClose: 0, closureRate: null }, // C6 not due, C7 deferred
      { code: 'E0104', name: '道路不洁', reported: 2, closed: 1, dueToClose: 2, closureRate: 0.5 },
    ])
    // Repeat-flagged: C5 and C9 (E0102, same point in A), C3 (E0104 in B).
    expect(top.repeatPlaces).toHaveLength(2)
    expect(top.repeatPlaces[0]).toMatchObject({ category: { code: 'E0102' }, count: 2, incidentIds: [ids.C5, ids.C9], lastReportedAt: '2025-03-16T23:59:00+08:00' })
    expect(top.repeatPlaces[0]!.centre[0]).toBeCloseTo(A.lng, 9)
    expect(top.repeatPlaces[0]!.centre[1]).toBeCloseTo(A.lat, 9)
    expect(top.repeatPlaces[1]).toMatchObject({ category: { code: 'E0104' }, count: 1, incidentIds: [ids.C3] })

    // The whole territory: streets, G's street first (nobody else has cases in 2025-W11).
    const city = await okStats('period=week&date=2025-03-12')
    expect(city.filter.grid).toBeNull()
    expect(city.top.grids.every((r) => r.grid.level === 1)).toBe(true)
    expect(city.top.grids[0]).toMatchObject({ grid: { id: A.path[0] }, reported: 10, closed: 4, dueToClose: 6 })
  })

  it('takes a free range, 环比 of the same length and 同比 a calendar year earlier', async () => {
    const s = await okStats(`grid=${G}&from=2025-03-10&to=2025-03-17`)
    expect(s.period).toMatchObject({ kind: 'range', label: '2025-03-10–2025-03-16', lastYear: { from: '2024-03-10T00:00:00+08:00', to: '2024-03-17T00:00:00+08:00' } })
    expect(s.kpis.closureRate).toEqual({ value: 4 / 6, numerator: 4, denominator: 6, previous: 0.5, lastYear: 1 })
    // C1 is reported at Monday 00:30 exactly: a range ending then leaves it out ([from, to)), one ending a minute later holds it.
    const early = await okStats(`grid=${G}&from=2025-03-10T00:00&to=2025-03-10T00:30`)
    expect(early.counts.reported).toBe(0)
    const withC1 = await okStats(`grid=${G}&from=2025-03-10T00:00&to=2025-03-10T00:31`)
    expect(withC1.counts.reported).toBe(1)
    expect(withC1.period.previous.label).toBe('2025-03-09T23:29:00+08:00/2025-03-10T00:00:00+08:00')
  })

  it('answers null, not 0 or NaN, where a denominator is 0', async () => {
    // 2025-03-17 holds only X1, reported and not yet filed; the day before only C9 (rejected); nothing on 2024-03-17.
    const s = await okStats(`grid=${G}&period=day&date=2025-03-17`)
    expect(s.counts.reported).toBe(1)
    expect(s.kpis.reported).toEqual({ value: 1, previous: 1, lastYear: 0 })
    for (const name of ['closureRate', 'onTimeClosureRate', 'onTimeHandlingRate', 'reworkRate', 'accurateDispatchRate', 'meanHoursToAccept', 'meanHoursToHandle', 'meanHoursToClose', 'meanRating', 'satisfiedRate'] as const) {
      expect(s.kpis[name], name).toEqual({ value: null, numerator: 0, denominator: 0, previous: null, lastYear: null })
    }
    expect(s.top.categories).toEqual([{ code: 'E0102', name: '暴露垃圾', reported: 1, closed: 0, dueToClose: 0, closureRate: null }])
    expect(s.top.repeatPlaces).toEqual([])
  })

  it('defaults to today, in Beijing', async () => {
    const s = await okStats(`grid=${G}`)
    expect(s.period.kind).toBe('day')
    expect([localDateOf(new Date(Date.now() - 60_000)), localDateOf(new Date())]).toContain(s.period.label)
    expect(s.kpis.overdueNow.value).toBe(2) // not bound to the period
  })
})

describe('GET /api/stats: scope', () => {
  const week = 'period=week&date=2025-03-12'

  it('needs a sign-in', async () => {
    const res = await app.inject(`/api/stats?${week}`)
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('UNAUTHENTICATED')
  })

  it('lets a leader see grids in their subtree, and answers 404 for any other, like an unknown grid', async () => {
    const inside = await okStats(`grid=${G}&${week}`, 'other-street') // G lies in the last street
    expect(inside.kpis.closureRate.value).toBe(4 / 6)
    const own = await okStats(week, 'other-street')
    expect(own.filter.grid).toMatchObject({ level: 1 })
    expect(own.counts.reported).toBe(10)
    const outside = await stats(`grid=${G}&${week}`, 'street')
    const unknown = await stats(`grid=2147483647&${week}`, 'street')
    expect([outside.status, outside.body.code]).toEqual([404, 'GRID_NOT_FOUND'])
    expect([unknown.status, unknown.body.code]).toEqual([404, 'GRID_NOT_FOUND'])
    expect(outside.body.message).toBe(`no grid with id ${G}`)
    const above = await stats(`grid=${(await okStats(week, 'street')).filter.grid!.id}&${week}`, 'grid') // a grid leader asking for its street
    expect(above.status).toBe(404)
  })

  it('keeps department staff to their own department', async () => {
    // 城管局: C2 (assigned) and C4 (called in).
    const own = await okStats(`grid=${G}&${week}`, 'dept-cgj')
    expect(own.filter.department).toMatchObject({ id: cgj, code: 'CGJ' })
    expect(own.counts.reported).toBe(2)
    expect(own.kpis.closureRate).toMatchObject({ numerator: 1, denominator: 2 })
    expect((await okStats(`department=${cgj}&grid=${G}&${week}`, 'dept-cgj')).counts.reported).toBe(2)
    const other = await stats(`department=${gdgs}&${week}`, 'dept-cgj')
    expect([other.status, other.body.code]).toEqual([404, 'DEPARTMENT_NOT_FOUND'])
    expect((await okStats(`grid=${G}&${week}`, 'dept-gdgs')).counts.reported).toBe(0)
    // The command centre and planners may ask for any department.
    expect((await okStats(`department=${cgj}&grid=${G}&${week}`, 'planner')).counts.reported).toBe(2)
    expect((await stats(`department=2147483647&${week}`)).body.code).toBe('DEPARTMENT_NOT_FOUND')
  })
})

describe('GET /api/stats: bad input', () => {
  it.each([
    ['period=fortnight', 'VALIDATION_FAILED'],
    ['period=week&date=2025-02-30', 'VALIDATION_FAILED'],
    ['from=2025-03-17&to=2025-03-10', 'PERIOD_INVALID'],
    ['from=2025-03-10&to=2025-03-10', 'PERIOD_INVALID'],
    ['period=week&from=2025-03-10&to=2025-03-17', 'PERIOD_INVALID'],
    ['date=2025-03-10&from=2025-03-10&to=2025-03-17', 'PERIOD_INVALID'],
    ['from=2025-03-10', 'PERIOD_INVALID'],
    ['from=yesterday&to=2025-03-17', 'VALIDATION_FAILED'],
    ['from=2025-02-30&to=2025-03-17', 'PERIOD_INVALID'],
    ['top=51', 'VALIDATION_FAILED'],
    ['grid=abc', 'VALIDATION_FAILED'],
    ['lon=113', 'VALIDATION_FAILED'],
  ])('%s → 400 %s', async (query, code) => {
    const { status, body } = await stats(query)
    expect([status, body.code], body.message).toEqual([400, code])
  })
})
