import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '@gezhi/geo'
import { loadSession } from './session.ts'

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/**
 * The live connection: WebSocket first, reconnecting for ever with a capped back-off, so a wall
 * rides out server restarts and network drops on its own. The token is read at every attempt,
 * so a renewed token is used on the next reconnect.
 */
export function openLiveSocket(): LiveSocket {
  return io({
    transports: ['websocket', 'polling'],
    reconnection: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.3,
    auth: (send) => send({ token: loadSession()?.token ?? '' }),
  })
}
