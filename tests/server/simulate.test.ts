import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_CATEGORIES } from '@gezhi/geo'
import type { App } from '../../server/src/app.ts'
import { backfill } from '../../server/src/simulate/backfill.ts'
import { drawFate } from '../../server/src/simulate/behaviour.ts'
import { virtualClock } from '../../server/src/simulate/clock.ts'
import { rng } from '../../server/src/simulate/random.ts'
import { startSimulator } from '../../server/src/simulate/simulator.ts'
import { testApp } from '../support/test-app.ts'
import { testDb } from '../support/test-db.ts'

let app: App
let url: string
beforeAll(async () => {
  app = await testApp()
  url = await app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(async () => { await app.close() })

const weightOf = new Map(DEFAULT_CATEGORIES.map((c) => [c.code, c.weight]))

describe('the simulator\'s own machinery', () => {
  it('draws the same fates from the same seed, with the advertised shares', () => {
    const draw = (seed: number) => { const r = rng(seed); return Array.from({ length: 4000 }, () => drawFate(r, { handlingLevel: 4, departments: ['CGJ'] })) }
    expect(draw(9)).toEqual(draw(9))
    const fates = draw(9)
    const share = (f: (x: (typeof fates)[number]) => boolean) => fates.filter(f).length / fates.length
    expect(share((f) => f.outcome === 'reject')).toBeCloseTo(0.03, 1)
    expect(share((f) => f.checkFails > 0)).toBeCloseTo(0.10, 1)
    expect(share((f) => f.rating <= 2)).toBeCloseTo(0.10, 1)
    expect(share((f) => f.rating >= 4)).toBeGreaterThan(0.75)
    expect(share((f) => f.neglect !== null)).toBeCloseTo(0.10, 1)
  })

  it('runs a virtual clock one task at a time, in time order, and ends sleepers left at the end', async () => {
    const clock = virtualClock(0, (error) => { throw error })
    const seen: string[] = []
    let ended = 0
    for (const [name, gaps] of [['a', [5, 10, 100]], ['b', [1, 20]], ['c', [7]]] as const) {
      clock.spawn(async () => {
        for (const gap of gaps) {
          if (!(await clock.sleep(gap))) { ended++; return }
          seen.push(`${name}@${clock.now()}`)
        }
      })
    }
    await clock.run(50)
    expect(seen).toEqual(['b@1', 'a@5', 'c@7', 'a@15', 'b@21'])
    expect(ended).toBe(1) // a's last sleep (until 115) was cut by the end of the run
    expect(clock.stopped).toBe(true)
  })
})

describe('the live stream over HTTP', () => {
  it('reports a weighted mix from every source and walks cases through the whole loop, without a single 5xx', async () => {
    const warnings: string[] = []
    const simulator = startSimulator({ baseUrl: url, ratePerMin: 150, speed: 120, seed: 3, adopt: false, log: () => {}, warn: (line) => warnings.push(line) })
    expect(await simulator.ready).toBe(true)
    const db = await testDb()
    const loopDone = async () => {
      const ids = simulator.stats.created
      const [row] = await db.query<{ states: string[]; unhappy: number }>(`
        SELECT array(SELECT DISTINCT to_state FROM incident_events WHERE incident_id = ANY ($1::int[])) AS states,
               (SELECT count(*)::int FROM incidents WHERE id = ANY ($1::int[]) AND rating <= 2) AS unhappy`, [ids])
      return ids.length >= 40 && row!.unhappy > 0 && ['filed', 'dispatched', 'accepted', 'handled', 'closed', 'evaluated'].every((s) => row!.states.includes(s))
    }
    // Run until the loop has been seen end to end (a fast machine stops early), at most 35 s.
    const deadline = Date.now() + 35_000
    while (Date.now() < deadline && !(await loopDone())) await new Promise((resolve) => setTimeout(resolve, 1000))
    await simulator.stop()

    const { created, serverErrors, failures } = simulator.stats
    expect(serverErrors, warnings.join('\n')).toBe(0)
    expect(Object.keys(failures).filter((status) => Number(status) >= 500)).toEqual([])
    expect(created.length).toBeGreaterThanOrEqual(40)

    const cases = await db.query<{ id: number; category_code: string; source: string; state: string; rating: number | null; input_crs: string }>(
      'SELECT id, category_code, source, state, rating, input_crs FROM incidents WHERE id = ANY ($1::int[])', [created])
    expect(cases).toHaveLength(created.length)

    // The mix: 非法小广告 and 暴露垃圾 lead, and the heavy categories make most of it.
    const count = new Map<string, number>()
    for (const c of cases) count.set(c.category_code, (count.get(c.category_code) ?? 0) + 1)
    const ranked = [...count.entries()].sort((a, b) => b[1] - a[1])
    expect(['E0201', 'E0102']).toContain(ranked[0]![0])
    expect(((count.get('E0201') ?? 0) + (count.get('E0102') ?? 0)) / cases.length).toBeGreaterThanOrEqual(0.2)
    const heavy = cases.filter((c) => (weightOf.get(c.category_code) ?? 0) >= 5).length
    expect(heavy / cases.length).toBeGreaterThanOrEqual(0.4)
    for (const source of ['resident', 'patrol', 'hotline']) expect(cases.map((c) => c.source)).toContain(source)

    // The loop, end to end, in the cases' own histories.
    const events = await db.query<{ type: string; to_state: string | null }>('SELECT type, to_state FROM incident_events WHERE incident_id = ANY ($1::int[])', [created])
    const reached = new Set(events.map((e) => e.to_state))
    for (const state of ['reported', 'filed', 'dispatched', 'accepted', 'handled', 'closed', 'evaluated']) expect(reached, state).toContain(state)
    expect(cases.filter((c) => c.rating !== null && c.rating <= 2).length).toBeGreaterThan(0)
    expect(cases.filter((c) => c.rating !== null && c.rating >= 4).length).toBeGreaterThan(0)
    const photos = await db.query<{ kind: string }>('SELECT DISTINCT kind FROM photos WHERE incident_id = ANY ($1::int[])', [created])
    expect(photos.map((p) => p.kind)).toEqual(expect.arrayContaining(['after']))
  }, 60_000)
})

describe('the backfill through the service layer', () => {
  it('writes a day of history whose reports, events and due times carry simulated times across that day', async () => {
    const db = await testDb()
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000)
    const from = end.getTime() - 86_400_000
    const result = await backfill({ db, days: 1, perDay: 48, seed: 5, end, dataDir: mkdtempSync(path.join(tmpdir(), 'gezhi-backfill-')), log: () => {} })
    expect(result.stats.serverErrors).toBe(0)
    const ids = result.stats.created
    expect(ids.length).toBeGreaterThanOrEqual(25)

    const cases = await db.query<{ id: number; reported_at: Date; filed_at: Date | null; dispatched_at: Date | null; closed_at: Date | null; due_dispatch_at: Date; due_handle_at: Date | null }>(
      'SELECT id, reported_at, filed_at, dispatched_at, closed_at, due_dispatch_at, due_handle_at FROM incidents WHERE id = ANY ($1::int[]) ORDER BY id', [ids])
    const reported = cases.map((c) => c.reported_at.getTime())
    for (const t of reported) expect(t >= from && t <= end.getTime()).toBe(true)
    expect(Math.max(...reported) - Math.min(...reported)).toBeGreaterThan(12 * 3600_000) // spread over the day
    const daytime = reported.filter((t) => { const h = new Date(t + 8 * 3600_000).getUTCHours(); return h >= 8 && h < 20 }).length
    expect(daytime / reported.length).toBeGreaterThan(0.6) // the day/night rhythm: 8–20 h carry most reports
    expect(reported).toEqual([...reported].sort((a, b) => a - b)) // written in time order

    const events = await db.query<{ incident_id: number; type: string; at: Date }>(
      'SELECT incident_id, type, at FROM incident_events WHERE incident_id = ANY ($1::int[]) ORDER BY id', [ids])
    const byCase = new Map<number, typeof events>()
    for (const e of events) byCase.set(e.incident_id, [...(byCase.get(e.incident_id) ?? []), e])
    let checked = 0
    for (const c of cases) {
      const history = byCase.get(c.id)!
      expect(history[0]).toMatchObject({ type: 'reported', at: c.reported_at })
      for (let i = 1; i < history.length; i++) expect(history[i]!.at.getTime()).toBeGreaterThanOrEqual(history[i - 1]!.at.getTime())
      for (const e of history) expect(e.at.getTime()).toBeLessThanOrEqual(end.getTime())
      const at = (type: string) => history.find((e) => e.type === type)?.at
      if (c.filed_at && at('file')) expect(at('file')).toEqual(c.filed_at) // a case fixed on the spot has no 'file' step
      if (c.dispatched_at && at('dispatch')) {
        expect(at('dispatch')).toEqual(c.dispatched_at)
        expect(c.due_handle_at!.getTime()).toBeGreaterThan(c.dispatched_at.getTime()) // due times count from the simulated step
        checked++
      }
      if (c.closed_at && at('check_pass')) expect(at('check_pass')).toEqual(c.closed_at)
      expect(c.due_dispatch_at.getTime()).toBeGreaterThan(c.reported_at.getTime())
      expect(c.due_dispatch_at.getTime() - c.reported_at.getTime()).toBeLessThan(3 * 86_400_000)
    }
    expect(checked).toBeGreaterThan(20)
    // Nothing was stamped with the real clock: every event of these cases lies inside the simulated day.
    const stamps = events.map((e) => e.at.getTime())
    expect(Math.min(...stamps)).toBeGreaterThanOrEqual(from)
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['file', 'dispatch', 'accept', 'handle', 'check_pass', 'evaluate']))
  }, 60_000)
})
