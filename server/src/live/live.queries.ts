import { sql } from '../db/db.ts'

/** The case as the stream carries it (IncidentSummary in @gezhi/geo), as json. */
export const SUMMARY_JSON = `json_build_object(
  'id', i.id, 'number', i.number, 'state', i.state, 'category', i.category_code, 'source', i.source,
  'position', json_build_array(ST_X(i.geom), ST_Y(i.geom)), 'gridPath', i.grid_path,
  'unitLevel', i.unit_level, 'departmentIds', i.unit_departments,
  'overdue', i.stage_overdue, 'everOverdue', i.overdue_at IS NOT NULL, 'supervised', i.supervised, 'repeat', i.repeat_flag,
  'reportedAt', gezhi_iso(i.reported_at), 'dueAt', gezhi_iso(i.due_at), 'closedAt', gezhi_iso(i.closed_at),
  'rating', i.rating, 'lastSeq', i.last_seq)`

/** Whether anything waits to be numbered: a cheap look before taking the lock (the partial index answers it). */
export const ANY_UNNUMBERED = sql('any_unnumbered_events', `SELECT EXISTS (SELECT 1 FROM incident_events WHERE seq IS NULL) AS waiting`)

/** Held for the rest of the sequencer's transaction: one numbering at a time, across every server. */
export const LOCK_STREAM = sql('lock_incident_stream', `SELECT last_seq FROM incident_stream FOR UPDATE`)

/**
 * Numbers up to $2 committed, unnumbered events after $1 (the stream head read under the lock),
 * moves the head, and stamps each case with its latest seq. Runs as its own statement after the
 * lock, so its snapshot includes everything committed before the lock was granted.
 */
export const NUMBER_EVENTS = sql('number_incident_events', `
  WITH next AS (
    SELECT id, row_number() OVER (ORDER BY id) AS k
      FROM (SELECT id FROM incident_events WHERE seq IS NULL ORDER BY id LIMIT $2) unnumbered),
  done AS (
    UPDATE incident_events e SET seq = $1::bigint + next.k FROM next WHERE e.id = next.id
    RETURNING e.seq, e.incident_id, e.type, e.from_state, e.to_state, e.at, e.actor_kind, e.actor_name),
  head AS (UPDATE incident_stream SET last_seq = $1::bigint + (SELECT count(*) FROM next) WHERE EXISTS (SELECT 1 FROM next)),
  stamped AS (
    UPDATE incidents i SET last_seq = d.last FROM (SELECT incident_id, max(seq) AS last FROM done GROUP BY incident_id) d
     WHERE i.id = d.incident_id)
  SELECT seq, incident_id, type, from_state, to_state, gezhi_iso(at) AS at, actor_kind, actor_name FROM done ORDER BY seq`)

/**
 * Numbered events after $1, in stream order, at most $2: what a publisher has not published yet,
 * whichever server numbered them. Gap-free, since numbering commits in seq order (LOCK_STREAM).
 */
export const STREAM_AFTER = sql('stream_after', `
  SELECT seq, incident_id, type, from_state, to_state, gezhi_iso(at) AS at, actor_kind, actor_name
    FROM incident_events WHERE seq > $1 ORDER BY seq LIMIT $2`)

/** Current summaries of cases $1, with the departments called in on them (for rooms). */
export const SUMMARIES = sql('incident_summaries', `
  SELECT i.id, ${SUMMARY_JSON} AS summary,
         ARRAY(SELECT department_id FROM incident_departments d WHERE d.incident_id = i.id) AS whistled
    FROM incidents i WHERE i.id = ANY ($1::int[])`)

/**
 * A scope as SQL on alias `i`: $1 kind ('all' | 'grid' | 'dept' | 'case'), $2 id. The same rooms
 * the publisher sends to, so a snapshot and the deltas that follow agree on what is in scope.
 */
const IN_SCOPE = `(
     $1::text = 'all'
  OR ($1::text = 'grid' AND i.grid_path @> ARRAY[$2::int])
  OR ($1::text = 'dept' AND (i.unit_departments @> ARRAY[$2::int] OR EXISTS (SELECT 1 FROM incident_departments d WHERE d.incident_id = i.id AND d.department_id = $2::int)))
  OR ($1::text = 'case' AND i.id = $2::int))`

const OPEN = `i.state NOT IN ('closed', 'evaluated', 'rejected', 'voided')`

/** Figures of a scope as json; $3 = the start of today (Beijing). */
const FIGURES_JSON = `json_build_object(
  'today', json_build_object(
     'reported', count(*) FILTER (WHERE i.reported_at >= $3::timestamptz),
     'closed', count(*) FILTER (WHERE i.closed_at >= $3::timestamptz),
     'handled', count(*) FILTER (WHERE i.handled_at >= $3::timestamptz)),
  'open', count(*) FILTER (WHERE ${OPEN}),
  'overdueNow', count(*) FILTER (WHERE ${OPEN} AND i.stage_overdue))`

/**
 * A snapshot in ONE statement, hence one database snapshot: the stream head it reflects, the
 * open cases in scope plus those closed since $3, and the scope's figures.
 */
export const SNAPSHOT = sql('live_snapshot', `
  SELECT (SELECT last_seq FROM incident_stream) AS seq,
         (SELECT coalesce(json_agg(${SUMMARY_JSON} ORDER BY i.id), '[]'::json) FROM incidents i
           WHERE ${IN_SCOPE} AND (${OPEN} OR i.closed_at >= $3::timestamptz)) AS incidents,
         (SELECT ${FIGURES_JSON} FROM incidents i WHERE ${IN_SCOPE} AND (${OPEN} OR i.reported_at >= $3::timestamptz OR i.closed_at >= $3::timestamptz)) AS figures`)

/** What a reconnecting client missed: events after $3 in scope, in order, at most $4 (ask $4 = bound + 1 to know it overflowed). */
export const SINCE = sql('live_since', `
  SELECT e.seq, e.type, e.from_state, e.to_state, gezhi_iso(e.at) AS at, e.actor_kind, e.actor_name, ${SUMMARY_JSON} AS summary
    FROM incident_events e JOIN incidents i ON i.id = e.incident_id
   WHERE e.seq > $3 AND ${IN_SCOPE}
   ORDER BY e.seq
   LIMIT $4`)

/** Figures for many scopes at once: $1 grid ids, $2 department ids, $3 start of today, $4 whether 'all' is wanted. */
export const FIGURES_BY_SCOPE = sql('live_figures_by_scope', `
  WITH live AS (
    SELECT * FROM incidents i
     WHERE ${OPEN} OR i.reported_at >= $3::timestamptz OR i.closed_at >= $3::timestamptz OR i.handled_at >= $3::timestamptz),
  scoped AS (
    SELECT 'grid:' || g AS scope, i.* FROM live i CROSS JOIN LATERAL unnest(i.grid_path) AS g WHERE g = ANY ($1::int[])
    UNION ALL
    SELECT 'dept:' || d, i.* FROM live i CROSS JOIN LATERAL unnest(i.unit_departments) AS d WHERE d = ANY ($2::int[])
    UNION ALL
    SELECT 'dept:' || w.department_id, i.* FROM live i JOIN incident_departments w ON w.incident_id = i.id
     WHERE w.department_id = ANY ($2::int[]) AND NOT i.unit_departments @> ARRAY[w.department_id]
    UNION ALL
    SELECT 'all', i.* FROM live i WHERE $4::boolean)
  SELECT scope, ${FIGURES_JSON} AS figures FROM scoped i GROUP BY scope`)

export const STREAM_HEAD = sql('incident_stream_head', `SELECT last_seq FROM incident_stream`)
