import { sql } from '../../db/db.ts'
import { gridRefJson } from '../grids/grid-sql.ts'
import { SCOPE_SQL } from '../incidents/incidents.scope.ts'

/**
 * The figures of the closed loop, all computed here in SQL. Every stats query takes the same
 * first five parameters: $1–$3 the caller's scope (SCOPE_SQL), $4 a grid subtree (NULL = all),
 * $5 a department (NULL = all). A case belongs to a window by when it was reported
 * (reported_at in [from, to)); its outcome is what its row says now — a cohort, so last month's
 * closure rate still rises while last month's cases are being closed.
 */
export const FILTER_SQL = `${SCOPE_SQL}
  AND ($4::int IS NULL OR i.grid_path @> ARRAY[$4::int])
  AND ($5::int IS NULL OR i.unit_departments @> ARRAY[$5::int]
       OR EXISTS (SELECT 1 FROM incident_departments fd WHERE fd.incident_id = i.id AND fd.department_id = $5::int))`

/**
 * Each formula's parts as a condition on the case `i`, spelled once and used by every query that
 * needs it (the KPI windows and the closure rate of the `top` lists, and the wall's per-grid and hourly
 * figures in modules/wall).
 */
export const CASE = {
  handled: `i.handled_at IS NOT NULL`,
  closed: `i.closed_at IS NOT NULL`,
  closedOnTime: `i.closed_on_time IS TRUE`,
  handledOnTime: `i.handled_on_time IS TRUE`,
  /** 应结案: handled, or not handled and already overdue (at any stage) — deferred cases (缓办/挂账) left out. */
  dueToClose: `(i.handled_at IS NOT NULL OR (i.handled_at IS NULL AND i.overdue_at IS NOT NULL)) AND i.state <> 'deferred'`,
  /**
   * 应处置: handled, or dispatched, not handled, not deferred and past its handling deadline by
   * `cutoff` — the end of the window, or now while the window is still running.
   */
  dueToHandle: (cutoff: string) =>
    `(i.handled_at IS NOT NULL OR (i.dispatched_at IS NOT NULL AND i.handled_at IS NULL AND i.state <> 'deferred' AND i.due_handle_at < ${cutoff}))`,
  reworked: `i.rework_count > 0`,
  returned: `i.return_count > 0`,
  dispatched: `i.dispatch_count > 0`,
  /**
   * 应派遣: filed cases. DOMAIN.md's 准确派遣率 is (dispatched − reworked) ÷ due-to-dispatch, and we
   * keep its "reworked"; many city rules measure a wrong dispatch by returns (退回) instead, so
   * `returned` is reported beside it for a city to choose. A case fixed on the spot (自行处置) is
   * filed but never dispatched (dispatch_count stays 0, yet it is closed): it is left out here,
   * or fixing things on the spot would lower the dispatch rate as if each were a dispatch missed.
   */
  dueToDispatch: `i.filed_at IS NOT NULL AND NOT (i.dispatch_count = 0 AND i.closed_at IS NOT NULL)`,
  /** Open: not closed, evaluated, rejected or voided. */
  open: `i.state NOT IN ('closed', 'evaluated', 'rejected', 'voided')`,
} as const

export const inWindow = (from: string, to: string) => `i.reported_at >= ${from} AND i.reported_at < ${to}`
const hours = (later: string, earlier: string) => `extract(epoch FROM ${later} - ${earlier}) / 3600`

/**
 * The KPIs' numerators and denominators for three windows at once: the period ($6, $7), 环比
 * ($8, $9) and 同比 ($10, $11); $12 = now. The windows are a three-row table joined to the cases
 * and grouped by window, rather than the same query run three times or three FILTER copies of each
 * formula: every formula is written once, the cases are read in one pass, and the three figures
 * cannot drift apart. Windows may overlap (a range longer than a year): the join counts a case in
 * each window it falls in.
 */
