/**
 * The baseline of the live benchmark: the same Socket.IO version and options as the real server,
 * the same rooms (`homeRoom`, `roomsForCase` from server/src/live/rooms.ts), the same delta
 * objects (recorded from the real run) — but no database, no HTTP API, no sequencer, no figures.
 * It broadcasts each case's deltas at a fixed rate from its own timer and stamps when it did.
 * Runs as a child process with the probe preloaded; commands arrive over IPC:
 * - `{ cmd: 'script', file }`: a JSON file of `Array<Array<[event, delta]>>`, one inner list per case;
 * - `{ cmd: 'emit', rate }`: broadcasts the cases at `rate` per second (one ms timer, like the load
 *   generator), then replies with the time each case was emitted (monotonic ms, `process.hrtime`).
 * With REDIS_URL, the Redis adapter carries the broadcasts to the other bare servers' sockets.
 * With BARE_DISCARD_REQUEST, each connection's handshake request is dropped (the memory variant).
 */
import http from 'node:http'
import { readFileSync } from 'node:fs'
import { Server } from 'socket.io'
import { createAdapter } from '@socket.io/redis-adapter'
import { createClient } from 'redis'
import type { IncidentDelta } from '@gezhi/geo'
import type { Actor, TokenClaims } from '../../server/src/plugins/auth.ts'
import { homeRoom, roomsForCase } from '../../server/src/live/rooms.ts'

type Scripted = Array<Array<[event: string, delta: IncidentDelta]>>

const httpServer = http.createServer()
const io = new Server(httpServer, { serveClient: false, transports: ['websocket', 'polling'] })
const redisUrl = process.env.REDIS_URL?.trim()
if (redisUrl) {
  const pub = createClient({ url: redisUrl })
  const sub = pub.duplicate()
  await Promise.all([pub.connect(), sub.connect()])
  io.adapter(createAdapter(pub, sub))
}

// Socket.IO's own advice for memory: drop the reference each connection keeps to its handshake request.
if (process.env.BARE_DISCARD_REQUEST) io.engine.on('connection', (raw: { request: unknown }) => { raw.request = null })

/** The token's claims, unverified: the bare server only needs to know which room a socket joins. */
function actorOf(token: unknown): Actor {
  if (typeof token !== 'string' || !token) return { kind: 'public' }
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as TokenClaims
  return { kind: 'user', ...claims }
}

io.on('connection', (socket) => {
  const room = homeRoom(actorOf((socket.handshake.auth as { token?: unknown }).token))
  if (room) void socket.join(room)
  socket.on('snapshot:get', (_args: unknown, ack: unknown) => {
    if (typeof ack === 'function') ack({ ok: true, data: { seq: 0, incidents: [], figures: null } })
  })
})

let cases: Array<Array<{ event: string; delta: IncidentDelta; rooms: string[] }>> = []

const nowMs = () => Number(process.hrtime.bigint()) / 1e6

/** Emits case i at t0 + i / rate, checking every millisecond; resolves with the emit times. */
function emitAll(rate: number): Promise<number[]> {
  const emittedAt: number[] = []
  const t0 = nowMs()
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(cases.length, Math.floor(((nowMs() - t0) / 1000) * rate) + 1)
      while (emittedAt.length < due) {
        emittedAt.push(nowMs())
        for (const d of cases[emittedAt.length - 1]!) io.to(d.rooms).emit(d.event as 'incident:created', d.delta)
      }
      if (emittedAt.length < cases.length) setTimeout(tick, 1)
      else resolve(emittedAt)
    }
    tick()
  })
}

process.on('message', (message: { cmd?: string; id: number; file?: string; rate?: number }) => {
  if (message.cmd === 'script') {
    const scripted = JSON.parse(readFileSync(message.file!, 'utf8')) as Scripted
    cases = scripted.map((deltas) => deltas.map(([event, delta]) => ({ event, delta, rooms: roomsForCase(delta.incident, []) })))
    process.send!({ reply: message.id, cases: cases.length })
  }
  if (message.cmd === 'emit') void emitAll(message.rate!).then((emittedAt) => process.send!({ reply: message.id, emittedAt }))
})
process.on('SIGTERM', () => io.close(() => process.exit(0)))

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address()
  console.log(`bare socket.io listening on ${typeof address === 'object' && address ? address.port : 0}`)
})
