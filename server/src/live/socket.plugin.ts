import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Server, type Socket } from 'socket.io'
import { createAdapter } from '@socket.io/redis-adapter'
import { createClient } from 'redis'
import { Compile } from 'typebox/compile'
import Type, { type Static, type TSchema } from 'typebox'
import {
  type Ack, type ClientToServerEvents, deltaEventName, FocusArgsSchema, GezhiError, type IncidentDelta, type IncidentSummary,
  type LiveFigures, type Missed, type ServerToClientEvents, SinceArgsSchema, type Snapshot, TrackArgsSchema,
} from '@gezhi/geo'
import type { Actor, TokenClaims } from '../plugins/auth.ts'
import { toApiError } from '../plugins/errors.ts'
import { figuresPusher } from './figures.ts'
import { leaderElection } from './leader.ts'
import { SINCE, SNAPSHOT, STREAM_AFTER, STREAM_HEAD, SUMMARIES } from './live.queries.ts'
import { homeRoom, roomsForCase, scopeOf, startOfToday } from './rooms.ts'
import { type NumberedEvent, numberEvents } from './sequencer.ts'

interface SocketData {
  actor: Actor
  /** The one room whose cases this socket follows: its home room, a focused grid, or a tracked case. */
  room: string | null
}
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>

export interface LiveOptions {
  /** Share events across servers through Redis (Socket.IO's Redis adapter). */
  redisUrl?: string
  /** A reconnecting client missing more than this many events takes a fresh snapshot instead. */
  replayLimit?: number
  /** How often figures are pushed at most, per scope. */
  figuresMs?: number
  /** How often the leader looks for events to number when nothing told it to. */
  pollMs?: number
}

declare module 'fastify' {
  interface FastifyInstance {
    live: { io: LiveServer; pump: () => void; isLeader: () => boolean }
  }
}

const EVENT_BATCH = 2000

/** Validators compiled once per schema, not per connection (that was ~11 KB of heap and ~0.8 ms per socket). */
const validators = new Map<TSchema, ReturnType<typeof Compile>>()
const compiled = (schema: TSchema) => {
  let check = validators.get(schema)
  if (!check) validators.set(schema, (check = Compile(schema)))
  return check
}
const NO_ARGS = Type.Object({}, { additionalProperties: false })

/**
 * Socket.IO on the Fastify server. The publisher numbers committed events and broadcasts each as a
 * delta to the rooms that may see it — one emit per event, serialised once whatever the number of
 * recipients; with Redis, the adapter carries it to the other servers' sockets. Clients take a
 * snapshot that states its seq, apply deltas with a greater seq, and after a reconnect ask for
 * what they missed.
 */
