import type { Ack, IncidentDelta, Missed, Snapshot } from '../protocol/socket.ts'
import { CaseStore } from './case-store.ts'

/** The little a sync needs from a Socket.IO client; the browser and the tests each adapt theirs. */
export interface LiveConnection {
  /** Sends a command and resolves with its ack (rejects on timeout or disconnect). */
  request<T>(name: 'snapshot:get' | 'sync:since', args: object): Promise<Ack<T>>
  onDelta(listener: (delta: IncidentDelta) => void): void
  onConnect(listener: () => void): void
}

export type SyncStatus = 'connecting' | 'syncing' | 'live'

/**
 * Keeps a CaseStore equal to the server across disconnects. On every (re)connect: first
 * connection → snapshot; later → `sync:since` the last applied seq (or a snapshot when the
 * server says `reset`). Deltas that arrive meanwhile are held and applied after, in order;
 * anything already applied is ignored by the store.
 */
export function liveSync(connection: LiveConnection, store = new CaseStore(), onStatus?: (status: SyncStatus) => void) {
  let status: SyncStatus = 'connecting'
  let held: IncidentDelta[] = []
  let generation = 0
  const setStatus = (s: SyncStatus) => { status = s; onStatus?.(s) }

  connection.onDelta((delta) => {
    if (status === 'live') store.applyDelta(delta)
    else held.push(delta)
  })

  connection.onConnect(() => void resync())

  async function resync() {
    const mine = ++generation
    setStatus('syncing')
    held = []
    try {
      if (store.seq === null) await takeSnapshot()
      else {
        const missed = await connection.request<Missed>('sync:since', { seq: store.seq })
        if (!missed.ok) throw new Error(missed.error.message)
        if (missed.data.reset) await takeSnapshot()
        else for (const delta of missed.data.deltas) store.applyDelta(delta)
      }
      if (mine !== generation) return // a newer reconnect took over
      for (const delta of held.sort((a, b) => a.seq - b.seq)) store.applyDelta(delta)
      held = []
      setStatus('live')
    } catch {
      if (mine === generation) setStatus('connecting') // the next connect event tries again
    }
  }

  async function takeSnapshot() {
    const snapshot = await connection.request<Snapshot>('snapshot:get', {})
    if (!snapshot.ok) throw new Error(snapshot.error.message)
    store.applySnapshot(snapshot.data)
  }

  return {
    store,
    status: () => status,
    /** Forget everything and take a fresh snapshot (after a scope change). */
    async reset() {
      store.seq = null
      await resync()
    },
  }
}
