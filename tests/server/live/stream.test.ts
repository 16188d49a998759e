import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Socket } from 'socket.io-client'
import type { Ack, IncidentDelta, LngLat, Missed, Snapshot } from '@gezhi/geo'
import type { App } from '../../../server/src/app.ts'
import { must, pointInGridOf, report, reportBody, signIn } from '../../support/incident-helpers.ts'
import { collectDeltas, connected, connectSocket, eventually } from '../../support/live-clients.ts'
import { testApp } from '../../support/test-app.ts'

let app: App
let url: string
let here: LngLat
const tokens: Record<string, string> = {}
const as: Record<string, Record<string, string>> = {}
const sockets: Socket[] = []

beforeAll(async () => {
  app = await testApp()
  url = await app.listen({ port: 0, host: '127.0.0.1' })
  here = await pointInGridOf('micro')
  for (const u of ['commander', 'street', 'micro', 'other-street', 'dept-gdgs', 'dept-cgj']) {
    as[u] = await signIn(app, u)
    tokens[u] = as[u]!.authorization!.slice('Bearer '.length)
  }
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await app.close()
})

async function open(who?: string) {
  const socket = connectSocket(url, who ? tokens[who] : undefined)
  sockets.push(socket)
  const deltas = collectDeltas(socket)
  await connected(socket)
  return { socket, deltas }
}
/**
 * The workflow steps among a case's event types. Every test reports at one point in one category,
 * so after the third case each new one is also flagged as a repeat place (its own event).
 */
const workflow = (types: string[]) => types.filter((t) => t !== 'repeat_flagged')
const ask = <T>(socket: Socket, name: string, args: unknown) => socket.timeout(5000).emitWithAck(name, args) as Promise<Ack<T>>

