import { sql } from '../../db/db.ts'
import { gridRefJson } from '../grids/grid-sql.ts'
import { CASE, FILTER_SQL, inWindow, TOP_FIGURES } from '../stats/stats.queries.ts'

/**
 * The wall's figures, with the formulas of /api/stats (stats.queries.ts): the same parameters
 * $1–$3 scope, $4 grid subtree (NULL = all), $5 department (NULL = all), and the same case
 * conditions, so a grid's 结案率 on the map is the one /api/stats gives for that grid.
 */

/** The grids a `GET /api/stats/grids` would answer: depth $1 under grid $2 (NULL = everywhere), current or retired. */
export const WALL_GRID_COUNT = sql('wall_grid_count', `
  SELECT count(*)::int AS n FROM grids g WHERE g.level = $1 AND ($2::int IS NULL OR g.path @> ARRAY[$2::int])`)

/**
 * One row per grid at depth $8 under grid $4 (NULL = everywhere), by code: its households, the
 * figures of its cases reported in [$6, $7), and its open cases overdue now. A case belongs to the
 * grid on its frozen path at that depth (grid_path[$8]), a household to its leaf's ancestor
 * there (path[$8]) — each table is read once and grouped, never once per grid. Retired grids are
 * listed only while they have cases in the period (as in STATS_TOP_GRIDS). Rates are shares, NULL
 * when nothing is due; cases per 1,000 households NULL without households.
 */
export const WALL_STATS_BY_GRID = sql('wall_stats_by_grid', `
  WITH target AS (
    SELECT g.* FROM grids g WHERE g.level = $8::int AND ($4::int IS NULL OR g.path @> ARRAY[$4::int])),
  hh AS (
    SELECT leaf.path[$8::int] AS grid_id, count(*)::int AS n
      FROM households h JOIN grids leaf ON leaf.id = h.grid_id
     WHERE cardinality(leaf.path) >= $8::int AND ($4::int IS NULL OR leaf.path @> ARRAY[$4::int])
     GROUP BY 1),
  cases AS (
    SELECT i.grid_path[$8::int] AS grid_id, ${TOP_FIGURES},
           count(i.id) FILTER (WHERE ${CASE.closedOnTime})::int AS closed_on_time
      FROM incidents i
     WHERE ${inWindow('$6::timestamptz', '$7::timestamptz')} AND ${FILTER_SQL}
     GROUP BY 1),
  overdue AS (
    SELECT i.grid_path[$8::int] AS grid_id, count(*)::int AS n
      FROM incidents i WHERE i.stage_overdue AND ${CASE.open} AND ${FILTER_SQL}
     GROUP BY 1)
  SELECT ${gridRefJson('g')} AS grid,
         coalesce(hh.n, 0) AS households,
         coalesce(c.reported, 0) AS reported,
         coalesce(c.closed, 0) AS closed,
         coalesce(c.due_to_close, 0) AS due_to_close,
         c.closed::float8 / nullif(c.due_to_close, 0) AS closure_rate,
         c.closed_on_time::float8 / nullif(c.due_to_close, 0) AS on_time_closure_rate,
         coalesce(o.n, 0) AS overdue_now,
         coalesce(c.reported, 0) * 1000.0::float8 / nullif(hh.n, 0) AS cases_per_1000_households
    FROM target g
    LEFT JOIN hh ON hh.grid_id = g.id
    LEFT JOIN cases c ON c.grid_id = g.id
    LEFT JOIN overdue o ON o.grid_id = g.id
   WHERE g.retired_generation IS NULL OR coalesce(c.reported, 0) > 0
   ORDER BY g.code`)

/**
 * Reported and closed per hour of two consecutive days: $6 = the start of the day before, $7 = the
 * start of the day asked for (both local midnights; Beijing has no daylight saving, so a day is
 * 24 hours). A case counts in the hour it was reported, and in the hour it was closed — whenever it
 * was reported. Always 24 rows.
 */
export const WALL_HOURLY = sql('wall_hourly', `
  WITH hours AS (SELECT generate_series(0, 23) AS hour),
  reported AS (
    SELECT floor(extract(epoch FROM i.reported_at - $6::timestamptz) / 3600)::int AS k, count(*)::int AS n
      FROM incidents i
     WHERE i.reported_at >= $6::timestamptz AND i.reported_at < $7::timestamptz + interval '24 hours' AND ${FILTER_SQL}
     GROUP BY 1),
  closed AS (
    SELECT floor(extract(epoch FROM i.closed_at - $6::timestamptz) / 3600)::int AS k, count(*)::int AS n
      FROM incidents i
     WHERE ${CASE.closed} AND i.closed_at >= $6::timestamptz AND i.closed_at < $7::timestamptz + interval '24 hours' AND ${FILTER_SQL}
     GROUP BY 1)
  SELECT h.hour,
         coalesce(rt.n, 0) AS reported, coalesce(ct.n, 0) AS closed,
         coalesce(ry.n, 0) AS reported_yesterday, coalesce(cy.n, 0) AS closed_yesterday
    FROM hours h
    LEFT JOIN reported rt ON rt.k = h.hour + 24
    LEFT JOIN closed ct ON ct.k = h.hour + 24
    LEFT JOIN reported ry ON ry.k = h.hour
    LEFT JOIN closed cy ON cy.k = h.hour
   ORDER BY h.hour`)
