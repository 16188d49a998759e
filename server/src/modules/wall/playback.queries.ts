import { sql } from '../../db/db.ts'
import { SCOPE_SQL } from '../incidents/incidents.scope.ts'

/**
 * Playback of a period for the wall. Parameters: $1–$3 the caller's scope (SCOPE_SQL), $4 a grid
 * subtree (NULL = all), $5 from, $6 to (exclusive). Only numbered events (seq set by the
 * sequencer) take part, in stream order, as the live stream sends them.
 *
 * A case's state after an event is its events' `set` diffs folded in seq order (replay() in
 * incident-record.ts, done here in SQL): gezhi_jsonb_merge (migration 007) run as a window over
 * the case's events, ordered by seq, keeps the latest value of every key. One pass over the
 * events, whatever the number of cases.
 */
const IN_SCOPE = `${SCOPE_SQL} AND ($4::int IS NULL OR i.grid_path @> ARRAY[$4::int])`
const OPEN = (state: string) => `${state} NOT IN ('closed', 'evaluated', 'rejected', 'voided')`

/**
 * The case `i` as the live stream carries it (IncidentSummary, the same fields as SUMMARY_JSON in
 * live.queries.ts), its mutable part read from the folded state `st` (camelCase IncidentMutable),
 * `lastSeq` = `seqExpr`. Timestamps pass through timestamptz so they print as gezhi_iso does.
 */
const summaryOf = (st: string, seqExpr: string) => `json_build_object(
  'id', i.id, 'number', i.number, 'state', ${st}->>'state', 'category', i.category_code, 'source', i.source,
  'position', json_build_array(ST_X(i.geom), ST_Y(i.geom)), 'gridPath', i.grid_path,
  'unitLevel', (${st}->>'unitLevel')::int, 'departmentIds', coalesce(${st}->'unitDepartments', '[]'::jsonb),
  'overdue', coalesce((${st}->>'stageOverdue')::boolean, false), 'everOverdue', ${st}->>'overdueAt' IS NOT NULL,
  'supervised', coalesce((${st}->>'supervised')::boolean, false), 'repeat', coalesce((${st}->>'repeatFlag')::boolean, false),
  'reportedAt', gezhi_iso(i.reported_at), 'dueAt', gezhi_iso((${st}->>'dueAt')::timestamptz), 'closedAt', gezhi_iso((${st}->>'closedAt')::timestamptz),
  'rating', (${st}->>'rating')::int, 'lastSeq', ${seqExpr})`

/** How many events the window holds, counting at most $7 (ask the cap + 1 to know it is exceeded). */
export const PLAYBACK_COUNT = sql('playback_count', `
  SELECT count(*)::int AS n FROM (
    SELECT 1 FROM incident_events e JOIN incidents i ON i.id = e.incident_id
     WHERE e.seq IS NOT NULL AND e.at >= $5::timestamptz AND e.at < $6::timestamptz AND ${IN_SCOPE}
     LIMIT $7) capped`)

/**
 * `start`: every case in scope open at $5, as it stood then — reported before $5 and either open
 * now or changed since (a case closed before $5 and untouched since cannot have been open then);
 * `events`: every event in [$5, $6), each with the case right after it. One statement, so both
 * come from one database snapshot.
 */
export const PLAYBACK = sql('playback', `
  WITH opened AS (
    SELECT i.id FROM incidents i
     WHERE i.reported_at < $5::timestamptz AND ${IN_SCOPE}
       AND (${OPEN('i.state')} OR EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id AND e.seq IS NOT NULL AND e.at >= $5::timestamptz))),
  touched AS (
    SELECT DISTINCT e.incident_id AS id FROM incident_events e JOIN incidents i ON i.id = e.incident_id
     WHERE e.seq IS NOT NULL AND e.at >= $5::timestamptz AND e.at < $6::timestamptz AND ${IN_SCOPE}),
  cases AS (SELECT id FROM opened UNION SELECT id FROM touched),
  folded AS (
    SELECT e.incident_id, e.seq, e.at, e.type,
           gezhi_jsonb_merge(CASE WHEN jsonb_typeof(e.data->'set') = 'object' THEN e.data->'set' ELSE '{}'::jsonb END)
             OVER (PARTITION BY e.incident_id ORDER BY e.seq) AS st
      FROM incident_events e JOIN cases c ON c.id = e.incident_id
     WHERE e.seq IS NOT NULL AND e.at < $6::timestamptz),
  at_start AS (
    SELECT DISTINCT ON (f.incident_id) f.incident_id, f.seq, f.st
      FROM folded f JOIN opened o ON o.id = f.incident_id
     WHERE f.at < $5::timestamptz
     ORDER BY f.incident_id, f.seq DESC)
  SELECT (SELECT coalesce(json_agg(${summaryOf('s.st', 's.seq')} ORDER BY s.incident_id), '[]'::json)
            FROM at_start s JOIN incidents i ON i.id = s.incident_id
           WHERE ${OPEN("s.st->>'state'")}) AS start,
         (SELECT coalesce(json_agg(json_build_object(
                   'seq', f.seq, 'at', gezhi_iso(f.at), 'type', f.type, 'incidentId', f.incident_id,
                   'summary', ${summaryOf('f.st', 'f.seq')}) ORDER BY f.seq), '[]'::json)
            FROM folded f JOIN incidents i ON i.id = f.incident_id
           WHERE f.at >= $5::timestamptz) AS events`)
