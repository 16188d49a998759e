import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { IncidentStep, IncidentSummary, LngLat } from '@gezhi/geo'
import type { App } from '../../../server/src/app.ts'
import type { Actor, TokenClaims } from '../../../server/src/plugins/auth.ts'
import { SNAPSHOT, SUMMARIES } from '../../../server/src/live/live.queries.ts'
import { startOfToday } from '../../../server/src/live/rooms.ts'
import type { IncomingPhoto } from '../../../server/src/modules/incidents/photos.ts'
import { seededRandom } from '../../../server/src/seed/random.ts'
import { reportBody, signIn, tinyPng } from '../../support/incident-helpers.ts'
import { connected, connectSocket, eventually, syncedClient } from '../../support/live-clients.ts'
import { testApp } from '../../support/test-app.ts'
import { testDb } from '../../support/test-db.ts'

/**
 * 1,000 cases reported and moved through their steps while live clients are cut off at random
 * moments; at the end every client holds exactly what the server holds for its scope: nothing
 * missing, nothing doubled, order kept.
 */
const CASES = Number(process.env.CONVERGENCE_CASES ?? 1000)
let app: App
let url: string
const actors: Record<string, Actor> = {}
const tokens: Record<string, string> = {}

beforeAll(async () => {
  app = await testApp()
  url = await app.listen({ port: 0, host: '127.0.0.1' })
  for (const u of ['commander', 'street', 'grid', 'micro', 'dept-gdgs']) {
    const headers = await signIn(app, u)
    tokens[u] = headers.authorization!.slice('Bearer '.length)
    actors[u] = { kind: 'user', ...app.jwt.verify<TokenClaims>(tokens[u]!) }
  }
})
afterAll(async () => { await app.close() })

const photo: IncomingPhoto = { kind: 'after', mime: 'image/png', bytes: tinyPng(5), sha256: createHash('sha256').update(tinyPng(5)).digest('hex') }

