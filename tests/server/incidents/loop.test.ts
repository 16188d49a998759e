import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncidentEvent, LngLat } from '@gezhi/geo'
import type { App } from '../../../server/src/app.ts'
import { replay, type IncidentMutable } from '../../../server/src/modules/incidents/incident-record.ts'
import { toRecord, type RecordRow } from '../../../server/src/modules/incidents/incident-rows.ts'
import { must, pointInGridOf, report, reportBody, signIn, step, stepWithPhotos, tinyPng } from '../../support/incident-helpers.ts'
import { testApp } from '../../support/test-app.ts'
import { testDb } from '../../support/test-db.ts'

let app: App
let here: LngLat
const as: Record<string, Record<string, string>> = {}
beforeAll(async () => {
  app = await testApp()
  here = await pointInGridOf('micro')
  for (const u of ['commander', 'street', 'community', 'grid', 'worker', 'micro', 'dept-cgj', 'dept-gdgs', 'dept-swjt', 'other-street']) as[u] = await signIn(app, u)
})
afterAll(async () => { await app.close() })

const photo = (field: 'before' | 'after', seed = 1) => ({ field, name: `${field}.png`, bytes: tinyPng(seed) })

/** The mutable state as the database holds it now. */
async function stored(id: number): Promise<IncidentMutable> {
  const db = await testDb()
  const [row] = await db.query<RecordRow>(`SELECT * FROM incidents WHERE id = $1`, [id])
  const { id: _i, number: _n, categoryCode: _c, gridPath: _g, reportedAt: _r, dueDispatchAt: _d, ...mutable } = toRecord(row!)
  return mutable
}

describe('the closed loop: report → file → dispatch → accept → handle → check → evaluate', () => {
  it('walks a case through every main step, with rework, and its history replays to its state', async () => {
    const reported = await report(app, reportBody(here))
    expect(reported.created).toBe(true)
    const { incident } = reported
    expect(incident.state).toBe('reported')
    expect(incident.number).toMatch(/^\d{8}-\d{6}$/)
    expect(incident.grids.map((g) => g.level)).toEqual([1, 2, 3, 4])
    expect(incident.times.dueDispatchAt > incident.times.reportedAt).toBe(true)
    expect(incident).not.toHaveProperty('reporter')
    const id = incident.id

    await must(app, id, 'file', as.commander!)
    const dispatched = await must(app, id, 'dispatch', as.commander!)
    expect(dispatched.incident.unit).toMatchObject({ level: 4, gridId: incident.grids[3]!.id }) // 暴露垃圾 is handled in the micro-grid
    expect(dispatched.incident.times.dueHandleAt).not.toBeNull()
    await must(app, id, 'accept', as.micro!)

    const noPhoto = await step(app, id, 'handle', as.micro!, { note: '已清理' })
    expect(noPhoto.status).toBe(400)
    expect(noPhoto.body.code).toBe('PHOTO_REQUIRED')

    const handled = await stepWithPhotos(app, id, 'handle', as.micro!, { note: '已清理' }, [photo('before'), photo('after', 2)])
    expect(handled.status).toBe(200)
    expect(handled.body.incident.state).toBe('handled')
    expect(handled.body.incident.photos.map((p: { kind: string }) => p.kind)).toEqual(['before', 'after'])

    const failed = await must(app, id, 'check_fail', as.grid!, { note: '现场仍有垃圾' })
    expect(failed.incident).toMatchObject({ state: 'rework', counts: { reworks: 1 } })
    await stepWithPhotos(app, id, 'handle', as.micro!, { note: '复查后再次清理' }, [photo('after', 3)])
    const closed = await must(app, id, 'check_pass', as.grid!)
    expect(closed.incident.state).toBe('closed')
    expect(closed.incident.times.closedAt).not.toBeNull()

    const rated = await app.inject({ method: 'POST', url: `/api/track/${reported.trackingToken}/evaluate`, payload: { rating: 4, note: '处理及时' } })
    expect(rated.statusCode, rated.body).toBe(200)
    expect(rated.json().incident).toMatchObject({ state: 'evaluated', rating: 4 })

    const events = (await app.inject({ url: `/api/incidents/${id}/events`, headers: as.commander })).json() as IncidentEvent[]
    // A repeat flag depends on what other test files reported nearby: leave it out of the comparison.
    const steps = events.filter((e) => e.type !== 'repeat_flagged')
    expect(steps.map((e) => e.type)).toEqual(['reported', 'file', 'dispatch', 'accept', 'handle', 'check_fail', 'handle', 'check_pass', 'evaluate'])
    expect(steps.map((e) => e.toState)).toEqual(['reported', 'filed', 'dispatched', 'accepted', 'handled', 'rework', 'handled', 'closed', 'evaluated'])
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id)
      expect(events[i]!.fromState).toBe(events[i - 1]!.toState)
    }
    expect(steps[3]!.actor).toMatchObject({ kind: 'worker', name: expect.any(String) })
    const replayed = replay(events.map((e) => (e.data as { set: Partial<IncidentMutable> }).set))
    expect(replayed).toEqual(await stored(id))
  })

  it('lets the reporter follow the case by its tracking token, and nobody else by a forged one', async () => {
    const { incident, trackingToken } = await report(app, reportBody(here))
    const res = await app.inject(`/api/track/${trackingToken}`)
    expect(res.statusCode).toBe(200)
    expect(res.json().incident.id).toBe(incident.id)
    expect(res.json().timeline[0]).toMatchObject({ type: 'reported', toState: 'reported' })
    const forged = trackingToken.slice(0, -2) + (trackingToken.endsWith('AA') ? 'BB' : 'AA')
    expect((await app.inject(`/api/track/${forged}`)).statusCode).toBe(404)
    const early = await app.inject({ method: 'POST', url: `/api/track/${trackingToken}/evaluate`, payload: { rating: 5 } })
    expect(early.statusCode).toBe(409) // not closed yet
    expect(early.json().code).toBe('INCIDENT_ILLEGAL_TRANSITION')
  })
})

