import { sql } from '../../db/db.ts'

/**
 * $3 optionally limits a sweep to some cases (NULL = all).
 *
 * Cases whose current stage reached its warning share by $1, at most $2 of them, locked so that
 * two servers sweeping at once never warn twice (SKIP LOCKED).
 */
export const MARK_WARNED = sql('mark_incidents_warned', `
  WITH due AS (
    SELECT id FROM incidents
     WHERE warn_at <= $1 AND warned_at IS NULL AND due_at IS NOT NULL
       AND ($3::int[] IS NULL OR id = ANY ($3::int[]))
     ORDER BY warn_at LIMIT $2 FOR UPDATE SKIP LOCKED)
  UPDATE incidents i SET warned_at = $1 FROM due WHERE i.id = due.id
  RETURNING i.id, i.state, i.due_at`)

/** Cases whose current stage is past due at $1 and not yet marked; `overdue_at` keeps the first time. */
export const MARK_OVERDUE = sql('mark_incidents_overdue', `
  WITH due AS (
    SELECT id FROM incidents
     WHERE due_at <= $1 AND NOT stage_overdue
       AND ($3::int[] IS NULL OR id = ANY ($3::int[]))
     ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
  UPDATE incidents i SET stage_overdue = true, overdue_at = coalesce(i.overdue_at, $1) FROM due WHERE i.id = due.id
  RETURNING i.id, i.state, i.due_at, i.overdue_at, i.unit_level`)
