import { markRaw, onBeforeUnmount, shallowRef } from 'vue'
import { CaseStore, type IncidentDelta, type LiveFigures, liveSync, localDayStart, socketIoConnection, type SyncStatus } from '@gezhi/geo'
import { openLiveSocket } from '../services/socket.ts'

export type LiveStatus = SyncStatus | 'offline'

/** How many recent events the ticker keeps. */
const TICKER_SIZE = 40
/** How often the store drops what a fresh snapshot would not hold (cases closed before today). */
const FORGET_EVERY_MS = 10 * 60_000

/**
 * The wall's live connection: a CaseStore kept equal to the server across disconnects, the
 * figures pushed for the current scope, and a ticker of recent events. Changes are delivered in
 * batches at most ~60 times a second, as the set of case ids that changed — never as a rebuilt
 * list — so applying an event costs the same with 100 or 100,000 cases on screen. Batching uses a
 * timer, not animation frames: a busy renderer must not hold back the lists and counters.
 */
export function useLive() {
  const socket = markRaw(openLiveSocket())
  const store = markRaw(new CaseStore())
  const status = shallowRef<LiveStatus>('connecting')
  const lastUpdated = shallowRef<Date | null>(null)
  const figures = shallowRef<LiveFigures | null>(null)
  const ticker = shallowRef<IncidentDelta[]>([])
  /** Bumped once per frame in which cases changed; watchers re-read `store`. */
  const version = shallowRef(0)
  let tickerFilled = false
  const sync = liveSync(socketIoConnection(socket), store, (s) => {
    status.value = s
    if (s === 'live') {
      lastUpdated.value = new Date()
      if (!tickerFilled) void fillTicker()
    }
  })

  /** A wall that just opened shows the latest events at once, not an empty ticker. */
  async function fillTicker() {
    tickerFilled = true
    const seq = store.seq ?? 0
    const answer = await socket.timeout(10_000).emitWithAck('sync:since', { seq: Math.max(0, seq - 200) }).catch(() => null)
    if (answer?.ok && !answer.data.reset) {
      const recent = answer.data.deltas.filter((d: IncidentDelta) => d.seq <= seq).slice(-TICKER_SIZE).reverse()
      ticker.value = [...ticker.value, ...recent].slice(0, TICKER_SIZE)
    }
  }
  let scope: string | null = null

  const changedIds = new Set<number>()
  const pendingDeltas: IncidentDelta[] = []
  const changeListeners = new Set<(ids: Set<number>, deltas: IncidentDelta[], reset: boolean) => void>()
  let frame: ReturnType<typeof setTimeout> | null = null
  let reset = false
  store.subscribe((cases, delta) => {
    if (delta) {
      changedIds.add(delta.incident.id)
      pendingDeltas.push(delta)
    } else {
      reset = true // a snapshot replaced everything
    }
    if (!frame) frame = setTimeout(flush, 16)
  })
  function flush() {
    frame = null
    const ids = new Set(changedIds)
    const deltas = pendingDeltas.splice(0)
    const wasReset = reset
    changedIds.clear()
    reset = false
    for (const listener of changeListeners) listener(ids, deltas, wasReset)
    if (deltas.length) {
      ticker.value = [...deltas.slice(-TICKER_SIZE).reverse(), ...ticker.value].slice(0, TICKER_SIZE)
      lastUpdated.value = new Date()
    }
    version.value++
  }

  socket.on('disconnect', (reason) => {
    status.value = 'offline'
    // A server that disconnects us on purpose (shutting down) is not retried by Socket.IO itself;
    // an unattended wall tries again anyway.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 2000)
  })
  socket.on('stats:updated', (f) => {
    if (f.scope === scope || scope === null) figures.value = f
    lastUpdated.value = new Date()
  })

  /** Follow one grid (inside the user's scope), or the user's whole scope with null; re-snapshots. */
  async function focus(grid: number | null) {
    const answer = await socket.timeout(10_000).emitWithAck('scope:focus', { grid })
    if (!answer.ok) throw new Error(answer.error.message)
    scope = answer.data.scope
    figures.value = null
    ticker.value = []
    tickerFilled = false
    await sync.reset()
  }

  // A screen left running for days keeps one day of cases, as a reconnect's snapshot would.
  const forgetting = setInterval(() => store.forgetOutside(localDayStart(new Date())), FORGET_EVERY_MS)

  onBeforeUnmount(() => {
    if (frame) clearTimeout(frame)
    clearInterval(forgetting)
    socket.close()
  })

  return {
    socket, store, status, lastUpdated, figures, ticker, version, focus,
    /** Called once per batch with the ids that changed (reset = everything was replaced). */
    onChanges(listener: (ids: Set<number>, deltas: IncidentDelta[], reset: boolean) => void) {
      changeListeners.add(listener)
      return () => changeListeners.delete(listener)
    },
  }
}

export type Live = ReturnType<typeof useLive>