describe('escalation and 街道吹哨、部门报到', () => {
  it('escalates micro-grid → grid → community → street, then the street calls in departments who report in and reply', async () => {
    const { incident } = await report(app, reportBody(here))
    const id = incident.id
    await must(app, id, 'file', as.commander!)
    await must(app, id, 'dispatch', as.commander!)
    const levels: number[] = []
    for (const who of ['micro', 'worker', 'community']) {
      const r = await must(app, id, 'escalate', as[who]!, { note: '本级无法处置' })
      levels.push(r.incident.unit.level!)
    }
    expect(levels).toEqual([3, 2, 1])
    const top = await step(app, id, 'escalate', as.street!, { note: '需要部门' })
    expect(top.status).toBe(409)
    expect(top.body.code).toBe('INCIDENT_ESCALATION_AT_TOP')

    const departments = (await app.inject('/api/departments')).json() as Array<{ id: number; code: string }>
    const cgj = departments.find((d) => d.code === 'CGJ')!.id
    const gdgs = departments.find((d) => d.code === 'GDGS')!.id
    expect((await step(app, id, 'whistle', as.community!, { departmentIds: [cgj] })).status).toBe(403) // only the street blows the whistle
    const whistled = await must(app, id, 'whistle', as.street!, { departmentIds: [cgj, gdgs], note: '吹哨' })
    expect(whistled.incident.state).toBe('coordinating')

    expect((await step(app, id, 'report_in', as['dept-swjt']!)).status).toBe(404) // not called in: the case does not exist for it
    await must(app, id, 'report_in', as['dept-cgj']!)
    expect((await step(app, id, 'report_in', as['dept-cgj']!)).body.code).toBe('INCIDENT_NOT_WHISTLED')
    const first = await must(app, id, 'reply', as['dept-cgj']!, { note: '城管已到场' })
    expect(first.incident.state).toBe('coordinating')
    const last = await must(app, id, 'reply', as['dept-gdgs']!, { note: '供电已恢复' })
    expect(last.incident.state).toBe('handled')
    const db = await testDb()
    const rows = await db.query<{ replied: boolean }>('SELECT replied_at IS NOT NULL AS replied FROM incident_departments WHERE incident_id = $1', [id])
    expect(rows).toEqual([{ replied: true }, { replied: true }])
  })
})

describe('a case called in straight from filing', () => {
  it('goes back to the departments after a failed check, not to nobody', async () => {
    const { incident } = await report(app, reportBody(here))
    const id = incident.id
    await must(app, id, 'file', as.commander!)
    const departments = (await app.inject('/api/departments')).json() as Array<{ id: number; code: string }>
    const cgj = departments.find((d) => d.code === 'CGJ')!.id
    const whistled = await must(app, id, 'whistle', as.commander!, { departmentIds: [cgj], note: '直接吹哨' })
    expect(whistled.incident.unit).toMatchObject({ level: 0, departmentIds: [cgj] })
    const replied = await must(app, id, 'reply', as['dept-cgj']!, { note: '已处理' })
    expect(replied.incident.state).toBe('handled')
    expect(replied.incident.calledIn).toEqual([{ departmentId: cgj, reportedIn: true, replied: true }])
    await must(app, id, 'check_fail', as.commander!, { note: '未处理到位' })
    const again = await stepWithPhotos(app, id, 'handle', as['dept-cgj']!, { note: '返工完成' }, [photo('after', 21)])
    expect(again.status, JSON.stringify(again.body)).toBe(200)
    expect(again.body.incident.state).toBe('handled')
  })
})

