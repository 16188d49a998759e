import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncidentEvent, LngLat } from '@gezhi/geo'
import type { App } from '../../../server/src/app.ts'
import { sweepDeadlines } from '../../../server/src/modules/deadlines/deadlines.sweep.ts'
import { eventsNumbered, must, pointInGridOf, report, reportBody, signIn } from '../../support/incident-helpers.ts'
import { testApp } from '../../support/test-app.ts'
import { testDb } from '../../support/test-db.ts'

let app: App
let here: LngLat
const as: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  app = await testApp()
  here = await pointInGridOf('micro')
  for (const u of ['commander', 'micro']) as[u] = await signIn(app, u)
})
afterAll(async () => { await app.close() })

const view = async (id: number) => (await app.inject({ url: `/api/incidents/${id}`, headers: as.commander })).json()
/** Event types of a case; repeat flags depend on what other test files reported nearby, so they are left out. */
const events = async (id: number) => ((await app.inject({ url: `/api/incidents/${id}/events`, headers: as.commander })).json() as IncidentEvent[])
  .map((e) => e.type).filter((t) => t !== 'repeat_flagged')
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms)

// Sweeps are limited to this file's cases: the database is shared with other test files running meanwhile.
describe('the deadline scheduler', () => {
  it('warns at 80 % of a stage’s limit, marks overdue at 100 %, once each, and a new stage starts fresh', async () => {
    const db = await testDb()
    const { incident } = await report(app, reportBody(here))
    expect(incident.times.warnAt! < incident.times.dueAt!).toBe(true)
    // 80 % of the dispatch limit measured from the report: the warning time lies 4/5 of the way to the due time.
    const share = (Date.parse(incident.times.warnAt!) - Date.parse(incident.times.reportedAt)) / (Date.parse(incident.times.dueAt!) - Date.parse(incident.times.reportedAt))
    expect(share).toBeCloseTo(0.8, 2)

    await eventsNumbered([incident.id])
    await sweepDeadlines(db, { now: plus(incident.times.warnAt!, -1000), incidentIds: [incident.id] })
    expect((await view(incident.id)).flags.overdue).toBe(false)
    expect(await events(incident.id)).toEqual(['reported'])

    await eventsNumbered([incident.id])
    await sweepDeadlines(db, { now: plus(incident.times.warnAt!, 1000), incidentIds: [incident.id] })
    await sweepDeadlines(db, { now: plus(incident.times.warnAt!, 2000), incidentIds: [incident.id] })
    expect(await events(incident.id)).toEqual(['reported', 'warned'])

    await eventsNumbered([incident.id])
    await sweepDeadlines(db, { now: plus(incident.times.dueAt!, 1000), incidentIds: [incident.id] })
    await sweepDeadlines(db, { now: plus(incident.times.dueAt!, 5000), incidentIds: [incident.id] })
    const late = await view(incident.id)
    expect(late.flags).toMatchObject({ overdue: true, everOverdue: true })
    expect(await events(incident.id)).toEqual(['reported', 'warned', 'overdue'])

    await must(app, incident.id, 'file', as.commander!)
    expect((await view(incident.id)).flags.overdue).toBe(true) // still the dispatch stage, still late
    const dispatched = await must(app, incident.id, 'dispatch', as.commander!)
    expect(dispatched.incident.flags).toMatchObject({ overdue: false, everOverdue: true })
    expect(dispatched.incident.times.dueAt).toBe(dispatched.incident.times.dueHandleAt)
  })

  it('escalates an overdue case to the level above when asked to', async () => {
    const db = await testDb()
    const { incident } = await report(app, reportBody(here))
    await must(app, incident.id, 'file', as.commander!)
    const { incident: dispatched } = await must(app, incident.id, 'dispatch', as.commander!)
    expect(dispatched.unit.level).toBe(4)
    await eventsNumbered([incident.id])
    const result = await sweepDeadlines(db, { now: plus(dispatched.times.dueHandleAt!, 1000), autoEscalate: true, incidents: app.incidents, incidentIds: [incident.id] })
    expect(result).toEqual({ warned: 1, overdue: 1, escalated: 1 })
    const after = await view(incident.id)
    expect(after.unit.level).toBe(3)
    expect((await app.inject({ url: `/api/incidents/${incident.id}/events`, headers: as.commander })).json().at(-1)).toMatchObject({ type: 'escalate', actor: { kind: 'system' } })
  })
})

describe('due times follow the work calendar', () => {
  // 政策咨询 (G0401) is dispatched within 2 working hours; working time is 9:00–12:00 and 13:30–17:30, Beijing time.
  const at = async (reportedAt: string) => {
    const category = app.reference.category('G0401')
    expect(category.limits.dispatch).toEqual({ clock: 'working_hours', amount: 2 })
    const { incident } = await app.incidents.report({ kind: 'system' }, reportBody(here, { category: 'G0401', source: 'hotline' }), [], { reportedAt: new Date(reportedAt) })
    return new Date(incident.times.dueDispatchAt).toISOString()
  }

  it('a Friday-evening report is due on Monday morning', async () => {
    // Fri 2026-11-20 18:00: after hours; Monday 2026-11-23 9:00 + 2 h = 11:00.
    expect(await at('2026-11-20T18:00:00+08:00')).toBe(new Date('2026-11-23T11:00:00+08:00').toISOString())
  })

  it('a report just before 国庆 is due after the holiday week', async () => {
    // Wed 2026-09-30 17:00: 0.5 h left that day; Oct 1–7 off; Thu Oct 8 9:00 + 1.5 h = 10:30.
    expect(await at('2026-09-30T17:00:00+08:00')).toBe(new Date('2026-10-08T10:30:00+08:00').toISOString())
  })

  it('a make-up Saturday (调休) is a working day', async () => {
    // Sat 2026-10-10 is worked in exchange for the holiday: 9:00 + 2 h = 11:00 the same day.
    expect(await at('2026-10-10T09:00:00+08:00')).toBe(new Date('2026-10-10T11:00:00+08:00').toISOString())
  })

  it('a lunch-break report starts counting at 13:30', async () => {
    // Tue 2026-11-24 12:30: 13:30 + 2 h = 15:30.
    expect(await at('2026-11-24T12:30:00+08:00')).toBe(new Date('2026-11-24T15:30:00+08:00').toISOString())
  })
})
