import { sql } from '../../db/db.ts'

/**
 * What Open311 publishes of a case. Open311 is public — no account, no scope — so this column
 * list IS the privacy boundary: never the reporter's name or phone, never staff notes, never
 * photos (they are served to staff only). Every query also takes the category kinds the door
 * serves ($kinds), so cases about people and homes (综治与民生) never come out here.
 */
const REQUEST_COLUMNS = `
  i.id, i.number, i.state, i.category_code, c.name AS service_name, i.description, i.address,
  ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat,
  i.reported_at, i.updated_at, i.closed_at, i.due_at, i.due_close_at, i.stage_overdue,
  leaf.code AS grid_code,
  -- the place from the leaf grid up to the district: "most specific to most general", as the spec asks of address
  (SELECT string_agg(g.name, ', ' ORDER BY g.level DESC) FROM grids g WHERE g.id = ANY (i.grid_path)) || ', ' || dist.name AS place,
  -- the unit now responsible: a grid (named from its street down) and/or the departments assigned or called in
  nullif(concat_ws('、',
    (SELECT string_agg(g.name, ' ' ORDER BY g.level) FROM grids g WHERE g.id = ANY (ug.path)),
    (SELECT string_agg(d.name, '、' ORDER BY array_position(i.unit_departments, d.id)) FROM departments d WHERE d.id = ANY (i.unit_departments))), '') AS agency`

const REQUEST_FROM = `
  FROM incidents i
  JOIN categories c ON c.code = i.category_code
  JOIN grids leaf ON leaf.id = i.leaf_grid_id
  JOIN districts dist ON dist.id = leaf.district_id
  LEFT JOIN grids ug ON ug.id = i.unit_grid_id`

/** Cases by number ($1 text[]), in kinds $2; GET requests/{id} and the `service_request_id` list (which overrides every other filter). */
export const REQUESTS_BY_NUMBER = sql('open311_requests_by_number', `
  SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM}
   WHERE i.number = ANY ($1::text[]) AND c.kind = ANY ($2::text[])
   ORDER BY i.reported_at DESC, i.id DESC`)

/**
 * Cases reported in [$2, $3], newest first: $1 category codes (NULL = all), $4 states (NULL = all),
 * $5 kinds, $6 at most this many. The window is bounded by the caller (90 days at most), so the
 * reported_at index keeps this cheap however many cases the city has.
 */
export const REQUESTS_IN_WINDOW = sql('open311_requests_in_window', `
  SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM}
   WHERE i.reported_at >= $2::timestamptz AND i.reported_at <= $3::timestamptz
     AND ($1::text[] IS NULL OR i.category_code = ANY ($1::text[]))
     AND ($4::text[] IS NULL OR i.state = ANY ($4::text[]))
     AND c.kind = ANY ($5::text[])
   ORDER BY i.reported_at DESC, i.id DESC
   LIMIT $6`)

/** The case number for a case id ($1, from a tracking token) or number ($2), in kinds $3. */
export const NUMBER_FOR_TOKEN = sql('open311_number_for_token', `
  SELECT i.number FROM incidents i JOIN categories c ON c.code = i.category_code
   WHERE (i.id = $1::int OR i.number = $2::text) AND c.kind = ANY ($3::text[])`)

export const ACTIVE_API_KEY = sql('open311_active_api_key', `SELECT name FROM api_keys WHERE key_hash = $1 AND active`)
