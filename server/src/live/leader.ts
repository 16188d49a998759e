import type pg from 'pg'
import type { Db } from '../db/db.ts'
import { sessionOf } from '../db/postgres.ts'

/** Arbitrary but fixed key of the session lock that makes one server the stream's publisher. */
const LEADER_LOCK = 7303

export interface LeaderOptions {
  /**
   * Whether servers share one broadcast (the Redis adapter). Then exactly one of them may publish,
   * or every delta would reach each client once per server. Without it every server publishes to
   * its own sockets, so every server leads itself.
   */
  shared: boolean
  retryMs?: number
  onChange?: (leader: boolean) => void
  onNotify?: () => void
}

/**
 * Who publishes the stream. On PostgreSQL the publisher keeps a connection of its own, LISTENs
 * on it for commits (migration 006) and publishes on it, so delivery never queues behind
 * requests. When servers share a broadcast, leading also means holding a session-level advisory
 * lock on that connection: if the leader dies, its session ends, the lock is released and
 * another server takes over within `retryMs`. PGlite is one process: always leader.
 */
export function leaderElection(db: Db, options: LeaderOptions) {
  const retryMs = options.retryMs ?? 1000
  let leader = db.backend === 'pglite'
  let client: pg.PoolClient | null = null
  let timer: NodeJS.Timeout | null = null
  let stopped = false

  async function attempt() {
    if (stopped || leader) return
    const pool = (db as Db & { pool?: pg.Pool }).pool
    if (!pool) return
    try {
      if (!client) {
        client = await pool.connect()
        client.on('error', lose)
        client.on('notification', () => options.onNotify?.())
      }
      if (options.shared) {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK])
        if (!rows[0]!.ok) return
      }
      await client.query('LISTEN gezhi_events')
      leader = true
      options.onChange?.(true)
    } catch {
      lose()
    }
  }

  function lose() {
    if (client) client.release(true)
    client = null
    if (leader) {
      leader = false
      options.onChange?.(false)
    }
  }

  return {
    isLeader: () => leader,
    /** The leader's own connection (PostgreSQL). Null on PGlite. */
    session: () => (leader && client ? sessionOf(client) : null),
    start() {
      if (leader) options.onChange?.(true)
      void attempt()
      timer = setInterval(() => void attempt(), retryMs)
      timer.unref()
    },
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      if (client) {
        if (options.shared) await client.query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK]).catch(() => {})
        client.release()
        client = null
      }
      leader = false
    },
  }
}
