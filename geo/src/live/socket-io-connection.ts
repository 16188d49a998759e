import type { Ack, IncidentDelta } from '../protocol/socket.ts'
import type { LiveConnection } from './live-sync.ts'

/** The part of a socket.io-client Socket the adapter uses (structural: geo imports no client library). */
export interface SocketIoLike {
  on(event: string, listener: (...args: never[]) => void): unknown
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> }
}

/** A socket.io-client socket as a LiveConnection; commands time out after `timeoutMs`. */
export function socketIoConnection(socket: SocketIoLike, timeoutMs = 10_000): LiveConnection {
  return {
    request: <T>(name: string, args: object) => socket.timeout(timeoutMs).emitWithAck(name, args) as Promise<Ack<T>>,
    onDelta(listener: (delta: IncidentDelta) => void) {
      for (const event of ['incident:created', 'incident:updated', 'incident:overdue']) socket.on(event, listener as (...args: never[]) => void)
    },
    onConnect(listener: () => void) {
      socket.on('connect', listener)
    },
  }
}
