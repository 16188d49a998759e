import { io, type Socket } from 'socket.io-client'
import { CaseStore, type IncidentDelta, liveSync, socketIoConnection } from '@gezhi/geo'

/** A real Socket.IO client over a real WebSocket, signed in with `token` (or public without). */
export function connectSocket(url: string, token?: string, options: { autoConnect?: boolean } = {}): Socket {
  return io(url, { transports: ['websocket'], auth: token ? { token } : {}, reconnection: false, forceNew: true, autoConnect: options.autoConnect ?? true })
}

/** Resolves when the socket is connected (or rejects with the server's connect error). */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve()
    socket.once('connect', () => resolve())
    socket.once('connect_error', reject)
  })
}

/** Collects every case delta a socket receives, in arrival order. */
export function collectDeltas(socket: Socket): IncidentDelta[] {
  const got: IncidentDelta[] = []
  for (const event of ['incident:created', 'incident:updated', 'incident:overdue']) socket.on(event, (d: IncidentDelta) => got.push(d))
  return got
}

/** A client that keeps a CaseStore in sync over `socket` (as the wall does). */
export function syncedClient(socket: Socket) {
  const store = new CaseStore()
  const sync = liveSync(socketIoConnection(socket as never), store)
  return { socket, store, sync }
}

/** Polls `check` until it holds or `timeoutMs` passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}