export const STATS_KPI_WINDOWS = sql('stats_kpi_windows', `
  WITH w (name, from_at, to_at) AS (
    VALUES ('current', $6::timestamptz, $7::timestamptz), ('previous', $8::timestamptz, $9::timestamptz), ('lastYear', $10::timestamptz, $11::timestamptz))
  SELECT w.name,
         count(i.id)::int                                                         AS reported,
         count(i.id) FILTER (WHERE ${CASE.closed})::int                           AS closed,
         count(i.id) FILTER (WHERE ${CASE.closedOnTime})::int                     AS closed_on_time,
         count(i.id) FILTER (WHERE ${CASE.dueToClose})::int                       AS due_to_close,
         count(i.id) FILTER (WHERE ${CASE.handled})::int                          AS handled,
         count(i.id) FILTER (WHERE ${CASE.handledOnTime})::int                    AS handled_on_time,
         count(i.id) FILTER (WHERE ${CASE.dueToHandle('least(w.to_at, $12::timestamptz)')})::int AS due_to_handle,
         count(i.id) FILTER (WHERE ${CASE.reworked})::int                         AS reworked,
         count(i.id) FILTER (WHERE ${CASE.returned})::int                         AS returned,
         count(i.id) FILTER (WHERE ${CASE.dispatched})::int                       AS dispatched,
         count(i.id) FILTER (WHERE ${CASE.dueToDispatch})::int                    AS due_to_dispatch,
         -- Means over cases that have both times; a case fixed on the spot was never dispatched.
         coalesce(sum(${hours('i.accepted_at', 'i.dispatched_at')}) FILTER (WHERE ${CASE.dispatched} AND i.accepted_at IS NOT NULL), 0)::float8 AS accept_hours,
         count(i.id) FILTER (WHERE ${CASE.dispatched} AND i.accepted_at IS NOT NULL)::int AS accepted,
         coalesce(sum(${hours('i.handled_at', 'i.dispatched_at')}) FILTER (WHERE ${CASE.dispatched} AND ${CASE.handled}), 0)::float8 AS handle_hours,
         count(i.id) FILTER (WHERE ${CASE.dispatched} AND ${CASE.handled})::int     AS handled_after_dispatch,
         coalesce(sum(${hours('i.closed_at', 'i.reported_at')}) FILTER (WHERE ${CASE.closed}), 0)::float8 AS close_hours,
         coalesce(sum(i.rating), 0)::int                                          AS rating_sum,
         count(i.rating)::int                                                     AS rated,
         count(i.id) FILTER (WHERE i.rating >= 4)::int                            AS satisfied
    FROM w LEFT JOIN incidents i ON ${inWindow('w.from_at', 'w.to_at')} AND ${FILTER_SQL}
   GROUP BY w.name`)

/**
 * Counts for the period ($6, $7): reported, by state ($8: every state key, zeros included, in
 * that order), by source ($9: every source key), by category; and the open cases overdue now,
 * whenever they were reported.
 */
export const STATS_COUNTS = sql('stats_counts', `
  WITH c AS (SELECT i.state, i.source, i.category_code FROM incidents i WHERE ${inWindow('$6::timestamptz', '$7::timestamptz')} AND ${FILTER_SQL})
  SELECT (SELECT count(*)::int FROM c) AS reported,
         (SELECT json_object_agg(k.key, coalesce(n.n, 0) ORDER BY k.ord)
            FROM unnest($8::text[]) WITH ORDINALITY AS k (key, ord)
            LEFT JOIN (SELECT state, count(*)::int AS n FROM c GROUP BY state) n ON n.state = k.key) AS by_state,
         (SELECT json_object_agg(k.key, coalesce(n.n, 0) ORDER BY k.ord)
            FROM unnest($9::text[]) WITH ORDINALITY AS k (key, ord)
            LEFT JOIN (SELECT source, count(*)::int AS n FROM c GROUP BY source) n ON n.source = k.key) AS by_source,
         (SELECT coalesce(json_agg(json_build_object('code', cat.code, 'name', cat.name, 'count', n.n) ORDER BY n.n DESC, cat.code), '[]'::json)
            FROM (SELECT category_code, count(*)::int AS n FROM c GROUP BY category_code) n JOIN categories cat ON cat.code = n.category_code) AS by_category,
         (SELECT count(*)::int FROM incidents i WHERE i.stage_overdue AND ${CASE.open} AND ${FILTER_SQL}) AS overdue_now`)

