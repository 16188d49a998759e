import { sql } from '../../db/db.ts'
import { gridRefJson } from '../grids/grid-sql.ts'
import { SCOPE_SQL } from './incidents.scope.ts'

/** Columns the workflow reads and writes (see incident-record.ts). */
const RECORD_COLUMNS = `
  i.id, i.number, i.category_code, i.grid_path, i.reported_at, i.due_dispatch_at,
  i.state, i.unit_level, i.unit_grid_id, i.unit_departments, i.supervised, i.extension_request, i.repeat_flag,
  i.dispatch_count, i.return_count, i.rework_count, i.filed_at, i.dispatched_at, i.accepted_at, i.handled_at, i.closed_at,
  i.due_handle_at, i.due_check_at, i.due_close_at, i.warn_at, i.due_at, i.warned_at, i.stage_overdue, i.overdue_at,
  i.handled_on_time, i.closed_on_time, i.rating, i.rating_comment`

/** The case as the API shows it, as json; `$4` = whether to include the reporter's contact. */
const INCIDENT_JSON = `json_build_object(
  'id', i.id, 'number', i.number, 'source', i.source,
  'category', json_build_object('code', c.code, 'name', c.name, 'majorName', c.major_name),
  'kind', i.kind, 'description', i.description, 'address', i.address,
  'position', json_build_array(ST_X(i.geom), ST_Y(i.geom)),
  'input', json_build_object('lng', i.input_lng, 'lat', i.input_lat, 'crs', i.input_crs),
  'state', i.state, 'generationId', i.generation_id,
  'grids', (SELECT json_agg(${gridRefJson('a')} ORDER BY a.level) FROM grids a WHERE a.id = ANY (i.grid_path)),
  'outside', i.outside,
  'unit', json_build_object('level', i.unit_level, 'gridId', i.unit_grid_id, 'departmentIds', i.unit_departments),
  'flags', json_build_object('supervised', i.supervised, 'extensionRequested', i.extension_request IS NOT NULL, 'repeat', i.repeat_flag,
                             'overdue', i.stage_overdue, 'everOverdue', i.overdue_at IS NOT NULL),
  'counts', json_build_object('dispatches', i.dispatch_count, 'returns', i.return_count, 'reworks', i.rework_count,
                              'followers', (SELECT count(*) FROM incident_followers f WHERE f.incident_id = i.id)),
  'times', json_build_object('reportedAt', i.reported_at, 'filedAt', i.filed_at, 'dispatchedAt', i.dispatched_at, 'acceptedAt', i.accepted_at,
                             'handledAt', i.handled_at, 'closedAt', i.closed_at, 'dueAt', i.due_at, 'warnAt', i.warn_at,
                             'dueDispatchAt', i.due_dispatch_at, 'dueHandleAt', i.due_handle_at, 'dueCheckAt', i.due_check_at, 'dueCloseAt', i.due_close_at),
  'rating', i.rating, 'lastSeq', i.last_seq,
  'calledIn', (SELECT coalesce(json_agg(json_build_object('departmentId', d.department_id, 'reportedIn', d.reported_in_at IS NOT NULL, 'replied', d.replied_at IS NOT NULL) ORDER BY d.department_id), '[]'::json)
                 FROM incident_departments d WHERE d.incident_id = i.id),
  'photos', (SELECT coalesce(json_agg(json_build_object('id', p.id, 'kind', p.kind, 'url', '/api/photos/' || p.id) ORDER BY p.id), '[]'::json) FROM photos p WHERE p.incident_id = i.id),
  'reporter', CASE WHEN $4::boolean THEN json_build_object('name', i.reporter_name, 'phone', i.reporter_phone) END)`

export const NEXT_INCIDENT_ID = sql('next_incident_id', `SELECT nextval('incidents_id_seq')::int AS id`)