export default fp(async function live(app: FastifyInstance, options: LiveOptions) {
  const replayLimit = options.replayLimit ?? 5000
  const io: LiveServer = new Server(app.server, { serveClient: false, transports: ['websocket', 'polling'] })
  const redis = options.redisUrl ? await connectRedis(io, options.redisUrl) : null

  const figures = figuresPusher(app.db, (room, f: LiveFigures) => io.to(room).volatile.emit('stats:updated', f))
  const leader = leaderElection(app.db, {
    shared: redis !== null,
    onChange: (isLeader) => {
      published = null // a new term starts from the head: older events reach clients through sync:since
      app.log.info(`live stream: ${isLeader ? 'this server publishes' : 'another server publishes'}`)
    },
    onNotify: () => pump(),
  })

  let pumping: Promise<void> | null = null
  let again = false
  /** The seq of the last event this server published; null until it reads the head. */
  let published: number | null = null
  /** Numbers and publishes whatever is waiting; calls made meanwhile coalesce into one more pass. */
  function pump() {
    if (!leader.isLeader()) return
    if (pumping) {
      again = true
      return
    }
    pumping = publishWaiting()
      .catch((error) => app.log.error({ err: error }, 'live stream: publishing failed'))
      .finally(() => {
        pumping = null
        if (again) {
          again = false
          pump()
        }
      })
  }

  /**
   * Numbers what waits (any server may: the stream lock serialises them), then publishes every
   * numbered event after the last one this server published, whoever numbered it — so servers
   * that do not share a broadcast each still deliver the whole stream to their own sockets.
   */
  async function publishWaiting() {
    const db = leader.session() ?? app.db
    if (published === null) published = (await db.query<{ last_seq: number }>(STREAM_HEAD))[0]!.last_seq
    for (;;) {
      const numbered = await numberEvents(db, EVENT_BATCH)
      const events: NumberedEvent[] = await db.query<NumberedEvent>(STREAM_AFTER, [published, EVENT_BATCH])
      if (events.length === 0) return
      const rows = await db.query<{ id: number; summary: IncidentSummary; whistled: number[] }>(SUMMARIES, [[...new Set(events.map((e) => e.incident_id))]])
      const cases = new Map(rows.map((r) => [r.id, r]))
      for (const e of events) {
        const c = cases.get(e.incident_id)!
        const delta: IncidentDelta = {
          seq: e.seq, type: e.type, fromState: e.from_state, toState: e.to_state, at: e.at,
          actor: { kind: e.actor_kind, name: e.actor_name }, incident: c.summary,
        }
        const rooms = roomsForCase(c.summary, c.whistled)
        io.to(rooms).emit(deltaEventName(e.type), delta)
        figures.markDirty(rooms)
      }
      published = events.at(-1)!.seq
      if (events.length < EVENT_BATCH && numbered.length < EVENT_BATCH) return
    }
  }

  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token
    if (token === undefined || token === null || token === '') {
      socket.data.actor = { kind: 'public' }
      return next()
    }
    try {
      const claims = app.jwt.verify<TokenClaims>(String(token))
      socket.data.actor = { kind: 'user', ...claims }
      next()
    } catch {
      next(Object.assign(new Error('UNAUTHENTICATED: the sign-in token is malformed or expired'), { data: { code: 'UNAUTHENTICATED' } }))
    }
  })

  io.on('connection', (socket: LiveSocket) => {
    socket.data.room = homeRoom(socket.data.actor)
    if (socket.data.room) void socket.join(socket.data.room)

    command(socket, 'snapshot:get', NO_ARGS, async () => snapshot(socket))
    command(socket, 'sync:since', SinceArgsSchema, async ({ seq }) => since(socket, seq))
    command(socket, 'scope:focus', FocusArgsSchema, async ({ grid }) => focus(socket, grid))
    command(socket, 'track:join', TrackArgsSchema, async ({ token }) => {
      const incidentId = await app.incidents.idForToken(token)
      await moveTo(socket, `case:${incidentId}`)
      return { incidentId }
    })
  })

  /** Registers a command: validates its arguments on arrival, answers through the ack, never throws at the socket. */
  function command<S extends TSchema, R>(socket: LiveSocket, name: keyof ClientToServerEvents, schema: S, run: (args: Static<S>) => Promise<R>) {
    const check = compiled(schema)
    socket.on(name, (async (args: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return
      const reply = ack as (answer: Ack<R>) => void
      if (!check.Check(args)) {
        const first = [...check.Errors(args)][0]
        return reply({ ok: false, error: { code: 'VALIDATION_FAILED', message: `${name}: ${first?.instancePath || 'arguments'} ${first?.message ?? 'are invalid'}` } })
      }
      try {
        reply({ ok: true, data: await run(args as Static<S>) })
      } catch (error) {
        const { body } = toApiError(error as never)
        if (body.code === 'INTERNAL_ERROR') app.log.error({ err: error }, `live command ${name} failed`)
        reply({ ok: false, error: body })
      }
    }) as never)
  }

  function requireRoom(socket: LiveSocket): string {
    if (!socket.data.room) throw new GezhiError('FORBIDDEN', 'this connection follows nothing yet: sign in, or track:join a case with its tracking token')
    return socket.data.room
  }

  async function snapshot(socket: LiveSocket): Promise<Snapshot> {
    const room = requireRoom(socket)
    const [kind, id] = scopeOf(room)
    const now = new Date()
    const [row] = await app.db.query<{ seq: number; incidents: IncidentSummary[]; figures: Omit<LiveFigures, 'scope' | 'at' | 'seq'> }>(SNAPSHOT, [kind, id, startOfToday(now)])
    return { seq: row!.seq, incidents: row!.incidents, figures: { scope: room, at: now.toISOString(), seq: row!.seq, ...row!.figures } }
  }

  async function since(socket: LiveSocket, seq: number): Promise<Missed> {
    const [kind, id] = scopeOf(requireRoom(socket))
    const rows = await app.db.query<{ seq: number; type: string; from_state: string | null; to_state: string | null; at: string; actor_kind: string; actor_name: string; summary: IncidentSummary }>(SINCE, [kind, id, seq, replayLimit + 1])
    if (rows.length > replayLimit) return { reset: true, deltas: [] }
    return {
      reset: false,
      deltas: rows.map((r) => ({ seq: r.seq, type: r.type, fromState: r.from_state, toState: r.to_state, at: r.at, actor: { kind: r.actor_kind, name: r.actor_name }, incident: r.summary })),
    }
  }

  async function focus(socket: LiveSocket, grid: number | null): Promise<{ scope: string }> {
    const { actor } = socket.data
    const home = homeRoom(actor)
    if (!home || actor.kind !== 'user') throw new GezhiError('FORBIDDEN', 'only signed-in staff can focus on a grid')
    if (grid === null) {
      await moveTo(socket, home)
      return { scope: home }
    }
    if (actor.role === 'department') throw new GezhiError('FORBIDDEN', 'department staff follow their department, not grids')
    const own = actor.gridPath?.at(-1)
    const [found] = await app.db.query<{ ok: boolean }>('SELECT ($2::int IS NULL OR path @> ARRAY[$2::int]) AS ok FROM grids WHERE id = $1', [grid, own ?? null])
    if (!found?.ok) throw new GezhiError('GRID_NOT_FOUND', `no grid with id ${grid} in your scope`)
    await moveTo(socket, `grid:${grid}`)
    return { scope: `grid:${grid}` }
  }

  async function moveTo(socket: LiveSocket, room: string) {
    if (socket.data.room) await socket.leave(socket.data.room)
    socket.data.room = room
    await socket.join(room)
  }

  const timers = [
    setInterval(pump, options.pollMs ?? 25),
    setInterval(() => void figures.flush().catch((error) => app.log.error({ err: error }, 'live figures failed')), options.figuresMs ?? 1000),
  ]
  for (const t of timers) t.unref()
  leader.start()

  app.decorate('live', { io, pump, isLeader: leader.isLeader })
  // preClose, not onClose: open WebSockets would keep the HTTP server from closing, and Fastify
  // waits for that before it runs onClose hooks.
  app.addHook('preClose', async () => {
    for (const t of timers) clearInterval(t)
    io.engine.close() // a transport close: clients reconnect by themselves (an explicit disconnect would tell them not to)
    await pumping
    await leader.stop()
    if (redis) await Promise.all([redis.pub.quit(), redis.sub.quit()]).catch(() => {})
  })
}, { name: 'live', dependencies: ['db', 'auth'] })

/** The Redis adapter: broadcasts reach the sockets of every server sharing the Redis. */
async function connectRedis(io: LiveServer, url: string) {
  const pub = createClient({ url })
  const sub = pub.duplicate()
  pub.on('error', () => {})
  sub.on('error', () => {})
  await Promise.all([pub.connect(), sub.connect()])
  io.adapter(createAdapter(pub, sub))
  return { pub, sub }
}