/** Reported, closed and due-to-close of cases in ($6, $7) — the parts of 结案率 for a `top` row. */
export const TOP_FIGURES = `
  count(i.id)::int AS reported,
  count(i.id) FILTER (WHERE ${CASE.closed})::int AS closed,
  count(i.id) FILTER (WHERE ${CASE.dueToClose})::int AS due_to_close`

/**
 * The children of grid $4 (the streets when $4 is NULL), most cases in ($6, $7) first, $9 rows. A case belongs
 * to the child at its frozen path's next level: grid_path[$8], $8 = the child level. Children
 * retired since are listed only when they still have cases in the period.
 */
export const STATS_TOP_GRIDS = sql('stats_top_grids', `
  SELECT ${gridRefJson('g')} AS grid, ${TOP_FIGURES}
    FROM grids g
    LEFT JOIN incidents i ON i.grid_path[$8::int] = g.id AND ${inWindow('$6::timestamptz', '$7::timestamptz')} AND ${FILTER_SQL}
   WHERE CASE WHEN $4::int IS NULL THEN g.level = 1 ELSE g.parent_id = $4::int END
   GROUP BY g.id
  HAVING g.retired_generation IS NULL OR count(i.id) > 0
   ORDER BY reported DESC, g.code
   LIMIT $9::int`)

/** The most reported categories in ($6, $7), $8 rows. */
export const STATS_TOP_CATEGORIES = sql('stats_top_categories', `
  SELECT cat.code, cat.name, ${TOP_FIGURES}
    FROM incidents i JOIN categories cat ON cat.code = i.category_code
   WHERE ${inWindow('$6::timestamptz', '$7::timestamptz')} AND ${FILTER_SQL}
   GROUP BY cat.code, cat.name
   ORDER BY reported DESC, cat.code
   LIMIT $8::int`)

/**
 * Repeat places (复诊): cases flagged repeat_flag in ($6, $7), grouped by category and a ~100 m
 * cell, most first, $9 rows. $8 = the cell's side in degrees of latitude. The cell is a metric-ish
 * grid without a projection (PGlite may lack proj data): rows of $8° latitude, and within a row
 * longitude scaled by cos(latitude of the row's middle) — so cells are ~square on the ground at
 * any latitude. Fixed cells rather than ST_ClusterDBSCAN: the same place falls in the same cell in
 * every period, so a place's count can be compared month to month; a cluster straddling a cell
 * edge is split, which a ~100 m cell makes rare for one address.
 */
export const STATS_REPEAT_PLACES = sql('stats_repeat_places', `
  WITH r AS (
    SELECT i.id, i.category_code, i.reported_at, ST_X(i.geom) AS lng, ST_Y(i.geom) AS lat, floor(ST_Y(i.geom) / $8::float8) AS row_y
      FROM incidents i
     WHERE i.repeat_flag AND ${inWindow('$6::timestamptz', '$7::timestamptz')} AND ${FILTER_SQL}),
  cells AS (SELECT r.*, floor(r.lng * cos(radians((r.row_y + 0.5) * $8::float8)) / $8::float8) AS col_x FROM r)
  SELECT json_build_object('code', cat.code, 'name', cat.name) AS category, count(*)::int AS count,
         avg(cells.lng)::float8 AS lng, avg(cells.lat)::float8 AS lat, max(cells.reported_at) AS last_reported_at,
         (array_agg(cells.id ORDER BY cells.reported_at, cells.id))[1:50] AS incident_ids
    FROM cells JOIN categories cat ON cat.code = cells.category_code
   GROUP BY cat.code, cat.name, cells.row_y, cells.col_x
   ORDER BY count DESC, last_reported_at DESC, cat.code
   LIMIT $9::int`)

export const STATS_GRID = sql('stats_grid', `SELECT g.id, g.level, g.path, ${gridRefJson('g')} AS ref FROM grids g WHERE g.id = $1`)
export const STATS_DEPARTMENT = sql('stats_department', `SELECT id, code, name FROM departments WHERE id = $1`)
