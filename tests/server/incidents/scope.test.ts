import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LngLat } from '@gezhi/geo'
import type { App } from '../../../server/src/app.ts'
import { must, pointInGridOf, report, reportBody, signIn, stepWithPhotos, tinyPng } from '../../support/incident-helpers.ts'
import { testApp } from '../../support/test-app.ts'

/**
 * Scope, for every route that reads or acts on a case: someone whose scope does not hold the
 * case gets 404 (never a hint that it exists), by id, by list, by bbox, by search, by events, by
 * photo, and by every step. Those in scope get 200.
 */
let app: App
let here: LngLat
const as: Record<string, Record<string, string>> = {}
let caseId = 0
let caseNumber = ''
let photoId = 0

beforeAll(async () => {
  app = await testApp()
  here = await pointInGridOf('micro')
  for (const u of ['admin', 'commander', 'planner', 'street', 'community', 'grid', 'worker', 'micro', 'other-street', 'dept-cgj', 'dept-gdgs']) as[u] = await signIn(app, u)
  const { incident } = await report(app, reportBody(here))
  caseId = incident.id
  caseNumber = incident.number
  await must(app, caseId, 'file', as.commander!)
  await must(app, caseId, 'dispatch', as.commander!)
  await must(app, caseId, 'accept', as.micro!)
  const handled = await stepWithPhotos(app, caseId, 'handle', as.micro!, { note: '已清理' }, [{ field: 'after', name: 'a.png', bytes: tinyPng(42) }])
  photoId = handled.body.incident.photos[0].id
})
afterAll(async () => { await app.close() })

const reads = () => [
  ['GET one', `/api/incidents/${caseId}`],
  ['GET events', `/api/incidents/${caseId}/events`],
  ['GET photo', `/api/photos/${photoId}`],
] as const

const inList = async (headers: Record<string, string>, query: string) => {
  const res = await app.inject({ url: `/api/incidents?${query}`, headers })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json().items as Array<{ id: number }>).some((i) => i.id === caseId)
}
const bbox = () => `${here[0] - 0.001},${here[1] - 0.001},${here[0] + 0.001},${here[1] + 0.001}`

describe('who sees a case routed into the first street’s first micro-grid', () => {
  it.each(['admin', 'commander', 'planner', 'street', 'community', 'grid', 'worker', 'micro'])('%s sees it by every door', async (who) => {
    for (const [what, url] of reads()) {
      const res = await app.inject({ url, headers: as[who] })
      expect(res.statusCode, `${what}: ${res.body}`).toBe(200)
    }
    expect(await inList(as[who]!, 'limit=500')).toBe(true)
    expect(await inList(as[who]!, `bbox=${bbox()}`)).toBe(true)
    expect(await inList(as[who]!, `q=${caseNumber}`)).toBe(true)
  })

  it.each(['other-street', 'dept-cgj', 'dept-gdgs'])('%s cannot find it by any door', async (who) => {
    for (const [what, url] of reads()) {
      const res = await app.inject({ url, headers: as[who] })
      expect(res.statusCode, what).toBe(404)
      expect(res.json().message).not.toContain(caseNumber)
    }
    expect(await inList(as[who]!, 'limit=500')).toBe(false)
    expect(await inList(as[who]!, `bbox=${bbox()}`)).toBe(false)
    expect(await inList(as[who]!, `q=${caseNumber}`)).toBe(false)
    expect(await inList(as[who]!, 'state=handled')).toBe(false)
    for (const step of ['check_pass', 'check_fail', 'supervise', 'defer', 'evaluate', 'accept']) {
      const res = await app.inject({ method: 'POST', url: `/api/incidents/${caseId}/steps/${step}`, payload: { note: 'x', rating: 5 }, headers: as[who] })
      expect([403, 404], `${who} ${step}: ${res.body}`).toContain(res.statusCode)
      if (res.statusCode === 403) expect(res.json().code).toBe('FORBIDDEN') // a role that can never take the step says so, without revealing the case
    }
  })

  it('the public needs a sign-in for every staff door, and a case id says nothing without its token', async () => {
    for (const [, url] of reads()) expect((await app.inject(url)).statusCode).toBe(401)
    expect((await app.inject('/api/incidents')).statusCode).toBe(401)
    expect((await app.inject({ method: 'POST', url: `/api/incidents/${caseId}/steps/check_pass`, payload: {} })).statusCode).toBe(401)
    expect((await app.inject({ url: '/api/incidents', headers: { authorization: 'Bearer not-a-token' } })).json().code).toBe('UNAUTHENTICATED')
  })

  it('a planner reads but cannot act', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/incidents/${caseId}/steps/check_pass`, payload: {}, headers: as.planner })
    expect(res.statusCode).toBe(403)
  })

  it('a department sees a case once it is dispatched to it, and only then', async () => {
    const { incident } = await report(app, reportBody(here, { category: 'E0102' }))
    const departments = (await app.inject('/api/departments')).json() as Array<{ id: number; code: string }>
    const gdgs = departments.find((d) => d.code === 'GDGS')!.id
    expect((await app.inject({ url: `/api/incidents/${incident.id}`, headers: as['dept-gdgs'] })).statusCode).toBe(404)
    await must(app, incident.id, 'file', as.commander!)
    await must(app, incident.id, 'dispatch', as.commander!, { level: 0, departmentIds: [gdgs] })
    expect((await app.inject({ url: `/api/incidents/${incident.id}`, headers: as['dept-gdgs'] })).statusCode).toBe(200)
    expect((await app.inject({ url: `/api/incidents/${incident.id}`, headers: as['dept-cgj'] })).statusCode).toBe(404)
    await must(app, incident.id, 'accept', as['dept-gdgs']!)
  })

  it('a worker below the unit cannot act for it', async () => {
    const { incident } = await report(app, reportBody(here))
    await must(app, incident.id, 'file', as.commander!)
    await must(app, incident.id, 'dispatch', as.commander!, { level: 3 }) // to the grid, above the micro-grid worker
    const res = await app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/steps/accept`, payload: {}, headers: as.micro })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('INCIDENT_NOT_YOUR_UNIT')
    await must(app, incident.id, 'accept', as.worker!)
  })
})
