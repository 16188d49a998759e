import type { Db } from '../db/db.ts'
import { ANY_UNNUMBERED, LOCK_STREAM, NUMBER_EVENTS } from './live.queries.ts'

export interface NumberedEvent {
  seq: number
  incident_id: number
  type: string
  from_state: string | null
  to_state: string | null
  at: string
  actor_kind: string
  actor_name: string
}

/**
 * Numbers the committed events that have no `seq` yet, up to `max`, in one transaction that
 * holds the stream head: two sequencers never interleave, and an event that commits later gets
 * a later number even if it drew a smaller id. Returns them in stream order.
 */
export async function numberEvents(db: Pick<Db, 'query' | 'transaction'>, max = 2000): Promise<NumberedEvent[]> {
  // Polled every few milliseconds: when nothing waits, take no lock and write nothing.
  const [{ waiting }] = (await db.query<{ waiting: boolean }>(ANY_UNNUMBERED)) as [{ waiting: boolean }]
  if (!waiting) return []
  return db.transaction(async (tx) => {
    const [head] = await tx.query<{ last_seq: number }>(LOCK_STREAM)
    return tx.query<NumberedEvent>(NUMBER_EVENTS, [head!.last_seq, max])
  })
}
