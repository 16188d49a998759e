/**
 * What a case wrote on PostgreSQL, from the statistics of the benchmark's own database (so other
 * databases on the server do not count): row versions of `incidents` and `incident_events`
 * (inserted, updated, and of the updates those that were HOT: no index touched). The WAL is
 * not counted: it is shared with every other database on the server.
 * Backends publish their counters at most once a second, so each snapshot first waits 1.1 s.
 */
import type { Db } from '../../server/src/db/db.ts'
import { fmt } from '../lib/table.ts'

interface Versions { ins: number; upd: number; hot: number }
export interface Writes { incidents: Versions; events: Versions }

const SNAPSHOT = `
  SELECT json_object_agg(relname, json_build_object('ins', n_tup_ins, 'upd', n_tup_upd, 'hot', n_tup_hot_upd)) AS tables
    FROM pg_stat_user_tables WHERE relname IN ('incidents', 'incident_events')`

async function snapshot(db: Db): Promise<Writes> {
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const [row] = await db.query<{ tables: Record<string, Versions> }>(SNAPSHOT)
  return { incidents: row!.tables.incidents!, events: row!.tables.incident_events! }
}

/** Starts counting; the returned function stops and reports the difference. */
export async function countWrites(db: Db): Promise<() => Promise<Writes>> {
  const before = await snapshot(db)
  return async () => {
    const after = await snapshot(db)
    const minus = (a: Versions, b: Versions): Versions => ({ ins: a.ins - b.ins, upd: a.upd - b.upd, hot: a.hot - b.hot })
    return { incidents: minus(after.incidents, before.incidents), events: minus(after.events, before.events) }
  }
}

/** "3 (1 HOT) · 2": row versions of a case and of its events, per case inserted; in brackets the HOT updates among them. */
export function writesPerCase(w: Writes | undefined): string {
  const cases = w?.incidents.ins
  if (!w || !cases) return '–'
  const v = (x: Versions) => `${fmt((x.ins + x.upd) / cases)}${x.upd ? ` (${fmt(x.hot / cases)} HOT)` : ''}`
  return `${v(w.incidents)} · ${v(w.events)}`
}