describe('side paths', () => {
  async function accepted() {
    const { incident } = await report(app, reportBody(here))
    await must(app, incident.id, 'file', as.commander!)
    await must(app, incident.id, 'dispatch', as.commander!)
    await must(app, incident.id, 'accept', as.micro!)
    return incident.id
  }

  it('extends a deadline once approved (延期), and refuses a second request while one waits', async () => {
    const id = await accepted()
    const before = (await app.inject({ url: `/api/incidents/${id}`, headers: as.commander })).json()
    await must(app, id, 'request_extension', as.micro!, { note: '需要等待物业配合', extension: { clock: 'working_days', amount: 2 } })
    const again = await step(app, id, 'request_extension', as.micro!, { note: '再延', extension: { clock: 'working_days', amount: 1 } })
    expect(again.body.code).toBe('INCIDENT_EXTENSION_PENDING')
    const approved = await must(app, id, 'approve_extension', as.commander!)
    expect(Date.parse(approved.incident.times.dueHandleAt!) - Date.parse(before.times.dueHandleAt)).toBeGreaterThanOrEqual(14 * 3600_000) // two working days: 14 working hours or more
    expect(approved.incident.flags.extensionRequested).toBe(false)
    expect((await step(app, id, 'approve_extension', as.commander!)).body.code).toBe('INCIDENT_NO_EXTENSION_PENDING')
  })

  it('defers (缓办) and resumes, returns a wrong dispatch (退回), and supervises (督办)', async () => {
    const id = await accepted()
    const deferred = await must(app, id, 'defer', as.commander!, { note: '等待拆迁' })
    expect(deferred.incident.times.dueAt).toBeNull() // the clock stops
    expect((await must(app, id, 'resume', as.commander!)).incident.state).toBe('filed')
    await must(app, id, 'dispatch', as.commander!)
    const returned = await must(app, id, 'return', as.micro!, { note: '不属于本网格' })
    expect(returned.incident).toMatchObject({ state: 'filed', counts: { returns: 1, dispatches: 2 }, unit: { level: null } })
    expect((await must(app, id, 'supervise', as.commander!, { note: '领导督办' })).incident.flags.supervised).toBe(true)
  })

  it('appeals (申诉): upheld goes back for dispatch, dismissed goes back to work', async () => {
    const a = await accepted()
    await must(app, a, 'appeal', as.micro!, { note: '非本单位职责' })
    expect((await must(app, a, 'uphold_appeal', as.commander!)).incident.state).toBe('filed')
    const b = await accepted()
    await must(app, b, 'appeal', as.micro!, { note: '非本单位职责' })
    expect((await must(app, b, 'dismiss_appeal', as.commander!, { note: '属于本网格' })).incident.state).toBe('accepted')
  })

  it('rejects (不予立案) and voids (作废) with a reason', async () => {
    const { incident: a } = await report(app, reportBody(here))
    expect((await step(app, a.id, 'reject', as.commander!)).body.code).toBe('VALIDATION_FAILED')
    expect((await must(app, a.id, 'reject', as.commander!, { note: '非城市管理问题' })).incident.state).toBe('rejected')
    const { incident: b } = await report(app, reportBody(here))
    expect((await must(app, b.id, 'void', as.commander!, { note: '重复上报' })).incident.state).toBe('voided')
  })

  it('lets a grid worker fix a case on the spot (自行处置) with an after photo', async () => {
    const { multipart } = await import('../../support/incident-helpers.ts')
    const form = multipart({ ...reportBody(here, { source: 'patrol' }), selfHandled: true }, [photo('after', 9)])
    const res = await app.inject({ method: 'POST', url: '/api/incidents', payload: form.payload, headers: { ...as.micro, ...form.headers } })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().incident).toMatchObject({ state: 'closed', unit: { level: 4 } })
    const publicTry = multipart({ ...reportBody(here), selfHandled: true }, [photo('after', 10)])
    const refused = await app.inject({ method: 'POST', url: '/api/incidents', payload: publicTry.payload, headers: publicTry.headers })
    expect(refused.statusCode).toBe(403)
  })
})
