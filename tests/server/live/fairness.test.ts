import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Socket } from 'socket.io-client'
import type { LiveFigures, LngLat } from '@gezhi/geo'
import type { App } from '../../../server/src/app.ts'
import { pointInGridOf, reportBody, signIn } from '../../support/incident-helpers.ts'
import { collectDeltas, connected, connectSocket, eventually } from '../../support/live-clients.ts'
import { testApp } from '../../support/test-app.ts'

let app: App
let url: string
let here: LngLat
let token = ''
const sockets: Socket[] = []

beforeAll(async () => {
  app = await testApp()
  url = await app.listen({ port: 0, host: '127.0.0.1' })
  here = await pointInGridOf('micro')
  token = (await signIn(app, 'commander')).authorization!.slice('Bearer '.length)
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await app.close()
})

async function open() {
  const socket = connectSocket(url, token)
  sockets.push(socket)
  await connected(socket)
  return socket
}
const report = (n: number) => Promise.all(Array.from({ length: n }, () => app.incidents.report({ kind: 'public' }, reportBody(here, { category: 'E0104' }), [])))

describe('fairness', () => {
  it('a client that stops reading never delays the others', async () => {
    const slow = await open()
    const fast = await open()
    const fastDeltas = collectDeltas(fast)
    // Stop reading on the slow client's TCP socket: the server's writes to it pile up unread.
    const tcp = (slow.io.engine as unknown as { transport: { ws: { _socket: { pause(): void; resume(): void } } } }).transport.ws._socket
    tcp.pause()
    const created = (await report(200)).map((r) => r.incident.id)
    await eventually(() => created.every((id) => fastDeltas.some((d) => d.incident.id === id)), 20_000, 'the fast client to get every case')
    tcp.resume()
  })

  it('pushes figures per scope at most once a second, coalesced, reflecting the stream', async () => {
    const socket = await open()
    const figures: Array<LiveFigures & { receivedAt: number }> = []
    socket.on('stats:updated', (f: LiveFigures) => figures.push({ ...f, receivedAt: Date.now() }))
    await new Promise((r) => setTimeout(r, 1200)) // let earlier traffic's figures pass
    figures.length = 0
    const before = (await socket.timeout(5000).emitWithAck('snapshot:get', {})).data.figures as LiveFigures
    await report(40)
    await eventually(() => figures.some((f) => f.scope === 'all' && f.today.reported >= before.today.reported + 40), 10_000, 'figures with the 40 new cases')
    const all = figures.filter((f) => f.scope === 'all')
    expect(all.length).toBeLessThanOrEqual(Math.ceil((all.at(-1)!.receivedAt - all[0]!.receivedAt) / 1000) + 1)
    for (let i = 1; i < all.length; i++) expect(all[i]!.seq).toBeGreaterThanOrEqual(all[i - 1]!.seq)
  })
})