describe('the live stream', () => {
  it('gives a snapshot stating its seq, then every fact of a case in order', async () => {
    const { socket, deltas } = await open('commander')
    const snapshot = await ask<Snapshot>(socket, 'snapshot:get', {})
    expect(snapshot.ok).toBe(true)
    const { seq } = (snapshot as { data: Snapshot }).data
    expect(seq).toBeGreaterThanOrEqual(0)

    const { incident } = await report(app, reportBody(here))
    await eventually(() => deltas.some((d) => d.incident.id === incident.id), 5000, 'incident:created')
    await must(app, incident.id, 'file', as.commander!)
    await must(app, incident.id, 'dispatch', as.commander!)
    await eventually(() => workflow(deltas.filter((d) => d.incident.id === incident.id).map((d) => d.type)).length >= 3, 2000, 'three deltas')

    const mine = deltas.filter((d) => d.incident.id === incident.id)
    expect(workflow(mine.map((d) => d.type))).toEqual(['reported', 'file', 'dispatch'])
    expect(mine[0]).toMatchObject({ type: 'reported', toState: 'reported', incident: { id: incident.id, state: expect.any(String), gridPath: expect.any(Array) } })
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]!.seq).toBeGreaterThan(deltas[i - 1]!.seq)
    expect(mine[0]!.seq).toBeGreaterThan(seq)
    expect(mine.at(-1)!.incident.state).toBe('dispatched')
    expect(mine[0]!.incident).not.toHaveProperty('reporter')
  })

  it('reaches every ancestor’s leader, the departments involved, and nobody else', async () => {
    const street = await open('street')
    const micro = await open('micro')
    const other = await open('other-street')
    const gdgs = await open('dept-gdgs')
    const cgj = await open('dept-cgj')
    const { incident } = await report(app, reportBody(here))
    await must(app, incident.id, 'file', as.commander!)
    const seen = (c: { deltas: IncidentDelta[] }) => workflow(c.deltas.filter((d) => d.incident.id === incident.id).map((d) => d.type))
    // A delta carries the case as it is when published, and goes to the rooms of that case: had
    // the filing still been unpublished at the dispatch, the department would hear of it too.
    await eventually(() => seen(street).includes('file'), 3000, 'the filing published')
    const departments = (await app.inject('/api/departments')).json() as Array<{ id: number; code: string }>
    await must(app, incident.id, 'dispatch', as.commander!, { level: 0, departmentIds: [departments.find((d) => d.code === 'GDGS')!.id] })
    await eventually(() => seen(gdgs).includes('dispatch') && seen(street).length >= 3 && seen(micro).length >= 3, 3000, 'deltas')
    expect(seen(street)).toEqual(['reported', 'file', 'dispatch'])
    expect(seen(micro)).toEqual(['reported', 'file', 'dispatch'])
    expect(seen(gdgs)).toEqual(['dispatch']) // it is in the department's scope from the dispatch on
    await new Promise((r) => setTimeout(r, 300))
    expect(seen(other)).toEqual([])
    expect(seen(cgj)).toEqual([])
  })

  it('reaches the sockets of a second server on the same database that shares no broadcast with the first', async () => {
    // Without Redis each server publishes the whole stream to its own sockets, whoever numbered it
    // (once, only the holder of the PostgreSQL lock published and the other server's clients heard nothing).
    const second = await testApp()
    try {
      const socket = connectSocket(await second.listen({ port: 0, host: '127.0.0.1' }), tokens.commander)
      sockets.push(socket)
      const deltas = collectDeltas(socket)
      await connected(socket)
      const { incident } = await report(app, reportBody(here))
      await must(app, incident.id, 'file', as.commander!)
      await eventually(() => workflow(deltas.filter((d) => d.incident.id === incident.id).map((d) => d.type)).length === 2, 5000, 'both facts through the second server')
      const { incident: other } = await report(second, reportBody(here))
      await eventually(() => deltas.some((d) => d.incident.id === other.id), 5000, 'its own report')
      for (let i = 1; i < deltas.length; i++) expect(deltas[i]!.seq).toBeGreaterThan(deltas[i - 1]!.seq)
    } finally {
      await second.close()
    }
  })

  it('lets the public follow only their own case, by its tracking token', async () => {
    const anon = await open()
    const refused = await ask<Snapshot>(anon.socket, 'snapshot:get', {})
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const mine = await report(app, reportBody(here))
    const theirs = await report(app, reportBody(here))
    const joined = await ask<{ incidentId: number }>(anon.socket, 'track:join', { token: mine.trackingToken })
    expect(joined).toEqual({ ok: true, data: { incidentId: mine.incident.id } })
    await must(app, mine.incident.id, 'file', as.commander!)
    await must(app, theirs.incident.id, 'file', as.commander!)
    await eventually(() => anon.deltas.some((d) => d.incident.id === mine.incident.id), 2000, 'own case')
    await new Promise((r) => setTimeout(r, 300))
    expect(anon.deltas.every((d) => d.incident.id === mine.incident.id)).toBe(true)
    const snapshot = await ask<Snapshot>(anon.socket, 'snapshot:get', {})
    expect((snapshot as { data: Snapshot }).data.incidents.map((i) => i.id)).toEqual([mine.incident.id])
    expect(await ask(anon.socket, 'track:join', { token: `${mine.incident.number}.forgedforgedforgedforg` })).toMatchObject({ ok: false, error: { code: 'INCIDENT_NOT_FOUND' } })
  })

  it('refuses a room outside the caller’s scope, and validates every command’s arguments', async () => {
    const other = await open('other-street')
    const street = await open('street')
    const { incident } = await report(app, reportBody(here))
    const outside = await ask(other.socket, 'scope:focus', { grid: incident.grids[2]!.id })
    expect(outside).toMatchObject({ ok: false, error: { code: 'GRID_NOT_FOUND' } })
    const inside = await ask(street.socket, 'scope:focus', { grid: incident.grids[2]!.id })
    expect(inside).toEqual({ ok: true, data: { scope: `grid:${incident.grids[2]!.id}` } })
    const dept = await open('dept-gdgs')
    expect(await ask(dept.socket, 'scope:focus', { grid: incident.grids[0]!.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    for (const [name, args] of [['sync:since', { seq: -1 }], ['sync:since', { seq: 'x' }], ['sync:since', {}], ['scope:focus', { grid: 'all' }], ['snapshot:get', { room: 'all' }], ['track:join', { token: 1 }], ['track:join', null]] as const) {
      expect(await ask(street.socket, name, args), `${name} ${JSON.stringify(args)}`).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    }
    street.socket.emit('join', 'all') // not a command: ignored
    street.socket.emit('snapshot:get', {}) // no ack: ignored, nothing breaks
    expect((await ask(street.socket, 'snapshot:get', {})).ok).toBe(true)
  })

  it('refuses a handshake with a forged token', async () => {
    const socket = connectSocket(url, 'forged.token.value')
    sockets.push(socket)
    await expect(connected(socket)).rejects.toThrow(/UNAUTHENTICATED/)
  })

  it('replays what a reconnecting client missed, in order, or tells it to take a snapshot', async () => {
    const { socket } = await open('commander')
    const snapshot = (await ask<Snapshot>(socket, 'snapshot:get', {})) as { data: Snapshot }
    socket.disconnect()
    const created: number[] = []
    for (let i = 0; i < 3; i++) created.push((await report(app, reportBody(here))).incident.id)
    await eventually(async () => {
      const { socket: probe } = await open('commander')
      const s = (await ask<Snapshot>(probe, 'snapshot:get', {})) as { data: Snapshot }
      probe.disconnect()
      return created.every((id) => s.data.incidents.some((i) => i.id === id))
    }, 3000, 'cases numbered')
    socket.connect()
    await connected(socket)
    const missed = (await ask<Missed>(socket, 'sync:since', { seq: snapshot.data.seq })) as { data: Missed }
    expect(missed.data.reset).toBe(false)
    const ids = missed.data.deltas.map((d) => d.incident.id)
    for (const id of created) expect(ids).toContain(id)
    const seqs = missed.data.deltas.map((d) => d.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(seqs.length)
  })
})
