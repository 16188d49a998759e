import type { LiveFigures } from '@gezhi/geo'
import type { Db } from '../db/db.ts'
import { FIGURES_BY_SCOPE, STREAM_HEAD } from './live.queries.ts'
import { startOfToday } from './rooms.ts'

/**
 * Figures per scope, coalesced: deltas mark their rooms dirty, and at most once per interval the
 * dirty scopes' figures are computed together, in one query, and handed to `send`.
 */
export function figuresPusher(db: Db, send: (room: string, figures: LiveFigures) => void) {
  let dirty = new Set<string>()
  let running = false

  return {
    markDirty(rooms: Iterable<string>) {
      for (const room of rooms) if (!room.startsWith('case:')) dirty.add(room)
    },
    async flush(now = new Date()) {
      if (running || dirty.size === 0) return
      running = true
      const rooms = dirty
      dirty = new Set()
      try {
        const grids: number[] = []
        const depts: number[] = []
        for (const room of rooms) {
          if (room.startsWith('grid:')) grids.push(Number(room.slice(5)))
          else if (room.startsWith('dept:')) depts.push(Number(room.slice(5)))
        }
        const [[head], rows] = await Promise.all([
          db.query<{ last_seq: number }>(STREAM_HEAD),
          db.query<{ scope: string; figures: Omit<LiveFigures, 'scope' | 'at' | 'seq'> }>(FIGURES_BY_SCOPE, [grids, depts, startOfToday(now), rooms.has('all')]),
        ])
        const found = new Map(rows.map((r) => [r.scope, r.figures]))
        for (const room of rooms) {
          const figures = found.get(room) ?? { today: { reported: 0, closed: 0, handled: 0 }, open: 0, overdueNow: 0 }
          send(room, { scope: room, at: now.toISOString(), seq: head!.last_seq, ...figures })
        }
      } catch (error) {
        for (const room of rooms) dirty.add(room) // try again next time
        throw error
      } finally {
        running = false
      }
    },
  }
}