describe('live clients under random disconnects', () => {
  it(`end with exactly the server's state after ${CASES} cases`, { timeout: 600_000 }, async () => {
    const db = await testDb()
    const random = seededRandom(4242)
    // Places in the first street, so the street, grid and micro-grid leaders all see a share.
    const places = (await db.query<{ lng: number; lat: number }>(`
      SELECT ST_X(b.label_point) AS lng, ST_Y(b.label_point) AS lat FROM grids g
        JOIN grid_boundaries b ON b.grid_id = g.id AND b.generation_to IS NULL
       WHERE g.level = 4 AND g.path[1] = (SELECT grid_id FROM users WHERE username = 'street') ORDER BY g.code LIMIT 40`)).map((p) => [p.lng, p.lat] as LngLat)
    const [{ id: gdgs }] = (await db.query<{ id: number }>(`SELECT id FROM departments WHERE code = 'GDGS'`)) as [{ id: number }]

    const clients = ['commander', 'street', 'grid', 'micro', 'dept-gdgs'].map((who) => {
      const socket = connectSocket(url, tokens[who], { autoConnect: false })
      const client = syncedClient(socket)
      const sessions: number[][] = []
      socket.on('connect', () => sessions.push([]))
      for (const e of ['incident:created', 'incident:updated', 'incident:overdue']) socket.on(e, (d: { seq: number }) => sessions.at(-1)!.push(d.seq))
      socket.connect()
      return { who, ...client, sessions }
    })
    await Promise.all(clients.map((c) => connected(c.socket)))
    onTestFinished(() => { for (const c of clients) c.socket.disconnect() })

    // Cuts come from the driver itself, between cases: the embedded database runs on this thread
    // and would starve a timer-driven chaos loop. A cut client comes back a few cases later.
    let cuts = 0
    const comebacks = new Map<number, Array<() => void>>()
    async function chaos(i: number) {
      for (const back of comebacks.get(i) ?? []) back()
      comebacks.delete(i)
      if (random() < 0.08) {
        const c = clients[Math.floor(random() * clients.length)]!
        if (c.socket.connected) {
          c.socket.disconnect()
          cuts++
          const at = i + 1 + Math.floor(random() * 20)
          comebacks.set(at, [...(comebacks.get(at) ?? []), () => c.socket.connect()])
        }
      }
      await new Promise((r) => setImmediate(r)) // let socket traffic through
    }

    const take = (id: number, who: string, step: IncidentStep, input: object = {}, photos: IncomingPhoto[] = []) => app.incidents.step(actors[who]!, id, step, input, photos)
    async function life(i: number) {
      const place = places[i % places.length]!
      const { incident } = await app.incidents.report({ kind: 'public' }, reportBody([place[0] + (random() - 0.5) * 1e-4, place[1]], { category: 'E0104' }), [])
      const id = incident.id
      const r = random()
      if (r < 0.05) return take(id, 'commander', 'reject', { note: '不属实' })
      await take(id, 'commander', 'file')
      if (r < 0.1) return
      if (r < 0.2) {
        await take(id, 'commander', 'dispatch', { level: 0, departmentIds: [gdgs] })
        await take(id, 'dept-gdgs', 'accept')
        return take(id, 'dept-gdgs', 'handle', { note: '已处理' }, [photo])
      }
      await take(id, 'commander', 'dispatch')
      if (r < 0.3) return
      await take(id, 'street', 'accept')
      if (r < 0.4) return take(id, 'street', 'escalate', { note: '上报' })
      await take(id, 'street', 'handle', { note: '已处理' }, [photo])
      if (r < 0.5) return
      await take(id, 'commander', r < 0.55 ? 'check_fail' : 'check_pass', { note: '核查' })
    }
    const workers = 4
    await Promise.all(Array.from({ length: workers }, async (_, w) => {
      for (let i = w; i < CASES; i += workers) {
        await life(i)
        await chaos(i)
      }
    }))
    for (const backs of comebacks.values()) for (const back of backs) back()
    // Chaos did happen. A cut lands only on a connected client, and how many are back in time
    // depends on how fast the cases run (on a quiet PostgreSQL as few as 20 in 1,000): the bound
    // proves cuts, not a rate.
    expect(cuts).toBeGreaterThanOrEqual(CASES / 100)

    // Let every client reconnect and catch up, then compare with the database.
    await eventually(() => clients.every((c) => c.socket.connected && c.sync.status() === 'live'), 20_000, 'all clients live')
    await eventually(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incident_events WHERE seq IS NULL'))[0]!.n === 0, 20_000, 'every event numbered')
    const rooms: Record<string, string> = {
      commander: 'all', street: `grid:${actors.street!.kind === 'user' && actors.street.gridPath!.at(-1)}`,
      grid: `grid:${actors.grid!.kind === 'user' && actors.grid.gridPath!.at(-1)}`, micro: `grid:${actors.micro!.kind === 'user' && actors.micro.gridPath!.at(-1)}`,
      'dept-gdgs': `dept:${gdgs}`,
    }
    for (const c of clients) {
      const [kind, scopeId] = rooms[c.who] === 'all' ? ['all', null] : rooms[c.who]!.split(':')
      await eventually(async () => {
        const [snap] = await db.query<{ incidents: IncidentSummary[] }>(SNAPSHOT, [kind, scopeId === null ? null : Number(scopeId), startOfToday()])
        const held = [...c.store.cases.values()]
        const current = new Map((await db.query<{ id: number; summary: IncidentSummary }>(SUMMARIES, [held.map((h) => h.id)])).map((r) => [r.id, r.summary]))
        const missing = snap!.incidents.filter((i) => JSON.stringify(c.store.cases.get(i.id)) !== JSON.stringify(i))
        const stale = held.filter((h) => JSON.stringify(current.get(h.id)) !== JSON.stringify(h))
        return missing.length === 0 && stale.length === 0
      }, 20_000, `${c.who} converged`)
      for (const session of c.sessions) for (let i = 1; i < session.length; i++) expect(session[i]!).toBeGreaterThan(session[i - 1]!)
    }
    const sizes = Object.fromEntries(clients.map((c) => [c.who, c.store.cases.size]))
    expect(sizes.commander).toBeGreaterThanOrEqual(CASES)
    expect(sizes['dept-gdgs']).toBeGreaterThan(CASES / 20)
  })
})