export const INSERT_INCIDENT = sql('insert_incident', `
  INSERT INTO incidents (id, number, source, category_code, kind, description, address, geom, input_lng, input_lat, input_crs,
                         generation_id, leaf_grid_id, grid_path, outside, outside_distance_m, state, reporter_name, reporter_phone,
                         reported_by, idempotency_key, external_id, reported_at, due_dispatch_at, due_at, warn_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, ST_SetSRID(ST_MakePoint($8, $9), 4326), $10, $11, $12,
          $13, $14, $15, $16, $17, 'reported', $18, $19, $20, $21, $22, $23, $24, $24, $25)`)

/** Appends one event. Its stream `seq` comes later, from the sequencer (see live/sequencer.ts). */
export const INSERT_EVENT = sql('insert_incident_event', `
  WITH e AS (
    INSERT INTO incident_events (incident_id, type, from_state, to_state, actor_kind, actor_id, actor_name, at, note, photos, data)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id, at)
  UPDATE incidents SET updated_at = e.at FROM e WHERE incidents.id = $1 RETURNING e.id`)

export const LOCK_INCIDENT = sql('lock_incident', `SELECT ${RECORD_COLUMNS} FROM incidents i WHERE i.id = $4 AND ${SCOPE_SQL} FOR UPDATE`)

export const UPDATE_INCIDENT = sql('update_incident', `
  UPDATE incidents SET state = $2, unit_level = $3, unit_grid_id = $4, unit_departments = $5, supervised = $6, extension_request = $7,
         repeat_flag = $8, dispatch_count = $9, return_count = $10, rework_count = $11, filed_at = $12, dispatched_at = $13,
         accepted_at = $14, handled_at = $15, closed_at = $16, due_handle_at = $17, due_check_at = $18, due_close_at = $19,
         warn_at = $20, due_at = $21, warned_at = $22, stage_overdue = $23, overdue_at = $24, handled_on_time = $25,
         closed_on_time = $26, rating = $27, rating_comment = $28
   WHERE id = $1`)

export const INCIDENT_VIEW = sql('incident_view', `
  SELECT ${INCIDENT_JSON} AS incident FROM incidents i JOIN categories c ON c.code = i.category_code
   WHERE i.id = $5 AND ${SCOPE_SQL}`)

/** Newest first, by id cursor. $5 states (NULL = all), $6 category, $7 grid subtree, $8..$11 bbox, $12 text, $13 overdue, $14 from, $15 to, $16 before, $17 limit. */
export const INCIDENT_LIST = sql('incident_list', `
  SELECT ${INCIDENT_JSON} AS incident, i.id FROM incidents i JOIN categories c ON c.code = i.category_code
   WHERE ${SCOPE_SQL}
     AND ($5::text[] IS NULL OR i.state = ANY ($5::text[]))
     AND ($6::text IS NULL OR i.category_code = $6)
     AND ($7::int IS NULL OR i.grid_path @> ARRAY[$7::int])
     AND ($8::float8 IS NULL OR ST_Intersects(ST_MakeEnvelope($8, $9, $10, $11, 4326), i.geom))
     AND ($12::text IS NULL OR i.number ILIKE '%' || $12 || '%' OR i.description ILIKE '%' || $12 || '%' OR i.address ILIKE '%' || $12 || '%')
     AND ($13::boolean IS NULL OR i.stage_overdue = $13)
     AND ($14::timestamptz IS NULL OR i.reported_at >= $14)
     AND ($15::timestamptz IS NULL OR i.reported_at < $15)
     AND ($16::int IS NULL OR i.id < $16)
   ORDER BY i.id DESC
   LIMIT $17`)

export const INCIDENT_EVENTS = sql('incident_events', `
  SELECT e.id, e.seq, e.incident_id, e.type, e.from_state, e.to_state, e.actor_kind, e.actor_id, e.actor_name, e.at, e.note, e.photos, e.data
    FROM incident_events e JOIN incidents i ON i.id = e.incident_id
   WHERE e.incident_id = $4 AND ${SCOPE_SQL}
   ORDER BY e.id`)

export const EVENT_BY_ID = sql('incident_event_by_id', `
  SELECT id, seq, incident_id, type, from_state, to_state, actor_kind, actor_id, actor_name, at, note, photos, data FROM incident_events WHERE id = $1`)

export const BY_IDEMPOTENCY_KEY = sql('incident_by_idempotency_key', `SELECT id, number, category_code, description, reported_by FROM incidents WHERE idempotency_key = $1`)
export const BY_EXTERNAL_ID = sql('incident_by_external_id', `SELECT id, number FROM incidents WHERE external_id = $1`)

/**
 * Open cases of category $3 within $4 metres of ($1, $2), nearest first: offered as duplicates.
 * The planar box prefilter uses the GiST index; the geodesic distance decides.
 */
export const SIMILAR_OPEN = sql('similar_open_incidents', `
  WITH pt AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g)
  SELECT i.id, i.number, i.state, i.description, i.reported_at, ST_Distance(i.geom::geography, pt.g::geography) AS distance_m
    FROM incidents i, pt
   WHERE i.category_code = $3 AND $4::float8 > 0
     AND i.state NOT IN ('closed', 'evaluated', 'rejected', 'voided')
     AND i.geom && ST_Expand(pt.g, $4::float8 / 90000.0)
     AND ST_DWithin(i.geom::geography, pt.g::geography, $4::float8)
     AND ($5::int IS NULL OR i.id <> $5)
   ORDER BY distance_m, i.id
   LIMIT 10`)

/** Cases of the same category within the radius reported in the 30 days up to $5: ≥ 3 means a place for review (复诊). */
export const REPEATS_NEAR = sql('repeat_incidents_near', `
  WITH pt AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g)
  SELECT count(*)::int AS n FROM incidents i, pt
   WHERE i.category_code = $3
     AND i.reported_at > $5::timestamptz - interval '30 days' AND i.reported_at <= $5::timestamptz
     AND i.geom && ST_Expand(pt.g, $4::float8 / 90000.0)
     AND ST_DWithin(i.geom::geography, pt.g::geography, $4::float8)`)

export const WHISTLED = sql('incident_whistled', `
  SELECT department_id, reported_in_at IS NOT NULL AS reported_in, replied_at IS NOT NULL AS replied
    FROM incident_departments WHERE incident_id = $1 ORDER BY department_id`)
export const CALL_IN = sql('incident_call_in', `
  INSERT INTO incident_departments (incident_id, department_id, called_at) SELECT $1, d, $3 FROM unnest($2::int[]) AS d
  ON CONFLICT (incident_id, department_id) DO UPDATE SET called_at = EXCLUDED.called_at, reported_in_at = NULL, replied_at = NULL, reply = NULL`)
export const REPORT_IN = sql('incident_report_in', `
  UPDATE incident_departments SET reported_in_at = $3 WHERE incident_id = $1 AND department_id = $2 AND reported_in_at IS NULL RETURNING 1`)
export const REPLY = sql('incident_reply', `
  UPDATE incident_departments SET replied_at = $3, reply = $4, reported_in_at = coalesce(reported_in_at, $3)
   WHERE incident_id = $1 AND department_id = $2 AND replied_at IS NULL RETURNING 1`)

export const INSERT_PHOTO = sql('insert_photo', `
  INSERT INTO photos (incident_id, kind, path, mime, bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`)
export const PHOTO_BY_ID = sql('photo_by_id', `
  SELECT p.path, p.mime FROM photos p JOIN incidents i ON i.id = p.incident_id WHERE p.id = $4 AND ${SCOPE_SQL}`)

export const INSERT_FOLLOWER = sql('insert_incident_follower', `
  INSERT INTO incident_followers (incident_id, source, reporter_name, reporter_phone, note, joined_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`)

export const DEPARTMENT_IDS_BY_CODE = sql('department_ids_by_code', `SELECT id, code FROM departments WHERE code = ANY ($1::text[])`)
export const DEPARTMENTS_EXIST = sql('departments_exist', `SELECT count(*)::int AS n FROM departments WHERE id = ANY ($1::int[])`)
